from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "parc_ops", "statut,notes\n", "statut,logements\n")
