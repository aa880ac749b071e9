from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(
        territory,
        "parc_ops",
        ',"22,2",,Deux points adresse',
        ',"22,2",,"Deux points adresse',
    )
