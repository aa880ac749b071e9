from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet["B3"] = "9 369 €/an"


def make(territory):
    xlsx_from_csv(territory, "seuils_quartile", edit)
