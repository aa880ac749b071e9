from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    for (cell,) in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        if cell.value is not None:
            cell.value = cell.value / 100
        cell.number_format = "0.0%"
    sheet["E2"].value = 1.5


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
