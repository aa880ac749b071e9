from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(territory, "  delai_entretien_jours: 30", "  delai_entretien_jour: 30")
