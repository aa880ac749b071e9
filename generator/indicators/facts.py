"""The figures a territory's documents share, computed once per build.

The build stage makes one `Facts` per territory and year and hands it to every document. Each
figure is computed on first use and kept, so a document that needs none of them (the PPGDID)
never triggers the allocation checks, and two documents never compute the same figure twice.
What the facts read is declared in `INPUTS`: a document that uses them depends on those inputs,
whichever document happened to compute them first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from generator.indicators.allocations import AllocationFacts, build_facts
from generator.indicators.evaluation import Evaluation, evaluate, legal_priority_share
from generator.territory.allocations import check_allocations
from generator.territory.schema import Territory

ALLOCATION_TABLES = ("attributions", "attributions_agregees", "repartitions", "demandes")
#: The content file of the theoretical split of contingents.
CONTINGENTS = "national/contingents.yaml"
#: Everything the facts read: tables by name, content blocks by path.
INPUTS = frozenset(
    {
        *(("table", name) for name in ALLOCATION_TABLES),
        ("table", "logements_sociaux"),
        ("table", "seuils_quartile"),
        ("content", CONTINGENTS),
    }
)


def allocation_facts(territory: Territory) -> AllocationFacts:
    """The allocation facts of a territory, after the checks no single row can make."""
    objectives = territory.config.objectifs
    tables = [territory.table(name) for name in ALLOCATION_TABLES]
    housing = territory.table("logements_sociaux")
    check_allocations(*tables, housing, objectives).raise_if_any()
    thresholds = {s.annee: s.seuil_annuel for s in territory.seuils if s.seuil_annuel}
    return build_facts(*tables, housing, thresholds, objectives.qpv)


@dataclass(frozen=True)
class Facts:
    """One territory's shared figures; `state_contingent` is the State's entry of CONTINGENTS."""

    territory: Territory
    state_contingent: Mapping[str, Any]
    _evaluations: dict[tuple[int, str | None], Evaluation] = field(
        default_factory=dict, compare=False, repr=False
    )

    @cached_property
    def allocations(self) -> AllocationFacts:
        return allocation_facts(self.territory)

    @cached_property
    def legal_priority_share(self) -> Decimal:
        return legal_priority_share(self.territory.config.objectifs, self.state_contingent)

    def evaluation(self, year: int, period: str | None = None) -> Evaluation:
        """The bilan's evaluation of `year` (or of the period ending then)."""
        key = (year, period)
        if key not in self._evaluations:
            config = self.territory.config
            self._evaluations[key] = evaluate(
                self.allocations,
                config.objectifs,
                config.secret_statistique,
                self.legal_priority_share,
                year,
                period,
            )
        return self._evaluations[key]
