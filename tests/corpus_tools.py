"""Helpers of the corpus cases' make.py: tables turned into spreadsheets, odd files made."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def _typed(cell: str) -> object:
    """A CSV cell as Excel would store it when typed: numbers as numbers."""
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        return float(cell.replace(",", "."))
    except ValueError:
        return cell if cell else None


def xlsx_from_csv(
    territory: Path, table: str, edit: Callable[[Workbook, Worksheet], None] | None = None
) -> Path:
    """Replace data/<table>.csv by data/<table>.xlsx holding the same rows, then `edit` it."""
    source = territory / "data" / f"{table}.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    source.unlink()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([_typed(cell) for cell in row])
    if edit:
        edit(workbook, sheet)
    target = source.with_suffix(".xlsx")
    workbook.save(target)
    return target


def edit_settings(territory: Path, old: str, new: str) -> None:
    """territory.yaml with `old` (which must be there) replaced by `new`, once."""
    path = territory / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_csv(territory: Path, table: str, old: str, new: str) -> None:
    """Replace the first `old` by `new` in data/<table>.csv, byte for byte."""
    path = territory / "data" / f"{table}.csv"
    content = path.read_bytes()
    assert old.encode() in content, f"{old!r} not in {path}"
    path.write_bytes(content.replace(old.encode(), new.encode(), 1))


def patch_xlsx(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in the XML parts of a workbook: what Excel writes, openpyxl won't."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    found = [name for name, data in parts.items() if old.encode() in data]
    assert found, f"{old!r} not in {path}"
    parts[found[0]] = parts[found[0]].replace(old.encode(), new.encode(), 1)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def csv_rows(territory: Path, table: str) -> list[list[str]]:
    """The rows of data/<table>.csv as the csv module reads them."""
    with (territory / "data" / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(
    territory: Path,
    table: str,
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    ending: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
) -> Path:
    """Write data/<table>.csv as a spreadsheet or an editor would save it."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows(rows)
    path = territory / "data" / f"{table}.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def set_cell(territory: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell of data/<table>.csv; `row` counts as a spreadsheet does (header is row 1)."""
    rows = csv_rows(territory, table)
    rows[row - 1][rows[0].index(column)] = value
    write_csv(territory, table, rows)
