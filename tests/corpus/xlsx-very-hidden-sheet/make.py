from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    old = workbook.create_sheet("calculs", 0)
    old.append(["annee", "commune", "adresse", "logements"])
    old.append([1900, "Nulle part", "?", -1])
    old.sheet_state = "veryHidden"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
