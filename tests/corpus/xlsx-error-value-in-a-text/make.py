from tests.corpus_tools import patch_xlsx, xlsx_from_csv


def edit(workbook, sheet):
    sheet["G2"] = "=NA()"


def make(territory):
    path = xlsx_from_csv(territory, "parc_ops", edit)
    patch_xlsx(path, '<c r="G2"><f>NA()</f><v></v>', '<c r="G2" t="e"><f>NA()</f><v>#N/A</v>')
