"""Profiles of applicants and beneficiaries: who asks for social housing and who obtains it.

A profile is a group (all applicants, applicants for a transfer, first-quartile applicants, the
households that obtained a dwelling...) broken down dimension by dimension (family composition,
age, activity, resources against the PLAI ceiling, motive of the application...). Its figures come
from the `repartitions` table (the SNE infocentre's published profiles) or, for beneficiaries,
from the allocation records that hold those fields. Counts are under statistical secrecy; a share
published without its count is shown as published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.indicators.allocations import (
    SECRET,
    AllocationFacts,
    BreakdownFact,
    Column,
    Grid,
    IndicatorTable,
    Note,
    RowLabel,
    is_known,
    note,
    sources_of,
)
from generator.indicators.secret_rows import group_masked_rows, grouped_note, placed
from generator.territory.allocations import CLOSED_DIMENSIONS

APPLICATIONS, ALLOCATIONS = "demandes", "attributions"
#: The rows a profile adds to its counts (the whole group, what the categories leave): keys of
#: the labels block (`lignes`), never equal to a category of the data that spells their words.
TOTAL, NOT_GIVEN = RowLabel("ensemble"), RowLabel("non_renseigne")


@dataclass(frozen=True)
class Group:
    """A profiled group: its table key, and the count of the whole it is a share of."""

    key: str
    side: str  # APPLICATIONS (demandes.csv) or ALLOCATIONS (the allocation counts)
    whole: str


#: The profiled groups, by population of the `repartitions` table, in the order shown.
GROUPS = {
    "demandes": Group("profil_demandes", APPLICATIONS, "demandes"),
    "demandes en mutation": Group("profil_mutations", APPLICATIONS, "mutations"),
    "demandes du premier quartile": Group(
        "profil_premier_quartile", APPLICATIONS, "premier_quartile"
    ),
    "demandes prioritaires": Group("profil_prioritaires", APPLICATIONS, "prioritaires"),
    "attributions au premier quartile": Group(
        "profil_attributaires_premier_quartile", ALLOCATIONS, "premier_quartile_hors_qpv"
    ),
    "attributions en mutation": Group("profil_attributaires_mutations", ALLOCATIONS, "mutations"),
}
#: Dimensions in the order a profile shows them.
DIMENSIONS = (
    "composition familiale",
    "âge",
    "activité",
    "ressources",
    "typologie",
    "motif de la demande",
    "financement",
    "motif de priorité",
    "profession",
)
#: The dimensions whose categories are motives: grouped under secrecy as « Autres motifs ».
MOTIVES = ("motif de la demande", "motif de priorité")
#: A household is in one category of these (its motives may be several).
EXCLUSIVE = ("composition familiale", "âge", "activité", "ressources", "typologie", "financement")


def profile_years(facts: AllocationFacts, years: list[int], population: str) -> list[int]:
    """The years of `years` for which the group's profile gives at least one figure."""
    known = {y for (y, p, _, _) in facts.breakdowns if p == population}
    return [y for y in years if y in known]


def _whole(facts: AllocationFacts, year: int, group: Group) -> int | None:
    if group.side == APPLICATIONS:
        found = facts.applications.get(year)
        return found.counts.get(group.whole) if found else None
    counts = facts.epci(year)
    return counts.get(group.whole) if counts else None


def _categories(dimension: str, found: set[str]) -> list[str]:
    closed = CLOSED_DIMENSIONS.get(dimension)
    if closed:
        return [c for c in closed if c in found]
    return sorted(found)


@dataclass
class _Year:
    """One year of one dimension: the counts under secrecy, or the published shares."""

    grid: Grid
    facts: dict[str, BreakdownFact]

    def count(self, label: str) -> Any:
        return self.grid.count(label, "n") if self._has(label) else None

    def share(self, label: str) -> Any:
        if not self._has(label):
            return None
        part = self.grid.rate(label, "n", "n", TOTAL)
        return self.facts[label].part if part is None and label in self.facts else part

    def _has(self, label: str) -> bool:
        """A category given this year, or the group of categories hidden whole."""
        return label in self.facts or label in self.grid.members

    def counted(self, label: str) -> bool:
        """Given with its count (not only its share) when given this year."""
        return label not in self.facts or self.facts[label].nombre is not None


def _year(
    facts: AllocationFacts, year: int, population: str, dimension: str, threshold: int
) -> _Year:
    group = GROUPS[population]
    found = facts.breakdown(year, population, dimension)
    whole = _whole(facts, year, group)
    grid = Grid(threshold)
    counts = {k: f.nombre for k, f in found.items() if f.nombre is not None}
    for label, n in counts.items():
        grid.put(label, "n", n)
    grid.put(TOTAL, "n", whole)
    if counts and whole is not None and dimension in EXCLUSIVE and sum(counts.values()) <= whole:
        # What the published categories leave: part of the sum a reader could redo.
        grid.put(NOT_GIVEN, "n", whole - sum(counts.values()))
        grid.column_sum([*counts, NOT_GIVEN], TOTAL, "n")
    return _Year(grid, found)


