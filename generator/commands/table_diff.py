"""What changed in a data table from one year to the next, row by row and cell by cell.

A row is followed from one year to the next by the columns that name it (a guichet by its
body and commune, a threshold by its year, an OPS address point by its year, commune and
address); a figure that moved is shown with its difference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.errors import Problems
from generator.formatting import date_longue, nombre
from generator.reference import Commune, CommuneIndex
from generator.territory.columns import year as year_parser
from generator.territory.load import table_file
from generator.territory.registry import TableSpec
from generator.territory.tables import Row, read_table

YEAR = "annee"
IGNORED = ("notes",)  # never printed, so never a change a council approves
#: Columns that name a row rather than describe it, in the order they are read in a key.
#: An address names a row only where no name does (an OPS address point, not a guichet's).
IDENTITY = (
    "annee",
    "conseil",
    "date",
    "volet",
    "population",
    "dimension",
    "modalite",
    "critere",
    "action",
    "etape",
    "nom",
    "prenom",
    "organisme",
    "commune",
    "bailleur",
    "contingent",
)
NAMING = ("nom", "organisme")
EMPTY = "(vide)"


@dataclass(frozen=True)
class CellChange:
    column: str
    old: str
    new: str
    difference: str | None = None


@dataclass
class TableChanges:
    name: str
    description: str
    key: tuple[str, ...]
    present: bool  # the table has rows in one year or the other
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[CellChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def key_columns(spec: TableSpec, columns: list[str]) -> tuple[str, ...]:
    """The columns that identify a row of the table from one year to the next."""
    if spec.unique:
        return spec.unique
    key = tuple(c for c in IDENTITY if c in columns)
    if "adresse" in columns and not any(c in columns for c in NAMING):
        key += ("adresse",)
    return key or tuple(c for c in columns if c not in IGNORED)


def shown(value: Any) -> str:
    """A cell as a reader expects it, whatever its type."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Commune):
        return value.nom
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return nombre(value, max(0, -exponent) if isinstance(exponent, int) else 0)
    if isinstance(value, int):
        return nombre(value)
    if isinstance(value, dt.date):
        return date_longue(value)
    if isinstance(value, list | tuple | frozenset | set):
        return ", ".join(shown(v) for v in value)
    return str(value)


def _difference(old: Any, new: Any) -> str | None:
    numbers = (int, Decimal)
    if isinstance(old, bool) or isinstance(new, bool):
        return None
    if not (isinstance(old, numbers) and isinstance(new, numbers)):
        return None
    delta = Decimal(new) - Decimal(old)
    return ("+" if delta > 0 else "\u2212") + shown(abs(delta))


def table_rows(folder: Path, spec: TableSpec, index: CommuneIndex, year: int) -> list[Row]:
    """The table as it stood in `year`: its file for that year, rows of later years left out."""
    path = table_file(folder / "data", spec.name, year)
    if path is None:
        return []
    rows = read_table(path, spec.columns(index), Problems())
    return [r for r in rows if r[YEAR] is None or r[YEAR] <= year]


def _cell(row: Row, column: str, years: set[str]) -> str:
    """A cell of a row as shown in the report; a year is written 2025, not 2 025."""
    value = row[column]
    return str(value) if column in years and value is not None else shown(value)


def _keyed(rows: list[Row], key: tuple[str, ...], years: set[str]) -> dict[tuple[str, ...], Row]:
    """Rows by key; a key given twice is told apart by its rank (1st, 2nd...)."""
    seen: Counter[tuple[str, ...]] = Counter()
    keyed = {}
    for row in rows:
        base = tuple(_cell(row, c, years) for c in key)
        seen[base] += 1
        keyed[base + ((str(seen[base]),) if seen[base] > 1 else ())] = row
    return keyed


def _label(key: tuple[str, ...], columns: tuple[str, ...]) -> str:
    parts = [v for v in key[: len(columns)] if v != EMPTY]
    rank = f" ({key[len(columns)]}e)" if len(key) > len(columns) else ""
    return " · ".join(parts) + rank


def _described(row: Row, key: tuple[str, ...], years: set[str]) -> str:
    """A row added or removed: its key, then its other filled cells."""
    label = " · ".join(v for c in key if (v := _cell(row, c, years)) != EMPTY)
    cells = [
        f"{name} {_cell(row, name, years)}"
        for name, value in row.values.items()
        if name not in key and name not in IGNORED and value not in (None, "")
    ]
    return " — ".join(filter(None, [label, ", ".join(cells)]))


def table_changes(
    folder: Path, spec: TableSpec, index: CommuneIndex, year_from: int, year_to: int
) -> TableChanges:
    """Rows added, removed and changed between the table of one year and of the other."""
    columns = list(spec.columns(index))
    names = [c.name for c in columns]
    years = {c.name for c in columns if c.parse is year_parser}
    key = key_columns(spec, names)
    before = _keyed(table_rows(folder, spec, index, year_from), key, years)
    after = _keyed(table_rows(folder, spec, index, year_to), key, years)
    changes = TableChanges(spec.name, spec.description, key, bool(before or after))
    for k, row in after.items():
        if k not in before:
            changes.added.append(_described(row, key, years))
            continue
        old = before[k]
        cells = [
            CellChange(
                c,
                _cell(old, c, years),
                _cell(row, c, years),
                None if c in years else _difference(old[c], row[c]),
            )
            for c in names
            if c not in IGNORED and _cell(old, c, years) != _cell(row, c, years)
        ]
        if cells:
            changes.changed.append((_label(k, key), cells))
    changes.removed += [_described(row, key, years) for k, row in before.items() if k not in after]
    return changes
