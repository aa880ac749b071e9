from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet.title = "2022"
    copy = workbook.copy_worksheet(sheet)
    copy.title = "2022 (2)"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
