from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet.title = "Données"
    notes = workbook.create_sheet("Lisez-moi", 0)
    notes["A1"] = "Enquête OPS 2022, transmise par l'AURA HLM"
    notes["A3"] = "Voir l'onglet Données"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
