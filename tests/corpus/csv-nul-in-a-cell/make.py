from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "parc_ops", "Rue des Alpes", "Rue des\x00 Alpes")
