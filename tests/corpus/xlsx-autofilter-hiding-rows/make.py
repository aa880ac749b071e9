from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet.auto_filter.ref = sheet.dimensions
    sheet.auto_filter.add_filter_column(1, ["Cornas"])
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 2).value != "Cornas":
            sheet.row_dimensions[row].hidden = True


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
