"""The typed model of a territory: its settings, reference communes and one list per data table."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from generator.reference import Commune, Epci
from generator.territory.allocations import AllocationCounts, AllocationRecord, Breakdown
from generator.territory.config import TerritoryConfig
from generator.territory.demand_housing import Applications, SocialHousing
from generator.territory.housing_stock import (
    ANALYSED,
    INSUFFICIENT,
    NOT_PROVIDED,
    SurveyedAddress,
    Threshold,
)
from generator.territory.policy_cia import (
    Indicator,
    KeyWorkerProfession,
    PartnerItem,
    PolicyAction,
    Role,
)
from generator.territory.policy_ppgdid import Action, Criterion, ElaborationStep
from generator.territory.qpv import Qpv
from generator.territory.reception import LEVELS, OPEN, PLANNED, Guichet, SocialService
from generator.territory.sittings import Member, Sitting

__all__ = [
    "ANALYSED",
    "INSUFFICIENT",
    "LEVELS",
    "NOT_PROVIDED",
    "OPEN",
    "PLANNED",
    "Guichet",
    "SocialService",
    "SurveyedAddress",
    "Territory",
    "Threshold",
]


def _table() -> Any:
    return field(default_factory=list, metadata={"table": True})


@dataclass(frozen=True)
class Territory:
    """Everything loaded and validated for one EPCI; one typed list per data table.

    Each table attribute is named as its file (data/guichets.csv is `territory.guichets`), so a
    misspelt table name fails at once with an AttributeError instead of reading as empty.
    """

    slug: str
    folder: Path
    config: TerritoryConfig
    epci: Epci
    year: int
    sources: dict[str, Path] = field(default_factory=dict)
    guichets: list[Guichet] = _table()
    services_sociaux: list[SocialService] = _table()
    parc_ops: list[SurveyedAddress] = _table()
    seuils_quartile: list[Threshold] = _table()
    cotation: list[Criterion] = _table()
    actions_ppgdid: list[Action] = _table()
    elaboration_ppgdid: list[ElaborationStep] = _table()
    attributions: list[AllocationRecord] = _table()
    attributions_agregees: list[AllocationCounts] = _table()
    repartitions: list[Breakdown] = _table()
    demandes: list[Applications] = _table()
    logements_sociaux: list[SocialHousing] = _table()
    seances: list[Sitting] = _table()
    seances_membres: list[Member] = _table()
    engagements_partenaires: list[PartnerItem] = _table()
    indicateurs_cia: list[Indicator] = _table()
    actions_cia: list[PolicyAction] = _table()
    roles_partenaires: list[Role] = _table()
    travailleurs_essentiels: list[KeyWorkerProfession] = _table()
    elaboration_cia: list[ElaborationStep] = _table()
    qpv: list[Qpv] = _table()
    #: What documents have read, as ("table" | "content", name): the dependencies of an output.
    reads: set[tuple[str, str]] = field(default_factory=set, compare=False, repr=False)

    def __getattribute__(self, name: str) -> Any:
        """Reading a table records it in `reads`, for incremental builds."""
        if name in TABLE_NAMES:
            object.__getattribute__(self, "reads").add(("table", name))
        return object.__getattribute__(self, name)

    def recording(self) -> Territory:
        """The same territory with an empty record of reads: one per document, so that what a
        document depends on does not depend on which documents were built before it."""
        values = {f.name: object.__getattribute__(self, f.name) for f in fields(self)}
        return Territory(**values | {"reads": set()})  # copying reads no table

    @property
    def communes(self) -> tuple[Commune, ...]:
        return self.epci.communes

    @property
    def name(self) -> str:
        """Full name: "CC Rhône Crussol" reads "Communauté de communes Rhône Crussol"."""
        if self.config.nom:
            return self.config.nom
        short = self.epci.nom
        prefix = self.epci.nature + " "
        if short.startswith(prefix):
            return f"{self.epci.nature_longue.capitalize()} {short[len(prefix) :]}"
        return short

    @property
    def departement(self) -> str:
        return self.communes[0].departement


#: The data tables, by the name of their file and of their attribute.
TABLE_NAMES = frozenset(f.name for f in fields(Territory) if f.metadata.get("table"))
