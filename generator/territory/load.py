"""Loading a territory folder: settings, reference communes and tables, every problem collected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import DataErrors, Location, Problems, UsageError, display_path
from generator.messages import _
from generator.reference import CommuneIndex, epci
from generator.territory import (
    allocations,
    demand_housing,
    housing_stock,
    policy_cia,
    policy_ppgdid,
    qpv,
    reception,
    sittings,
)
from generator.territory.columns import CellError, column_key
from generator.territory.config import FIRST_YEAR, LAST_YEAR, TerritoryConfig, load_config
from generator.territory.content_check import check_content
from generator.territory.registry import TableSpec
from generator.territory.schema import Territory
from generator.territory.table_files import ReadError, shown_path
from generator.territory.table_paths import SUFFIXES, table_file, year_folders
from generator.territory.tables import Row, read_table
from generator.territory.validate import cross_table_problems

#: The domain modules whose TABLES the loader reads, in this order.
TABLE_MODULES = (
    reception,
    housing_stock,
    policy_ppgdid,
    allocations,
    demand_housing,
    sittings,
    policy_cia,
    qpv,
)


def table_specs() -> list[TableSpec]:
    return [spec for module in TABLE_MODULES for spec in module.TABLES]


def _unique(rows: list[Row], column: str, problems: Problems) -> None:
    seen: dict[Any, int] = {}
    for row in rows:
        key = row[column]
        if key in seen:
            problems.add(
                row.at(column), _("{key} is already given in row {seen}", key=key, seen=seen[key])
            )
        seen.setdefault(key, row.line)


def _load_table(
    data: Path, spec: TableSpec, index: CommuneIndex, year: int, problems: Problems
) -> tuple[Path | None, list[Any]]:
    try:
        path = table_file(data, spec.name, year)
    except ReadError as error:
        problems.add(
            Location(shown_path(error.file) if error.file else display_path(data)), str(error)
        )
        return None, []
    except CellError as error:
        problems.add(Location(display_path(data)), str(error))
        return None, []
    if path is None:
        return None, []
    rows = read_table(path, spec.columns(index), problems)
    for column in spec.unique:
        _unique(rows, column, problems)
    items = [item for row in rows if (item := spec.make(row, problems)) is not None]
    return path, sorted(items, key=spec.order) if spec.order else items


def _stray_tables(data: Path, absent: set[str], problems: Problems) -> None:
    """A table saved where or as it is not read (parc_ops.txt, « parc ops.csv », a sub-folder)
    would leave the table silently empty: each is named, with where it belongs."""
    if not absent or not data.is_dir():
        return
    years = {str(y) for y in year_folders(data)}
    try:
        entries = [(entry, entry.parent == data) for entry in data.iterdir()]
        for folder in [e for e, _top in entries if e.is_dir() and e.name not in years]:
            entries.extend((entry, False) for entry in folder.iterdir())
    except OSError:
        return  # an unreadable folder is reported where the tables are looked for
    for entry, top in sorted(entries):
        if entry.name.startswith((".", "~$")) or not entry.is_file():
            continue
        name = column_key(entry.stem)
        looked_for = entry.suffix.lower() in SUFFIXES and entry.stem.casefold() == name
        if name not in absent or (top and looked_for):
            continue
        where = shown_path(entry)
        if not top:
            problems.add(
                Location(where),
                _(
                    "this table is not read from a sub-folder: move it to {data}/ (or to a year "
                    "folder such as {data}/2025/)",
                    data=display_path(data),
                ),
            )
        else:
            problems.add(
                Location(where),
                _(
                    "this file is not read: name it {name}.csv (or {name}.xlsx for a workbook)",
                    name=name,
                ),
            )


def territory_config(folder: Path) -> TerritoryConfig:
    if not (folder / "territory.yaml").exists():
        raise UsageError(
            _("{folder} is not a territory folder (no territory.yaml)", folder=display_path(folder))
        )
    problems = Problems()
    config = load_config(folder / "territory.yaml", problems)
    problems.raise_if_any()
    assert config is not None
    return config


def with_qpv_listed(config: TerritoryConfig, listed: list[Any]) -> TerritoryConfig:
    """A territory that lists QPV has QPV: `objectifs.qpv` follows the list when not set."""
    goals = config.objectifs
    if not listed or goals.qpv is not None:
        return config
    return config.model_copy(update={"objectifs": goals.model_copy(update={"qpv": True})})


def chosen_year(config: TerritoryConfig, year: int | None) -> int:
    """The year asked for, within the years a territory may have; the territory's by default."""
    if year is None:
        return config.annee
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(
            _(
                "--year {year}: choose a year from {first_year} to {last_year}, or leave it out"
                " for the territory's ({annee})",
                year=year,
                first_year=FIRST_YEAR,
                last_year=LAST_YEAR,
                annee=config.annee,
            )
        )
    return year


def load_territory(folder: Path, year: int | None = None) -> Territory:
    """The validated territory as it stood in `year` (default: its own), or DataErrors.

    Checks across tables run once every row reads well: on rows left out they would report
    problems that are only the echo of the first.
    """
    config = territory_config(folder)
    year = chosen_year(config, year)
    problems = Problems()
    try:
        reference = epci(config.siren)
    except KeyError:
        problems.add(
            Location(display_path(folder / "territory.yaml"), key="siren"),
            _('no EPCI with SIREN "{siren}" in the reference data', siren=config.siren),
        )
        problems.raise_if_any()
    index = CommuneIndex(reference.communes)
    tables: dict[str, Any] = {}  # table name → its rows, passed as the Territory fields
    sources: dict[str, Path] = {}
    for spec in table_specs():
        path, tables[spec.name] = _load_table(folder / "data", spec, index, year, problems)
        if path:
            sources[spec.name] = path
    absent = {spec.name for spec in table_specs()} - sources.keys()
    _stray_tables(folder / "data", absent, problems)
    blocks = check_content(folder, reference.communes[0].departement, problems)
    problems.raise_if_any()
    config = with_qpv_listed(config, tables["qpv"])
    territory = Territory(folder.resolve().name, folder, config, reference, year, sources, **tables)
    cross_table_problems(territory, blocks).raise_if_any()
    return territory


__all__ = [
    "DataErrors",
    "TerritoryConfig",
    "load_territory",
    "table_file",  # from table_paths, which the up-to-date check imports alone
    "table_specs",
    "year_folders",
]
