from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(
        territory,
        "elaboration_ppgdid",
        ',"Visée par la délibération de Cornas du 17 mars 2025, qui',
        ",Visée par la délibération de Cornas du 17 mars 2025, qui",
    )
    edit_csv(territory, "elaboration_ppgdid", 'du logement."\n', "du logement.\n")
