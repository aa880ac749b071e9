"""What the pages show of a territory: its folder (slugs checked before any path is made), its
status as `cil check` gives it (cached until a file changes), its communes and sittings."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from generator.builds.check import check, left_to_fill
from generator.errors import CilError, DataErrors, Location, Problem
from generator.reference import Commune, epci
from generator.territory.config import TerritoryConfig
from generator.territory.load import territory_config, year_folders
from generator.territory.tables import read_rows
from generator.web.access import SLUG

_CACHE: dict[str, tuple[tuple, Status]] = {}
_CONFIGS: dict[str, tuple[tuple[int, int], TerritoryConfig]] = {}
_CHECKING = threading.Lock()


@dataclass
class Status:
    year: int | None
    name: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    gap_count: int = 0
    failure: str = ""
    #: values left to fill that sit in one cell of a CSV table: (file, row, column, what)
    cells: list[tuple[str, int, str, str]] = field(default_factory=list)


@dataclass
class GapTable:
    """The values left to fill of one CSV table, as a grid: a row per line of the file."""

    file: str
    columns: list[str]
    #: (row number, what names the row, per column: what to fill there or None)
    rows: list[tuple[int, str, list[str | None]]]


#: Columns that name a line of a table to a reader, in order of preference.
_NAMING = ("organisme", "nom", "commune", "bailleur", "annee")


def gap_tables(folder: Path, cells: list[tuple[str, int, str, str]]) -> list[GapTable]:
    """The cells left to fill, grouped by table and line, each line named by its content."""
    asked: dict[str, dict[int, dict[str, str]]] = {}
    for file, row, column, what in cells:
        asked.setdefault(file, {}).setdefault(row, {})[column] = what
    tables = []
    for file, rows in asked.items():
        try:
            lines = [[str(v or "").strip() for v in line] for line in read_rows(folder / file)]
        except (CilError, OSError):
            lines = []
        header = lines[0] if lines else []
        wanted = {column for found in rows.values() for column in found}
        columns = [c for c in header if c in wanted] + sorted(wanted - set(header))
        grid = []
        for row in sorted(rows):
            line = lines[row - 1] if 1 < row <= len(lines) else []
            values = dict(zip(header, line, strict=False))  # a short line has its last cells empty
            names = [values[c] for c in _NAMING if values.get(c) and c not in wanted]
            grid.append((row, " · ".join(names[:2]), [rows[row].get(c) for c in columns]))
        tables.append(GapTable(file, columns, grid))
    return tables


def folder_of(root: Path, slug: str) -> Path | None:
    """The folder of a territory named by `slug` under `root`, or None: never another path."""
    if not SLUG.match(slug):
        return None
    folder = root / slug
    if not (folder / "territory.yaml").is_file() or folder.resolve().parent != root.resolve():
        return None
    return folder


def known(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if SLUG.match(p.name) and (p / "territory.yaml").is_file()
    )


def _fingerprint(folder: Path) -> tuple:
    return tuple(
        sorted(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*")
            if p.is_file()
        )
    )


def status(folder: Path) -> Status:
    """Errors, warnings and values left to fill, as `cil check` reports them: checked once
    for each state of the folder's files, however many pages ask at once."""
    fingerprint = _fingerprint(folder)
    cached = _CACHE.get(str(folder))
    if cached and cached[0] == fingerprint:
        return cached[1]
    with _CHECKING:
        cached = _CACHE.get(str(folder))  # another request may have checked it meanwhile
        if cached and cached[0] == fingerprint:
            return cached[1]
        try:
            config = config_of(folder)
            year, name = (
                config.annee,
                config.nom or _reference_name(config.siren) or config.nom_court,
            )
        except CilError:
            year, name = None, folder.name
        result = Status(year, str(name))
        try:
            checked = check(str(folder))
        except DataErrors as error:
            result.errors = [_relative(p, folder) for p in error.problems]
        except CilError as error:
            result.failure = str(error)
        else:
            result.year = checked.year
            prefix = f"{folder}/"
            result.warnings = [w.replace(prefix, "") for w in checked.warnings]
            result.gaps = [g.replace(prefix, "") for g in left_to_fill(checked.gaps)]
            result.gap_count = len(checked.gaps)
            for gap in checked.gaps:
                where = _relative(Problem(gap.location, gap.what), folder).location
                if where.row and where.column and where.file.endswith(".csv") and not where.sheet:
                    result.cells.append((where.file, where.row, where.column, gap.what))
    _CACHE[str(folder)] = (fingerprint, result)
    return result


def config_of(folder: Path) -> TerritoryConfig:
    """The territory's configuration, read again only when territory.yaml changes (pages ask
    for it several times each)."""
    path = folder / "territory.yaml"
    try:
        stat = path.stat()
    except OSError:
        return territory_config(folder)  # says what is missing
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _CONFIGS.get(str(folder))
    if cached and cached[0] == key:
        return cached[1]
    config = territory_config(folder)
    _CONFIGS[str(folder)] = (key, config)
    return config


def _reference_name(siren: str) -> str | None:
    try:
        return epci(siren).nom
    except KeyError:
        return None


def _relative(problem: Problem, folder: Path) -> Problem:
    """A problem named by the file's place in the territory (data/guichets.csv)."""
    where = problem.location
    name = where.file.replace(f"{folder}/", "").replace(f"{folder.resolve()}/", "")
    moved = Location(name, where.row, where.column, where.sheet, where.key, where.line)
    return Problem(moved, problem.message)


def communes(folder: Path) -> list[Commune]:
    try:
        return list(epci(config_of(folder).siren).communes)
    except (CilError, KeyError):
        return []


def years(folder: Path) -> list[int]:
    """The years one may build or compare: those of the data folders and the few before the
    territory's year."""
    try:
        current = config_of(folder).annee
    except CilError:
        return []
    found = set(year_folders(folder / "data")) | {current - 2, current - 1, current}
    return sorted(y for y in found if y <= current + 1)


def commune_slug(commune: Commune) -> str:
    """As the deliberation files name it: deliberation-<this>-<date>."""
    from generator.reference import normalize

    return "-".join(normalize(commune.nom).split())


def parse_day(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None
