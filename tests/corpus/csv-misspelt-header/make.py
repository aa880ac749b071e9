from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "parc_ops", "annee,commune,", "annee,comune,")
