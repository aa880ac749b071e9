from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet.merge_cells("B3:B5")


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
