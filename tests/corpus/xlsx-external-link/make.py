from tests.corpus_tools import patch_xlsx, xlsx_from_csv


def edit(workbook, sheet):
    sheet["D2"] = "=[1]Feuil1!D2"


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops", edit)
    patch_xlsx(path, "<f>[1]Feuil1!D2</f><v></v>", "<f>[1]Feuil1!D2</f><v>22</v>")
