"""Housing stock: the occupancy survey (OPS) by address point, and first-quartile thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.errors import Problems
from generator.messages import N_, _
from generator.reference import Commune
from generator.territory import columns as c
from generator.territory.registry import EPCI_COMMUNE, Record, TableSpec, column, notes
from generator.territory.tables import Row

ANALYSED, INSUFFICIENT, NOT_PROVIDED = "analysée", "réponse insuffisante", "non renseignée"


@dataclass(frozen=True, kw_only=True)
class SurveyedAddress(Record):
    """One address point of the occupancy survey (OPS) with its share of very low incomes."""

    annee: int = column(
        c.year, N_("year of the occupancy survey (OPS)"), required=True, doc="year of the survey"
    )
    commune: Commune | None = column(
        EPCI_COMMUNE, N_("commune of the address"), doc="official name or INSEE code"
    )
    adresse: str = column(c.text, N_("address point"), required=True)
    proprietaire: str | None = column(
        c.text,
        N_("social landlord of the address"),
        doc="landlord owning the address: the CIA annexes its list of residences at stake "
        "(L441-1-6 3° bis)",
    )
    logements: int = column(c.count, N_("number of social dwellings"), required=True)
    part_sous_40_plus: Decimal | None = column(
        c.percent,
        N_("share of households under 40 % of PLUS"),
        doc="share of households under 40 % of the PLUS ceilings, in % (`23,5`)",
    )
    statut: str = column(
        c.choice(ANALYSED, INSUFFICIENT, NOT_PROVIDED),
        N_('"analysée" (default), "réponse insuffisante" or "non renseignée"'),
        doc="empty or `analysée`; `réponse insuffisante`; `non renseignée` (then no share)",
    )
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        status, share = values["statut"] or ANALYSED, values["part_sous_40_plus"]
        if status == ANALYSED and share is None:
            problems.add(
                row.at("part_sous_40_plus"),
                _(
                    "empty cell — an analysed address needs its share; otherwise set statut to"
                    ' "{insufficient}" or "{not_provided}"',
                    insufficient=INSUFFICIENT,
                    not_provided=NOT_PROVIDED,
                ),
            )
            return None
        if values["logements"] == 0 and share:
            problems.add(
                row.at("logements"),
                _(
                    "an address of 0 dwellings cannot have a share of {share} %: give its "
                    "dwellings, or remove the row",
                    share=share,
                ),
            )
            return None
        if status != ANALYSED and share is not None:
            problems.add(
                row.at("statut"),
                _('an address "{status}" cannot have a share: remove it', status=status),
            )
            return None
        return values | {"statut": status}


@dataclass(frozen=True, kw_only=True)
class Threshold(Record):
    """First-quartile resource threshold of a year, in euros per year and consumption unit."""

    annee: int = column(c.year, N_("year"), required=True)
    seuil_annuel: Decimal | None = column(
        c.euros,
        N_("first-quartile threshold, €/year/UC"),
        needed=True,
        doc="threshold in €/year/UC, digits only",
    )
    source: str | None = column(c.text, N_("where the figure comes from"))
    notes: str | None = notes()


TABLES = (
    TableSpec("parc_ops", N_("occupancy survey by address"), SurveyedAddress),
    TableSpec(
        "seuils_quartile",
        N_("first-quartile thresholds"),
        Threshold,
        unique=("annee",),
        order=lambda t: t.annee,
    ),
)
