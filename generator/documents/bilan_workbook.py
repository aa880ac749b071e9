"""The bilan's indicator tables as one Excel workbook, one sheet per table, for EPCI staff.

Numbers stay numbers (shares as percentages Excel can compute with); a hidden count is « s »,
an unknown one is left empty. The same tables give the same bytes: fixed document dates and a
normalised zip.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator.indicators.allocations import SECRET, IndicatorTable
from generator.render.zipfix import read_entry, replace_entries

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMATS = {
    "share": "0.0%",
    "points": '+0.0" pt";-0.0" pt";0.0" pt"',
    "ratio": "0.0",
    "euros": '#,##0" €"',
    "count": "#,##0",
    "dwellings": "#,##0",
    "target": "#,##0",
}
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _FORBIDDEN.sub(" ", title)[:31].strip()
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _cell_value(value: Any) -> Any:
    if value is SECRET:
        return "s"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # loaded with the workbook already

        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
    return value


def _append(sheet: Any, values: Sequence[Any]) -> None:
    """A row of values shown as they are: a text from the data that starts with « = » stays
    text, never a formula that the spreadsheet would run."""
    sheet.append([_cell_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _write_table(workbook: Workbook, table: IndicatorTable, name: str, source: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=12, color="1F4E5F")
    sheet.append([])
    sheet.append([c.title for c in table.columns])
    for cell in sheet[3]:
        cell.fill = PatternFill("solid", fgColor="DCE7EB")
        cell.font = Font(bold=True, color="1F4E5F")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        _append(sheet, row)
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind in FORMATS and isinstance(cell.value, int | float):
                cell.number_format = FORMATS[column.kind]
            if cell.value == "s":
                cell.alignment = Alignment(horizontal="right")
    sheet.append([])
    for origin in table.sources:
        _append(sheet, [source.format(source=origin)])
    for note in table.notes:
        _append(sheet, [note])
    for index in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 34 if index == 1 else 16
    sheet.freeze_panes = "B4"


def workbook_bytes(
    tables: Sequence[IndicatorTable],
    about: Sequence[str],
    year: int,
    title: str,
    words: Mapping[str, Any],
    sheets: Mapping[str, str] | None = None,
) -> bytes:
    """A workbook: a first sheet saying what it holds, then one sheet per table; `words` is the
    bilan's block of the labels (`lisez_moi`: the first sheet's name; `source`: a source line).

    openpyxl is imported here, not at module level: 0.2 s that only this document needs."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    readme = workbook.active
    readme.title = words["lisez_moi"]
    readme.append([title])
    readme["A1"].font = Font(bold=True, size=12, color="1F4E5F")
    for line in about:
        _append(readme, [line])
    readme.column_dimensions["A"].width = 110
    taken = {readme.title.casefold()}
    # Short sheet names (Excel allows 31) by table key, from the labels block; others: the title.
    names = dict(sheets or {})
    for table in tables:
        name = _sheet_name(names.get(table.key, table.title), taken)
        _write_table(workbook, table, name, words["source"])
    stamp = dt.datetime(year, 1, 1)
    workbook.properties.creator = "cil"
    workbook.properties.lastModifiedBy = "cil"
    workbook.properties.created = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_dates(buffer.getvalue(), stamp)


def _fixed_dates(data: bytes, stamp: dt.datetime) -> bytes:
    """openpyxl writes the time of saving as the modification date: put the fixed one back."""
    core = read_entry(data, "docProps/core.xml")
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    core = _MODIFIED.sub(rb"\g<1>" + when + rb"\g<2>", core)
    return replace_entries(data, {"docProps/core.xml": core})
