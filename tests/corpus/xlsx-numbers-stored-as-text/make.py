from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, int | float):
                cell.value = str(cell.value).replace(".", ",")
                cell.data_type = "s"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
