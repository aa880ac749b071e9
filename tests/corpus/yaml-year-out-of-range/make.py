from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(territory, "annee: 2025", "annee: 1925")
