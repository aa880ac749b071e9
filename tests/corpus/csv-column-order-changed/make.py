from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    rows = csv_rows(territory, "parc_ops")
    order = [6, 3, 0, 5, 1, 4, 2]
    write_csv(territory, "parc_ops", [[row[i] for i in order] for row in rows])
