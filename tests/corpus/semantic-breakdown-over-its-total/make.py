from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "repartitions", "Hébergé chez un tiers,15,", "Hébergé chez un tiers,150,")
