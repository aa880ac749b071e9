"""Applications active at year end, and the social housing stock and its production, by year."""

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

APPLICATION_COUNTS = ("demandes", "mutations", "premier_quartile", "prioritaires", "dalo")
APPLICATION_RATES = {
    "part_premier_quartile": "premier_quartile",
    "part_prioritaires": "prioritaires",
}
_PUBLISHED_SHARE = N_("published share, in %, without a count")


def _count(description: str) -> Any:
    return column(c.count, description)


@dataclass(frozen=True, kw_only=True)
class Applications(Record):
    """Applications active at the end of a year, for the EPCI or one commune.

    `counts` and `rates` hold only what the source gives; a rate is a ratio (0.15 for 15 %).
    """

    annee: int = column(c.year, N_("year (applications active on 31 December)"), required=True)
    commune: Commune | None = column(EPCI_COMMUNE, N_("commune; empty for the whole EPCI"))
    demandes: int | None = _count(N_("applications active on 31 December"))
    mutations: int | None = _count(N_("of which transfers (tenants already in social housing)"))
    premier_quartile: int | None = _count(N_("of which first-quartile households"))
    prioritaires: int | None = _count(N_("of which priority households"))
    dalo: int | None = _count(N_("of which DALO households"))
    part_premier_quartile: Decimal | None = column(c.percent, _PUBLISHED_SHARE)
    part_prioritaires: Decimal | None = column(c.percent, _PUBLISHED_SHARE)
    source: str | None = column(c.text, N_("where the figures come from"))
    notes: str | None = notes()
    counts: dict[str, int]
    rates: dict[str, Decimal]

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        counts = {n: values[n] for n in APPLICATION_COUNTS if values[n] is not None}
        total = counts.get("demandes")
        for name in APPLICATION_COUNTS[1:]:
            if total is not None and counts.get(name, 0) > total:
                problems.add(
                    row.at(name),
                    _("{counts} is more than demandes ({total})", counts=counts[name], total=total),
                )
                return None
        rates: dict[str, Decimal] = {}
        for name, count in APPLICATION_RATES.items():
            if values[name] is None:
                continue
            if count in counts or not values["source"]:
                message = _("a share is for a source without the count; give its source")
                problems.add(row.at(name), message)
                return None
            rates[count] = values[name] / 100
        return values | {"counts": counts, "rates": rates}


HOUSING_COUNTS = (
    "parc",
    "parc_plai",
    "produits",
    "produits_plai",
    "mis_en_service",
    "mis_en_service_plai",
)


@dataclass(frozen=True, kw_only=True)
class SocialHousing(Record):
    """Social housing of a year, for the EPCI or one commune: stock, production, commissioning.

    `part_plai` is read in % and kept as a ratio (0.15 for 15 %).
    """

    annee: int = column(c.year, N_("year"), required=True)
    commune: Commune | None = column(EPCI_COMMUNE, N_("commune; empty for the whole EPCI"))
    parc: int | None = column(c.count, N_("social dwellings on 1 January (RPLS)"))
    parc_plai: int | None = column(c.count, N_("of which financed by PLAI"))
    produits: int | None = column(c.count, N_("social dwellings financed (agreed) in the year"))
    produits_plai: int | None = column(c.count, N_("of which PLAI"))
    mis_en_service: int | None = column(c.count, N_("social dwellings commissioned in the year"))
    mis_en_service_plai: int | None = column(c.count, N_("of which PLAI"))
    part_plai: Decimal | None = column(
        c.percent,
        N_("published share of PLAI in the stock, without count"),
        doc="published share of PLAI in the stock, in %, when `parc_plai` is unknown",
    )
    source: str | None = column(c.text, N_("where the figures come from"))
    notes: str | None = notes()
    counts: dict[str, int]

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        counts = {n: values[n] for n in HOUSING_COUNTS if values[n] is not None}
        for part, whole in (
            ("parc_plai", "parc"),
            ("produits_plai", "produits"),
            ("mis_en_service_plai", "mis_en_service"),
        ):
            if part in counts and whole in counts and counts[part] > counts[whole]:
                problems.add(
                    row.at(part),
                    _(
                        "{counts} is more than {whole} ({total})",
                        counts=counts[part],
                        whole=whole,
                        total=counts[whole],
                    ),
                )
                return None
        share = values["part_plai"]
        if share is not None and "parc_plai" in counts:
            problems.add(row.at("part_plai"), _("parc_plai is given: leave part_plai empty"))
            return None
        return values | {"counts": counts, "part_plai": share / 100 if share is not None else None}


TABLES = (
    TableSpec(
        "demandes",
        N_("applications active at year end"),
        Applications,
        order=lambda item: item.annee,
    ),
    TableSpec(
        "logements_sociaux",
        N_("social housing stock and production"),
        SocialHousing,
        order=lambda item: item.annee,
    ),
)
