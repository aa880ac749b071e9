"""The typed model of a territory: its settings, reference communes and data tables."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.reference import Commune, Epci
from generator.territory.config import TerritoryConfig
from generator.territory.housing_stock import (
    ANALYSED,
    INSUFFICIENT,
    NOT_PROVIDED,
    SurveyedAddress,
    Threshold,
)
from generator.territory.reception import LEVELS, OPEN, PLANNED, Guichet, SocialService

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


@dataclass(frozen=True)
class Territory:
    """Everything loaded and validated for one EPCI; tables by name, typed items in each."""

    slug: str
    folder: Path
    config: TerritoryConfig
    epci: Epci
    year: int
    tables: dict[str, list[Any]] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    #: What was read through this view, as ("table" | "content", name): the dependencies of an
    #: output. Each document reads through a view of its own (`recording`).
    reads: set[tuple[str, str]] = field(default_factory=set, compare=False, repr=False)

    def recording(self) -> Territory:
        """The same territory with an empty record of reads: one per document, so that what a
        document depends on does not depend on which documents were built before it."""
        return replace(self, reads=set())

    def table(self, name: str) -> list[Any]:
        self.reads.add(("table", name))
        return self.tables.get(name, [])

    @property
    def guichets(self) -> list[Guichet]:
        return self.table("guichets")

    @property
    def services_sociaux(self) -> list[SocialService]:
        return self.table("services_sociaux")

    @property
    def seuils(self) -> list[Threshold]:
        return self.table("seuils_quartile")

    @property
    def adresses_ops(self) -> list[SurveyedAddress]:
        return self.table("parc_ops")

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
