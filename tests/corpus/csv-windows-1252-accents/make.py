from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    write_csv(
        territory,
        "parc_ops",
        csv_rows(territory, "parc_ops"),
        delimiter=";",
        encoding="cp1252",
        ending="\r\n",
    )
