"""The profiles of applicants and beneficiaries as the CIA's diagnosis and the bilan show them:
each group's table, its leading categories for a sentence, and the groups the data misses."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.documents.common import Gap
from generator.documents.presentation import labelled, shown
from generator.errors import Location, display_path
from generator.formatting import points, pourcent
from generator.indicators.allocations import SECRET, AllocationFacts
from generator.indicators.profiles import (
    GROUPS,
    REFERENCES,
    Comparison,
    Leading,
    compared_categories,
    leading_categories,
    profile,
    profile_years,
)
from generator.messages import _, quoted
from generator.territory.schema import Territory

#: Profiles whose absence the diagnosis states (the priority applicants' is optional).
EXPECTED_PROFILES = (
    "demandes",
    "demandes en mutation",
    "demandes du premier quartile",
    "attributions au premier quartile",
    "attributions en mutation",
)


def _leading(found: list[Leading]) -> list[dict[str, Any]]:
    """The leading categories of each dimension, formatted for a sentence."""
    return [
        {
            "dimension": lead.dimension,
            "modalites": [{"nom": name, "part": pourcent(part)} for name, part in lead.categories],
        }
        for lead in found
    ]


def _name(population: str) -> str:
    """A group's name in the documents' context: its table key without `profil_`."""
    return GROUPS[population].key.removeprefix("profil_")


#: The gap, in points, from which a category's share is worth a line of its own: a list of
#: every category (« Logement trop petit : 15,0 % contre 15,0 % (0,0 point) ») buries the few
#: that tell the group apart.
NOTABLE_GAP = 2


def _compared(found: list[Comparison]) -> list[dict[str, str]]:
    """Each category shared with the reference group whose share differs by NOTABLE_GAP points
    or more, formatted: share, reference, gap."""
    return [
        {
            "dimension": c.dimension,
            "modalite": c.category,
            "part": pourcent(c.share),
            "reference": pourcent(c.reference),
            "ecart": points(c.points),
        }
        for c in found
        if abs(c.points) >= NOTABLE_GAP
    ]


def profiles(
    facts: AllocationFacts, years: list[int], threshold: int, labels: dict[str, Any]
) -> dict[str, Any]:
    """Each group's profile by its table key without `profil_`: the table as shown, its year(s)
    and the leading categories of its latest year; None for a group without figures. A note
    already under an earlier profile is not repeated."""
    said: set[str] = set()
    found: dict[str, Any] = {}
    for population in GROUPS:
        name = _name(population)
        table = profile(facts, years, population, threshold)
        if table.is_empty:
            found[name] = None
            continue
        worded = labelled(table, labels)
        notes = [str(n) for n in worded.notes if str(n) not in said]
        said.update(notes)
        latest = profile_years(facts, years, population)[-1]
        found[name] = {
            "tableau": shown(replace(worded, notes=notes)),
            "annee": latest,
            "annees": table.figures["annees"],
            "faits": _leading(leading_categories(facts, latest, population, threshold)),
            "comparaison": _compared(compared_categories(facts, latest, population, threshold)),
            "ecart_notable": NOTABLE_GAP,
            "reference": _name(REFERENCES[population]) if population in REFERENCES else None,
            "masque": any(cell is SECRET for row in table.rows for cell in row),
            # every figure masked: the sentence says so, a table of « s » would say nothing more
            "tout_masque": all(cell is SECRET for row in table.rows for cell in row[2:]),
        }
    return found


def profile_gap(territory: Territory, missing: list[str]) -> Gap:
    """Where the profiles the document shows as missing are given."""
    where = Location(
        display_path(territory.folder / "data" / "repartitions.csv"), column="population"
    )
    return Gap(
        where,
        _(
            "the profiles of {populations} (rows of these populations: composition familiale, "
            "âge, activité, ressources, motif de la demande), from the SNE infocentre",
            populations=", ".join(quoted(p) for p in missing),
        ),
    )


def missing_profiles(found: dict[str, Any]) -> list[str]:
    """The populations (of `repartitions`) whose expected profile the data does not give."""
    return [population for population in EXPECTED_PROFILES if found[_name(population)] is None]
