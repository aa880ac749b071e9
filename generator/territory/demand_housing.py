"""Applications active at year end, and the social housing stock and its production, by year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.errors import Problems
from generator.reference import Commune, CommuneIndex
from generator.territory import columns as c
from generator.territory.registry import TableSpec, commune_column, notes
from generator.territory.tables import Row

APPLICATION_COUNTS = ("demandes", "mutations", "premier_quartile", "prioritaires", "dalo")
APPLICATION_RATES = {
    "part_premier_quartile": "premier_quartile",
    "part_prioritaires": "prioritaires",
}


@dataclass(frozen=True)
class Applications:
    """Applications active at the end of a year, for the EPCI or one commune."""

    annee: int
    commune: Commune | None
    counts: dict[str, int]
    rates: dict[str, Decimal]
    source: str | None
    row: Row


def _application_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("annee", c.year, "year (applications active on 31 December)", required=True),
        c.Column("commune", commune_column(index), "commune; empty for the whole EPCI"),
        *(c.Column(n, c.count, f"number of {n.replace('_', ' ')}") for n in APPLICATION_COUNTS),
        *(
            c.Column(n, c.percent, "published share, in %, without a count")
            for n in APPLICATION_RATES
        ),
        c.Column("source", c.text, "where the figures come from"),
        notes(),
    ]


def _applications(row: Row, problems: Problems) -> Applications | None:
    counts = {n: row[n] for n in APPLICATION_COUNTS if row[n] is not None}
    total = counts.get("demandes")
    for name in APPLICATION_COUNTS[1:]:
        if total is not None and counts.get(name, 0) > total:
            problems.add(row.at(name), f"{counts[name]} is more than demandes ({total})")
            return None
    rates: dict[str, Decimal] = {}
    for name, count in APPLICATION_RATES.items():
        if row[name] is None:
            continue
        if count in counts or not row["source"]:
            problems.add(row.at(name), "a share is for a source without the count; give its source")
            return None
        rates[count] = row[name] / 100
    return Applications(row["annee"], row["commune"], counts, rates, row["source"], row)


HOUSING_COUNTS = (
    "parc",
    "parc_plai",
    "produits",
    "produits_plai",
    "mis_en_service",
    "mis_en_service_plai",
)


@dataclass(frozen=True)
class SocialHousing:
    """Social housing of a year, for the EPCI or one commune: stock, production, commissioning."""

    annee: int
    commune: Commune | None
    counts: dict[str, int]
    part_plai: Decimal | None
    source: str | None
    row: Row


def _housing_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("annee", c.year, "year", required=True),
        c.Column("commune", commune_column(index), "commune; empty for the whole EPCI"),
        c.Column("parc", c.count, "social dwellings on 1 January (RPLS)"),
        c.Column("parc_plai", c.count, "of which financed by PLAI"),
        c.Column("produits", c.count, "social dwellings financed (agreed) in the year"),
        c.Column("produits_plai", c.count, "of which PLAI"),
        c.Column("mis_en_service", c.count, "social dwellings commissioned in the year"),
        c.Column("mis_en_service_plai", c.count, "of which PLAI"),
        c.Column("part_plai", c.percent, "published share of PLAI in the stock, without count"),
        c.Column("source", c.text, "where the figures come from"),
        notes(),
    ]


def _housing(row: Row, problems: Problems) -> SocialHousing | None:
    counts = {n: row[n] for n in HOUSING_COUNTS if row[n] is not None}
    for part, whole in (
        ("parc_plai", "parc"),
        ("produits_plai", "produits"),
        ("mis_en_service_plai", "mis_en_service"),
    ):
        if part in counts and whole in counts and counts[part] > counts[whole]:
            problems.add(row.at(part), f"{counts[part]} is more than {whole} ({counts[whole]})")
            return None
    share = row["part_plai"]
    if share is not None and "parc_plai" in counts:
        problems.add(row.at("part_plai"), "parc_plai is given: leave part_plai empty")
        return None
    return SocialHousing(
        row["annee"],
        row["commune"],
        counts,
        share / 100 if share is not None else None,
        row["source"],
        row,
    )


TABLES = (
    TableSpec(
        "demandes",
        "applications active at year end",
        _application_columns,
        _applications,
        order=lambda item: item.annee,
    ),
    TableSpec(
        "logements_sociaux",
        "social housing stock and production",
        _housing_columns,
        _housing,
        order=lambda item: item.annee,
    ),
)
