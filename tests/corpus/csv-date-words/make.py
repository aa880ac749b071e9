from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "seances", 2, "convocation", "11 mars 2025")
