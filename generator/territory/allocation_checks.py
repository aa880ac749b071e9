"""Checks across the allocation tables: what no single row shows.

A year given both one allocation per row and as published counts, a breakdown of allocations
that the records already give, the same year and scale twice, the communes of a year adding up
to more than the EPCI, a QPV where the territory has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from generator.errors import Problems
from generator.messages import _
from generator.territory.allocations import (
    CLOSED_DIMENSIONS,
    COMMUNE,
    CONTINGENT,
    EPCI,
    LANDLORD,
    WITH_CHILDREN,
    WITH_CHILDREN_PARTS,
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
    "attributions au premier quartile": "premier_quartile_hors_qpv",
    "attributions aux travailleurs essentiels": "travailleurs_essentiels",
}
_APPLICATION_WHOLES = {
    "demandes": "demandes",
    "demandes en mutation": "mutations",
    "demandes du premier quartile": "premier_quartile",
    "demandes prioritaires": "prioritaires",
}
#: A household has one dwelling type, one family composition...; it may have several motives.
_ONE_CATEGORY_EACH = (
    "typologie",
    "composition familiale",
    "financement",
    "âge",
    "activité",
    "ressources",
)


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


def rounding_margin(shares: int) -> Decimal:
    """How far from 100 % published shares may add up: half a point for each rounded share."""
    return Decimal("0.5") * shares


def _groups(breakdowns: Sequence[Breakdown]) -> dict[tuple[int, str, str], list[Breakdown]]:
    groups: dict[tuple[int, str, str], list[Breakdown]] = {}
    for part in breakdowns:
        groups.setdefault((part.annee, part.population, part.dimension), []).append(part)
    return groups


def _covers_every_category(dimension: str, categories: set[str]) -> bool:
    closed = set(CLOSED_DIMENSIONS.get(dimension, ()))
    if not closed:
        return False
    if WITH_CHILDREN in categories:
        categories = categories | set(WITH_CHILDREN_PARTS)
    return closed - {WITH_CHILDREN} <= categories


def _shares_add_up(breakdowns: Sequence[Breakdown], problems: Problems) -> None:
    """The published shares of exclusive categories add up to 100 % at most (within rounding),
    and to 100 % when every category is given; a group is given with or without its parts."""
    for (year, population, dimension), items in _groups(breakdowns).items():
        categories = {i.modalite for i in items}
        if WITH_CHILDREN in categories and categories & set(WITH_CHILDREN_PARTS):
            both = next(i for i in items if i.modalite in WITH_CHILDREN_PARTS)
            problems.add(
                both.row.at("modalite"),
                _(
                    '"{part}" is also counted in "{group}" for {population} in {year}: give '
                    "the group or its parts, not both",
                    part=both.modalite,
                    group=WITH_CHILDREN,
                    population=population,
                    year=year,
                ),
            )
            continue
        shares = [i for i in items if i.part is not None]
        if dimension not in _ONE_CATEGORY_EACH or not shares or len(shares) < len(items):
            continue
        total = sum(((i.part or Decimal(0)) * 100 for i in shares), Decimal(0))
        margin = rounding_margin(len(shares))
        complete = _covers_every_category(dimension, categories)
        figures = {
            "dimension": dimension,
            "total": f"{total.normalize():f}".replace(".", ","),
            "population": population,
            "year": year,
            "margin": f"{margin.normalize():f}".replace(".", ","),
        }
        where = shares[-1].row.at("part")
        if total > 100 + margin:
            problems.add(
                where,
                _(
                    "the shares of {dimension} add up to {total} % for {population} in {year}: "
                    "more than 100 % (each share may be rounded: {margin} points of margin)",
                    **figures,
                ),
            )
        elif complete and total < 100 - margin:
            problems.add(
                where,
                _(
                    "the shares of {dimension} add up to {total} % for {population} in {year}: "
                    "every category is given, they should make 100 % (each share may be "
                    "rounded: {margin} points of margin)",
                    **figures,
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
    _shares_add_up(breakdowns, problems)
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
