"""The `ppgdid:` section of territory.yaml: the territory's own choices and texts for its PPGDID.

Each part is optional: what is missing shows as « [à renseigner] » in the document and in
`cil check`, and the legal points it would cover are reported as uncovered.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Elaboration(_Section):
    participants: list[str] = Field(
        default_factory=list, description="bodies that took part in the working groups"
    )
    entretiens: str | None = Field(None, description="targeted interviews, in a sentence")


class Mutations(_Section):
    """The means of the plan for transfers; their target share is objectifs.mutations."""

    actions: list[str] = Field(description="means the partners commit to, beyond the target")


class RefusalCase(_Section):
    """A case where refusing a suitable offer changes the score (R441-2-10 11°), and how."""

    cas: str = Field(description="the refusal that counts, e.g. a second refusal without reason")
    effet: str = Field(description="its effect on the score, e.g. minus 20 points for one year")


class CotationChoices(_Section):
    grilles: Literal["une", "deux"] = Field(
        description="one grid for every application, or one for first applicants and one "
        "for transfers"
    )
    facultatifs: bool | None = Field(
        None,
        description="whether the adopted grid has optional (local) criteria besides the "
        "mandatory ones; true while they are not yet in data/cotation.csv",
    )
    refus: list[RefusalCase] = Field(
        default_factory=list, description="cases where refusing a suitable offer changes the score"
    )


class IntercommunalContingent(_Section):
    """Reservations pooled by the EPCI, in return for its subsidies or guarantees."""

    depuis: int | dt.date = Field(description="year or date it was set up")
    contrepartie: str = Field(description="what the EPCI gives in return, e.g. « ses subventions »")
    droit_de_reservation: bool = Field(
        description="whether conventions give it formal reservation rights, or partnership only"
    )
    fonctionnement: str | None = Field(None, description="how candidates are found, in a sentence")


class LocationChoisie(_Section):
    statut: Literal["aucun", "prévu", "en place"]
    texte: str | None = Field(None, description="what is planned or in place, and since when")


class PpgdidSettings(_Section):
    debut: dt.date | None = Field(None, description="first day of the plan (its adoption)")
    evaluation_finale: str | None = Field(
        None,
        description="the evaluation six months before the end: when, who takes part; sent to "
        "the préfet and made public (R441-2-14)",
    )
    elaboration: Elaboration = Elaboration()
    constats_accueil: list[str] = Field(
        default_factory=list, description="findings on reception and information today"
    )
    enjeux_accueil: list[str] = Field(default_factory=list, description="stakes drawn from them")
    lieu_accueil_commun: str | None = Field(
        None, description="name of the guichet (data/guichets) that is the common reception place"
    )
    mutations: Mutations | None = None
    cotation: CotationChoices | None = None
    contingent_intercommunal: IntercommunalContingent | None = None
    location_choisie: LocationChoisie | None = None
