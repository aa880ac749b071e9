"""The bilan's tables year by year: the share of one group of households among allocations,
applications against allocations with their tension, and the social housing stock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.indicators.allocations import (
    SECRET,
    AllocationFacts,
    Column,
    Grid,
    IndicatorTable,
    Secret,
    sources_by_year,
    sources_of,
)
from generator.indicators.core import share, tension
from generator.indicators.results import Result, published_years, shares_by_year


def _by_year(
    facts: AllocationFacts, years: list[int], threshold: int, names: dict[str, Any]
) -> Grid:
    grid = Grid(threshold)
    for y in years:
        for column, value_of in names.items():
            grid.put(y, column, value_of(y))
    return grid


def _epci_value(facts: AllocationFacts, name: str) -> Any:
    return lambda y: counts.get(name) if (counts := facts.epci(y)) else None


def share_by_year(
    facts: AllocationFacts,
    years: list[int],
    threshold: int,
    name: str,
    target: Decimal | None,
    key: str,
) -> tuple[IndicatorTable, Result]:
    """Allocations and the share of one group (priority, mutations, key workers) by year.

    The table and the result are computed under keys (`key`, and `name` for the objective):
    their words are in the labels block."""
    lines, result = shares_by_year(
        facts, years, threshold, lambda c: c.get("attributions"), name, target, name
    )
    rows = [[str(x.annee), x.base, x.effectif, x.part, x.ecart, x.evolution] for x in lines]
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("annee", "text"),
        Column("attributions"),
        Column("effectif"),
        Column("part", "share"),
        Column("ecart_objectif", "points"),
        Column("evolution", "points"),
    ]
    if target is None:
        head.pop(4)
        rows = [row[:4] + row[5:] for row in rows]
    sources = sources_of(facts.epci(y) for y in years)
    table = IndicatorTable(key, key, head, rows, sources, published_years(lines))
    table.row_sources = sources_by_year(years, facts.epci)
    return table, result


def _application_value(facts: AllocationFacts, name: str) -> Any:
    return lambda y: facts.applications[y].counts.get(name) if y in facts.applications else None


def tension_of(grid: Grid, row: object, applications: str, allocations: str) -> Any:
    a, b = grid.count(row, applications), grid.count(row, allocations)
    if isinstance(a, Secret) or isinstance(b, Secret):
        return SECRET
    return tension(a, b) if a is not None and b is not None else None


def _difference(total: Any, part: Any) -> int | None:
    return total - part if total is not None and part is not None else None


def applications_and_allocations(
    facts: AllocationFacts, years: list[int], threshold: int
) -> IndicatorTable:
    """Applications active at year end and allocations, first access and mutation, tension."""
    dem, mut = _application_value(facts, "demandes"), _application_value(facts, "mutations")
    att, att_mut = _epci_value(facts, "attributions"), _epci_value(facts, "mutations")
    grid = _by_year(
        facts,
        years,
        threshold,
        {
            "dem": dem,
            "dem_pa": lambda y: _difference(dem(y), mut(y)),
            "dem_mut": mut,
            "att": att,
            "att_pa": lambda y: _difference(att(y), att_mut(y)),
            "att_mut": att_mut,
        },
    )
    for y in years:
        grid.row_sum(y, ["dem_pa", "dem_mut"], "dem")
        grid.row_sum(y, ["att_pa", "att_mut"], "att")
    rows = [
        [
            str(y),
            *(grid.count(y, c) for c in ("dem", "dem_pa", "dem_mut", "att", "att_pa", "att_mut")),
            tension_of(grid, y, "dem", "att"),
            tension_of(grid, y, "dem_mut", "att_mut"),
        ]
        for y in years
    ]
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("annee", "text"),
        Column("demandes"),
        Column("demandes_premier_acces"),
        Column("demandes_mutation"),
        Column("attributions"),
        Column("attributions_premier_acces"),
        Column("attributions_mutation"),
        Column("tension", "ratio"),
        Column("tension_mutations", "ratio"),
    ]
    items = [facts.applications.get(y) for y in years] + [facts.epci(y) for y in years]
    table = IndicatorTable(
        "demandes_attributions",
        "demandes_attributions",
        head,
        rows,
        sources_of(items),
    )
    table.row_sources = sources_by_year(years, facts.applications.get, facts.epci)
    return table


def social_housing(facts: AllocationFacts, years: list[int]) -> IndicatorTable:
    """Stock, PLAI, dwellings financed and commissioned by year (dwellings are not secret)."""
    rows = []
    for y in years:
        found = facts.housing.get((y, ""))
        if not found:
            continue
        n = found.counts
        plai = share(n["parc_plai"], n["parc"]) if {"parc", "parc_plai"} <= set(n) else None
        rows.append(
            [
                str(y),
                n.get("parc"),
                n.get("parc_plai"),
                plai if plai is not None else found.part_plai,
                n.get("produits"),
                n.get("produits_plai"),
                n.get("mis_en_service"),
                n.get("mis_en_service_plai"),
            ]
        )
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("annee", "text"),
        Column("parc", "dwellings"),
        Column("parc_plai", "dwellings"),
        Column("part_plai", "share"),
        Column("produits", "dwellings"),
        Column("produits_plai", "dwellings"),
        Column("mis_en_service", "dwellings"),
        Column("mis_en_service_plai", "dwellings"),
    ]
    published = [facts.housing.get((y, "")) for y in years]
    return IndicatorTable(
        "logements_sociaux", "logements_sociaux", head, rows, sources_of(published)
    )
