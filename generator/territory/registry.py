"""Data tables as declarations: each domain module declares its tables here, the loader reads them.

A new table is one `TableSpec` in the module of its domain, listed in `load.TABLE_MODULES`;
nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.errors import Problems
from generator.reference import Commune, CommuneIndex
from generator.territory import columns as c
from generator.territory.tables import Row


@dataclass(frozen=True)
class TableSpec:
    """One data table: file name, columns, how a row becomes a typed item, and its checks."""

    name: str
    description: str
    columns: Callable[[CommuneIndex], Sequence[c.Column]]
    make: Callable[[Row, Problems], Any]
    unique: tuple[str, ...] = ()
    order: Callable[[Any], Any] | None = None


def commune_column(index: CommuneIndex) -> c.Parser:
    """A commune must be written with its official name or INSEE code; near misses are refused."""

    def parse(value: Any) -> Commune:
        raw = c.text(value)
        found = index.resolve(raw)
        if found:
            return found
        guess = index.suggest(raw)
        hint = f' — did you mean "{guess.nom}" ({guess.insee})?' if guess else ""
        raise c.CellError(f'unknown commune "{raw}"{hint}')

    parse.allowed = tuple(c.nom for c in index.communes)  # type: ignore[attr-defined]
    return parse


def year_or_date(value: Any) -> Any:
    try:
        return c.year(value)
    except c.CellError:
        try:
            return c.date(value)
        except c.CellError:
            raise c.CellError(
                f'expected a year (2026) or a date (01/09/2026), got "{c.text(value)}"'
            ) from None


def notes() -> c.Column:
    return c.Column("notes", c.text, "internal remark, never printed")


def contact_columns() -> list[c.Column]:
    return [
        c.Column("adresse", c.text, "postal address", needed=True, example="Place de la Mairie"),
        c.Column("contact", c.text, "phone and/or e-mail", needed=True, example="04 75 00 00 00"),
        c.Column("horaires", c.text, "opening hours and how to be received", needed=True),
    ]
