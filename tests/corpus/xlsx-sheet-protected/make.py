from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet.protection.sheet = True
    sheet.protection.password = "secret"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
