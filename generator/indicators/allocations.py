"""Allocation facts from records or from published counts, and the bilan's indicator tables.

Records are first counted into the very shape of the published aggregates (`Counts` per year and
scale, `Breakdown` counts); every indicator is then computed from that one shape, so that the two
forms of input give the same tables by construction. Tables come out with statistical secrecy
already applied: a hidden count is the `SECRET` mark, and so is every figure derived from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeGuard

from generator.indicators.core import secret_cells, share
from generator.territory.allocations import (
    AGGREGATE_COUNTS,
    COMMUNE,
    CONTINGENT,
    EPCI,
    LANDLORD,
    AllocationCounts,
    AllocationRecord,
    Breakdown,
    age_group,
    is_first_quartile,
)
from generator.territory.demand_housing import Applications, SocialHousing


class Secret:
    """A figure hidden by statistical secrecy; shown as « s »."""

    def __repr__(self) -> str:
        return "SECRET"

    def __str__(self) -> str:
        return "s"


SECRET = Secret()


class RowLabel(str):
    """A row a computation adds to a table (the total, the remainder not broken down, members
    grouped under secrecy), under a key of the labels block (`lignes`) with the figures its
    words name; the documents stage words it.

    A `str`, so that it sorts and keys a grid as the names from the data do; it equals only
    the same row label, never a name from the data that happens to spell its key."""

    figures: tuple[tuple[str, int], ...]

    def __new__(cls, key: str, **figures: int) -> RowLabel:
        label = super().__new__(cls, key)
        label.figures = tuple(sorted(figures.items()))
        return label

    @property
    def key(self) -> str:
        return str.__str__(self)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RowLabel) and self.key == other.key and self.figures == other.figures
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((RowLabel, self.key, self.figures))

    def __repr__(self) -> str:
        return f"RowLabel({self.key!r}, {dict(self.figures)!r})"


#: Breakdowns computed from records: population → dimensions, and the record field of each.
RECORD_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "attributions": ("typologie", "composition familiale", "financement", "motif de la demande"),
    "attributions aux ménages prioritaires": ("motif de priorité",),
    "attributions au premier quartile": (
        "composition familiale",
        "âge",
        "activité",
        "ressources",
        "typologie",
        "motif de la demande",
    ),
    "attributions en mutation": (
        "composition familiale",
        "âge",
        "activité",
        "ressources",
        "motif de la demande",
    ),
    "attributions aux travailleurs essentiels": ("profession",),
}
_FIELDS = {
    "typologie": "typologie",
    "composition familiale": "composition",
    "financement": "financement",
    "motif de la demande": "motif_demande",
    "motif de priorité": "motif_priorite",
    "profession": "profession",
    "activité": "activite",
    "ressources": "ressources",
}
#: The contingent of a landlord's own dwellings.
NON_RESERVED = "Non réservé"


@dataclass(frozen=True)
class Counts:
    """Allocation counts of one year at one scale; a missing name is an unknown count."""

    annee: int
    echelle: str
    entite: str
    values: Mapping[str, int]
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    source: str | None = None

    def get(self, name: str) -> int | None:
        return self.values.get(name)

    @property
    def hors_qpv(self) -> int | None:
        total, qpv = self.get("attributions"), self.get("attributions_qpv")
        return None if total is None or qpv is None else total - qpv

    def measured(self, objective: str, base: int | None) -> int | None:
        """The allocations of `base` a location objective is measured on: those whose
        household's quartile is known (`objective`: premier_quartile_hors_qpv or
        autres_quartiles_qpv)."""
        if base is None:
            return None
        return base - self.values.get(UNKNOWN_QUARTILE[objective], 0)

    def unknown_quartile(self, objective: str) -> int:
        """Allocations of a location objective's base whose quartile is not known."""
        return self.values.get(UNKNOWN_QUARTILE[objective], 0)


@dataclass(frozen=True)
class BreakdownFact:
    nombre: int | None
    part: Decimal | None
    source: str | None


@dataclass(frozen=True)
class AllocationFacts:
    """Everything the bilan computes from, whichever form the territory's data came in."""

    counts: dict[tuple[int, str, str], Counts]
    breakdowns: dict[tuple[int, str, str, str], BreakdownFact]
    applications: dict[int, Applications]
    housing: dict[tuple[int, str], SocialHousing]
    thresholds: dict[int, Decimal]

    @property
    def years(self) -> list[int]:
        """Years with allocation figures for the whole EPCI."""
        return sorted({y for (y, scale, _) in self.counts if scale == EPCI})

    def epci(self, year: int) -> Counts | None:
        return self.counts.get((year, EPCI, ""))

    def scale(self, year: int, scale: str) -> list[Counts]:
        found = [c for (y, s, _), c in self.counts.items() if y == year and s == scale]
        return sorted(found, key=lambda c: c.entite)

    def breakdown(self, year: int, population: str, dimension: str) -> dict[str, BreakdownFact]:
        return dict(self._by_group.get((year, population, dimension), {}))

    @cached_property
    def _by_group(self) -> dict[tuple[int, str, str], dict[str, BreakdownFact]]:
        """The breakdowns by year, population and dimension, in their order: a bilan asks for
        a thousand of them."""
        grouped: dict[tuple[int, str, str], dict[str, BreakdownFact]] = {}
        for (y, p, d, m), fact in self.breakdowns.items():
            grouped.setdefault((y, p, d), {})[m] = fact
        return grouped


