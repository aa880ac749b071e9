"""`cil thresholds import`: first-quartile thresholds from the annex of the yearly arrêté.

Each year an arrêté publishes, for every EPCI bound to a CIA, the resource threshold of the
first quartile of applicants; its annex is a table with the code and name of the département,
the name of the EPCI, the EPCI's SIRET (whose first nine digits are its SIREN) and the threshold
in euros. The table is read as CSV or XLSX through the same strict readers as the data tables,
its header found whatever its spelling, and the row of each territory's SIREN fills that
territory's seuils_quartile table for the year (one row per year, updated in place).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from generator.builds.build import territory_folder
from generator.builds.outputs import write_atomic
from generator.commands.table_writer import Cells, csv_bytes, trimmed, xlsx_bytes
from generator.errors import DataErrors, Location, Problem, Problems, UsageError, display_path
from generator.messages import N_, _
from generator.reference import epci
from generator.territory.columns import CellError, is_blank
from generator.territory.config import FIRST_YEAR, LAST_YEAR
from generator.territory.csv_reader import read_csv
from generator.territory.load import table_file, territory_config
from generator.territory.table_files import ReadError, read_bytes
from generator.territory.tables import read_rows
from generator.territory.xlsx_reader import read_xlsx

TABLE = "seuils_quartile"
_HEADER_SEARCH_ROWS = 10
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
EXPECTED = N_(
    "code département, département, nom de l'EPCI, SIRET de l'EPCI, seuil (en euros) — only"
    " the SIRET and threshold columns are required"
)


@dataclass(frozen=True)
class OfficialThreshold:
    """One EPCI's row of the arrêté's annex."""

    siren: str
    amounts: dict[int, Decimal]
    line: int
    epci: str = ""
    departement: str = ""


@dataclass(frozen=True)
class OfficialTable:
    shown: str
    sheet: str | None
    years: tuple[int, ...]
    by_siren: dict[str, OfficialThreshold]


@dataclass
class Filled:
    """What an import did to one territory's table, year by year."""

    territory: str
    file: Path | None = None
    added: dict[int, Decimal] = field(default_factory=dict)
    changed: dict[int, tuple[Decimal | None, Decimal]] = field(default_factory=dict)
    unchanged: dict[int, Decimal] = field(default_factory=dict)
    absent: str | None = None  # why the territory is not in the table


def _words(header: Any) -> str:
    """A header cell as plain lowercase words: « Code Départ. » reads "code depart"."""
    text = unicodedata.normalize("NFKD", "" if header is None else str(header))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z0-9€]+", " ", text).split())


def _role(header: Any) -> str | None:
    """What a column of the annex holds, from its header in any usual spelling."""
    words = _words(header)
    tokens = words.split()
    if not words:
        return None
    if "siret" in tokens or "siren" in tokens or words.startswith("n siret"):
        return "siret"
    if any(w in words for w in ("seuil", "montant", "quartile", "€", "euro")):
        return "seuil"
    departement = any(t.startswith("dep") for t in tokens)
    if departement and any(t in ("code", "n", "no", "num", "numero", "insee") for t in tokens):
        return "code_departement"
    if "epci" in tokens or "intercommunalite" in tokens or "raison" in tokens:
        return "epci"
    if departement:
        return "departement"
    return None


def _header(rows: list[list[Any]], shown: str, sheet: str | None) -> tuple[int, dict[int, str]]:
    """The header's row number and the role of each of its columns."""
    for number, row in enumerate(rows[:_HEADER_SEARCH_ROWS], start=1):
        roles = {i: role for i, cell in enumerate(row) if (role := _role(cell))}
        if "siret" in roles.values() and "seuil" in roles.values():
            return number, roles
    raise DataErrors(
        [
            Problem(
                Location(shown, sheet=sheet),
                _(
                    "none of the first ten rows names both the column of the EPCI's SIRET and"
                    " the threshold's: expected columns: {expected}",
                    expected=_(EXPECTED),
                ),
            )
        ]
    )


