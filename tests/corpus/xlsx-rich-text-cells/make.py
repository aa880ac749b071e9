from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    value = sheet["C2"].value
    sheet["C2"] = CellRichText([TextBlock(InlineFont(b=True), value[:4]), value[4:]])
    value = sheet["B3"].value
    sheet["B3"] = CellRichText([value[:7], TextBlock(InlineFont(color="FF0000"), value[7:])])


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
