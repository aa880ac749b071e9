from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "demandes", "SNE (infocentre) 2023", "SNE\x0b (infocentre) 2023")
