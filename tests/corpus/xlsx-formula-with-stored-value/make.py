from tests.corpus_tools import patch_xlsx, xlsx_from_csv


def edit(workbook, sheet):
    sheet["D2"] = "=11+11"


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops", edit)
    patch_xlsx(path, "<f>11+11</f><v></v>", "<f>11+11</f><v>22</v>")
