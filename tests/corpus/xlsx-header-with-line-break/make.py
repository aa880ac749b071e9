from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet["E1"] = "part_sous\n40_plus"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
