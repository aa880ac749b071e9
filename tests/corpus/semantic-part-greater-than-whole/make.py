from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    rows = csv_rows(territory, "attributions_agregees")
    header = rows[0]
    last = rows[-1]
    last[header.index("attributions")] = "10"
    last[header.index("attributions_qpv")] = "12"
    write_csv(territory, "attributions_agregees", rows)
