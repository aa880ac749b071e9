"""Allocations by year: one row per allocation, published counts, and their breakdowns.

Allocations come in either of two forms that give the same indicators: one row per allocation as
exported from the national registration system (SNE), or counts already published at the scale
of the EPCI, a commune, a landlord or a reservation holder (contingent). See the last section of
docs/territory-format.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.errors import Problems
from generator.messages import N_, _, quoted
from generator.reference import Commune
from generator.territory import columns as c
from generator.territory.registry import EPCI_COMMUNE, Record, TableSpec, column, notes
from generator.territory.tables import Row

#: Reservation holders (contingents), as the SNE names them; "Non réservé" is the landlord's own.
CONTINGENTS = (
    "État",
    "État (agents publics)",
    "Action Logement",
    "Département",
    "Commune",
    "EPCI",
    "Non réservé",
    "Autre",
)
PRIORITY_MOTIVES = (
    "Hébergé chez un tiers",
    "Dépourvu de logement",
    "Hébergé temporairement",
    "Situation de handicap",
    "Menacé d'expulsion",
    "Victime de violences",
    "Logement indigne ou non décent",
    "Sortie de l'aide sociale à l'enfance",
    "Reprise d'activité",
    "Autre motif",
)
COMPOSITIONS = (
    "Personne seule",
    "Couple sans enfant",
    "Couple avec enfants",
    "Famille monoparentale",
    "Autre",
)
#: A breakdown may group couples and single parents with children when its source does.
WITH_CHILDREN = "Famille avec enfants"
WITH_CHILDREN_PARTS = ("Couple avec enfants", "Famille monoparentale")
BREAKDOWN_COMPOSITIONS = (*COMPOSITIONS[:-1], WITH_CHILDREN, COMPOSITIONS[-1])
DWELLING_TYPES = ("T1", "T2", "T3", "T4", "T5 et plus")
#: Age groups of the applicant (titulaire), as the SNE infocentre's profiles group them.
AGE_GROUPS = ("Moins de 25 ans", "25 à 39 ans", "40 à 64 ans", "65 ans et plus")
#: Resources of the household against the ceilings of social housing (PLAI, then PLUS).
RESOURCE_BANDS = (
    "Sous le plafond PLAI",
    "Entre les plafonds PLAI et PLUS",
    "Au-dessus du plafond PLUS",
)
FINANCINGS = ("PLAI", "PLUS", "PLS", "PLI", "Autre")

#: Populations and dimensions of the breakdown table; closed dimensions list their categories.
POPULATIONS = (
    "attributions",
    "attributions aux ménages prioritaires",
    "attributions en mutation",
    "attributions au premier quartile",
    "attributions aux travailleurs essentiels",
    "demandes",
    "demandes en mutation",
    "demandes du premier quartile",
    "demandes prioritaires",
)
CLOSED_DIMENSIONS = {
    "motif de priorité": PRIORITY_MOTIVES,
    "typologie": DWELLING_TYPES,
    "composition familiale": BREAKDOWN_COMPOSITIONS,
    "financement": FINANCINGS,
    "âge": AGE_GROUPS,
    "ressources": RESOURCE_BANDS,
}
DIMENSIONS = (
    *CLOSED_DIMENSIONS,
    "motif de la demande",
    "profession",
    "activité",
)

EPCI, COMMUNE, LANDLORD, CONTINGENT = "EPCI", "commune", "bailleur", "contingent"
SCALES = (EPCI, COMMUNE, LANDLORD, CONTINGENT)

yes_no_word = c.choice("oui", "non")


def yes_no(value: Any) -> bool:
    return yes_no_word(value) == "oui"


# --- Records: one row per allocation -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AllocationRecord(Record):
    """One allocation (signed lease), as exported from the SNE."""

    annee: int = column(
        c.year,
        N_("year of the lease (or give date_bail)"),
        doc="year of the lease — this or `date_bail` is required",
    )
    date_bail: dt.date | None = column(
        c.date, N_("date the lease was signed"), doc="date the lease was signed (`17/03/2024`)"
    )
    commune: Commune = column(
        EPCI_COMMUNE,
        N_("commune of the dwelling"),
        required=True,
        doc="commune of the dwelling (official name or INSEE code)",
    )
    qpv: bool = column(
        yes_no,
        N_('"oui" when the dwelling is in a QPV (default "non")'),
        doc="`oui` when the dwelling is in a QPV; empty reads `non`",
    )
    bailleur: str = column(c.text, N_("social landlord"), required=True)
    contingent: str = column(
        c.choice(*CONTINGENTS),
        N_("reservation holder"),
        required=True,
        doc="reservation holder: {choices} (`Non réservé`: the landlord's own)",
    )
    mutation: bool = column(
        yes_no,
        N_('"oui" for a tenant already in social housing'),
        required=True,
        doc="`oui` for a household already in social housing, `non` for a first access",
    )
    premier_quartile: bool | None = column(
        yes_no,
        N_('"oui" for a first-quartile household'),
        doc=(
            "`oui` / `non`; when empty, `ressources_uc` is compared with that year's "
            "threshold (seuils_quartile)"
        ),
    )
    ressources_uc: Decimal | None = column(
        c.euros,
        N_("resources in €/year per consumption unit"),
        doc="resources in €/year per consumption unit; below the threshold is first quartile",
    )
    dalo: bool = column(
        yes_no,
        N_('"oui" for a household recognised under the DALO'),
        doc="`oui` for a household recognised under the DALO (counted among priority households)",
    )
    #: True for a DALO household too.
    prioritaire: bool = column(
        yes_no,
        N_('"oui" for a priority household (art. L441-1 CCH)'),
        doc="`oui` for a priority household (art. L441-1 CCH)",
    )
    motif_priorite: str | None = column(
        c.choice(*PRIORITY_MOTIVES),
        N_("motive of the priority"),
        doc="{choices}",
    )
    travailleur_essentiel: bool = column(
        yes_no, N_('"oui" for a key worker'), doc="`oui` for a key worker"
    )
    profession: str | None = column(
        c.text,
        N_("profession or professional category of a key worker"),
        doc="the profession a key worker declared",
    )
    composition: str | None = column(
        c.choice(*COMPOSITIONS),
        N_("household composition"),
        doc="{choices}",
    )
    taille_menage: int | None = column(c.count, N_("number of persons"))
    age: int | None = column(
        c.count,
        N_("age of the applicant in years"),
        doc="age of the applicant (titulaire) in years, counted in the groups of `repartitions`",
    )
    activite: str | None = column(
        c.text,
        N_("professional situation of the applicant"),
        doc="professional situation of the applicant (`Actif`, `Retraité`…), as written in the SNE",
    )
    ressources: str | None = column(
        c.choice(*RESOURCE_BANDS),
        N_("resources against the PLAI and PLUS ceilings"),
        doc="{choices}",
    )
    typologie: str | None = column(c.choice(*DWELLING_TYPES), N_("dwelling type"), doc="{choices}")
    financement: str | None = column(
        c.choice(*FINANCINGS),
        N_("financing of the dwelling"),
        doc="{choices}",
    )
    motif_demande: str | None = column(
        c.text,
        N_("main motive of the application"),
        doc="main motive of the application, as written in the SNE",
    )
    source: str | None = column(
        c.text,
        N_("where the row comes from"),
        doc="where the rows come from (shown under every table and chart)",
    )
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        year, lease = values["annee"], values["date_bail"]
        if year is None and lease is None:
            problems.add(row.at("annee"), _("empty cell — give the year of the lease or date_bail"))
            return None
        if year is not None and lease is not None and lease.year != year:
            problems.add(
                row.at("annee"),
                _("{year} but date_bail is in {year2}: keep one", year=year, year2=lease.year),
            )
            return None
        priority = bool(values["prioritaire"]) or bool(values["dalo"])
        if values["motif_priorite"] and not priority:
            problems.add(
                row.at("motif_priorite"), _('a motive of priority needs prioritaire or dalo "oui"')
            )
            return None
        flags = ("qpv", "dalo", "travailleur_essentiel")
        return values | {
            "annee": year if year is not None else lease.year,
            "prioritaire": priority,
            **{flag: bool(values[flag]) for flag in flags},
        }


# --- Aggregates: published counts at one scale -------------------------------------------------

#: Count columns of the aggregate table, each with the whole it is part of.
AGGREGATE_COUNTS = {
    "attributions": None,
    "attributions_qpv": "attributions",
    "premier_quartile_hors_qpv": "attributions",
    "autres_quartiles_qpv": "attributions_qpv",
    "prioritaires": "attributions",
    "dalo": "prioritaires",
    "mutations": "attributions",
    "travailleurs_essentiels": "attributions",
}
#: Rate columns, for sources that publish a share without its counts.
AGGREGATE_RATES = {
    "part_premier_quartile_hors_qpv": "premier_quartile_hors_qpv",
    "part_prioritaires": "prioritaires",
    "part_mutations": "mutations",
}


def _count(description: str) -> Any:
    return column(c.count, description)


def _published_share() -> Any:
    return column(c.percent, N_("published share, in %, when the count is unknown"))


@dataclass(frozen=True, kw_only=True)
class AllocationCounts(Record):
    """Published allocation counts of one year at one scale (EPCI, commune, landlord, contingent).

    `counts` and `rates` hold only what the source gives; a rate is a ratio (0.15 for 15 %).
    """

    annee: int = column(c.year, N_("year"), required=True)
    commune: Commune | None = column(
        EPCI_COMMUNE,
        N_("commune, for a commune's row"),
        doc="commune, for a commune's row (commune, bailleur and contingent all empty: the EPCI)",
    )
    bailleur: str | None = column(c.text, N_("landlord, for a landlord's row"))
    contingent: str | None = column(c.choice(*CONTINGENTS), N_("reservation holder, for its row"))
    attributions: int | None = _count(N_("allocations of the year"))
    attributions_qpv: int | None = _count(
        N_("of which in a QPV; empty when the territory has no QPV (`objectifs.qpv: false`)")
    )
    premier_quartile_hors_qpv: int | None = _count(
        N_("allocations outside QPV to first-quartile households")
    )
    autres_quartiles_qpv: int | None = _count(
        N_("allocations in QPV to households of the other three quartiles")
    )
    prioritaires: int | None = _count(N_("allocations to DALO and priority households"))
    dalo: int | None = _count(N_("of which DALO"))
    mutations: int | None = _count(N_("allocations to households already in social housing"))
    travailleurs_essentiels: int | None = _count(N_("allocations to key workers"))
    part_premier_quartile_hors_qpv: Decimal | None = _published_share()
    part_prioritaires: Decimal | None = _published_share()
    part_mutations: Decimal | None = _published_share()
    source: str | None = column(c.text, N_("where the figures come from"))
    notes: str | None = notes()
    echelle: str
    entite: str
    counts: dict[str, int]
    rates: dict[str, Decimal]

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.annee, self.echelle, self.entite)

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        scale = _scale(row, problems)
        counts = {n: values[n] for n in AGGREGATE_COUNTS if values[n] is not None}
        before = len(problems)
        rates = _published_rates(row, counts, problems)
        if scale is None or not _parts_within_wholes(row, counts, problems):
            return None
        if len(problems) > before:
            return None
        return values | {"echelle": scale[0], "entite": scale[1], "counts": counts, "rates": rates}


def _scale(row: Row, problems: Problems) -> tuple[str, str] | None:
    given = [(s, row[s]) for s in (COMMUNE, LANDLORD, CONTINGENT) if row[s]]
    if len(given) > 1:
        problems.add(
            row.at(given[1][0]),
            _(
                "give at most one of commune, bailleur and contingent: a row counts the whole"
                " EPCI, one commune, one landlord or one reservation holder"
            ),
        )
        return None
    if not given:
        return EPCI, ""
    scale, value = given[0]
    return scale, value.nom if isinstance(value, Commune) else value


def _parts_within_wholes(row: Row, counts: dict[str, int], problems: Problems) -> bool:
    valid = True
    for name, whole in AGGREGATE_COUNTS.items():
        if whole and name in counts and whole in counts and counts[name] > counts[whole]:
            problems.add(
                row.at(name),
                _(
                    "{counts} is more than {whole} ({total})",
                    counts=counts[name],
                    whole=whole,
                    total=counts[whole],
                ),
            )
            valid = False
    qpv, q1 = counts.get("attributions_qpv"), counts.get("premier_quartile_hors_qpv")
    if qpv is not None and q1 is not None and "attributions" in counts:
        outside = counts["attributions"] - qpv
        if q1 > outside:
            problems.add(
                row.at("premier_quartile_hors_qpv"),
                _(
                    "{q1} is more than the allocations outside QPV ({outside})",
                    q1=q1,
                    outside=outside,
                ),
            )
            valid = False
    return valid


def _published_rates(row: Row, counts: dict[str, int], problems: Problems) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for name, count in AGGREGATE_RATES.items():
        if row[name] is None:
            continue
        if count in counts:
            problems.add(
                row.at(name),
                _("{count} is given: leave the share empty, it is computed", count=count),
            )
        elif not row["source"]:
            problems.add(row.at("source"), _("a published share needs its source"))
        else:
            rates[count] = row[name] / 100
    return rates


# --- Breakdowns, applications, social housing --------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Breakdown(Record):
    """A published breakdown: a count (or a share) of one category of a population in a year.

    `part` is read in % and kept as a ratio (0.15 for 15 %).
    """

    annee: int = column(c.year, N_("year"), required=True)
    population: str = column(
        c.choice(*POPULATIONS),
        N_("who is counted"),
        required=True,
        doc="{choices}",
    )
    dimension: str = column(
        c.choice(*DIMENSIONS),
        N_("what they are broken down by"),
        required=True,
        doc=(
            "{choices}: the categories of the first six are closed (those of attributions.csv; "
            "`composition familiale` also takes `Famille avec enfants` when the source does not "
            "tell couples with children from single parents; `âge`: Moins de 25 ans, 25 à 39 "
            "ans, 40 à 64 ans, 65 ans et plus), the others are free"
        ),
    )
    modalite: str = column(c.text, N_("the category"), required=True)
    nombre: int | None = column(
        c.count, N_("number in the category"), doc="the count — this or `part`"
    )
    part: Decimal | None = column(
        c.percent,
        N_("published share of the population, in %, without a count"),
        doc="the published share in % (then `source` is required) — this or `nombre`",
    )
    source: str | None = column(c.text, N_("where the figure comes from"))
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        categories = CLOSED_DIMENSIONS.get(values["dimension"])
        category = values["modalite"]
        if categories:
            by_key = {k.casefold(): k for k in categories}
            if category.casefold() not in by_key:
                options = ", ".join(quoted(k) for k in categories)
                problems.add(
                    row.at("modalite"),
                    _(
                        'expected one of {options}, got "{category}"',
                        options=options,
                        category=category,
                    ),
                )
                return None
            category = by_key[category.casefold()]
        if (values["nombre"] is None) == (values["part"] is None):
            problems.add(
                row.at("nombre"), _("give either the number or the published share (part)")
            )
            return None
        if values["part"] is not None and not values["source"]:
            problems.add(row.at("source"), _("a published share needs its source"))
            return None
        share = values["part"] / 100 if values["part"] is not None else None
        return values | {"modalite": category, "part": share}


TABLES = tuple(
    TableSpec(name, description, model, order=lambda item: item.annee)
    for name, description, model in (
        ("attributions", N_("allocations, one row each (SNE export)"), AllocationRecord),
        ("attributions_agregees", N_("published allocation counts"), AllocationCounts),
        ("repartitions", N_("breakdowns of applications and allocations"), Breakdown),
    )
)


def age_group(age: int) -> str:
    """The group of `AGE_GROUPS` an applicant of `age` years belongs to."""
    lower_bounds = (0, 25, 40, 65)
    return next(g for g, b in zip(AGE_GROUPS[::-1], lower_bounds[::-1], strict=True) if age >= b)


def is_first_quartile(record: AllocationRecord, thresholds: Mapping[int, Decimal]) -> bool | None:
    """The record's own answer, else its resources compared with the year's threshold."""
    if record.premier_quartile is not None:
        return record.premier_quartile
    threshold = thresholds.get(record.annee)
    if record.ressources_uc is None or threshold is None:
        return None
    return record.ressources_uc < threshold
