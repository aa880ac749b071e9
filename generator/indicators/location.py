"""The two location objectives compared between two evaluations (the year diff).

First quartile outside QPV and other quartiles in QPV, for the EPCI and each landlord: the share
of each year, the change in points, hidden or unknown as in the bilan's tables."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.indicators.allocations import IndicatorTable, points_between
from generator.indicators.evaluation import Evaluation
from generator.indicators.results import TOTAL

#: The location objectives: key of their result, key of their table by landlord.
OBJECTIVES = {"premier_quartile": "bailleurs", "autres_quartiles_qpv": "qpv_bailleurs"}


@dataclass(frozen=True)
class ShareChange:
    """One scale's share of an objective in two evaluated years."""

    echelle: str
    avant: Any
    apres: Any

    @property
    def points(self) -> Any:
        return points_between(self.avant, self.apres)


@dataclass(frozen=True)
class ObjectiveChange:
    objectif: str
    cible: Decimal | None
    annee_avant: int | None
    annee_apres: int | None
    lignes: list[ShareChange]


def _shares(table: IndicatorTable | None) -> dict[str, Any]:
    if table is None or table.is_empty:
        return {}
    keys = [c.title for c in table.columns]
    return {row[0]: row[keys.index("part")] for row in table.rows if row[0] != TOTAL}


def location_changes(before: Evaluation, after: Evaluation) -> list[ObjectiveChange]:
    """Each location objective the later evaluation measures, EPCI first, then each landlord
    of either year (a landlord of one year only has one share)."""
    changes = []
    for key, table in OBJECTIVES.items():
        results = after.results.get(key)
        if not results:
            continue
        result = results[0]
        earlier = before.results.get(key) or []
        lines = [ShareChange("EPCI", earlier[0].part if earlier else None, result.part)]
        old, new = _shares(before.tables.get(table)), _shares(after.tables.get(table))
        for name in sorted(old.keys() | new.keys()):
            lines.append(ShareChange(name, old.get(name), new.get(name)))
        changes.append(
            ObjectiveChange(result.objectif, result.cible, before.year, after.year, lines)
        )
    return changes
