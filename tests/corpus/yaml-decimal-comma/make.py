from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(territory, "delai_attente_moyen_mois: 10", "delai_attente_moyen_mois: 10,5")
