from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(territory, "auteur: AATIKO Conseils", "auteur: " + "AATIKO " * 30000)
