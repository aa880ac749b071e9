from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 1).value = str(sheet.cell(row, 1).value)
        sheet.cell(row, 1).quotePrefix = True


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
