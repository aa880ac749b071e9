"""The typed model of a territory: its settings, reference communes and data tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..reference import Commune, Epci
from .config import TerritoryConfig
from .tables import Row

LEVELS = (1, 2, 3)
OPEN, PLANNED = "ouvert", "prévu"
ANALYSED, INSUFFICIENT, NOT_PROVIDED = "analysée", "réponse insuffisante", "non renseignée"


@dataclass(frozen=True)
class Guichet:
    """A reception point of the applicants' information service, at level 1, 2 or 3."""

    niveau: int
    nom: str
    commune: Commune | None
    adresse: str | None
    contact: str | None
    horaires: str | None
    statut: str
    ouverture: int | dt.date | None
    row: Row


@dataclass(frozen=True)
class SocialService:
    nom: str
    commune: Commune | None
    adresse: str | None
    contact: str | None
    horaires: str | None
    row: Row


@dataclass(frozen=True)
class Threshold:
    """First-quartile resource threshold of a year, in euros per year and consumption unit."""

    annee: int
    seuil_annuel: Decimal | None
    source: str | None
    row: Row


@dataclass(frozen=True)
class SurveyedAddress:
    """One address point of the occupancy survey (OPS) with its share of very low incomes."""

    annee: int
    commune: Commune | None
    adresse: str
    logements: int
    part_sous_40_plus: Decimal | None
    statut: str
    row: Row


@dataclass(frozen=True)
class Territory:
    slug: str
    folder: Path
    config: TerritoryConfig
    epci: Epci
    guichets: list[Guichet] = field(default_factory=list)
    services_sociaux: list[SocialService] = field(default_factory=list)
    seuils: list[Threshold] = field(default_factory=list)
    adresses_ops: list[SurveyedAddress] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)

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
