"""Data tables as row models: each table is declared once, as a dataclass whose fields are columns.

A field made with `column(...)` is a column of the CSV/XLSX file, in the order of the fields; its
parser, help text, requirement and example feed the loader, the workbook's notes and drop-downs,
`cil new` and the table reference of docs/territory-format.md. Fields made otherwise are computed
by the model's `prepare` from the parsed columns. A new table is one row model and one `TableSpec`
in the module of its domain, listed in `load.TABLE_MODULES`, and its typed attribute on
`Territory` (a test checks that the two agree); `python -m generator.territory.table_docs` then
writes its columns into the doc.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from generator.errors import Problems
from generator.messages import N_, _
from generator.reference import Commune, CommuneIndex, normalize
from generator.territory import columns as c
from generator.territory.tables import Row

_COLUMN = "column"


@dataclass(frozen=True)
class ByTerritory:
    """A parser that depends on the territory's communes, made once the communes are known."""

    make: Callable[[CommuneIndex], c.Parser]


def column(
    parse: c.Parser | ByTerritory,
    description: str,
    required: bool = False,
    *,
    needed: bool = False,
    example: str = "",
    doc: str = "",
) -> Any:
    """A dataclass field that is also a column of the table (its name is the field's)."""
    declared = c.Column("", parse, description, required, needed, example, doc)  # type: ignore[arg-type]
    return field(metadata={_COLUMN: declared})


@dataclass(frozen=True, kw_only=True)
class Record:
    """A typed row of a data table; subclasses declare their columns with `column(...)`."""

    row: Row

    @classmethod
    def columns(cls, index: CommuneIndex) -> list[c.Column]:
        """The table's columns in file order, parsers bound to the territory's communes."""
        found = []
        for item in fields(cls):
            declared = item.metadata.get(_COLUMN)
            if declared is None:
                continue
            parse = declared.parse
            if isinstance(parse, ByTerritory):
                parse = parse.make(index)
            found.append(replace(declared, name=item.name, parse=parse))
        return found

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        """Checks across the cells of one row and computed fields; None leaves the row out."""
        return values

    @classmethod
    def from_row(cls, row: Row, problems: Problems) -> Record | None:
        values = {name: row[name] for name in _column_names(cls)}
        prepared = cls.prepare(values, row, problems)
        return None if prepared is None else cls(**prepared, row=row)


def _column_names(model: type[Record]) -> tuple[str, ...]:
    """The fields of a row model that are columns (asked for each row read: kept)."""
    names = _COLUMN_NAMES.get(model)
    if names is None:
        names = _COLUMN_NAMES[model] = tuple(f.name for f in fields(model) if _COLUMN in f.metadata)
    return names


_COLUMN_NAMES: dict[type[Record], tuple[str, ...]] = {}


@dataclass(frozen=True)
class TableSpec:
    """One data table: its file name, what it holds, its row model and its checks."""

    name: str
    description: str
    model: type[Record]
    unique: tuple[str, ...] = ()
    order: Callable[[Any], Any] | None = None

    def columns(self, index: CommuneIndex) -> list[c.Column]:
        return self.model.columns(index)

    def make(self, row: Row, problems: Problems) -> Record | None:
        return self.model.from_row(row, problems)


def commune_column(index: CommuneIndex) -> c.Parser:
    """A commune is written with its official name (case, accents, hyphens and « St » aside) or
    its INSEE code; near misses are refused with the nearest name."""

    by_key: dict[str, list[Commune]] = {}
    for commune in index.communes:
        by_key.setdefault(normalize(commune.nom), []).append(commune)

    def parse(value: Any) -> Commune:
        raw = c.text(value)
        found = index.resolve(raw)
        if found:
            return found
        # What the user meant without doubt: the name but for case, accents, hyphens or
        # « St » (one commune only), or a code whose leading zero a spreadsheet dropped.
        same = by_key.get(normalize(raw), [])
        if len(same) == 1:
            return same[0]
        if raw.isdigit() and len(raw) == 4 and (found := index.resolve("0" + raw)):
            return found
        guess = index.suggest(raw)
        hint = (
            _(' — did you mean "{guess}" ({insee})?', guess=guess.nom, insee=guess.insee)
            if guess
            else ""
        )
        raise c.CellError(_('unknown commune "{raw}"{hint}', raw=raw, hint=hint))

    parse.allowed = tuple(c.nom for c in index.communes)  # type: ignore[attr-defined]
    return parse


#: The parser of a commune column: official name or INSEE code of one of the EPCI's communes.
EPCI_COMMUNE = ByTerritory(commune_column)


def year_or_date(value: Any) -> Any:
    try:
        return c.year(value)
    except c.CellError:
        try:
            return c.date(value)
        except c.CellError:
            raise c.CellError(
                _(
                    'expected a year (2026) or a date (01/09/2026), got "{value}"',
                    value=c.text(value),
                )
            ) from None


def notes() -> Any:
    """The last column of every table: a remark for the team, never printed."""
    return column(c.text, N_("internal remark, never printed"), doc="never printed")


def address() -> Any:
    return column(c.text, N_("postal address"), needed=True, example="Place de la Mairie")


def contact() -> Any:
    return column(c.text, N_("phone and/or e-mail"), needed=True, example="04 75 00 00 00")


def hours() -> Any:
    return column(c.text, N_("opening hours and how to be received"), needed=True)
