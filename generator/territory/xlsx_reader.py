"""Reading an XLSX table as the user sees it in Excel or LibreOffice.

The visible sheet, not a hidden one left first; a cell formatted as a percentage read as the
percentage shown (14,3 for a cell showing 14,3 %); a formula whose value the file does not store
(as many generators write them) refused rather than read as empty; merged cells refused with
their range rather than read as blanks below their first cell; an error value (#N/A) refused
rather than printed; the sheet holding the table's columns when notes come first. A file named
.xlsx that is an .xls, an .ods, a CSV or an encrypted workbook is named for what it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from generator.messages import _, quoted
from generator.territory.columns import column_key
from generator.territory.table_files import MAX_ROWS, ReadError

#: A workbook unpacks to its XML: bounded, so that a small zip cannot expand to gigabytes.
MAX_UNPACKED_BYTES = 200_000_000
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
_HEADER_ROWS = 10


class ExcelError(str):
    """A cell showing an Excel error (#N/A, #DIV/0!…): not a value, not a text to print."""


def _not_a_workbook(data: bytes, table: str) -> None:
    """Say what a file named .xlsx really is, when it is something else a user may have saved."""
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReadError(
                _(
                    "the workbook is protected by a password, which cil cannot open: in Excel, "
                    "save a copy without a password (File › Info › Protect Workbook)"
                )
            )
        raise ReadError(
            _(
                "this is a workbook in the old Excel format (.xls) named .xlsx: in Excel, save "
                "it as « Excel Workbook (.xlsx) »"
            )
        )
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                kind = archive.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return  # _check_archive says the workbook is damaged
        if kind.startswith(_ODS):
            raise ReadError(
                _(
                    "this is an OpenDocument spreadsheet (.ods) named .xlsx: in LibreOffice, "
                    "save it as « Excel 2007-365 (.xlsx) »"
                )
            )
        return
    head = data[:4096]
    if head and b"\x00" not in head and any(sep in head for sep in (b",", b";", b"\t")):
        name = table or "the table"
        raise ReadError(
            _(
                "this is a CSV file (text) named .xlsx: rename it {name}.csv",
                name=name,
            )
        )


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(
            _(
                "the file cannot be read as an Excel workbook (damaged or not .xlsx): open a good"
                " copy of the file in Excel or LibreOffice and save it, so that each value is"
                " stored"
            )
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(
            _(
                "the workbook unpacks to {size} MB, over the limit of {limit} MB: keep only the"
                " table's sheet",
                size=unpacked // 1000000,
                limit=MAX_UNPACKED_BYTES // 1000000,
            )
        )


def _holds_columns(sheet: Any, keys: set[str]) -> bool:
    """The sheet's header (in its first rows) names enough of the table's columns."""
    enough = max(1, min(3, len(keys)))
    for row in sheet.iter_rows(max_row=_HEADER_ROWS, values_only=True):
        if len({column_key(str(v)) for v in row if v is not None} & keys) >= enough:
            return True
    return False


def _chosen_sheet(workbook: Any, table: str, columns: Sequence[str] = ()) -> Any:
    """The sheet named like the table, else the one visible sheet holding its columns, else
    the first visible one; two visible sheets holding the columns are ambiguous."""
    visible = [s for s in workbook.worksheets if s.sheet_state == "visible"]
    named = [s for s in visible if s.title.strip().casefold() == table.casefold()]
    if named:
        return named[0]
    if not visible:
        raise ReadError(_("the workbook has no visible sheet: show the sheet of the table"))
    keys = {column_key(c) for c in columns}
    holding = [s for s in visible if keys and _holds_columns(s, keys)]
    if len(holding) > 1:
        names = ", ".join(quoted(s.title) for s in holding)
        raise ReadError(
            _(
                "{count} visible sheets hold the columns of the table ({names}): hide or delete "
                "all but one, or name the sheet to read {table}",
                count=len(holding),
                names=names,
                table=table,
            )
        )
    return holding[0] if holding else visible[0]


def _shown(cell: Any) -> Any:
    """The value as displayed: a percentage-formatted number is the percentage shown, and
    `_x0007_` in a text is the character Excel stores that way (openpyxl leaves it escaped)."""
    value = cell.value
    if cell.data_type == "e" and isinstance(value, str):
        return ExcelError(value)
    if isinstance(value, str) and "_x" in value:
        return _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), value)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and "%" in (cell.number_format or ""):
        shown = round(value * 100, 10)
        return int(shown) if float(shown).is_integer() else shown
    return value


def _merged(sheet: Any) -> None:
    ranges = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if ranges:
        names = ", ".join(r.coord for r in ranges[:5]) + (" …" if len(ranges) > 5 else "")
        raise ReadError(
            _("merged cells {names}: unmerge them and write the value in every cell", names=names),
            row=ranges[0].min_row,
            sheet=sheet.title,
        )


def _formulas_without_values(data: bytes, title: str, rows: list[list[Any]]) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for cells in workbook[title].iter_rows():
            for cell in cells:
                if getattr(cell, "data_type", None) != "f":
                    continue
                row, column = cell.row - 1, cell.column - 1
                if row < len(rows) and column < len(rows[row]) and rows[row][column] is None:
                    raise ReadError(
                        _(
                            "cell {cell} holds a formula ({formula}) whose value the file does not"
                            " store: open the file in Excel or LibreOffice and save it, so that"
                            " each value is stored",
                            cell=cell.coordinate,
                            formula=str(cell.value)[:40],
                        ),
                        row=cell.row,
                        sheet=title,
                    )
    finally:
        workbook.close()


def read_xlsx(data: bytes, table: str, columns: Sequence[str] = ()) -> tuple[str, list[list[Any]]]:
    """The title of the sheet read and its rows, values as shown to the user; `columns` (the
    table's) find the sheet that holds them when it is not the first."""
    from openpyxl import load_workbook

    _not_a_workbook(data, table)
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ReadError(
            _(
                "the file cannot be read as an Excel workbook (damaged or truncated): open the"
                " file in Excel or LibreOffice and save it, so that each value is stored"
            )
        ) from None
    sheet = _chosen_sheet(workbook, table, columns)
    if sheet.max_row > MAX_ROWS:
        raise ReadError(
            _(
                "the sheet has {max_row} rows, over the limit of {max_rows}",
                max_row=sheet.max_row,
                max_rows=MAX_ROWS,
            ),
            sheet=sheet.title,
        )
    _merged(sheet)
    rows = [[_shown(cell) for cell in cells] for cells in sheet.iter_rows()]
    workbook.close()
    try:
        _formulas_without_values(data, sheet.title, rows)
    except ReadError:
        raise
    except Exception:
        raise ReadError(
            _(
                "the file cannot be read as an Excel workbook: open the file in Excel or"
                " LibreOffice and save it, so that each value is stored"
            )
        ) from None
    return sheet.title, rows
