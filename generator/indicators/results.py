"""The bilan's indicator tables, each objective against its result, with secrecy applied.

Every function is pure: facts and objectives in, an `IndicatorTable` (and the `Result` of the
objective it measures) out. Figures stay raw here; `bilan.py` formats them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.formatting import liste
from generator.indicators.allocations import (
    SECRET,
    AllocationFacts,
    Column,
    Counts,
    Grid,
    IndicatorTable,
    Note,
    RowLabel,
    Secret,
    is_known,
    note,
    points_between,
    sources_by_year,
    sources_of,
)
from generator.indicators.core import extra_allocations_needed
from generator.indicators.secret_rows import group_masked_rows, grouped_note, placed
from generator.territory.allocations import (
    COMMUNE,
    CONTINGENT,
    CONTINGENTS,
    LANDLORD,
    PRIORITY_MOTIVES,
)
from generator.territory.objectives import Objectives

#: The rows computations add: all together, and what the members do not account for. Keys of
#: the labels block (`lignes`), worded by the documents stage.
TOTAL, OTHERS = RowLabel("ensemble"), RowLabel("non_ventile")
#: Priority allocations whose motive the members do not account for.
OTHER_MOTIVE = RowLabel("autre_motif")
#: The scale of the priority result of all contingents together (a key of the labels block).
ALL_CONTINGENTS = "ensemble"
#: The row of members grouped under secrecy, by scale: a key of the labels block (`lignes`).
GROUPED = {
    COMMUNE: "autres_communes",
    LANDLORD: "autres_bailleurs",
    CONTINGENT: "autres_contingents",
}


@dataclass(frozen=True)
class Result:
    """One objective of the policy against its result in the evaluated year.

    `objectif` and `echelle` are keys (objective, and contingent name or « ensemble »); the
    documents stage words them from the labels block (`objectifs`, `echelles`)."""

    objectif: str
    cible: Decimal | None
    part: Decimal | Secret | None
    annee: int
    precedent: Decimal | Secret | None = None
    annee_precedente: int | None = None
    manque: int | Secret | None = None
    publie: bool = False
    echelle: str = "EPCI"
    #: The share before secrecy, when `part` is masked: it decides the verdict (reached, gap,
    #: allocations still needed), which is stated even when the counts are not shown.
    reelle: Decimal | None = None
    #: Allocations still needed before secrecy: the verdict states it even when masked.
    manque_reel: int | None = None

    @property
    def mesure(self) -> Decimal | None:
        """The share the verdict is decided on: shown, or masked but known."""
        return Decimal(self.part) if is_known(self.part) else self.reelle

    @property
    def masque(self) -> bool:
        """The counts are under statistical secrecy (the verdict may still be known)."""
        return self.part is SECRET

    @property
    def atteint(self) -> bool | None:
        measured = self.mesure
        if self.cible is None or measured is None:
            return None
        return measured >= self.cible

    @property
    def ecart(self) -> Decimal | None:
        """Gap to the target in points (negative when short of it), known even when masked."""
        measured = self.mesure
        if self.cible is None or measured is None:
            return None
        return (measured - self.cible) * 100

    @property
    def a_rattraper(self) -> int | None:
        """Allocations still needed to reach the target, known even when masked."""
        return int(self.manque) if is_known(self.manque) else self.manque_reel

    @property
    def evolution(self) -> Decimal | Secret | None:
        return points_between(self.precedent, self.part)


def raw_missing(
    grid: Grid, row: object, total: str, part: str, target: Decimal | None
) -> int | None:
    """Allocations still needed before secrecy, for the verdict."""
    whole, count = grid.raw_count(row, total), grid.raw_count(row, part)
    if target is None or whole is None or count is None:
        return None
    return extra_allocations_needed(whole, count, target)


def missing_allocations(total: Any, part: Any, target: Decimal) -> int | Secret | None:
    """Allocations still needed; hidden when it would give a hidden count away."""
    if SECRET in (total, part):
        return SECRET
    if total is None or part is None:
        return None
    return extra_allocations_needed(total, part, target)


def gap(value: Any, target: Decimal | None) -> Any:
    return None if target is None else points_between(target, value)


def previous(years: list[int], values: dict[int, Any], year: int) -> tuple[Any, int | None]:
    earlier = [y for y in years if y < year and values.get(y) is not None]
    return (values[earlier[-1]], earlier[-1]) if earlier else (None, None)


@dataclass(frozen=True)
class YearShare:
    """One year of a share of the EPCI's allocations: the counts of its base and of the group
    (under secrecy), the share (the source's published rate when the counts are not given),
    and against the target and the previous year."""

    annee: int
    base: int | Secret | None
    effectif: int | Secret | None
    part: Decimal | Secret | None
    publie: bool
    ecart: Decimal | Secret | None
    evolution: Decimal | Secret | None
    manquantes: int | Secret | None
    #: Allocations of the base whose household's quartile is not known: left out of the share.
    inconnus: int = 0


def shares_by_year(
    facts: AllocationFacts,
    years: list[int],
    threshold: int,
    base: Callable[[Counts], int | None],
    group: str,
    target: Decimal | None,
    objective: str,
    location: bool = False,
) -> tuple[list[YearShare], Result]:
    """The share of `group` among the `base` allocations of the EPCI, year by year, and the
    result of the last year against `target` under the key `objective`.

    Every year-by-year objective is this one computation: the first quartile outside QPV, the
    other quartiles in QPV, priority households, mutations, key workers. For a `location`
    objective (`group` is its count), the share is measured on the allocations whose quartile
    is known (`Counts.measured`); `base` stays all of them, as the table shows it."""
    grid = Grid(threshold)
    unknown: dict[int, int] = {}
    for y in years:
        counts = facts.epci(y)
        whole = base(counts) if counts else None
        grid.put(y, "base", whole)
        grid.put(y, "n", counts.get(group) if counts else None)
        measured = counts.measured(group, whole) if counts and location else whole
        grid.put(y, "mesure", measured)
        unknown[y] = counts.unknown_quartile(group) if counts and location else 0
    shares: dict[int, Any] = {}
    lines = []
    for y in years:
        counts = facts.epci(y)
        part = grid.rate(y, "n", "mesure")
        published = part is None and counts is not None and group in counts.rates
        if published and counts is not None:
            part = counts.rates[group]
        shares[y] = part
        before, _ = previous(years, shares, y)
        count, on = grid.count(y, "n"), grid.count(y, "mesure")
        lines.append(
            YearShare(
                y,
                grid.count(y, "base"),
                count,
                part,
                published,
                gap(part, target),
                points_between(before, part),
                None if target is None else missing_allocations(on, count, target),
                unknown[y],
            )
        )
    year = years[-1]
    before, before_year = previous(years, shares, year)
    result = Result(
        objective,
        target,
        shares[year],
        year,
        before,
        before_year,
        lines[-1].manquantes,
        lines[-1].publie,
        reelle=grid.raw_rate(year, "n", "mesure"),
        manque_reel=raw_missing(grid, year, "mesure", "n", target),
    )
    return lines, result


def published_years(lines: list[YearShare]) -> list[Note | str]:
    """The note naming the years whose share is the source's rate, without counts."""
    published = [str(line.annee) for line in lines if line.publie]
    return [note("taux_seul", annees=liste(published))] if published else []


def unknown_quartile_note(unknown: int, threshold: int, annee: str = "") -> Note:
    """The note saying how many allocations a location share leaves out, their quartile not
    being known: a count under the secrecy threshold is not given (« moins de 5 »)."""
    if 0 < unknown < threshold:
        return note("quartile_inconnu_secret", seuil=str(threshold), annee=annee)
    key = "quartile_inconnu_un" if unknown == 1 else "quartile_inconnu"
    return note(key, nombre=str(unknown), annee=annee)


def unknown_quartile_notes(lines: list[YearShare], threshold: int) -> list[Note | str]:
    """One note per year whose share leaves allocations of unknown quartile out."""
    return [unknown_quartile_note(x.inconnus, threshold, str(x.annee)) for x in lines if x.inconnus]


def first_quartile_by_year(
    facts: AllocationFacts, objectives: Objectives, years: list[int], threshold: int
) -> tuple[IndicatorTable, Result]:
    """Share of allocations outside QPV to first-quartile households, year by year."""
    target = objectives.premier_quartile_hors_qpv / 100
    lines, result = shares_by_year(
        facts,
        years,
        threshold,
        lambda c: c.hors_qpv,
        "premier_quartile_hors_qpv",
        target,
        "premier_quartile",
        location=True,
    )
    rows = [
        [
            str(x.annee),
            facts.thresholds.get(x.annee),
            x.base,
            x.effectif,
            x.part,
            x.ecart,
            x.evolution,
            x.manquantes,
        ]
        for x in lines
    ]
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    table = IndicatorTable(
        "premier_quartile",
        "premier_quartile",
        [
            Column("annee", "text"),
            Column("seuil", "euros"),
            Column("attributions_hors_qpv"),
            Column("premier_quartile"),
            Column("part", "share"),
            Column("ecart_objectif", "points"),
            Column("evolution", "points"),
            Column("manquantes", "target"),
        ],
        rows,
        sources_of(facts.epci(y) for y in years),
        [*published_years(lines), *unknown_quartile_notes(lines, threshold)],
    )
    table.row_sources = sources_by_year(years, facts.epci)
    return table, result


def other_quartiles_in_qpv_by_year(
    facts: AllocationFacts, objectives: Objectives, years: list[int], threshold: int
) -> tuple[IndicatorTable, Result]:
    """Share of allocations in QPV to households of the other three quartiles, year by year
    (art. L441-1 CCH: at least 50 % unless the CIA sets another rate)."""
    target = objectives.autres_quartiles_en_qpv / 100
    lines, result = shares_by_year(
        facts,
        years,
        threshold,
        lambda c: c.get("attributions_qpv"),
        "autres_quartiles_qpv",
        target,
        "autres_quartiles_qpv",
        location=True,
    )
    rows = [
        [str(x.annee), x.base, x.effectif, x.part, x.ecart, x.evolution, x.manquantes]
        for x in lines
    ]
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    table = IndicatorTable(
        "autres_quartiles_qpv",
        "autres_quartiles_qpv",
        [
            Column("annee", "text"),
            Column("attributions_qpv"),
            Column("autres_quartiles"),
            Column("part", "share"),
            Column("ecart_objectif", "points"),
            Column("evolution", "points"),
            Column("manquantes", "target"),
        ],
        rows,
        sources_of(facts.epci(y) for y in years),
        [*published_years(lines), *unknown_quartile_notes(lines, threshold)],
    )
    table.row_sources = sources_by_year(years, facts.epci)
    return table, result


def scale_rows(facts: AllocationFacts, year: int, scale: str) -> tuple[list[Counts], Counts | None]:
    members = facts.scale(year, scale)
    if scale == CONTINGENT:
        members.sort(key=lambda c: CONTINGENTS.index(c.entite))
    return members, facts.epci(year)


def fill_scale_grid(
    grid: Grid, members: list[Counts], whole: Counts | None, names: dict[str, Any]
) -> list[str]:
    """Counts of each member, the EPCI total and, when they fall short of it, the remainder."""
    labels = [m.entite for m in members]
    for column, value_of in names.items():
        for m in members:
            grid.put(m.entite, column, value_of(m))
        total = value_of(whole) if whole else None
        grid.put(TOTAL, column, total)
        known = [value_of(m) for m in members]
        if members and total is not None and None not in known and sum(known) < total:
            grid.put(OTHERS, column, total - sum(known))
    if any((OTHERS, column) in grid.values for column in names):
        labels.append(OTHERS)
        for column in names:
            grid.values.setdefault((OTHERS, column), 0)
    for column in names:
        if grid.values.get((TOTAL, column)) is not None:
            grid.column_sum(labels, TOTAL, column)
    return labels


#: The count of the second location objective (other quartiles in QPV).
QPV_GROUP = "autres_quartiles_qpv"
#: The objectives measured by commune, landlord and contingent: its count columns (the base,
#: the allocations meeting it), the objective's key in `objectifs`, the tables' key prefix.
LOCATION_OBJECTIVES = {
    "premier_quartile_hors_qpv": ("hors", "q1", "q1"),
    "autres_quartiles_en_qpv": ("qpv", "autres", "qpv"),
}


def _own_targets(
    objectives: Objectives, objective: str, scale: str, labels: list[str], base: Any
) -> dict[str, Decimal | None] | None:
    """Each row's target when a partner has its own (None: every row has the EPCI's)."""
    if scale == COMMUNE or not objectives.partenaires.get(objective):
        return None
    whole = objectives.whole_rate(objective)
    targets: dict[str, Decimal | None] = {}
    for label in labels:
        known = base(label)
        counted = int(known) if is_known(known) else None
        targets[label] = objectives.target_of(objective, label, counted)
    targets[TOTAL] = whole
    return targets


def location_by_scale(
    facts: AllocationFacts,
    objectives: Objectives,
    year: int,
    scale: str,
    threshold: int,
    objective: str = "premier_quartile_hors_qpv",
) -> IndicatorTable:
    """Year N by commune, landlord or contingent: one location objective's share and target.

    First quartile: first-quartile allocations among those outside QPV (all allocations without
    QPV). Other quartiles: allocations to households of quartiles 2 to 4 among those in QPV. A
    landlord or contingent with a target of its own (objectifs) is measured against it."""
    whole_key, part_key, prefix = LOCATION_OBJECTIVES[objective]
    target = objectives.whole_rate(objective)
    members, whole = scale_rows(facts, year, scale)
    if objective == "autres_quartiles_en_qpv":  # a member with no allocation in QPV: no row
        members = [m for m in members if m.get("attributions_qpv") != 0]
    grid = Grid(threshold)
    columns: dict[str, Any] = {"att": lambda c: c.get("attributions")}
    if objective == "premier_quartile_hors_qpv":
        if objectives.has_qpv:
            columns["hors"] = lambda c: c.hors_qpv
        columns["q1"] = lambda c: c.get("premier_quartile_hors_qpv")
        base = "hors" if objectives.has_qpv else "att"
    else:
        columns = {
            "qpv": lambda c: c.get("attributions_qpv"),
            "autres": lambda c: c.get("autres_quartiles_qpv"),
        }
        base = "qpv"
    # The share is measured on the allocations whose quartile is known (not shown: the table
    # shows all allocations of the base, and a note says how many are left out).
    group = "premier_quartile_hors_qpv" if objective == "premier_quartile_hors_qpv" else QPV_GROUP
    shown_base = columns[base]
    measure = {"mesure": lambda c: c.measured(group, shown_base(c))}
    labels = fill_scale_grid(grid, members, whole, {**columns, **measure})
    # A partner with a target of its own keeps its row: the row states its target.
    own_ones = set(objectives.partenaires.get(objective, {}))
    together, grouped = group_masked_rows(
        [grid], [m.entite for m in members if m.entite not in own_ones], GROUPED[scale]
    )
    labels = placed(labels, together, grouped)
    own = _own_targets(objectives, objective, scale, labels, lambda r: grid.count(r, "mesure"))
    rows = []
    for label in [*labels, TOTAL] if members else []:
        goal = own.get(label) if own is not None else target
        part = grid.rate(label, part_key, "mesure")
        row = [label, *(grid.count(label, c) for c in columns), part]
        if own is not None:
            row.append(goal)
        row.append(gap(part, goal))
        missing = (
            missing_allocations(grid.count(label, "mesure"), grid.count(label, part_key), goal)
            if goal is not None
            else None
        )
        rows.append([*row, missing])
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    if objective == "premier_quartile_hors_qpv":
        head = [Column("entite", "text"), Column("attributions")]
        if objectives.has_qpv:
            head.append(Column("hors_qpv"))
        head.append(Column("premier_quartile"))
    else:
        head = [Column("entite", "text"), Column("attributions_qpv"), Column("autres_quartiles")]
    head.append(Column("part", "share"))
    if own is not None:
        head.append(Column("objectif", "share"))
    head += [Column("ecart_objectif", "points"), Column("manquantes", "target")]
    notes = grouped_note(GROUPED[scale], grouped, threshold)
    unknown = whole.unknown_quartile(group) if whole and members else 0
    if unknown:
        notes.append(unknown_quartile_note(unknown, threshold, str(year)))
    key = f"{prefix}_{scale}"
    return IndicatorTable(key, key, head, rows, sources_of([whole, *members]), notes)


def first_quartile_by_scale(
    facts: AllocationFacts, objectives: Objectives, year: int, scale: str, threshold: int
) -> IndicatorTable:
    """Year N by commune, landlord or contingent: allocations, first-quartile share outside QPV."""
    return location_by_scale(facts, objectives, year, scale, threshold)


def other_quartiles_in_qpv_by_scale(
    facts: AllocationFacts, objectives: Objectives, year: int, scale: str, threshold: int
) -> IndicatorTable:
    """Year N by commune, landlord or contingent: allocations in QPV, other quartiles' share."""
    return location_by_scale(facts, objectives, year, scale, threshold, "autres_quartiles_en_qpv")


def priority_by_contingent(
    facts: AllocationFacts, objectives: Objectives, year: int, threshold: int, legal_split: Decimal
) -> tuple[IndicatorTable, list[Result]]:
    """Year N per contingent: share of DALO and priority households against its own target.

    The target of all contingents together weighs each one's target by its allocations; when
    the split is unknown, `legal_split` (the share the theoretical split of contingents gives).
    """
    members, whole = scale_rows(facts, year, CONTINGENT)
    grid = Grid(threshold)
    columns = {
        "att": lambda c: c.get("attributions"),
        "dalo": lambda c: c.get("dalo"),
        "prio": lambda c: c.get("prioritaires"),
    }
    labels = fill_scale_grid(grid, members, whole, columns)
    targets: dict[str, Decimal | None] = {
        m.entite: objectives.priority_target(m.entite) for m in members
    }
    targets[OTHERS] = None
    targets[TOTAL] = _theoretical_target(grid, labels, targets) if members else legal_split
    rows, results = [], []
    for label in [*labels, TOTAL] if members or whole else []:
        part = grid.rate(label, "prio", "att")
        rows.append(
            [
                label,
                grid.count(label, "att"),
                grid.rate(label, "att", "att", TOTAL) if label != TOTAL else None,
                grid.count(label, "dalo"),
                grid.count(label, "prio"),
                part,
                targets[label],
                gap(part, targets[label]),
            ]
        )
        if label != OTHERS:
            # Keys: the objective's and the contingent's words are in the labels block.
            scale = ALL_CONTINGENTS if label == TOTAL else label
            results.append(
                Result(
                    "prioritaires",
                    targets[label],
                    part,
                    year,
                    echelle=scale,
                    reelle=grid.raw_rate(label, "prio", "att"),
                    manque_reel=raw_missing(grid, label, "att", "prio", targets[label]),
                )
            )
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("contingent", "text"),
        Column("attributions"),
        Column("part_attributions", "share"),
        Column("dalo"),
        Column("prioritaires"),
        Column("part", "share"),
        Column("objectif", "share"),
        Column("ecart_objectif", "points"),
    ]
    notes: list[Note | str] = [
        note("objectif_ensemble" if members else "objectif_ensemble_theorique")
    ]
    key = "prioritaires_contingents"
    table = IndicatorTable(key, key, head, rows, [], notes)
    table.sources = sources_of([whole, *members])
    return table, results


