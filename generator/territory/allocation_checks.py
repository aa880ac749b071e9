"""Checks across the allocation tables: what no single row shows.

A year given both one allocation per row and as published counts, a breakdown of allocations
that the records already give, the same year and scale twice, the communes of a year adding up
to more than the EPCI, a QPV where the territory has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from generator.errors import Problems
from generator.messages import _
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
            problems.add(
                item.row.at(), _("{what} already given in row {seen}", what=what, seen=seen[k])
            )
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
                        _(
                            "the {scale} rows of {year} add up to {given} {name}, more than the"
                            " EPCI's {total} (row {line})",
                            scale=scale,
                            year=year,
                            given=sum(given),
                            name=name,
                            total=total,
                            line=whole.row.line,
                        ),
                    )


#: The count of a whole that a breakdown's population is part of, by table.
_AGGREGATE_WHOLES = {
    "attributions": "attributions",
    "attributions aux ménages prioritaires": "prioritaires",
    "attributions en mutation": "mutations",
    "attributions aux travailleurs essentiels": "travailleurs_essentiels",
}
_APPLICATION_WHOLES = {
    "demandes": "demandes",
    "demandes en mutation": "mutations",
    "demandes du premier quartile": "premier_quartile",
    "demandes prioritaires": "prioritaires",
}
#: A household has one dwelling type, one family composition...; it may have several motives.
_ONE_CATEGORY_EACH = ("typologie", "composition familiale", "financement", "âge")


def _breakdowns_within_wholes(
    breakdowns: Sequence[Breakdown],
    aggregates: Sequence[AllocationCounts],
    applications: Sequence[Applications],
    problems: Problems,
) -> None:
    """A category cannot count more than its population, nor exclusive categories add up to more."""
    wholes: dict[tuple[int, str], tuple[int, Any, str]] = {}
    for item in aggregates:
        if item.echelle == EPCI:
            for population, name in _AGGREGATE_WHOLES.items():
                if name in item.counts:
                    wholes[(item.annee, population)] = (item.counts[name], item.row, name)
    for entry in applications:
        if entry.commune is None:
            for population, name in _APPLICATION_WHOLES.items():
                if (value := getattr(entry, name, None)) is not None:
                    wholes[(entry.annee, population)] = (value, entry.row, name)
    sums: dict[tuple[int, str, str], list[Breakdown]] = {}
    for part in breakdowns:
        whole = wholes.get((part.annee, part.population))
        if part.nombre is None or whole is None:
            continue
        total, row, name = whole
        where = _(
            "{file} (row {line}, {name})",
            file=row.file.rsplit("/", 1)[-1],
            line=row.line,
            name=name,
        )
        if part.nombre > total:
            problems.add(
                part.row.at("nombre"),
                _(
                    "{nombre} {population} in one category, more than the {total} of {annee} in"
                    " {where}: correct one of the two",
                    nombre=part.nombre,
                    population=part.population,
                    total=total,
                    annee=part.annee,
                    where=where,
                ),
            )
        elif part.dimension in _ONE_CATEGORY_EACH:
            sums.setdefault((part.annee, part.population, part.dimension), []).append(part)
    for (year, population, dimension), items in sums.items():
        total, row, name = wholes[(year, population)]
        given = sum(i.nombre or 0 for i in items)
        if given > total:
            problems.add(
                items[-1].row.at("nombre"),
                _(
                    "the categories of {dimension} add up to {given} {population} in {year}, more"
                    " than the {total} of {file} (row {line})",
                    dimension=dimension,
                    given=given,
                    population=population,
                    year=year,
                    total=total,
                    file=row.file.rsplit("/", 1)[-1],
                    line=row.line,
                ),
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
                _(
                    "{annee} is also given one allocation per row (attributions): give each year"
                    " in one form only",
                    annee=item.annee,
                ),
            )
    for part in breakdowns:
        if part.annee in record_years and part.population.startswith("attributions"):
            problems.add(
                part.row.at("population"),
                _(
                    "the allocations of {annee} are given one per row (attributions): their"
                    " breakdowns are computed, remove this row",
                    annee=part.annee,
                ),
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
    _breakdowns_within_wholes(breakdowns, aggregates, applications, problems)
    if objectives.qpv is False:  # unset: the CIA and the bilan ask for it
        hint = _("the territory has no QPV (objectifs.qpv in territory.yaml)")
        for record in records:
            if record.qpv:
                problems.add(record.row.at("qpv"), _('"oui" but {hint}', hint=hint))
        for item in aggregates:
            for name in ("attributions_qpv", "autres_quartiles_qpv"):
                if item.counts.get(name):
                    problems.add(
                        item.row.at(name),
                        _("{counts} but {hint}", counts=item.counts[name], hint=hint),
                    )
    return problems
