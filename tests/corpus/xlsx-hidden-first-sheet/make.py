from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    old = workbook.create_sheet("ancien", 0)
    for row in sheet.iter_rows(values_only=True):
        old.append(row)
        old.append(row)
    old["B3"] = "Guilhaud-Granges"
    old.sheet_state = "hidden"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
