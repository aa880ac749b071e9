"""Housing stock: the occupancy survey (OPS) by address point, and first-quartile thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.errors import Problems
from generator.reference import Commune, CommuneIndex
from generator.territory import columns as c
from generator.territory.registry import TableSpec, commune_column, notes
from generator.territory.tables import Row

ANALYSED, INSUFFICIENT, NOT_PROVIDED = "analysée", "réponse insuffisante", "non renseignée"


@dataclass(frozen=True)
class SurveyedAddress:
    """One address point of the occupancy survey (OPS) with its share of very low incomes."""

    annee: int
    commune: Commune | None
    adresse: str
    logements: int
    part_sous_40_plus: Decimal | None
    statut: str
    row: Row


@dataclass(frozen=True)
class Threshold:
    """First-quartile resource threshold of a year, in euros per year and consumption unit."""

    annee: int
    seuil_annuel: Decimal | None
    source: str | None
    row: Row


def _survey_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("annee", c.year, "year of the occupancy survey (OPS)", required=True),
        c.Column("commune", commune_column(index), "commune of the address"),
        c.Column("adresse", c.text, "address point", required=True),
        c.Column("logements", c.count, "number of social dwellings", required=True),
        c.Column("part_sous_40_plus", c.percent, "share of households under 40 % of PLUS"),
        c.Column(
            "statut",
            c.choice(ANALYSED, INSUFFICIENT, NOT_PROVIDED),
            f'"{ANALYSED}" (default), "{INSUFFICIENT}" or "{NOT_PROVIDED}"',
        ),
        notes(),
    ]


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


def _threshold_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("annee", c.year, "year", required=True),
        c.Column("seuil_annuel", c.euros, "first-quartile threshold, €/year/UC", needed=True),
        c.Column("source", c.text, "where the figure comes from"),
        notes(),
    ]


def _threshold(row: Row, problems: Problems) -> Threshold:
    return Threshold(row["annee"], row["seuil_annuel"], row["source"], row)


TABLES = (
    TableSpec("parc_ops", "occupancy survey by address", _survey_columns, _surveyed_address),
    TableSpec(
        "seuils_quartile",
        "first-quartile thresholds",
        _threshold_columns,
        _threshold,
        unique=("annee",),
        order=lambda t: t.annee,
    ),
)
