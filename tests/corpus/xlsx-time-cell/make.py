import datetime as dt

from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet["D2"] = dt.time(20, 30)
    sheet["C2"] = dt.datetime(2025, 3, 17)


def make(territory):
    xlsx_from_csv(territory, "seances", edit)
