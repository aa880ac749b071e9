from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    notes = workbook.create_sheet("Lisez-moi", 0)
    notes.append(["Parc OPS 2022, saisi par le service habitat"])


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
