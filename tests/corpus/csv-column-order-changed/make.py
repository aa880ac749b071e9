from tests.corpus_tools import csv_rows, write_csv, set_cell, edit_csv, xlsx_from_csv, patch_xlsx

def make(territory):
    rows = csv_rows(territory, "parc_ops")
    order = [6, 3, 0, 5, 1, 4, 2]
    write_csv(territory, "parc_ops", [[row[i] for i in order] for row in rows])
