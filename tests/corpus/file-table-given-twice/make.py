from openpyxl import Workbook


def make(territory):
    Workbook().save(territory / "data" / "parc_ops.xlsx")
