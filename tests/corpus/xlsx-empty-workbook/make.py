from openpyxl import Workbook


def make(territory):
    (territory / "data" / "parc_ops.csv").unlink()
    Workbook().save(territory / "data" / "parc_ops.xlsx")
