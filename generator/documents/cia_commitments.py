"""Quantified commitments per landlord and per reservation holder (art. L441-1-6 CCH).

For the last year with allocations counted by landlord (or by contingent), each one's
allocations of that year are the expected allocations, and each objective of `objectifs` gives
the number of allocations it commits to, on the base the law gives it:

- first-quartile households: its allocations outside QPV (all of them without QPV);
- households of the other quartiles in QPV: its allocations in QPV;
- DALO and priority households: a reservation holder's own flow (its contingent's allocations),
  a landlord's non-reserved flow (its allocations on the « Non réservé » contingent).

A partner's own target (objectifs, a rate or a number a year) replaces the EPCI's. Commitments
are computed, never typed; a base that is unknown gives an unknown commitment (« n.c. »), never 0.
Reference counts follow the bilan's statistical secrecy (landlords whose every count is hidden
are grouped, as in the bilan, unless they have targets of their own); a number derived from a
hidden count is hidden too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.documents.bilan_commentary import target as shown_target
from generator.documents.common import Gap, load_content
from generator.documents.presentation import LABELS, labelled, row_words, shown
from generator.errors import Location, display_path
from generator.formatting import liste, nombre, pourcent
from generator.indicators.allocations import (
    SECRET,
    AllocationFacts,
    Column,
    Counts,
    Grid,
    IndicatorTable,
    RowLabel,
    is_known,
    sources_of,
)
from generator.indicators.results import GROUPED, TOTAL, fill_scale_grid, scale_rows
from generator.indicators.secret_rows import group_masked_rows, placed
from generator.messages import _
from generator.territory.allocations import CONTINGENT, CONTINGENTS, LANDLORD
from generator.territory.objectives import Objectives, PartnerTarget
from generator.territory.policy_cia import PartnerItem
from generator.territory.schema import Territory

LANDLORDS_OWN = "Non réservé"  # the contingent of the landlords' own, non-reserved dwellings
#: The objectives of the commitments: their key in `objectifs`, the grid column of their base.
Q1, QPV, PRIORITY = "premier_quartile_hors_qpv", "autres_quartiles_en_qpv", "prioritaires"


@dataclass(frozen=True)
class PerYear:
    """A partner's target given as a number of allocations a year; worded by the labels block
    (`par_an` of its table)."""

    nombre: int


def reference_year(facts: AllocationFacts, year: int) -> int | None:
    """The last year, up to `year`, whose allocations are counted by landlord or contingent."""
    known = [y for (y, scale, _) in facts.counts if scale in (LANDLORD, CONTINGENT) and y <= year]
    return max(known, default=None)


def commitment(base: Any, rate: Decimal | None, own: PartnerTarget | None = None) -> Any:
    """Allocations a year a target asks for on `base`: a count target is itself; a rate applied
    to a hidden base is hidden, to an unknown base unknown (None), never 0."""
    if own is not None and own.nombre is not None:
        return own.nombre
    if own is not None:
        rate = own.rate(None)
    if rate is None:
        return None
    if base is SECRET:
        return SECRET
    if not is_known(base):
        return None
    return math.ceil(int(base) * rate)


def priority_base(scale: str) -> str:
    """The grid column of the priority base: a holder's own flow, a landlord's non-reserved."""
    return "nr" if scale == LANDLORD else "att"


def priority_rate(
    objectives: Objectives, scale: str, label: str
) -> tuple[Decimal | None, PartnerTarget | None]:
    """A contingent's own rate; a landlord's own target, else the rate of non-reserved dwellings."""
    if scale == LANDLORD:
        own = objectives.own_target(PRIORITY, label)
        return objectives.priority_target(LANDLORDS_OWN), own
    if isinstance(label, RowLabel):  # all together, the remainder, or grouped landlords
        return None, None
    return objectives.priority_target(label), None


def _columns(objectives: Objectives, scale: str) -> dict[str, Callable[[Counts], Any]]:
    names: dict[str, Callable[[Counts], Any]] = {"att": lambda c: c.get("attributions")}
    if objectives.has_qpv:
        names["hors"] = lambda c: c.hors_qpv
        names["qpv"] = lambda c: c.get("attributions_qpv")
    if scale == LANDLORD:
        names["nr"] = lambda c: c.get("non_reserves")
    return names


def _own_ones(objectives: Objectives) -> set[str]:
    return {name for targets in objectives.partenaires.values() for name in targets}


def _shown_own(own: PartnerTarget | None, rate: Decimal | None) -> str | PerYear | None:
    """A target as its column shows it: « 30 % », or a number a year (None: no target)."""
    if own is not None and own.nombre is not None:
        return PerYear(own.nombre)
    if own is not None and own.taux is not None:
        return shown_target(own.taux / 100)
    return shown_target(rate) if rate is not None else None


def _has_own(objectives: Objectives, objective: str, labels: list[str]) -> bool:
    return any(objectives.own_target(objective, label) for label in labels)


def commitments_table(
    facts: AllocationFacts, objectives: Objectives, year: int, scale: str, threshold: int
) -> IndicatorTable:
    """One row per landlord (or contingent): its reference allocations and, for each
    objective, its target and the number of allocations it gives on its base."""
    members, whole = scale_rows(facts, year, scale)
    grid = Grid(threshold)
    labels = fill_scale_grid(grid, members, whole, _columns(objectives, scale))
    if objectives.has_qpv:  # outside + inside QPV = all: a reader could redo the subtraction
        for label in [*labels, TOTAL]:
            grid.row_sum(label, ["hors", "qpv"], "att")
    grouped: list[object] = []
    if scale == LANDLORD:
        # Grouped as in the bilan, but for a landlord with a target of its own (its row states
        # it); each reservation holder keeps its row: the law sets its own priority rate.
        own_ones = _own_ones(objectives)
        candidates = [m.entite for m in members if m.entite not in own_ones]
        group, grouped = group_masked_rows([grid], candidates, GROUPED[LANDLORD])
        labels = placed(labels, group, grouped)
    targets = {
        Q1: _has_own(objectives, Q1, labels),
        QPV: objectives.has_qpv and _has_own(objectives, QPV, labels),
        PRIORITY: scale == CONTINGENT or _has_own(objectives, PRIORITY, labels),
    }
    outside = "hors" if objectives.has_qpv else "att"
    rows = []
    for label in [*labels, TOTAL] if members else []:
        whole_row = isinstance(label, RowLabel)  # all together, remainder, grouped
        row: list[Any] = [label, grid.count(label, "att")]
        if objectives.has_qpv:
            row.append(grid.count(label, "hors"))
        row += _objective_cells(
            objectives, Q1, label, whole_row, grid.count(label, outside), targets
        )
        if objectives.has_qpv:
            in_qpv = grid.count(label, "qpv")
            row += [in_qpv, *_objective_cells(objectives, QPV, label, whole_row, in_qpv, targets)]
        base = grid.count(label, priority_base(scale))
        rate, own = priority_rate(objectives, scale, label)
        if scale == LANDLORD:
            row.append(base)
        if targets[PRIORITY]:
            row.append(_shown_own(None if whole_row else own, rate))
        row.append(commitment(base, rate, None if whole_row else own))
        rows.append(row)
    if scale == CONTINGENT and rows:
        _overall_priority(rows, grid.count(TOTAL, "att"))
    notes = ["commitments"]
    if grouped:
        notes.append("grouped")
    if any(cell is None for row in rows for cell in row[1:]):
        notes.append("unknown")
    table = IndicatorTable(
        f"engagements_{scale}",
        f"engagements_{scale}",
        _head(objectives, scale, targets),
        rows,
        sources_of([whole, *members]),
        [],
        {
            "annee": str(year),
            "cible_q1": shown_target(objectives.premier_quartile_hors_qpv / 100),
            "cible_qpv": shown_target(objectives.autres_quartiles_en_qpv / 100),
            "cible_prioritaires": shown_target(objectives.priority_target(LANDLORDS_OWN)),
            "regroupes": liste([str(m) for m in grouped]),
        },
    )
    table.notes = notes  # keys: their words are in blocs/libelles.yaml
    return table


def _objective_cells(
    objectives: Objectives,
    objective: str,
    label: str,
    whole_row: bool,
    base: Any,
    targets: Mapping[str, bool],
) -> list[Any]:
    """[its target shown, when the column is,] the commitment of one location objective."""
    own = None if whole_row else objectives.own_target(objective, label)
    rate = objectives.whole_rate(objective)
    cells: list[Any] = []
    if targets[objective]:
        cells.append(_shown_own(own, rate))
    cells.append(commitment(base, rate, own))
    return cells


def _overall_priority(rows: list[list[Any]], total: Any) -> None:
    """The total row's priority commitment: the contingents' own, added up, when all are known."""
    numbers = [row[-1] for row in rows[:-1]]
    if not numbers or not all(isinstance(n, int) for n in numbers) or not isinstance(total, int):
        return
    rows[-1][-1] = sum(numbers)
    rows[-1][-2] = pourcent(Decimal(sum(numbers)) / total) if total else None


def _head(objectives: Objectives, scale: str, targets: Mapping[str, bool]) -> list[Column]:
    """Column keys; their words, with the targets they name, are in blocs/libelles.yaml."""
    head = [Column("entite", "text"), Column("attributions")]
    if objectives.has_qpv:
        head.append(Column("hors_qpv"))
    if targets[Q1]:
        head.append(Column("cible_q1", "text"))
    head.append(Column("engagement_q1", "target"))
    if objectives.has_qpv:
        head.append(Column("en_qpv"))
        if targets[QPV]:
            head.append(Column("cible_qpv", "text"))
        head.append(Column("engagement_qpv", "target"))
    if scale == LANDLORD:
        head.append(Column("non_reserves"))
    if targets[PRIORITY]:
        head.append(Column("cible_prioritaires", "text"))
    head.append(Column("engagement_prioritaires", "target"))
    return head


def _worded(table: IndicatorTable, labels: Mapping[str, Any]) -> dict[str, Any] | None:
    """The table as the CIA shows it: its words from the labels block, unknown cells « n.c. »."""
    if table.is_empty:
        return None
    words = labels.get("tableaux", {}).get(table.key, {})
    notes = words.get("notes_calculees", {})
    figures = table.figures
    computed = [notes[k].format_map(figures) for k in table.notes if k in notes]
    per_year = words.get("par_an", "{nombre}")
    rows = [
        [per_year.format(nombre=nombre(v.nombre)) if isinstance(v, PerYear) else v for v in row]
        for row in table.rows
    ]
    found = shown(labelled(IndicatorTable(**{**table.__dict__, "rows": rows, "notes": []}), labels))
    unknown = words.get("inconnu", "")
    found["lignes"] = [
        [unknown if cell == "" and index else cell for index, cell in enumerate(row)]
        for row in found["lignes"]
    ]
    found["notes"] = [*computed, *found["notes"]]
    return found


def quantified(territory: Territory, facts: AllocationFacts, year: int) -> dict[str, Any] | None:
    """The two tables, or None when no year has allocations by landlord or contingent."""
    reference = reference_year(facts, year)
    if reference is None:
        return None
    objectives = territory.config.objectifs
    threshold = territory.config.secrecy_threshold("cia")
    labels = load_content(territory, LABELS)
    tables = {
        scale: commitments_table(facts, objectives, reference, scale, threshold)
        for scale in (LANDLORD, CONTINGENT)
    }
    return {
        "annee": reference,
        "bailleurs": _worded(tables[LANDLORD], labels),
        "contingents": _worded(tables[CONTINGENT], labels),
        "inconnus": [
            row_words(row[0], labels)
            for row in tables[LANDLORD].rows
            if row[0] != TOTAL and any(cell is None for cell in row[1:])
        ],
    }


def own_targets(objectives: Objectives) -> list[dict[str, Any]]:
    """Each partner's own target, as the CIA's objectives list them: a rate shown, or a
    number a year; `reservataire` tells a contingent from a landlord (its base differs)."""
    found = []
    for objective, targets in objectives.partenaires.items():
        for partner, own in targets.items():
            found.append(
                {
                    "partenaire": partner,
                    "objectif": objective,
                    "taux": shown_target(own.taux / 100) if own.taux is not None else None,
                    "nombre": own.nombre,
                    "reservataire": partner in CONTINGENTS,
                }
            )
    return found


def missing(territory: Territory) -> Gap:
    where = Location(display_path(territory.folder / "data" / "attributions_agregees.csv"))
    return Gap(
        where,
        _(
            "allocations by landlord and by reservation holder (rows with bailleur or contingent,"
            " or attributions.csv), for the quantified commitments of art. L441-1-6 CCH"
        ),
    )


def unknown_bases(territory: Territory, names: list[str]) -> Gap:
    """The landlords whose non-reserved flow is unknown: their priority commitment is too."""
    where = Location(display_path(territory.folder / "data" / "attributions.csv"))
    return Gap(
        where,
        _(
            "allocations of each landlord on its non-reserved dwellings (contingent « Non réservé"
            " »), for the priority commitment of {names}",
            names=", ".join(names),
        ),
    )


#: The words by which a partner's text names an objective whose rate cil computes.
_NAMED = {
    Q1: ("premier quartile", "1er quartile"),
    QPV: ("autres quartiles", "quartiles 2"),
    PRIORITY: ("prioritaire", "dalo"),
}
_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*%")
_SENTENCE = re.compile(r"[^.;]+")


def partner_rate(
    objectives: Objectives, objective: str, partner: str, landlord: bool = False
) -> Decimal | None:
    """The rate cil computes for what a partner (or group) commits to, as a ratio; None when
    it has none or a number a year: its own target, else the EPCI's (location objectives), a
    reservation holder's rate or a landlord's rate on its non-reserved flow (priority)."""
    own = objectives.own_target(objective, partner)
    if own is not None:
        return own.taux / 100 if own.taux is not None else None
    if objective != PRIORITY:
        return objectives.whole_rate(objective)
    if landlord:
        return objectives.priority_target(LANDLORDS_OWN)
    return objectives.priority_target(partner) if partner in CONTINGENTS else None


def _partner_of(item: PartnerItem, landlords: list[str]) -> str | None:
    """Whose rate a commitment item states: its named partner, or its group when the group is
    a contingent; the landlords' group states the rate of their non-reserved flow."""
    if item.partenaire:
        return item.partenaire
    if item.groupe in CONTINGENTS or item.groupe in landlords:
        return item.groupe
    return LANDLORDS_OWN if "bailleur" in item.groupe.casefold() else None


