"""Complementary indicators of the triennial and final bilans: applications and allocations by
dwelling type, household composition, financing and motive; priority and first-quartile
applications against allocations. The profiles of applicants and beneficiaries are in
`profiles`, shown by every bilan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.indicators.allocations import (
    AllocationFacts,
    BreakdownFact,
    Column,
    Grid,
    IndicatorTable,
    RowLabel,
    sources_of,
)
from generator.indicators.profiles import MOTIVES
from generator.indicators.results import TOTAL
from generator.indicators.secret_rows import group_masked_rows, grouped_note, placed
from generator.indicators.trends import tension_of
from generator.territory.allocations import CLOSED_DIMENSIONS

#: The applications or allocations whose category is not given: a key of the labels block.
NOT_GIVEN = RowLabel("non_renseigne")
#: The dimensions compared between applications and allocations; each table's key is
#: `repartition_<first word>`, its words in content/blocs/libelles.yaml.
COMPARED = ("typologie", "composition familiale", "financement", "motif de la demande")


def _order(dimension: str, categories: list[str]) -> list[str]:
    closed = CLOSED_DIMENSIONS.get(dimension)
    if closed:
        return [c for c in closed if c in categories]
    return sorted(categories)


def _latest(
    facts: AllocationFacts, years: list[int], population: str, dimension: str
) -> tuple[int, dict]:
    for year in reversed(years):
        found = facts.breakdown(year, population, dimension)
        if found:
            return year, found
    return years[-1], {}


def _cumulated(
    facts: AllocationFacts, years: list[int], population: str, dimension: str
) -> dict[str, int]:
    """Counts of each category over the years, only when every year gives counts."""
    total: dict[str, int] = {}
    for year in years:
        for category, fact in facts.breakdown(year, population, dimension).items():
            if fact.nombre is None:
                return {}
            total[category] = total.get(category, 0) + fact.nombre
    return total


def _column(
    grid: Grid, column: str, counts: dict[str, Any], whole: int | None, labels: list[str]
) -> None:
    for label in labels:
        grid.put(label, column, counts.get(label, 0) if counts else None)
    grid.put(TOTAL, column, whole)
    if counts and whole is not None and sum(counts.values()) <= whole:
        grid.put(NOT_GIVEN, column, whole - sum(counts.values()))
        grid.column_sum([*labels, NOT_GIVEN], TOTAL, column)


def compared_breakdown(
    facts: AllocationFacts, years: list[int], dimension: str, threshold: int
) -> IndicatorTable:
    """Applications of the last year and allocations of the period, by one dimension."""
    year, applied = _latest(facts, years, "demandes", dimension)
    allocated = _cumulated(facts, years, "attributions", dimension)
    applied_counts = {k: f.nombre for k, f in applied.items() if f.nombre is not None}
    labels = _order(dimension, sorted(set(applied) | set(allocated)))
    applications = facts.applications.get(year)
    by_year = [counts.get("attributions") if (counts := facts.epci(y)) else None for y in years]
    allocation_total = [n for n in by_year if n is not None]
    grid = Grid(threshold)
    _column(
        grid,
        "dem",
        applied_counts if len(applied_counts) == len(applied) else {},
        applications.counts.get("demandes") if applications else None,
        labels,
    )
    _column(
        grid,
        "att",
        allocated,
        sum(allocation_total) if len(allocation_total) == len(by_year) else None,
        labels,
    )
    grouped_key = "autres_motifs" if dimension in MOTIVES else "autres_modalites"
    together, grouped = group_masked_rows([grid], labels, grouped_key)
    labels = placed(labels, together, grouped)
    remainder = any((grid.values.get((NOT_GIVEN, c)) or 0) > 0 for c in ("dem", "att"))
    shown = [*labels, *([NOT_GIVEN] if remainder else []), TOTAL]
    rows = []
    for label in shown if labels else []:
        dem_share = grid.rate(label, "dem", "dem", TOTAL)
        if dem_share is None and label in applied:
            dem_share = applied[label].part
        att_share = grid.rate(label, "att", "att", TOTAL)
        rows.append(
            [label, grid.count(label, "dem"), dem_share, grid.count(label, "att"), att_share]
        )
    period = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("categorie", "text"),
        Column("demandes"),
        Column("part_demandes", "share"),
        Column("attributions"),
        Column("part_attributions", "share"),
    ]
    facts_used = [*applied.values(), *(f for y in years for f in _facts(facts, y, dimension))]
    notes = grouped_note(grouped_key, grouped, threshold, caracteristique=dimension)
    key = f"repartition_{dimension.split()[0]}"
    table = IndicatorTable(key, key, head, rows, sources_of(facts_used), notes)
    table.figures = {"annee_demandes": str(year), "periode": period}
    return table


def _facts(facts: AllocationFacts, year: int, dimension: str) -> list[BreakdownFact]:
    return list(facts.breakdown(year, "attributions", dimension).values())


def _applications(facts: AllocationFacts, name: str) -> Any:
    return lambda y: facts.applications[y].counts.get(name) if y in facts.applications else None


def _allocations(facts: AllocationFacts, name: str) -> Any:
    return lambda y: counts.get(name) if (counts := facts.epci(y)) else None


def _application_share(
    facts: AllocationFacts, grid: Grid, year: int, name: str
) -> Decimal | None | Any:
    part = grid.rate(year, "dem_n", "dem")
    if part is None and year in facts.applications:
        part = facts.applications[year].rates.get(name)
    return part


def targeted_applications(
    facts: AllocationFacts, years: list[int], threshold: int, group: str
) -> IndicatorTable:
    """Priority (or first-quartile) applications and allocations by year, with their tension."""
    application_name = {"prioritaires": "prioritaires", "premier_quartile": "premier_quartile"}[
        group
    ]
    allocation_name = "prioritaires" if group == "prioritaires" else "premier_quartile_hors_qpv"
    grid = Grid(threshold)
    for y in years:
        grid.put(y, "dem", _applications(facts, "demandes")(y))
        grid.put(y, "dem_n", _applications(facts, application_name)(y))
        grid.put(y, "att", _allocations(facts, "attributions")(y))
        grid.put(y, "att_n", _allocations(facts, allocation_name)(y))
    rows = [
        [
            str(y),
            grid.count(y, "dem_n"),
            _application_share(facts, grid, y, application_name),
            grid.count(y, "att_n"),
            grid.rate(y, "att_n", "att"),
            tension_of(grid, y, "dem_n", "att_n"),
        ]
        for y in years
    ]
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("annee", "text"),
        Column("demandes"),
        Column("part_demande", "share"),
        Column("attributions"),
        Column("part_attributions", "share"),
        Column("tension", "ratio"),
    ]
    items = [facts.applications.get(y) for y in years] + [facts.epci(y) for y in years]
    key = f"demandes_{group}"
    return IndicatorTable(key, key, head, rows, sources_of(items))


def complementary_tables(
    facts: AllocationFacts, years: list[int], threshold: int
) -> list[IndicatorTable]:
    tables = [compared_breakdown(facts, years, d, threshold) for d in COMPARED]
    tables += [
        targeted_applications(facts, years, threshold, g)
        for g in ("prioritaires", "premier_quartile")
    ]
    return [t for t in tables if not t.is_empty]
