"""Reception of applicants: guichets by level and social services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.errors import Problems
from generator.reference import Commune, CommuneIndex
from generator.territory import columns as c
from generator.territory.registry import (
    TableSpec,
    commune_column,
    contact_columns,
    notes,
    year_or_date,
)
from generator.territory.tables import Row

LEVELS = (1, 2, 3)
OPEN, PLANNED = "ouvert", "prévu"


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


def _guichet_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("niveau", c.choice("1", "2", "3"), "level 1, 2 or 3", required=True),
        c.Column("commune", commune_column(index), "official name or INSEE code of the commune"),
        c.Column("organisme", c.text, "name of the body, when it is not the commune itself"),
        *contact_columns(),
        c.Column("statut", c.choice(OPEN, PLANNED), f'"{OPEN}" or "{PLANNED}"', required=True),
        c.Column("ouverture", year_or_date, "year or date of opening, when planned"),
        notes(),
    ]


def _guichet(row: Row, problems: Problems) -> Guichet | None:
    commune, organisme = row["commune"], row["organisme"]
    if not commune and not organisme:
        problems.add(row.at("organisme"), "give the commune or the name of the body")
        return None
    return Guichet(
        niveau=int(row["niveau"]),
        nom=organisme or commune.nom,
        commune=commune,
        adresse=row["adresse"],
        contact=row["contact"],
        horaires=row["horaires"],
        statut=row["statut"],
        ouverture=row["ouverture"],
        row=row,
    )


def _service_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("nom", c.text, "name of the service", required=True),
        c.Column("commune", commune_column(index), "commune where it receives the public"),
        *contact_columns(),
        notes(),
    ]


def _service(row: Row, problems: Problems) -> SocialService:
    return SocialService(
        row["nom"], row["commune"], row["adresse"], row["contact"], row["horaires"], row
    )


TABLES = (
    TableSpec("guichets", "reception points by level", _guichet_columns, _guichet),
    TableSpec("services_sociaux", "social services", _service_columns, _service),
)