def _years_of_columns(
    header: list[Any], roles: dict[int, str], year: int | None, default: int | None, where: Location
) -> dict[int, int]:
    """The year of each threshold column: `year` if given, else the year its header names
    (« Seuil 2025 »), else `default` (the territory's year)."""
    columns = [i for i, role in roles.items() if role == "seuil"]
    found: dict[int, int] = {}
    for i in columns:
        named = _YEAR.search(_words(header[i]))
        if named:
            found[i] = int(named.group())
    if len(columns) > 1 and len(found) < len(columns):
        names = ", ".join(f"« {header[i]} »" for i in columns)
        raise DataErrors(
            [
                Problem(
                    where,
                    _(
                        "several threshold columns ({names}): each must carry its year in its"
                        " header (« Seuil 2025 »), or keep only one",
                        names=names,
                    ),
                )
            ]
        )
    if year is not None:
        chosen = [i for i in columns if found.get(i, year) == year]
        if not chosen:
            shown = ", ".join(str(y) for y in sorted(found.values()))
            raise DataErrors(
                [
                    Problem(
                        where,
                        _(
                            "no threshold column for {year}; the file gives {years}",
                            year=year,
                            years=shown,
                        ),
                    )
                ]
            )
        return {i: year for i in chosen}
    if found:
        return found
    if default is None:
        raise UsageError(
            _("the header of the threshold column does not say the year: give it with --year 2025")
        )
    return dict.fromkeys(columns, default)


def _siren(cell: Any) -> str:
    """The SIREN of a SIRET (14 digits) or of a SIREN (9 digits), spaces and dots allowed."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    raw = str(cell).strip()
    digits = re.sub(r"[\s\u00a0\u202f.]", "", raw)
    if re.fullmatch(r"\d{14}|\d{9}", digits):
        return digits[:9]
    raise CellError(
        _(
            "expected a SIRET (14 digits, the first 9 being the EPCI's SIREN), got « {raw} »",
            raw=raw,
        )
    )


def _amount(cell: Any) -> Decimal:
    """A threshold in euros: « 10 719 € », « 10719,00 », or a number cell."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        number = Decimal(str(cell))
    else:
        raw = _SPACES.sub("", str(cell)).replace("€", "").removesuffix("euros")
        try:
            number = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise CellError(
                _(
                    "expected an amount in euros, got « {value} » — write 10719 or 10 719 €",
                    value=str(cell).strip(),
                )
            ) from None
    if not number.is_finite() or number <= 0:
        raise CellError(
            _(
                "a threshold is a positive amount in euros, got « {value} »",
                value=str(cell).strip(),
            )
        )
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _read(path: Path) -> tuple[str | None, list[list[Any]]]:
    data = read_bytes(path)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(data, "")
    if path.suffix.lower() == ".csv":
        return None, [list(row) for row in read_csv(data)]
    raise UsageError(_("{file}: expected a .csv or .xlsx file", file=display_path(path)))


def read_official_table(
    path: Path, year: int | None = None, default: int | None = None
) -> OfficialTable:
    """The annex of the arrêté, by SIREN; every problem located by row and column. `year`
    chooses the threshold column; `default` is the year of a column whose header names none."""
    shown = display_path(path)
    if not path.is_file():
        raise UsageError(_("{file}: no such file", file=shown))
    try:
        sheet, rows = _read(path)
    except ReadError as error:
        where = Location(shown, error.row, error.column, sheet=error.sheet)
        raise DataErrors([Problem(where, str(error))]) from None
    number, roles = _header(rows, shown, sheet)
    header = rows[number - 1]
    named = {role: i for i, role in roles.items() if role != "seuil"}
    years = _years_of_columns(header, roles, year, default, Location(shown, number, sheet=sheet))
    problems = Problems()
    found: dict[str, OfficialThreshold] = {}
    for line, row in enumerate(rows[number:], start=number + 1):

        def cell(i: int, row: list[Any] = row) -> Any:
            return row[i] if i < len(row) else None

        siret = cell(named["siret"])
        if is_blank(siret):
            continue  # a note or a total below the table
        amounts: dict[int, Decimal] = {}
        try:
            siren = _siren(siret)
        except CellError as error:
            problems.add(
                Location(shown, line, str(header[named["siret"]]), sheet=sheet), str(error)
            )
            continue
        for i, column_year in years.items():
            if is_blank(cell(i)):
                continue  # no threshold for this EPCI this year
            try:
                amounts[column_year] = _amount(cell(i))
            except CellError as error:
                problems.add(Location(shown, line, str(header[i]), sheet=sheet), str(error))
        if siren in found and found[siren].amounts != amounts:
            where = Location(shown, line, str(header[named["siret"]]), sheet=sheet)
            problems.add(
                where,
                _(
                    "the SIREN {siren} is already in row {line} with another threshold: keep"
                    " one row",
                    siren=siren,
                    line=found[siren].line,
                ),
            )
            continue
        text = {
            k: "" if is_blank(cell(named[k])) else str(cell(named[k])).strip()
            for k in ("epci", "code_departement")
            if k in named
        }
        found.setdefault(
            siren,
            OfficialThreshold(
                siren, amounts, line, text.get("epci", ""), text.get("code_departement", "")
            ),
        )
    problems.raise_if_any()
    return OfficialTable(shown, sheet, tuple(sorted(set(years.values()))), found)


