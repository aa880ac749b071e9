from openpyxl.chart import BarChart, Reference

from tests.corpus_tools import xlsx_from_csv


def edit(workbook, sheet):
    chart_sheet = workbook.create_chartsheet("Graphique", 0)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=10), titles_from_data=True)
    chart_sheet.add_chart(chart)


def make(territory):
    xlsx_from_csv(territory, "parc_ops", edit)
