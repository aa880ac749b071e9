"""Quantified commitments per landlord and per reservation holder (art. L441-1-6 CCH).

For the last year with allocations counted by landlord (or by contingent), each one's
allocations of that year are the reference, and each objective of `objectifs` gives the number
of allocations it commits to: first-quartile households outside QPV, households of the other
quartiles in QPV, DALO and priority households. Reference counts follow the bilan's statistical
secrecy (landlords under the threshold are grouped, as in the bilan); a number derived from a
hidden count is hidden too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.documents.bilan_commentary import target as shown_target
from generator.documents.common import Gap
from generator.documents.presentation import shown
from generator.errors import Location, display_path
from generator.formatting import pourcent
from generator.indicators.allocations import (
    AllocationFacts,
    Column,
    Grid,
    IndicatorTable,
    sources_of,
)
from generator.indicators.results import (
    OTHERS,
    PLURALS,
    TOTAL,
    fill_scale_grid,
    group_small,
    missing_allocations,
    scale_rows,
)
from generator.territory.allocations import CONTINGENT, LANDLORD
from generator.territory.objectives import Objectives
from generator.territory.schema import Territory

LANDLORDS_OWN = "Non réservé"  # the contingent of the landlords' own, non-reserved dwellings


def reference_year(facts: AllocationFacts, year: int) -> int | None:
    """The last year, up to `year`, whose allocations are counted by landlord or contingent."""
    known = [y for (y, scale, _) in facts.counts if scale in (LANDLORD, CONTINGENT) and y <= year]
    return max(known, default=None)


def _columns(objectives: Objectives, scale: str) -> dict[str, Any]:
    names = {"att": lambda c: c.get("attributions")}
    if objectives.qpv:
        names["hors"] = lambda c: c.hors_qpv
        names["qpv"] = lambda c: c.get("attributions_qpv")
    return names


def commitments_table(
    facts: AllocationFacts, objectives: Objectives, year: int, scale: str, threshold: int
) -> IndicatorTable:
    """One row per landlord (or contingent): its reference allocations and, for each
    objective, the number of allocations the rate gives on that reference."""
    members, whole = scale_rows(facts, year, scale)
    grouped: list[str] = []
    if scale == LANDLORD:
        members, grouped = group_small(members, threshold, scale)
    grid = Grid(threshold)
    labels = fill_scale_grid(grid, members, whole, _columns(objectives, scale))
    if objectives.qpv:  # outside + inside QPV = all: a reader could redo the subtraction
        for label in [*labels, TOTAL]:
            grid.row_sum(label, ["hors", "qpv"], "att")
    q1 = objectives.premier_quartile_hors_qpv / 100
    others = objectives.autres_quartiles_en_qpv / 100
    outside = "hors" if objectives.qpv else "att"
    rows = []
    for label in [*labels, TOTAL] if members else []:
        rate = _priority_rate(objectives, scale, label)
        row: list[Any] = [label, grid.count(label, "att")]
        if objectives.qpv:
            row.append(grid.count(label, "hors"))
        row.append(missing_allocations(grid.count(label, outside), 0, q1))
        if objectives.qpv:
            in_qpv = grid.count(label, "qpv")
            row += [in_qpv, missing_allocations(in_qpv, 0, others)]
        if scale == CONTINGENT:
            row.append(shown_target(rate) if rate is not None else None)
        row.append(missing_allocations(grid.count(label, "att"), 0, rate) if rate else None)
        rows.append(row)
    if scale == CONTINGENT and rows:
        _overall_priority(rows, grid.count(TOTAL, "att"))
    notes = [
        "Chaque nombre applique le taux de l'objectif aux attributions de référence, arrondi "
        "à l'unité supérieure."
    ]
    if grouped:
        plural, regrouped, _ = PLURALS[scale]
        notes.append(
            f"{plural.capitalize()} {regrouped} sous le seuil du secret statistique : "
            f"{', '.join(grouped)} ; chacun applique les mêmes taux à ses propres attributions."
        )
    return IndicatorTable(
        f"engagements_{scale}",
        _title(scale, year),
        _head(objectives, scale),
        rows,
        sources_of([whole, *members]),
        notes,
    )


def _overall_priority(rows: list[list[Any]], total: Any) -> None:
    """The total row's priority commitment: the contingents' own, added up, when all are known."""
    numbers = [row[-1] for row in rows[:-1]]
    if not numbers or not all(isinstance(n, int) for n in numbers) or not isinstance(total, int):
        return
    rows[-1][-1] = sum(numbers)
    rows[-1][-2] = pourcent(Decimal(sum(numbers)) / total) if total else None


def _priority_rate(objectives: Objectives, scale: str, label: str) -> Decimal | None:
    """A contingent's own rate; for landlords, the rate of their non-reserved dwellings."""
    if scale == LANDLORD:
        return objectives.priority_target(LANDLORDS_OWN)
    if label in (TOTAL, OTHERS) or label.startswith("Autres "):
        return None
    return objectives.priority_target(label)


def _title(scale: str, year: int) -> str:
    who = "bailleur" if scale == LANDLORD else "réservataire (contingent)"
    return f"Engagements annuels d'attribution par {who}, sur la base des attributions {year}"


def _head(objectives: Objectives, scale: str) -> list[Column]:
    q1 = shown_target(objectives.premier_quartile_hors_qpv / 100)
    head = [
        Column("Bailleur" if scale == LANDLORD else "Contingent", "text"),
        Column("Attributions de référence"),
    ]
    if objectives.qpv:
        head.append(Column("dont hors QPV"))
    head.append(Column(f"1er quartile hors QPV ({q1})", "target"))
    if objectives.qpv:
        others = shown_target(objectives.autres_quartiles_en_qpv / 100)
        head += [Column("dont en QPV"), Column(f"Autres quartiles en QPV ({others})", "target")]
    if scale == CONTINGENT:
        head += [Column("Objectif DALO et prioritaires", "text"), Column("soit", "target")]
    else:
        own = shown_target(objectives.priority_target(LANDLORDS_OWN))
        head.append(Column(f"DALO et prioritaires ({own})", "target"))
    return head


def quantified(territory: Territory, facts: AllocationFacts, year: int) -> dict[str, Any] | None:
    """The two tables, or None when no year has allocations by landlord or contingent."""
    reference = reference_year(facts, year)
    if reference is None:
        return None
    objectives = territory.config.objectifs
    threshold = territory.config.secrecy_threshold("cia")
    tables = {
        scale: commitments_table(facts, objectives, reference, scale, threshold)
        for scale in (LANDLORD, CONTINGENT)
    }
    return {
        "annee": reference,
        "bailleurs": None if tables[LANDLORD].is_empty else shown(tables[LANDLORD]),
        "contingents": None if tables[CONTINGENT].is_empty else shown(tables[CONTINGENT]),
    }


def missing(territory: Territory) -> Gap:
    where = Location(display_path(territory.folder / "data" / "attributions_agregees.csv"))
    return Gap(
        where,
        "allocations by landlord and by reservation holder (rows with bailleur or contingent, "
        "or attributions.csv), for the quantified commitments of art. L441-1-6 CCH",
    )
