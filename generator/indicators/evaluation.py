"""What the bilan measures, before any formatting: its years, indicator tables and results.

Pure computation over the allocation facts; `documents/bilan.py` draws the charts and turns an
`Evaluation` into the template's context, the CIA's diagnosis reuses its windows and tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from generator.indicators import results as t
from generator.indicators import trends
from generator.indicators.allocations import AllocationFacts, IndicatorTable
from generator.indicators.complements import complementary_tables
from generator.indicators.profiles import profile_tables
from generator.territory.allocations import COMMUNE, CONTINGENT, LANDLORD
from generator.territory.objectives import Objectives
from generator.territory.objectives import legal_priority_share as priority_share_of

#: Period option → (number of years, word of the title).
PERIODS = {None: (1, "annuel"), "triennial": (3, "triennal"), "final": (6, "final")}


@dataclass
class Evaluation:
    """The evaluated year (None without data), the years shown, and everything measured."""

    year: int | None
    years: list[int]
    period: str | None
    facts: AllocationFacts
    tables: dict[str, IndicatorTable] = field(default_factory=dict)
    complements: list[IndicatorTable] = field(default_factory=list)
    #: Profiles of applicants and beneficiaries (`profiles.GROUPS`), empty when not given.
    profiles: list[IndicatorTable] = field(default_factory=list)
    results: dict[str, list[t.Result]] = field(default_factory=dict)

    @property
    def published(self) -> list[IndicatorTable]:
        tables = [*self.tables.values(), *self.profiles, *self.complements]
        return [x for x in tables if not x.is_empty]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(s for x in self.published for s in x.sources))

    @property
    def all_results(self) -> list[t.Result]:
        return [r for group in self.results.values() for r in group]


def legal_priority_share(objectives: Objectives, state: Mapping[str, Any]) -> Decimal:
    """The theoretical priority share with the State's contingent of
    content/national/contingents.yaml (`state`)."""
    share, agents = (Decimal(str(state[k])) for k in ("part_max", "part_agents_etat_max"))
    return priority_share_of(objectives, share, agents)


def without_empty_rows(table: IndicatorTable) -> IndicatorTable:
    """Years or groups for which nothing at all is known are left out, and so are the sources
    of those rows alone: a table of one year does not cite the data of four."""
    table.rows = [row for row in table.rows if any(v is not None for v in row[1:])]
    if table.row_sources:
        kept = {str(row[0]) for row in table.rows}
        shown = [found for label, found in table.row_sources.items() if label in kept]
        table.sources = list(dict.fromkeys(s for found in shown for s in found))
    return table


def window(facts: AllocationFacts, year: int, period: str | None) -> tuple[int | None, list[int]]:
    """The year evaluated (the latest with data, not after `year`) and the years shown."""
    known = [y for y in facts.years if y <= year]
    if not known:
        return None, []
    evaluated = known[-1]
    if period is None:
        return evaluated, [y for y in known if y > evaluated - 6]
    span = PERIODS[period][0]
    return evaluated, list(range(evaluated - span + 1, evaluated + 1))


def _priority(
    objectives: Objectives, facts: AllocationFacts, years: list[int], threshold: int, legal: Decimal
) -> tuple[IndicatorTable, list[t.Result]]:
    """Per contingent in the evaluated year, each result with the previous year's."""
    table, results = t.priority_by_contingent(facts, objectives, years[-1], threshold, legal)
    if len(years) > 1:
        _, before = t.priority_by_contingent(facts, objectives, years[-2], threshold, legal)
        earlier = {r.echelle: r.part for r in before}
        results = [
            replace(r, precedent=earlier.get(r.echelle), annee_precedente=years[-2])
            for r in results
        ]
    return table, results


def _ratio(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / 100


def evaluate(
    facts: AllocationFacts,
    objectives: Objectives,
    threshold: int,
    legal_share: Decimal,
    year: int,
    period: str | None = None,
) -> Evaluation:
    """Every table and result of the bilan of `year` (or of the period ending then)."""
    evaluated, years = window(facts, year, period)
    found = Evaluation(evaluated, years, period, facts)
    if evaluated is None:
        return found
    q1, q1_result = t.first_quartile_by_year(facts, objectives, years, threshold)
    prio, prio_results = _priority(objectives, facts, years, threshold, legal_share)
    prio_years, _ = trends.share_by_year(
        facts,
        years,
        threshold,
        "prioritaires",
        None,
        "prioritaires_annees",
    )
    mutations, mut_result = trends.share_by_year(
        facts,
        years,
        threshold,
        "mutations",
        _ratio(objectives.mutations),
        "mutations",
    )
    workers, workers_result = trends.share_by_year(
        facts,
        years,
        threshold,
        "travailleurs_essentiels",
        _ratio(objectives.travailleurs_essentiels),
        "travailleurs_essentiels",
    )
    found.tables = {
        "premier_quartile": q1,
        "communes": t.first_quartile_by_scale(facts, objectives, evaluated, COMMUNE, threshold),
        "bailleurs": t.first_quartile_by_scale(facts, objectives, evaluated, LANDLORD, threshold),
        "contingents_q1": t.first_quartile_by_scale(
            facts, objectives, evaluated, CONTINGENT, threshold
        ),
        "prioritaires": prio,
        "motifs": t.priority_motives(facts, evaluated, threshold),
        "prioritaires_annees": prio_years,
        "mutations": mutations,
        "travailleurs": workers,
        "demandes": trends.applications_and_allocations(facts, years, threshold),
        "logements": trends.social_housing(facts, years),
    }
    qpv_results: list[t.Result] = []
    if objectives.has_qpv:  # without QPV, the second location objective does not apply
        others, others_result = t.other_quartiles_in_qpv_by_year(
            facts, objectives, years, threshold
        )
        found.tables |= {
            "autres_quartiles_qpv": without_empty_rows(others),
            **{
                f"qpv_{name}": t.other_quartiles_in_qpv_by_scale(
                    facts, objectives, evaluated, scale, threshold
                )
                for name, scale in (
                    ("communes", COMMUNE),
                    ("bailleurs", LANDLORD),
                    ("contingents", CONTINGENT),
                )
            },
        }
        qpv_results = [others_result]
    for key in ("premier_quartile", "prioritaires_annees", "mutations", "travailleurs", "demandes"):
        without_empty_rows(found.tables[key])
    found.results = {
        "premier_quartile": [q1_result],
        "autres_quartiles_qpv": qpv_results,
        "prioritaires": prio_results,
        "mutations": [mut_result],
        "travailleurs": [workers_result],
    }
    found.profiles = profile_tables(facts, years, threshold)
    found.complements = complementary_tables(facts, years, threshold) if period else []
    return found
