from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "parc_ops", 4, "adresse", "  \u00a0 ")
