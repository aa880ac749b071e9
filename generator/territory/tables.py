"""Reading a data table from CSV or XLSX into typed rows, with every problem located."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process

from generator.errors import Location, Problems
from generator.messages import _
from generator.territory.columns import CellError, Column, column_key, is_blank
from generator.territory.csv_reader import read_csv
from generator.territory.table_files import (
    MAX_CELL_CHARS,
    ReadError,
    read_bytes,
    shown_path,
)
from generator.territory.xlsx_reader import ExcelError, read_xlsx

_PLACEHOLDER = re.compile(r"^\s*(à|a)\s+compl[ée]ter\s*\.?\s*$", re.IGNORECASE)
#: Control characters corrupt the DOCX and XLSX written later; tab and line breaks are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Row:
    """A parsed row: typed values by column name, and where each came from."""

    values: dict[str, Any]
    file: str
    line: int
    sheet: str | None = None

    def __getitem__(self, column: str) -> Any:
        return self.values.get(column)

    def at(self, column: str | None = None) -> Location:
        return Location(self.file, self.line, column, sheet=self.sheet)


def table_name(path: Path) -> str:
    """The table a file holds: parc_ops for data/parc_ops.csv and data/PARC_OPS.CSV."""
    return path.stem.casefold()


def read_sheet(path: Path, columns: Sequence[str] = ()) -> tuple[str | None, list[list[Any]]]:
    """The sheet read (None for CSV) and the rows of a table file, as the user sees them.

    `columns`, the table's column names, pick out the sheet that holds them in a workbook.
    """
    data = read_bytes(path)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(data, table_name(path), columns)
    return None, [list(row) for row in read_csv(data)]


def read_rows(path: Path) -> list[list[Any]]:
    return read_sheet(path)[1]


def _control_or_length(cell: str) -> str | None:
    found = _CONTROL.search(cell)
    if found:
        return _(
            "the cell holds a control character (U+{code}), invisible and fatal to the"
            " documents: retype the cell",
            code=f"{ord(found.group()):04X}",
        )
    if len(cell) > MAX_CELL_CHARS:
        return _(
            "the cell holds {count} characters, over the limit of {limit}: shorten it",
            count=len(cell),
            limit=MAX_CELL_CHARS,
        )
    return None


def _title_row(raw_rows: list[list[Any]], known: set[str]) -> int | None:
    """The row holding the column names when rows above it hold a title, else None."""
    for number, row in enumerate(raw_rows[1:_TITLE_SEARCH_ROWS], start=2):
        names = {column_key(str(v)) for v in row if not is_blank(v)}
        if len(names & known) >= max(1, min(3, len(known))):
            return number
    return None


def _header(
    header: list[str], columns: Sequence[Column], where: Location, problems: Problems
) -> dict[str, int] | None:
    """Positions of the known columns; None when a required one is missing (rows unread)."""
    known = {c.name: c for c in columns}
    by_key = {column_key(c.name): c.name for c in columns}
    positions: dict[str, int] = {}
    suggested: set[str] = set()
    for index, typed in enumerate(header):
        name = typed if typed in known else by_key.get(column_key(typed), typed)
        if not name:
            continue
        if name in positions:
            problems.add(
                Location(where.file, 1, name, sheet=where.sheet),
                _(
                    'the column "{name}" appears twice (columns {value} and {value2}): keep one',
                    name=name,
                    value=positions[name] + 1,
                    value2=index + 1,
                ),
            )
            continue
        if name in known:
            positions[name] = index
            continue
        guess = process.extractOne(name, list(known), score_cutoff=70)
        hint = _(' — did you mean "{guess}"?', guess=guess[0]) if guess else ""
        if guess:
            suggested.add(guess[0])
        problems.add(
            Location(where.file, 1, name, sheet=where.sheet),
            _('unknown column "{name}"{hint}', name=name, hint=hint),
        )
    missing = [c for c in columns if c.required and c.name not in positions]
    for column in missing:
        if column.name not in suggested:
            problems.add(
                Location(where.file, 1, sheet=where.sheet),
                _(
                    'missing column "{name}" ({description})',
                    name=column.name,
                    description=_(column.description),
                ),
            )
    return None if missing else positions


def _cell(column: Column, cell: Any, where: Location, problems: Problems) -> tuple[bool, Any]:
    """(valid, value) of one cell; a problem is added when it is not valid."""
    if isinstance(cell, ExcelError):
        problems.add(
            where,
            _(
                "the cell shows the Excel error {error}: correct its formula, or type the value",
                error=cell,
            ),
        )
        return False, None
    if isinstance(cell, str) and (problem := _control_or_length(cell)):
        problems.add(where, problem)
        return False, None
    if isinstance(cell, str) and _PLACEHOLDER.match(cell):
        problems.add(
            where,
            _(
                '"{cell}" is not data — leave the cell empty: the documents mark what is missing'
                " and `cil check` lists it",
                cell=cell.strip(),
            ),
        )
        return False, None
    if is_blank(cell):
        if column.required:
            problems.add(where, _("empty cell — {description}", description=_(column.description)))
            return False, None
        return True, None
    try:
        return True, column.parse(cell)
    except CellError as error:
        problems.add(where, str(error))
        return False, None


def _beyond_header(path: Path, named: int) -> str:
    """A value past the last named column: in a CSV, a separator inside a cell split it."""
    if path.suffix.lower() == ".xlsx":
        return _(
            "a value stands beyond the {named} named columns: move it into its column", named=named
        )
    return _(
        "this row has more cells than the {named} columns of the header: a comma or semicolon"
        ' inside a cell splits it — put that cell between quotes ("…")',
        named=named,
    )


def read_table(path: Path, columns: Sequence[Column], problems: Problems) -> list[Row]:
    """Typed rows of a table; problems are collected, failing rows are left out."""
    shown = shown_path(path)
    try:
        sheet, raw_rows = read_sheet(path, [c.name for c in columns])
    except ReadError as error:
        problems.add(Location(shown, error.row, error.column, sheet=error.sheet), str(error))
        return []
    except CellError as error:
        problems.add(Location(shown), str(error))
        return []
    if not any(not is_blank(v) for row in raw_rows for v in row):
        problems.add(Location(shown), _("the file is empty — the first row must name the columns"))
        return []
    header = [("" if h is None else str(h)).strip() for h in raw_rows[0]]
    known = {column_key(c.name) for c in columns}
    if not known & {column_key(h) for h in header} and (found := _title_row(raw_rows, known)):
        title = next((str(v).strip() for v in raw_rows[0] if not is_blank(v)), "")
        problems.add(
            Location(shown, 1, sheet=sheet),
            _(
                'the header must be row 1; row 1 looks like a title ("{title}") and the column'
                " names are in row {found}: delete the rows above them",
                title=title[:60],
                found=found,
            ),
        )
        return []
    positions = _header(header, columns, Location(shown, sheet=sheet), problems)
    if positions is None:
        return []
    by_name = {c.name: c for c in columns}
    rows: list[Row] = []
    for line, raw in enumerate(raw_rows[1:], start=2):
        if all(is_blank(v) for v in raw):
            continue
        if any(not is_blank(v) for v in raw[len(header) :]):
            problems.add(Location(shown, line, sheet=sheet), _beyond_header(path, len(header)))
            continue
        values: dict[str, Any] = {}
        valid = True
        for name, index in positions.items():
            cell = raw[index] if index < len(raw) else None
            where = Location(shown, line, name, sheet=sheet)
            ok, values[name] = _cell(by_name[name], cell, where, problems)
            valid = valid and ok
        if valid:
            rows.append(Row(values, shown, line, sheet))
    return rows
