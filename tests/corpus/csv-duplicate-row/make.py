from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    rows = csv_rows(territory, "parc_ops")
    write_csv(territory, "parc_ops", rows + [rows[1]])
