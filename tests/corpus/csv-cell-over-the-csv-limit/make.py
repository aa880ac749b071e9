from tests.corpus_tools import edit_csv


def make(territory):
    edit_csv(territory, "parc_ops", '"14,3",,\n', '"14,3",,"' + "x" * 200_000 + '"\n')
