from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "demandes", '"PIA 2025, diagnostic', '"PIA 2025,\x0b diagnostic')