def _theoretical_target(
    grid: Grid, labels: list[str], targets: dict[str, Decimal | None]
) -> Decimal | None:
    """Weighted target of all contingents; withheld when a hidden count could be derived."""
    counts = [grid.count(label, "att") for label in labels]
    known = [c for c in counts if is_known(c)]
    weights = [targets[label] for label in labels]
    if OTHERS in labels or not counts or len(known) < len(counts):
        return None
    total = sum(known)
    if not total:
        return None
    weighted = [Decimal(c) * w for c, w in zip(known, weights, strict=True) if w is not None]
    return sum(weighted, Decimal(0)) / total if len(weighted) == len(known) else None


def priority_motives(facts: AllocationFacts, year: int, threshold: int) -> IndicatorTable:
    """Year N: allocations to priority households by motive of priority."""
    whole = facts.epci(year)
    motives = facts.breakdown(year, "attributions aux ménages prioritaires", "motif de priorité")
    grid = Grid(threshold)
    # The list's own order: sorting by count would tell how hidden counts compare.
    order = {motive: index for index, motive in enumerate(PRIORITY_MOTIVES)}
    labels = sorted(motives, key=lambda m: (order.get(m, len(order)), m))
    for label in labels:
        grid.put(label, "n", motives[label].nombre)
    total = whole.get("prioritaires") if whole else None
    counted = [n for m in labels if (n := motives[m].nombre) is not None]
    complete = len(counted) == len(labels)
    if total is not None and complete and sum(counted) < total:
        labels.append(OTHER_MOTIVE)
        grid.put(labels[-1], "n", total - sum(counted))
    grid.put(TOTAL, "n", total)
    if total is not None and complete:
        grid.column_sum(labels, TOTAL, "n")
    together, grouped = group_masked_rows(
        [grid], [m for m in labels if m in motives], "autres_motifs"
    )
    labels = placed(labels, together, grouped)
    rows = []
    for label in [*labels, TOTAL] if labels else []:
        part = grid.rate(label, "n", "n", TOTAL)
        if part is None and label in motives:
            part = motives[label].part
        rows.append([label, grid.count(label, "n"), part])
    # Keys only: the words are in content/blocs/libelles.yaml, put on by the documents stage.
    head = [
        Column("motif", "text"),
        Column("attributions"),
        Column("part", "share"),
    ]
    key = "prioritaires_motifs"
    notes = grouped_note("autres_motifs", grouped, threshold)
    return IndicatorTable(key, key, head, rows, sources_of(motives.values()), notes)
