"""The figures of the CIA's diagnosis: the bilan's own tables and sentences, for the latest year
with allocation data, so that the CIA and the bilan can never disagree on a figure."""

from __future__ import annotations

from typing import Any

from generator.documents.bilan_commentary import verdict
from generator.documents.common import load_content
from generator.documents.presentation import LABELS, labelled, shown, worded_result
from generator.documents.profile_sections import missing_profiles, profiles
from generator.formatting import euros, nombre, pourcent
from generator.indicators import results as t
from generator.indicators import trends
from generator.indicators.allocations import SECRET, AllocationFacts, Grid, is_known
from generator.indicators.complements import targeted_applications
from generator.indicators.core import monthly_threshold
from generator.indicators.evaluation import window, without_empty_rows
from generator.territory.allocations import CONTINGENT, LANDLORD
from generator.territory.config import RESTRICTED
from generator.territory.schema import Territory


def _said(value: Any, kind: str = "count") -> str | None:
    """A figure for a sentence: None when unknown, « s » when secret."""
    if value is SECRET:
        return "s"
    if not is_known(value):
        return None
    return {"count": nombre, "share": pourcent, "ratio": lambda v: nombre(v, 1)}[kind](value)


def _applications(facts: AllocationFacts, year: int, threshold: int) -> dict[str, Any]:
    """Applications of the year, their share of mutations, and the DALO applicants."""
    found = facts.applications.get(year)
    counts = found.counts if found else {}
    grid = Grid(threshold)
    for name in ("demandes", "mutations", "dalo"):
        grid.put(year, name, counts.get(name))
    return {
        "demandes": _said(grid.count(year, "demandes")),
        "mutations": _said(grid.count(year, "mutations")),
        "part_mutations": _said(grid.rate(year, "mutations", "demandes"), "share"),
        "dalo": _said(grid.count(year, "dalo")),
    }


def _allocations(facts: AllocationFacts, year: int, threshold: int) -> dict[str, Any]:
    counts = facts.epci(year)
    grid = Grid(threshold)
    for name in ("attributions", "prioritaires", "dalo", "mutations"):
        grid.put(year, name, counts.get(name) if counts else None)
    return {
        "total": _said(grid.count(year, "attributions")),
        "prioritaires": _said(grid.count(year, "prioritaires")),
        "part_prioritaires": _said(grid.rate(year, "prioritaires", "attributions"), "share"),
        "dalo": _said(grid.count(year, "dalo")),
        "mutations": _said(grid.count(year, "mutations")),
    }


def _threshold(facts: AllocationFacts, year: int) -> dict[str, str] | None:
    yearly = facts.thresholds.get(year)
    if yearly is None:
        return None
    return {"annuel": euros(yearly), "mensuel": euros(monthly_threshold(yearly))}


def _stock(facts: AllocationFacts, year: int) -> dict[str, Any] | None:
    """The latest stock figures up to the diagnosis year (dwellings are never secret)."""
    known = sorted(y for (y, commune) in facts.housing if commune == "" and y <= year)
    if not known:
        return None
    found = facts.housing[(known[-1], "")]
    stock, plai = found.counts.get("parc"), found.counts.get("parc_plai")
    share = plai / stock if stock and plai is not None else found.part_plai
    return {
        "annee": known[-1],
        "logements": nombre(stock) if stock is not None else None,
        "part_plai": pourcent(share, 0) if share is not None else None,
    }


def _shown_or_none(table: Any) -> dict[str, Any] | None:
    return None if table.is_empty else shown(table)


def diagnosis(territory: Territory, facts: AllocationFacts, year: int) -> dict[str, Any] | None:
    """Tables and sentences of the diagnosis, or None when no year has allocation data."""
    evaluated, years = window(facts, year, None)
    if evaluated is None:
        return None
    threshold = territory.config.secrecy_threshold("cia")
    objectives = territory.config.objectifs
    labels = load_content(territory, LABELS)
    q1, q1_result = t.first_quartile_by_year(facts, objectives, years, threshold)
    without_empty_rows(q1)
    demand = without_empty_rows(trends.applications_and_allocations(facts, years, threshold))
    tensions = demand.row(str(evaluated))[-2:] if not demand.is_empty else [None, None]
    q1_row = q1.row(str(evaluated))
    targeted = {
        group: targeted_applications(facts, [evaluated], threshold, group)
        for group in ("premier_quartile", "prioritaires")
    }
    found_profiles = profiles(facts, years, threshold, labels)
    by_partner = {
        f"{objective}_{scale}": location(facts, objectives, evaluated, scale, threshold)
        for objective, location in (
            ("q1", t.first_quartile_by_scale),
            ("qpv", t.other_quartiles_in_qpv_by_scale),
        )
        if objective == "q1" or objectives.has_qpv
        for scale in (LANDLORD, CONTINGENT)
    }
    return {
        "annee": evaluated,
        "annees": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(evaluated),
        "depuis": years[0] if len(years) > 1 else None,
        "parc": _stock(facts, evaluated),
        "demandes": _applications(facts, evaluated, threshold),
        "attributions": _allocations(facts, evaluated, threshold),
        "tension": _said(tensions[0], "ratio"),
        "tension_mutations": _said(tensions[1], "ratio"),
        "secret": threshold,
        "restreinte": territory.config.audience("cia") == RESTRICTED,
        "seuil": _threshold(facts, evaluated),
        "premier_quartile": {
            "attributions": _said(q1_row[2]),
            "nombre": _said(q1_row[3]),
            "part": _said(q1_result.part, "share"),
            "manque": _said(q1_result.manque),
            "verdict": verdict(worded_result(q1_result, labels)),
            "demandeurs": _said(targeted["premier_quartile"].rows[0][1]),
            "part_demandeurs": _said(targeted["premier_quartile"].rows[0][2], "share"),
        },
        "prioritaires": {
            "demandeurs": _said(targeted["prioritaires"].rows[0][1]),
            "part_demandeurs": _said(targeted["prioritaires"].rows[0][2], "share"),
        },
        "autres_quartiles_qpv": (
            _other_quartiles(facts, territory, years, labels) if objectives.has_qpv else None
        ),
        "tableaux": {
            "demandes": _shown_or_none(labelled(demand, labels)),
            "premier_quartile": _shown_or_none(labelled(q1, labels)),
            **{
                key: _shown_or_none(labelled(table, labels, evaluated))
                for key, table in by_partner.items()
            },
            "motifs": _shown_or_none(
                labelled(t.priority_motives(facts, evaluated, threshold), labels, evaluated)
            ),
            "profils": found_profiles,
        },
        "profils_manquants": missing_profiles(found_profiles),
    }


def _other_quartiles(
    facts: AllocationFacts, territory: Territory, years: list[int], labels: Any
) -> dict[str, Any]:
    """The second location objective: allocations in QPV to the other quartiles, by year."""
    objectives = territory.config.objectifs
    threshold = territory.config.secret_statistique
    table, result = t.other_quartiles_in_qpv_by_year(facts, objectives, years, threshold)
    without_empty_rows(table)
    row = table.row(str(years[-1])) if str(years[-1]) in table.column("annee") else None
    return {
        "attributions": _said(row[1]) if row else None,
        "nombre": _said(row[2]) if row else None,
        "part": _said(result.part, "share"),
        "verdict": verdict(result),
        "tableau": _shown_or_none(labelled(table, labels)),
    }
