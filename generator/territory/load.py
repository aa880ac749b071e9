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
from generator.territory.columns import CellError
from generator.territory.config import FIRST_YEAR, LAST_YEAR, TerritoryConfig, load_config
from generator.territory.content_check import check_content
from generator.territory.registry import TableSpec
from generator.territory.schema import Territory
from generator.territory.table_files import ReadError, shown_path
from generator.territory.tables import Row, find_table, read_table
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


def year_folders(data: Path) -> list[int]:
    """Years that have their own data folder (data/2024/, data/2025/...)."""
    if not data.is_dir():
        return []
    try:
        return sorted(int(p.name) for p in data.iterdir() if p.is_dir() and p.name.isdigit())
    except OSError as error:  # an unreadable folder: located, not a traceback
        raise ReadError(
            _("the folder cannot be read ({strerror})", strerror=error.strerror), file=data
        ) from None


def table_file(data: Path, name: str, year: int) -> Path | None:
    """The table as it stood in `year`.

    A table kept by year lives in data/<year>/ and holds from that year on, until a later
    folder replaces it; any other table lives in data/ itself. Both at once is ambiguous.
    """
    root = data.parent
    by_year = {y: f for y in year_folders(data) if (f := find_table(data / str(y), name, root))}
    base = find_table(data, name, root)
    if base and by_year:
        raise CellError(
            _(
                "{name} is both in {data} and in year folders ({years}): keep it in year folders"
                " only",
                name=name,
                data=display_path(data),
                years=", ".join(map(str, by_year)),
            )
        )
    earlier = [y for y in by_year if y <= year]
    return by_year[max(earlier)] if earlier else base


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
    blocks = check_content(folder, reference.communes[0].departement, problems)
    problems.raise_if_any()
    config = with_qpv_listed(config, tables["qpv"])
    territory = Territory(folder.resolve().name, folder, config, reference, year, sources, **tables)
    cross_table_problems(territory, blocks).raise_if_any()
    return territory


__all__ = ["DataErrors", "TerritoryConfig", "load_territory", "table_specs"]
