from tests.corpus_tools import csv_rows, write_csv, set_cell, edit_csv, xlsx_from_csv, patch_xlsx

def make(territory):
    set_cell(territory, "parc_ops", 2, "logements", "À compléter")
