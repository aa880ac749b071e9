"""The figures a territory's documents share, computed once per build.

The build stage makes one `Facts` per territory and year and gives each document a recording
view of it (`recording`), as it gives each document a recording view of the territory. Each
figure is computed on first use, on a view of its own, and kept with what it read: a document
that uses a figure depends on those inputs whichever document happened to compute it first, and
a document that uses none (the PPGDID) never computes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from generator.indicators.allocations import AllocationFacts, build_facts
from generator.indicators.evaluation import Evaluation, evaluate, legal_priority_share
from generator.indicators.stock import StockQualification, qualify_stock
from generator.territory.schema import Territory

T = TypeVar("T")
#: The content file of the theoretical split of contingents.
CONTINGENTS = "national/contingents.yaml"
#: The labels block: it names the source of allocation records that name none.
LABELS = "blocs/libelles.yaml"
#: How content blocks are read (with the territory's overrides): given by the documents' stage.
ContentLoader = Callable[[Territory, str], Any]


def allocation_facts(territory: Territory, records_source: str) -> AllocationFacts:
    """The allocation facts of a territory (its tables were checked together when loaded);
    `records_source` is the origin of allocation records that name none."""
    objectives = territory.config.objectifs
    thresholds = {s.annee: s.seuil_annuel for s in territory.seuils_quartile if s.seuil_annuel}
    return build_facts(
        territory.attributions,
        territory.attributions_agregees,
        territory.repartitions,
        territory.demandes,
        territory.logements_sociaux,
        thresholds,
        objectives.has_qpv,
        records_source,
    )


@dataclass
class _Computed:
    """Figures computed so far, by name, each with the inputs it read."""

    values: dict[str, Any] = field(default_factory=dict)
    reads: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)


class Facts:
    """One territory's shared figures, seen through a view that records which ones it used."""

    def __init__(
        self, territory: Territory, load_content: ContentLoader, computed: _Computed | None = None
    ) -> None:
        self._territory = territory.recording()
        self._load_content = load_content
        self._computed = computed if computed is not None else _Computed()
        self._used: set[tuple[str, str]] = set()

    def recording(self) -> Facts:
        """The same figures, computed once for all views, with an empty record of reads."""
        return Facts(self._territory, self._load_content, self._computed)

    @property
    def reads(self) -> set[tuple[str, str]]:
        """The inputs of every figure used through this view."""
        return self._territory.reads | self._used

    def _figure(self, name: str, compute: Callable[[Facts], T]) -> T:
        computed = self._computed
        if name not in computed.values:
            own = self.recording()
            computed.values[name] = compute(own)
            computed.reads[name] = frozenset(own.reads)
        self._used |= computed.reads[name]
        return computed.values[name]

    @property
    def allocations(self) -> AllocationFacts:
        def compute(own: Facts) -> AllocationFacts:
            labels = own._load_content(own._territory, LABELS)
            return allocation_facts(own._territory, labels["sources"]["attributions"])

        return self._figure("allocations", compute)

    @property
    def legal_priority_share(self) -> Decimal:
        """Share of allocations to priority households if every contingent met its target."""

        def compute(own: Facts) -> Decimal:
            state = own._load_content(own._territory, CONTINGENTS)["etat"]
            return legal_priority_share(own._territory.config.objectifs, state)

        return self._figure("legal priority share", compute)

    def evaluation(self, year: int, period: str | None = None, threshold: int = 0) -> Evaluation:
        """The bilan's evaluation of `year` (or of the period ending then), counts under
        `threshold` masked (by default the territory's `secret_statistique`)."""

        def compute(own: Facts) -> Evaluation:
            config = own._territory.config
            return evaluate(
                own.allocations,
                config.objectifs,
                threshold or config.secret_statistique,
                own.legal_priority_share,
                year,
                period,
            )

        return self._figure(f"evaluation {year} {period} {threshold}", compute)

    def stock(self, year: int) -> StockQualification | None:
        """The qualification of the stock from the latest occupancy survey up to `year`."""

        def compute(own: Facts) -> StockQualification | None:
            territory = own._territory
            return qualify_stock(territory.parc_ops, territory.config.qualification, year)

        return self._figure(f"stock {year}", compute)
