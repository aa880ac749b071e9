from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    rows = csv_rows(territory, "parc_ops")
    rows = [row + (["gestionnaire"] if i == 0 else ["ADIS"]) for i, row in enumerate(rows)]
    write_csv(territory, "parc_ops", rows)
