from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "logements_sociaux", 2, "parc", "1,5")
