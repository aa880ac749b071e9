from tests.corpus_tools import set_cell


def make(territory):
    set_cell(territory, "parc_ops", 2, "part_sous_40_plus", "14,3 %")
    set_cell(territory, "parc_ops", 3, "part_sous_40_plus", "22,2%")