def _size(found: _Year, label: str) -> Decimal:
    """How large a category is, to order free categories (motives...): largest first."""
    fact = found.facts.get(label)
    if fact is None:
        return Decimal(-1)
    if fact.nombre is not None:
        return Decimal(fact.nombre)
    return fact.part if fact.part is not None else Decimal(-1)


def profile(
    facts: AllocationFacts, years: list[int], population: str, threshold: int
) -> IndicatorTable:
    """The group's profile, dimension by dimension: counts and shares for one year, the share of
    each year side by side for several."""
    group = GROUPS[population]
    shown_years = profile_years(facts, years, population)
    rows: list[list[Any]] = []
    used: list[Any] = []
    notes: list[Note | str] = []
    published = False
    for dimension in DIMENSIONS:
        by_year = {y: _year(facts, y, population, dimension, threshold) for y in shown_years}
        labels = _categories(dimension, {m for found in by_year.values() for m in found.facts})
        if dimension not in CLOSED_DIMENSIONS and shown_years:
            latest = by_year[shown_years[-1]]
            labels.sort(key=lambda label: -_size(latest, label))
        key = "autres_motifs" if dimension in MOTIVES else "autres_modalites"
        candidates = [x for x in labels if all(f.counted(x) for f in by_year.values())]
        grids = [found.grid for found in by_year.values()]
        together, grouped = group_masked_rows(grids, candidates, key)
        labels = placed(labels, together, grouped)
        notes += grouped_note(key, grouped, threshold, caracteristique=dimension)
        for index, label in enumerate(labels):
            heading = dimension.capitalize() if index == 0 else ""
            cells: list[Any] = []
            for found in by_year.values():
                share = found.share(label)
                count = found.count(label)
                published |= count is None and share is not None
                cells += [count, share] if len(shown_years) == 1 else [share]
            rows.append([heading, label, *cells])
        used += [f for found in by_year.values() for f in found.facts.values()]
    used += [_whole_item(facts, y, group) for y in shown_years]
    head = [Column("caracteristique", "text"), Column("modalite", "text")]
    if len(shown_years) == 1 and any(row[2] is not None for row in rows):
        head += [Column("effectif"), Column("part", "share")]
    elif len(shown_years) == 1:  # shares published without counts: the note says so
        head += [Column("part", "share")]
        rows = [[*row[:2], row[3]] for row in rows]
    else:
        head += [Column(str(y), "share") for y in shown_years]
    notes += [note("parts_publiees")] if published else []
    table = IndicatorTable(group.key, group.key, head, rows, sources_of(used), notes)
    table.figures = {"annees": _span(shown_years)}
    return table


def _whole_item(facts: AllocationFacts, year: int, group: Group) -> Any:
    return facts.applications.get(year) if group.side == APPLICATIONS else facts.epci(year)


def _span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


@dataclass(frozen=True)
class Leading:
    """The most frequent categories of one dimension in the latest year of a profile."""

    dimension: str
    categories: list[tuple[str, Decimal]]


def leading_categories(
    facts: AllocationFacts, year: int, population: str, threshold: int, most: int = 2
) -> list[Leading]:
    """For each dimension, its `most` largest categories and their shares in `year`, largest
    first; a share hidden by secrecy is never named."""
    found: list[Leading] = []
    for dimension in DIMENSIONS:
        shares = _year(facts, year, population, dimension, threshold)
        known = [
            (label, Decimal(part))
            for label in shares.facts
            if is_known(part := shares.share(label)) and part is not SECRET
        ]
        known.sort(key=lambda item: (-item[1], item[0]))
        if known:
            found.append(Leading(dimension, known[:most]))
    return found


#: The group each profile is compared with: the applicants a group is part of, or the
#: applicants whose allocations a group of beneficiaries received.
REFERENCES = {
    "demandes en mutation": "demandes",
    "demandes du premier quartile": "demandes",
    "demandes prioritaires": "demandes",
    "attributions au premier quartile": "demandes du premier quartile",
    "attributions en mutation": "demandes en mutation",
}


@dataclass(frozen=True)
class Comparison:
    """One category's share in a group and in the group it is compared with, the same year."""

    dimension: str
    category: str
    share: Decimal
    reference: Decimal

    @property
    def points(self) -> Decimal:
        return (self.share - self.reference) * 100


def compared_categories(
    facts: AllocationFacts, year: int, population: str, threshold: int
) -> list[Comparison]:
    """The categories of `population` whose share is known in `year` both in it and in the
    group of `REFERENCES` (never a masked share), in the order of the profile."""
    reference = REFERENCES.get(population)
    if reference is None:
        return []
    found: list[Comparison] = []
    for dimension in DIMENSIONS:
        mine = _year(facts, year, population, dimension, threshold)
        theirs = _year(facts, year, reference, dimension, threshold)
        for label in _categories(dimension, set(mine.facts) & set(theirs.facts)):
            share, other = mine.share(label), theirs.share(label)
            if is_known(share) and is_known(other):
                found.append(Comparison(dimension, label, Decimal(share), Decimal(other)))
    return found


def profile_tables(
    facts: AllocationFacts, years: list[int], threshold: int
) -> list[IndicatorTable]:
    """Every group's profile over `years`; a group without figures gives an empty table."""
    return [profile(facts, years, population, threshold) for population in GROUPS]
