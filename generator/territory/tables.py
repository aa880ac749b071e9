"""Reading a data table from CSV or XLSX into typed rows, with every problem located."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process

from generator.errors import Location, Problems, display_path
from generator.territory.columns import CellError, Column, is_blank

SUFFIXES = (".csv", ".xlsx")
_PLACEHOLDER = re.compile(r"^\s*(à|a)\s+compl[ée]ter\s*\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """A parsed row: typed values by column name, and where each came from."""

    values: dict[str, Any]
    file: str
    line: int

    def __getitem__(self, column: str) -> Any:
        return self.values.get(column)

    def at(self, column: str | None = None) -> Location:
        return Location(self.file, self.line, column)


def find_table(folder: Path, name: str) -> Path | None:
    """The file holding table `name` in `folder`, whichever format the user chose."""
    found = [
        folder / f"{name}{suffix}" for suffix in SUFFIXES if (folder / f"{name}{suffix}").exists()
    ]
    if len(found) > 1:
        raise CellError(f"{name} exists as both CSV and XLSX in {display_path(folder)}: keep one")
    return found[0] if found else None


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CellError("the file is not UTF-8 text — in Excel, save it as « CSV UTF-8 »") from None
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(content), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise CellError(f"the file cannot be read as an Excel workbook ({error})") from None
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_rows(path: Path) -> list[list[Any]]:
    try:
        return _read_xlsx(path) if path.suffix == ".xlsx" else _read_csv(path)
    except OSError as error:
        raise CellError(f"the file cannot be read ({error.strerror})") from None


def read_table(path: Path, columns: Sequence[Column], problems: Problems) -> list[Row]:
    """Typed rows of a table; problems are collected, failing rows are left out."""
    shown = display_path(path)
    try:
        raw_rows = read_rows(path)
    except CellError as error:
        problems.add(Location(shown), str(error))
        return []
    if not raw_rows:
        problems.add(Location(shown), "the file is empty — the first row must name the columns")
        return []
    header = [("" if h is None else str(h)).strip() for h in raw_rows[0]]
    known = {c.name: c for c in columns}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in known:
            positions[name] = index
            continue
        guess = process.extractOne(name, list(known), score_cutoff=70)
        hint = f' — did you mean "{guess[0]}"?' if guess else ""
        problems.add(Location(shown, 1, name), f'unknown column "{name}"{hint}')
    for column in columns:
        if column.required and column.name not in positions:
            problems.add(
                Location(shown, 1), f'missing column "{column.name}" ({column.description})'
            )
    rows: list[Row] = []
    for line, raw in enumerate(raw_rows[1:], start=2):
        if all(is_blank(v) for v in raw):
            continue
        values: dict[str, Any] = {}
        valid = True
        for name, index in positions.items():
            cell = raw[index] if index < len(raw) else None
            column = known[name]
            if isinstance(cell, str) and _PLACEHOLDER.match(cell):
                problems.add(
                    Location(shown, line, name),
                    f'"{cell.strip()}" is not data — leave the cell empty: '
                    "the documents mark what is missing and `cil check` lists it",
                )
                valid = False
                continue
            if is_blank(cell):
                values[name] = None
                if column.required:
                    problems.add(Location(shown, line, name), f"empty cell — {column.description}")
                    valid = False
                continue
            try:
                values[name] = column.parse(cell)
            except CellError as error:
                problems.add(Location(shown, line, name), str(error))
                valid = False
        if valid:
            rows.append(Row(values, shown, line))
    return rows
