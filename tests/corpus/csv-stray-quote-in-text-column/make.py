from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "parc_ops", "Rhône,1 cours André Magnon,", 'Rhône,"1 cours André Magnon,')
