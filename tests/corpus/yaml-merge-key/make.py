from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(
        territory,
        "documents:\n  auteur: AATIKO Conseils\n",
        "documents:\n  <<: &defaults {auteur: AATIKO Conseils}\n",
    )
