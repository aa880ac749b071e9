from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "parc_ops", 25, "statut", "Réponse insuffisante")
    set_cell(territory, "parc_ops", 26, "statut", "NON RENSEIGNÉE")
