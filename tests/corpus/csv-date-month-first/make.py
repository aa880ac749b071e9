from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "seances", 2, "convocation", "03/17/2025")
