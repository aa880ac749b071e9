from tests.corpus_tools import xlsx_from_csv


def make(territory):
    xlsx_from_csv(territory, "parc_ops")
