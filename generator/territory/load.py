"""Loading a territory folder: settings, reference communes and tables, every problem collected."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..errors import DataErrors, Location, Problems, UsageError, display_path
from ..reference import Commune, CommuneIndex, epci
from . import columns as c
from .config import TerritoryConfig, load_config
from .schema import (
    ANALYSED,
    INSUFFICIENT,
    NOT_PROVIDED,
    OPEN,
    PLANNED,
    Guichet,
    SocialService,
    SurveyedAddress,
    Territory,
    Threshold,
)
from .tables import Row, find_table, read_table

T = TypeVar("T")


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

    return parse


def _year_or_date(value: Any) -> Any:
    try:
        return c.year(value)
    except c.CellError:
        try:
            return c.date(value)
        except c.CellError:
            raise c.CellError(
                f'expected a year (2026) or a date (01/09/2026), got "{c.text(value)}"'
            ) from None


def table_columns(index: CommuneIndex) -> dict[str, list[c.Column]]:
    """Every data table and its columns: the one description used to read, check and document."""
    commune = commune_column(index)
    contact_columns = [
        c.Column("adresse", c.text, "postal address", needed=True, example="Place de la Mairie"),
        c.Column("contact", c.text, "phone and/or e-mail", needed=True, example="04 75 00 00 00"),
        c.Column("horaires", c.text, "opening hours and how to be received", needed=True),
        c.Column("notes", c.text, "internal remark, never printed"),
    ]
    return {
        "guichets": [
            c.Column("niveau", c.choice("1", "2", "3"), "level 1, 2 or 3", required=True),
            c.Column("commune", commune, "official name or INSEE code of the commune"),
            c.Column("organisme", c.text, "name of the body, when it is not the commune itself"),
            *contact_columns[:3],
            c.Column("statut", c.choice(OPEN, PLANNED), f'"{OPEN}" or "{PLANNED}"', required=True),
            c.Column("ouverture", _year_or_date, "year or date of opening, when planned"),
            contact_columns[3],
        ],
        "services_sociaux": [
            c.Column("nom", c.text, "name of the service", required=True),
            c.Column("commune", commune, "commune where it receives the public"),
            *contact_columns,
        ],
        "seuils_quartile": [
            c.Column("annee", c.year, "year", required=True),
            c.Column("seuil_annuel", c.euros, "first-quartile threshold, €/year/UC", needed=True),
            c.Column("source", c.text, "where the figure comes from"),
            c.Column("notes", c.text, "internal remark, never printed"),
        ],
        "parc_ops": [
            c.Column("annee", c.year, "year of the occupancy survey (OPS)", required=True),
            c.Column("commune", commune, "commune of the address"),
            c.Column("adresse", c.text, "address point", required=True),
            c.Column("logements", c.count, "number of social dwellings", required=True),
            c.Column("part_sous_40_plus", c.percent, "share of households under 40 % of PLUS"),
            c.Column(
                "statut",
                c.choice(ANALYSED, INSUFFICIENT, NOT_PROVIDED),
                f'"{ANALYSED}" (default), "{INSUFFICIENT}" or "{NOT_PROVIDED}"',
            ),
            c.Column("notes", c.text, "internal remark, never printed"),
        ],
    }


def _guichet(row: Row, problems: Problems) -> Guichet | None:
    commune, organisme = row["commune"], row["organisme"]
    if not commune and not organisme:
        problems.add(row.at("organisme"), "give the commune or the name of the body")
        return None
    return Guichet(
        niveau=int(row["niveau"]),
        nom=organisme or commune.nom,
        commune=commune,
        adresse=row["adresse"],
        contact=row["contact"],
        horaires=row["horaires"],
        statut=row["statut"],
        ouverture=row["ouverture"],
        row=row,
    )


def _social_service(row: Row, problems: Problems) -> SocialService:
    return SocialService(
        row["nom"], row["commune"], row["adresse"], row["contact"], row["horaires"], row
    )


def _threshold(row: Row, problems: Problems) -> Threshold:
    return Threshold(row["annee"], row["seuil_annuel"], row["source"], row)


def _surveyed_address(row: Row, problems: Problems) -> SurveyedAddress | None:
    status, share = row["statut"] or ANALYSED, row["part_sous_40_plus"]
    if status == ANALYSED and share is None:
        problems.add(
            row.at("part_sous_40_plus"),
            f"empty cell — an analysed address needs its share; otherwise set statut to "
            f'"{INSUFFICIENT}" or "{NOT_PROVIDED}"',
        )
        return None
    if status != ANALYSED and share is not None:
        problems.add(row.at("statut"), f'an address "{status}" cannot have a share: remove it')
        return None
    return SurveyedAddress(
        row["annee"], row["commune"], row["adresse"], row["logements"], share, status, row
    )


def _rows(
    folder: Path, name: str, columns: Sequence[c.Column], problems: Problems
) -> tuple[Path | None, list[Row]]:
    try:
        path = find_table(folder, name)
    except c.CellError as error:
        problems.add(Location(display_path(folder)), str(error))
        return None, []
    if path is None:
        return None, []
    return path, read_table(path, columns, problems)


def _build(
    rows: list[Row], make: Callable[[Row, Problems], T | None], problems: Problems
) -> list[T]:
    return [item for row in rows if (item := make(row, problems)) is not None]


def _unique(rows: list[Row], column: str, problems: Problems) -> None:
    seen: dict[Any, int] = {}
    for row in rows:
        key = row[column]
        if key in seen:
            problems.add(row.at(column), f"{key} is already given in row {seen[key]}")
        seen.setdefault(key, row.line)


def resolve_folder(path: Path) -> Path:
    if not (path / "territory.yaml").exists():
        raise UsageError(f"{display_path(path)} is not a territory folder (no territory.yaml)")
    return path


def load_territory(folder: Path) -> Territory:
    """The validated territory, or DataErrors listing every problem found."""
    folder = resolve_folder(folder)
    problems = Problems()
    config = load_config(folder / "territory.yaml", problems)
    problems.raise_if_any()
    assert config is not None
    try:
        reference = epci(config.siren)
    except KeyError:
        problems.add(
            Location(display_path(folder / "territory.yaml"), key="siren"),
            f'no EPCI with SIREN "{config.siren}" in the reference data',
        )
        problems.raise_if_any()
    index = CommuneIndex(reference.communes)
    specs = table_columns(index)
    data = folder / "data"
    loaded: dict[str, list[Row]] = {}
    sources: dict[str, Path] = {}
    for name, columns in specs.items():
        path, rows = _rows(data, name, columns, problems)
        loaded[name] = rows
        if path:
            sources[name] = path
    _unique(loaded["seuils_quartile"], "annee", problems)
    territory = Territory(
        slug=folder.name,
        folder=folder,
        config=config,
        epci=reference,
        guichets=_build(loaded["guichets"], _guichet, problems),
        services_sociaux=_build(loaded["services_sociaux"], _social_service, problems),
        seuils=sorted(
            _build(loaded["seuils_quartile"], _threshold, problems), key=lambda t: t.annee
        ),
        adresses_ops=_build(loaded["parc_ops"], _surveyed_address, problems),
        sources=sources,
    )
    problems.raise_if_any()
    return territory


__all__ = ["DataErrors", "TerritoryConfig", "load_territory", "table_columns"]