#: Allocations whose household's quartile is not known, outside and in QPV: left out of the
#: base of their location objective (records only; published counts have none).
UNKNOWN_QUARTILE = {
    "premier_quartile_hors_qpv": "quartile_inconnu_hors_qpv",
    "autres_quartiles_qpv": "quartile_inconnu_qpv",
}


def _record_values(records: Sequence[AllocationRecord], thresholds: Mapping[int, Decimal]) -> dict:
    names = [*AGGREGATE_COUNTS, *UNKNOWN_QUARTILE.values()]
    values: Counter[str] = Counter({name: 0 for name in names})
    for r in records:
        first = is_first_quartile(r, thresholds)
        values["attributions"] += 1
        values["attributions_qpv"] += r.qpv
        values["premier_quartile_hors_qpv"] += (not r.qpv) and first is True
        values["autres_quartiles_qpv"] += r.qpv and first is False
        if first is None:
            values[
                UNKNOWN_QUARTILE["autres_quartiles_qpv" if r.qpv else "premier_quartile_hors_qpv"]
            ] += 1
        values["prioritaires"] += r.prioritaire
        values["dalo"] += r.dalo
        values["mutations"] += r.mutation
        values["travailleurs_essentiels"] += r.travailleur_essentiel
        # A landlord's non-reserved flow, the base of its priority commitment: records only.
        values["non_reserves"] += r.contingent == NON_RESERVED
    # An allocation whose quartile is unknown is left out of its objective's base and named in a
    # note; the objective's count is unknown (never 0) only when no allocation of the base has a
    # known quartile: there is nothing left to measure.
    outside = values["attributions"] - values["attributions_qpv"]
    bases = {
        "premier_quartile_hors_qpv": outside,
        "autres_quartiles_qpv": values["attributions_qpv"],
    }
    unknown = {
        name for name, base in bases.items() if base and values[UNKNOWN_QUARTILE[name]] == base
    }
    return {name: count for name, count in values.items() if name not in unknown}


def _record_scale(record: AllocationRecord, scale: str) -> str:
    if scale == COMMUNE:
        return record.commune.nom
    return {EPCI: "", LANDLORD: record.bailleur, CONTINGENT: record.contingent}[scale]


def counts_from_records(
    records: Sequence[AllocationRecord], thresholds: Mapping[int, Decimal], default_source: str
) -> list[Counts]:
    """The counts a partner would publish from these records, at every scale; records that
    name no source are from `default_source` (its words are in the labels block)."""
    groups: dict[tuple[int, str, str], list[AllocationRecord]] = {}
    for record in records:
        for scale in (EPCI, COMMUNE, LANDLORD, CONTINGENT):
            key = (record.annee, scale, _record_scale(record, scale))
            groups.setdefault(key, []).append(record)
    counts = []
    for (year, scale, entity), members in sorted(groups.items()):
        source = next((r.source for r in members if r.source), default_source)
        counts.append(Counts(year, scale, entity, _record_values(members, thresholds), {}, source))
    return counts


def _population(record: AllocationRecord, population: str, first: bool | None) -> bool:
    return {
        "attributions": True,
        "attributions aux ménages prioritaires": record.prioritaire,
        "attributions au premier quartile": (not record.qpv) and first is True,
        "attributions en mutation": record.mutation,
        "attributions aux travailleurs essentiels": record.travailleur_essentiel,
    }[population]


def _category(record: AllocationRecord, dimension: str) -> str | None:
    if dimension == "âge":
        return None if record.age is None else age_group(record.age)
    value: str | None = getattr(record, _FIELDS[dimension])
    return value


