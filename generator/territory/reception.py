"""Reception of applicants: guichets by level and social services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.errors import Problems
from generator.messages import N_, _
from generator.reference import Commune
from generator.territory import columns as c
from generator.territory.registry import (
    EPCI_COMMUNE,
    Record,
    TableSpec,
    address,
    column,
    contact,
    hours,
    notes,
    year_or_date,
)
from generator.territory.tables import Row

LEVELS = (1, 2, 3)
OPEN, PLANNED = "ouvert", "prévu"


@dataclass(frozen=True, kw_only=True)
class Guichet(Record):
    """A reception point of the applicants' information service, at level 1, 2 or 3."""

    niveau: int = column(
        c.choice("1", "2", "3"),
        N_("level 1, 2 or 3"),
        required=True,
        doc="1 (information), 2 (information and support) or 3 (registration)",
    )
    commune: Commune | None = column(
        EPCI_COMMUNE,
        N_("official name or INSEE code of the commune"),
        doc="official name or INSEE code; for a commune's own guichet, enough on its own",
    )
    organisme: str | None = column(
        c.text,
        N_("name of the body, when it is not the commune itself"),
        doc="name of the body (landlord, Action Logement, CCAS…) when it is not the commune",
    )
    adresse: str | None = address()
    contact: str | None = contact()
    horaires: str | None = hours()
    statut: str = column(
        c.choice(OPEN, PLANNED),
        N_('"ouvert" or "prévu"'),
        required=True,
        doc="`ouvert` or `prévu`",
    )
    ouverture: int | dt.date | None = column(
        year_or_date,
        N_("year or date of opening, when planned"),
        doc="for a planned guichet: a year (`2026`) or a date (`01/09/2026`)",
    )
    notes: str | None = notes()
    #: The body's name, or the commune's for a commune's own guichet.
    nom: str

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        commune, organisme = values["commune"], values["organisme"]
        if not commune and not organisme:
            problems.add(row.at("organisme"), _("give the commune or the name of the body"))
            return None
        return values | {"niveau": int(values["niveau"]), "nom": organisme or commune.nom}


@dataclass(frozen=True, kw_only=True)
class SocialService(Record):
    nom: str = column(c.text, N_("name of the service"), required=True)
    commune: Commune | None = column(
        EPCI_COMMUNE,
        N_("commune where it receives the public"),
        doc="where it receives the public (official name or INSEE code)",
    )
    adresse: str | None = address()
    contact: str | None = contact()
    horaires: str | None = hours()
    notes: str | None = notes()


def duplicate_guichets(guichets: Sequence[Guichet]) -> Problems:
    """The same guichet twice (level, commune and body) would be listed twice in the plan."""
    problems = Problems()
    seen: dict[tuple[Any, ...], int] = {}
    for guichet in guichets:
        commune = guichet.commune.insee if guichet.commune else None
        key = (guichet.niveau, commune, (guichet.organisme or "").casefold())
        if key in seen:
            problems.add(
                guichet.row.at(),
                _(
                    "the level {niveau} guichet « {nom} » is already given in row {seen}: keep one"
                    " row",
                    niveau=guichet.niveau,
                    nom=guichet.nom,
                    seen=seen[key],
                ),
            )
        seen.setdefault(key, guichet.row.line)
    return problems


TABLES = (
    TableSpec("guichets", N_("reception points by level"), Guichet),
    TableSpec("services_sociaux", N_("social services"), SocialService),
)
