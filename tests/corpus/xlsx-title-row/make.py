from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet.insert_rows(1, 2)
    sheet["A1"] = "Parc social 2022"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
