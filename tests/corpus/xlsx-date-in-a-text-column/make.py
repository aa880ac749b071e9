import datetime as dt

from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    sheet["G2"] = dt.datetime(2022, 9, 1)
    sheet["G2"].number_format = "DD/MM/YYYY"


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
