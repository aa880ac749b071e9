"""What the bilan measures, before any formatting: its years, indicator tables, results and
charts. `bilan.py` turns an `Evaluation` into the template's context."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from generator.documents import bilan_charts as draw
from generator.documents import bilan_tables as t
from generator.documents import bilan_trends as trends
from generator.documents.bilan_complements import complementary_tables
from generator.documents.common import load_content
from generator.indicators.allocations import Facts, IndicatorTable, build_facts
from generator.render import charts
from generator.territory import objectives
from generator.territory.allocations import COMMUNE, CONTINGENT, LANDLORD
from generator.territory.schema import Territory

NAME = "bilan"
#: Period option → (number of years, word of the title).
PERIODS = {None: (1, "annuel"), "triennial": (3, "triennal"), "final": (6, "final")}


def output_name(period: str | None = None) -> str:
    """bilan, bilan-triennal, bilan-final: each period has its own files."""
    return NAME if period is None else f"{NAME}-{PERIODS[period][1]}"


@dataclass
class Evaluation:
    """The evaluated year (None without data), the years shown, and everything measured."""

    year: int | None
    years: list[int]
    period: str | None
    facts: Facts
    tables: dict[str, IndicatorTable] = field(default_factory=dict)
    complements: list[IndicatorTable] = field(default_factory=list)
    results: dict[str, list[t.Result]] = field(default_factory=dict)
    charts: list[charts.Chart] = field(default_factory=list)

    @property
    def published(self) -> list[IndicatorTable]:
        return [x for x in [*self.tables.values(), *self.complements] if not x.is_empty]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(s for x in self.published for s in x.sources))

    @property
    def all_results(self) -> list[t.Result]:
        return [r for group in self.results.values() for r in group]


def facts_of(territory: Territory) -> Facts:
    """The allocation facts of a territory (its tables are checked together when loaded)."""
    objectives = territory.config.objectifs
    tables = [
        getattr(territory, name)
        for name in ("attributions", "attributions_agregees", "repartitions", "demandes")
    ]
    housing = territory.logements_sociaux
    thresholds = {s.annee: s.seuil_annuel for s in territory.seuils_quartile if s.seuil_annuel}
    return build_facts(*tables, housing, thresholds, objectives.qpv)


def legal_priority_share(territory: Territory) -> Decimal:
    """Share of allocations to priority households if every contingent met its target, with
    the theoretical split of contingents (State 25 % of which 5 % for its agents: 42,5 %)."""
    state = load_content(territory, "national/contingents.yaml")["etat"]
    share, agents = (Decimal(str(state[k])) for k in ("part_du_parc", "part_agents_etat_max"))
    return objectives.legal_priority_share(territory.config.objectifs, share, agents)


def without_empty_rows(table: IndicatorTable) -> IndicatorTable:
    """Years or groups for which nothing at all is known are left out."""
    table.rows = [row for row in table.rows if any(v is not None for v in row[1:])]
    return table


def window(facts: Facts, year: int, period: str | None) -> tuple[int | None, list[int]]:
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
    territory: Territory, facts: Facts, years: list[int], threshold: int
) -> tuple[IndicatorTable, list[t.Result]]:
    """Per contingent in the evaluated year, each result with the previous year's."""
    objectives, legal = territory.config.objectifs, legal_priority_share(territory)
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


def evaluate(territory: Territory, year: int, period: str | None = None) -> Evaluation:
    """Every table, result and chart of the bilan of `year` (or of the period ending then)."""
    facts = facts_of(territory)
    objectives = territory.config.objectifs
    threshold = territory.config.secret_statistique
    evaluated, years = window(facts, year, period)
    found = Evaluation(evaluated, years, period, facts)
    if evaluated is None:
        return found
    q1, q1_result = t.first_quartile_by_year(facts, objectives, years, threshold)
    prio, prio_results = _priority(territory, facts, years, threshold)
    prio_years, _ = trends.share_by_year(
        facts,
        years,
        threshold,
        "prioritaires",
        "ménages DALO et prioritaires",
        None,
        "prioritaires_annees",
    )
    mutations, mut_result = trends.share_by_year(
        facts,
        years,
        threshold,
        "mutations",
        "ménages en mutation",
        _ratio(objectives.mutations),
        "mutations",
    )
    workers, workers_result = trends.share_by_year(
        facts,
        years,
        threshold,
        "travailleurs_essentiels",
        "travailleurs essentiels",
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
    for key in ("premier_quartile", "prioritaires_annees", "mutations", "travailleurs", "demandes"):
        without_empty_rows(found.tables[key])
    found.results = {
        "premier_quartile": [q1_result],
        "prioritaires": prio_results,
        "mutations": [mut_result],
        "travailleurs": [workers_result],
    }
    found.complements = complementary_tables(facts, years, threshold) if period else []
    found.charts = _charts(found, objectives.premier_quartile_hors_qpv / 100)
    return found


def _charts(found: Evaluation, target: Decimal) -> list[charts.Chart]:
    prefix = f"{output_name(found.period)}-{found.year}"
    tables = found.tables
    drawn = [
        draw.first_quartile_chart(prefix, tables["premier_quartile"], target),
        draw.by_group_chart(prefix, tables["communes"], "commune"),
        draw.by_group_chart(prefix, tables["bailleurs"], "bailleur"),
        draw.priority_chart(prefix, tables["prioritaires"]),
        draw.contingent_split_chart(prefix, tables["prioritaires"]),
        *draw.demand_charts(prefix, tables["demandes"]),
    ]
    return [c for c in drawn if c is not None]
