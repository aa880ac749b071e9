from tests.corpus_tools import patch_xlsx, xlsx_from_csv


def edit(workbook, sheet):
    sheet["E2"] = "=1/0"


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops", edit)
    patch_xlsx(path, '<c r="E2"><f>1/0</f><v></v>', '<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v>')