def breakdowns_from_records(
    records: Sequence[AllocationRecord], thresholds: Mapping[int, Decimal], default_source: str
) -> dict[tuple[int, str, str, str], BreakdownFact]:
    """Counts by category, for the populations and dimensions of `RECORD_BREAKDOWNS`."""
    tally: Counter[tuple[int, str, str, str]] = Counter()
    sources: dict[tuple[int, str, str, str], str] = {}
    for r in records:
        first = is_first_quartile(r, thresholds)
        for population, dimensions in RECORD_BREAKDOWNS.items():
            if not _population(r, population, first):
                continue
            for dimension in dimensions:
                category = _category(r, dimension)
                if category:
                    key = (r.annee, population, dimension, category)
                    tally[key] += 1
                    sources.setdefault(key, r.source or default_source)
    return {key: BreakdownFact(n, None, sources[key]) for key, n in sorted(tally.items())}


def counts_from_aggregates(aggregates: Iterable[AllocationCounts], has_qpv: bool) -> list[Counts]:
    """Published counts as given; without QPV, nothing is allocated in QPV."""
    counts = []
    for a in aggregates:
        values = dict(a.counts)
        if not has_qpv and "attributions" in values:
            values.setdefault("attributions_qpv", 0)
            values.setdefault("autres_quartiles_qpv", 0)
        counts.append(Counts(a.annee, a.echelle, a.entite, values, dict(a.rates), a.source))
    return counts


def with_non_reserved(counts: list[Counts]) -> list[Counts]:
    """The EPCI's non-reserved allocations are the « Non réservé » contingent's, when published
    counts give that contingent and not the landlords' own flows (records give both)."""
    own = {
        c.annee: c.values["attributions"]
        for c in counts
        if c.echelle == CONTINGENT and c.entite == NON_RESERVED and "attributions" in c.values
    }
    return [
        replace(c, values={**c.values, "non_reserves": own[c.annee]})
        if c.echelle == EPCI and "non_reserves" not in c.values and c.annee in own
        else c
        for c in counts
    ]


def build_facts(
    records: Sequence[AllocationRecord],
    aggregates: Sequence[AllocationCounts],
    breakdowns: Sequence[Breakdown],
    applications: Sequence[Applications],
    housing: Sequence[SocialHousing],
    thresholds: Mapping[int, Decimal],
    has_qpv: bool,
    default_source: str,
) -> AllocationFacts:
    """The facts of every form of input; `default_source` names the origin of the records
    that name none."""
    counts = with_non_reserved(
        [
            *counts_from_records(records, thresholds, default_source),
            *counts_from_aggregates(aggregates, has_qpv),
        ]
    )
    published = {
        (b.annee, b.population, b.dimension, b.modalite): BreakdownFact(b.nombre, b.part, b.source)
        for b in breakdowns
    }
    return AllocationFacts(
        counts={(c.annee, c.echelle, c.entite): c for c in counts},
        breakdowns=breakdowns_from_records(records, thresholds, default_source) | published,
        applications={a.annee: a for a in applications if a.commune is None},
        housing={(h.annee, h.commune.nom if h.commune else ""): h for h in housing},
        thresholds=dict(thresholds),
    )


# --- Tables with secrecy -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an indicator table; `kind` says how its values read."""

    title: str
    kind: str = "count"  # text, count, share, points, ratio, euros, target


@dataclass(frozen=True)
class Note:
    """A note computed with a table, under a key of the labels block (`notes`), with the figures
    its words name; the documents stage words it."""

    key: str
    figures: tuple[tuple[str, str], ...] = ()


def note(key: str, **figures: str) -> Note:
    return Note(key, tuple(sorted(figures.items())))


