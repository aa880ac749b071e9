from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    rows = csv_rows(territory, "parc_ops")
    rows[3][3] = "beaucoup"  # row 4, row 8 once four blank rows stand above it
    rows[3:3] = [[""] * 7, [], [" "] + [""] * 6, []]
    write_csv(territory, "parc_ops", rows)
