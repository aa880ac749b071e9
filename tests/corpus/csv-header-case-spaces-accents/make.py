from tests.corpus_tools import csv_rows, write_csv


def make(territory):
    rows = csv_rows(territory, "parc_ops")
    rows[0] = [" Année", "COMMUNE ", "Adresse", "Logements", "Part sous 40 plus", "Statut", "Notes"]
    write_csv(territory, "parc_ops", rows)