@dataclass
class IndicatorTable:
    """One table of the bilan: raw values (None unknown, SECRET hidden), its sources and notes."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    sources: list[str] = field(default_factory=list)
    #: Words, or notes the documents stage words (`Note`); a sequence: lists of either fit.
    notes: Sequence[Note | str] = field(default_factory=list)
    #: The figures its words name (placeholders of the labels block), e.g. the year shown.
    figures: dict[str, str] = field(default_factory=dict)
    #: The sources of each row by its label, when they differ by row (a table by year): a row
    #: left out takes its sources with it (`without_empty_rows`).
    row_sources: dict[str, list[str]] = field(default_factory=dict)

    def column(self, title: str) -> list[Any]:
        index = [c.title for c in self.columns].index(title)
        return [row[index] for row in self.rows]

    def row(self, label: str) -> list[Any]:
        return next(row for row in self.rows if row[0] == label)

    @property
    def is_empty(self) -> bool:
        return not self.rows


class Grid:
    """The published counts of one table by (row, column), and the sums a reader can redo."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.values: dict[object, int | None] = {}
        self.sums: list[tuple[list[object], object]] = []
        #: The rows of the data each grouped row adds up (`group`), by the grouped row.
        self.members: dict[object, list[object]] = {}
        #: Rows hidden whole whatever their counts: a group standing for one member here.
        self.masked: set[object] = set()
        #: The counts of grouped members before they were added up: for verdicts only.
        self._before: dict[object, int | None] = {}
        self._hidden: set[object] | None = None

    def put(self, row: object, column: str, value: int | None) -> None:
        self.values[(row, column)] = value

    def column_sum(self, rows: Sequence[object], total: object, column: str) -> None:
        self.sums.append(([(r, column) for r in rows], (total, column)))

    def row_sum(self, row: object, columns: Sequence[str], total: str) -> None:
        self.sums.append(([(row, c) for c in columns], (row, total)))

    def rows(self) -> list[object]:
        return list(dict.fromkeys(row for row, _ in self._cells()))

    def _cells(self) -> list[tuple[object, str]]:
        return [key for key in self.values if isinstance(key, tuple)]

    def group(self, label: object, rows: Sequence[object]) -> None:
        """Add `rows` up into the row `label`: each count is their sum (unknown when one of
        theirs is), the row stands for them in every sum a reader can redo, and the grid knows
        its members (a grouped row among `rows` brings its own). A group that stands for a
        single member of this grid would show that member's counts: it is hidden whole."""
        members = [m for r in rows for m in self.members.pop(r, [r])]
        columns = list(dict.fromkeys(c for r, c in self._cells() if r in rows))
        for column in columns:
            found = [self.values.pop((r, column), None) for r in rows]
            self._before |= {(r, column): v for r, v in zip(rows, found, strict=True)}
            self.values[(label, column)] = None if None in found else sum(v or 0 for v in found)

        def moved(cell: object) -> object:
            if isinstance(cell, tuple) and cell[0] in rows:
                return (label, cell[1])
            return cell

        rewritten: list[tuple[list[object], object]] = []
        for parts, total in self.sums:
            relation = (list(dict.fromkeys(moved(p) for p in parts)), moved(total))
            if relation not in rewritten and relation[1] not in relation[0]:
                rewritten.append(relation)
        self.sums = rewritten
        self.members[label] = members
        self.masked = {r for r in self.masked if r not in rows}
        if len(members) == 1:
            self.masked.add(label)
        self._hidden = None

    def cells_of(self, row: object) -> list[tuple[object, str]]:
        return [key for key in self._cells() if key[0] == row]

    def masked_whole(self, row: object) -> bool:
        """Every count of the row that is more than zero is hidden (and there is one)."""
        counted = [key for key in self.cells_of(row) if self.values[key]]
        return bool(counted) and all(key in self.hidden for key in counted)

    @property
    def hidden(self) -> set[object]:
        if self._hidden is None:
            forced = [key for key in self._cells() if key[0] in self.masked]
            self._hidden = secret_cells(self.values, self.sums, self.threshold, forced)
        return self._hidden

    def count(self, row: object, column: str) -> int | None | Secret:
        key = (row, column)
        return SECRET if key in self.hidden else self.values.get(key)

    def raw_count(self, row: object, column: str) -> int | None:
        """The count before secrecy (a grouped member's too): for a verdict, never for a cell."""
        key = (row, column)
        return self.values[key] if key in self.values else self._before.get(key)

    def raw_rate(
        self, row: object, part: str, whole: str, whole_row: object | None = None
    ) -> Decimal | None:
        """part / whole before secrecy: what decides a verdict even when the counts are masked."""
        numerator = self.raw_count(row, part)
        denominator = self.raw_count(row if whole_row is None else whole_row, whole)
        if numerator is None or denominator is None:
            return None
        return share(numerator, denominator)

    def rate(
        self, row: object, part: str, whole: str, whole_row: object | None = None
    ) -> Decimal | None | Secret:
        """part / whole, hidden when either count is hidden."""
        numerator = self.count(row, part)
        denominator = self.count(row if whole_row is None else whole_row, whole)
        if isinstance(numerator, Secret) or isinstance(denominator, Secret):
            return SECRET
        if numerator is None or denominator is None:
            return None
        return share(numerator, denominator)


def is_known(value: Any) -> TypeGuard[int | Decimal]:
    return value is not None and value is not SECRET


def points_between(before: Any, after: Any) -> Decimal | None | Secret:
    """Change between two shares in points; hidden when either share is."""
    if SECRET in (before, after):
        return SECRET
    if before is None or after is None:
        return None
    return (Decimal(after) - Decimal(before)) * 100


def sources_by_year(years: Iterable[int], *items_of: Callable[[int], Any]) -> dict[str, list[str]]:
    """The sources of each year's row: those of the items each function gives for that year."""
    return {str(y): sources_of(item(y) for item in items_of) for y in years}


def sources_of(items: Iterable[Any]) -> list[str]:
    found: list[str] = []
    for item in items:
        source = getattr(item, "source", None)
        if source and source not in found:
            found.append(source)
    return found
