from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "parc_ops", 25, "statut", "pas de réponse")
