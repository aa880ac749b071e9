from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(territory, "date: 2025-01-15", "date: 15/01/2025")
