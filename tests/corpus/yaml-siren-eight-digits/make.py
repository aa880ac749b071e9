from tests.corpus_tools import edit_settings as edit


def make(territory):
    edit(territory, 'siren: "200041366"', 'siren: "20004136"')