def typed_rate_warnings(territory: Territory) -> list[str]:
    """Percentages typed in engagements_partenaires.csv that differ from the rates computed for
    the same partner and objective: the commitments would say two things at once.

    A sentence of an item is compared when it names one objective (« premier quartile »,
    « autres quartiles », « prioritaires » or « DALO ») and a percentage; it is fine when one of
    its percentages is the computed rate."""
    objectives = territory.config.objectifs
    landlords = list(territory.config.partenaires.bailleurs)
    warned = []
    for item in territory.engagements_partenaires:
        partner = _partner_of(item, landlords)
        if partner is None:
            continue
        for sentence in _SENTENCE.findall(item.texte):
            lower = sentence.casefold()
            named = [o for o, words in _NAMED.items() if any(w in lower for w in words)]
            typed = [Decimal(m.replace(",", ".")) / 100 for m in _PERCENT.findall(sentence)]
            if len(named) != 1 or not typed:
                continue
            computed = partner_rate(objectives, named[0], partner, partner in landlords)
            if computed is None or computed in typed:
                continue
            where = item.row.at("texte")
            warned.append(
                f"{where}: "
                + _(
                    "« {typed} » is typed for {partner} where objectifs gives {computed} "
                    "({objective}): write the rate of objectifs, or change objectifs",
                    typed=pourcent(typed[0], 0 if typed[0] * 100 % 1 == 0 else 1),
                    partner=partner,
                    computed=shown_target(computed),
                    objective=named[0],
                )
            )
    return warned
