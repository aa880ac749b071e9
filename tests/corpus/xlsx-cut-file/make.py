from tests.corpus_tools import xlsx_from_csv


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops")
    path.write_bytes(path.read_bytes()[:2000])
