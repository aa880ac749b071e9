"""Checks across the allocation tables: what no single row shows.

A year given both one allocation per row and as published counts, a breakdown of allocations
that the records already give, the same year and scale twice, the communes of a year adding up
to more than the EPCI, a QPV where the territory has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from generator.errors import Problems
from generator.territory.allocations import (
    COMMUNE,
    CONTINGENT,
    EPCI,
    LANDLORD,
    AllocationCounts,
    AllocationRecord,
    Breakdown,
)
from generator.territory.demand_housing import Applications, SocialHousing
from generator.territory.objectives import Objectives


def _duplicates(items: Iterable[Any], key: Any, what: str, problems: Problems) -> None:
    seen: dict[Any, int] = {}
    for item in items:
        k = key(item)
        if k in seen:
            problems.add(item.row.at(), f"{what} already given in row {seen[k]}")
        seen.setdefault(k, item.row.line)


def _scale_totals(aggregates: Sequence[AllocationCounts], problems: Problems) -> None:
    """The rows of the communes (landlords, contingents) of a year cannot exceed the EPCI."""
    epci_rows = {a.annee: a for a in aggregates if a.echelle == EPCI}
    for scale in (COMMUNE, LANDLORD, CONTINGENT):
        for year, whole in epci_rows.items():
            rows = [a for a in aggregates if a.annee == year and a.echelle == scale]
            for name, total in whole.counts.items():
                given = [a.counts[name] for a in rows if name in a.counts]
                if given and sum(given) > total:
                    problems.add(
                        rows[-1].row.at(name),
                        f"the {scale} rows of {year} add up to {sum(given)} {name}, more than "
                        f"the EPCI's {total} (row {whole.row.line})",
                    )


def check_allocations(
    records: Sequence[AllocationRecord],
    aggregates: Sequence[AllocationCounts],
    breakdowns: Sequence[Breakdown],
    applications: Sequence[Applications],
    housing: Sequence[SocialHousing],
    objectives: Objectives,
) -> Problems:
    """What no single row shows: a year given twice, a QPV where there is none, sums too high."""
    problems = Problems()
    record_years = {r.annee for r in records}
    for item in aggregates:
        if item.annee in record_years:
            problems.add(
                item.row.at("annee"),
                f"{item.annee} is also given one allocation per row (attributions): "
                "give each year in one form only",
            )
    for item in breakdowns:
        if item.annee in record_years and item.population.startswith("attributions"):
            problems.add(
                item.row.at("population"),
                f"the allocations of {item.annee} are given one per row (attributions): "
                "their breakdowns are computed, remove this row",
            )
    _duplicates(aggregates, lambda a: a.key, "this year and scale is", problems)
    _duplicates(
        breakdowns,
        lambda b: (b.annee, b.population, b.dimension, b.modalite),
        "this year, population and category is",
        problems,
    )
    _duplicates(applications, lambda a: (a.annee, a.commune), "this year and commune is", problems)
    _duplicates(housing, lambda h: (h.annee, h.commune), "this year and commune is", problems)
    _scale_totals(aggregates, problems)
    if not objectives.qpv:
        hint = "the territory has no QPV (objectifs.qpv in territory.yaml)"
        for record in records:
            if record.qpv:
                problems.add(record.row.at("qpv"), f'"oui" but {hint}')
        for item in aggregates:
            for name in ("attributions_qpv", "autres_quartiles_qpv"):
                if item.counts.get(name):
                    problems.add(item.row.at(name), f"{item.counts[name]} but {hint}")
    return problems
