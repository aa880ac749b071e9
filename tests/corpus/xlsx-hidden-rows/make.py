from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    for row in (3, 4, 5):
        sheet.row_dimensions[row].hidden = True
    sheet.column_dimensions["G"].hidden = True


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