def entry_for(table: OfficialTable, siren: str) -> OfficialThreshold | str:
    """The territory's row, or why it has none (in the reader's language, for the report)."""
    entry = table.by_siren.get(siren)
    if entry is not None and entry.amounts:
        return entry
    try:
        name = f"{epci(siren).nom}, SIREN {siren}"
    except KeyError:
        name = f"SIREN {siren}"
    if entry is not None:
        return _(
            "row {line} of {file} ({name}) gives no threshold",
            line=entry.line,
            file=table.shown,
            name=name,
        )
    return _(
        "{file} has no row for this EPCI ({name}): check that the file is the annex of the"
        " arrêté and that the EPCI is in it",
        file=table.shown,
        name=name,
    )


def _cell_text(amount: Decimal) -> str:
    return str(amount).replace(".", ",")


def fill_thresholds(
    folder: Path, entry: OfficialThreshold, source: str, reference_year: int
) -> Filled:
    """Set the entry's thresholds in the territory's table: one row per year, kept in order."""
    data = folder / "data"
    try:
        current = table_file(data, TABLE, reference_year)
    except CellError as error:
        raise DataErrors([Problem(Location(display_path(data)), str(error))]) from None
    target = current or data / f"{TABLE}.csv"
    rows: list[Cells] = [trimmed(r) for r in read_rows(current)] if current else []
    rows = [r for r in rows if r] or [["annee", "seuil_annuel", "source", "notes"]]
    header = [str(h).strip() for h in rows[0]]
    if "annee" not in header or "seuil_annuel" not in header:
        where = Location(display_path(target), 1)
        message = _(
            "the columns « annee » and « seuil_annuel » are missing from the table's header"
        )
        raise DataErrors([Problem(where, message)])
    at = {name: header.index(name) for name in header}
    width = len(header)
    result = Filled(folder.name, target)
    for year, amount in sorted(entry.amounts.items()):
        same_year = [r for r in rows[1:] if _year_of(r, at["annee"]) == year]
        if same_year:
            row = same_year[0]
            row += [""] * (width - len(row))
            before = _amount_or_none(row[at["seuil_annuel"]])
            if before == amount:
                result.unchanged[year] = amount
                continue
            result.changed[year] = (before, amount)
        else:
            row = [""] * width
            later = [i for i, r in enumerate(rows[1:], 1) if (_year_of(r, at["annee"]) or 0) > year]
            rows.insert(later[0] if later else len(rows), row)
            row[at["annee"]] = str(year)
            result.added[year] = amount
        row[at["seuil_annuel"]] = _cell_text(amount)
        if "source" in at:
            row[at["source"]] = source
    if result.added or result.changed:
        if target.suffix == ".xlsx":
            write_atomic(target, xlsx_bytes(rows, TABLE, reference_year))
        else:
            write_atomic(target, csv_bytes(rows, current))
    return result


def _year_of(row: Cells, index: int) -> int | None:
    value = row[index] if index < len(row) else None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _amount_or_none(value: Any) -> Decimal | None:
    try:
        return None if is_blank(value) else _amount(value)
    except CellError:
        return None


def source_of(path: Path) -> str:
    return f"Annexe de l'arrêté annuel des seuils ({path.name})"


def import_thresholds(
    path: Path, territories: Iterable[str | None], year: int | None = None
) -> list[Filled]:
    """Fill each territory's threshold table from the arrêté's annex; one result each."""
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(
            _(
                "--year {year}: choose a year from {first} to {last}",
                year=year,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    folders = [territory_folder(name) for name in territories]
    configs = {folder: territory_config(folder) for folder in folders}
    their_years = {config.annee for config in configs.values()}
    default = their_years.pop() if len(their_years) == 1 else None
    table = read_official_table(path, year, default)
    results = []
    for folder, config in configs.items():
        found = entry_for(table, config.siren)
        if isinstance(found, str):
            results.append(Filled(folder.name, absent=found))
            continue
        results.append(fill_thresholds(folder, found, source_of(path), config.annee))
    return results
