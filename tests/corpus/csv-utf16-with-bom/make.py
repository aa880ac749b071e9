from tests.corpus_tools import csv_rows, write_csv, set_cell, edit_csv, xlsx_from_csv, patch_xlsx

def make(territory):
    write_csv(territory, "parc_ops", csv_rows(territory, "parc_ops"), delimiter="\t", encoding="utf-16", ending="\r\n")
