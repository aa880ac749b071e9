from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet["B8"] = 7070


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
