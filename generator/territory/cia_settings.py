"""The `cia:` section of territory.yaml: the allocation policy's orientations and texts.

What reads as prose (orientations, their objectives and commitments, governance, signatories)
is written here; what reads as rows (partner commitments, indicators, actions, roles, key-worker
professions) is kept in data tables (policy_cia). A quantified target is never typed: a text
names it with a placeholder such as {cible}, filled from the `objectifs` section.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from generator.grammar import Nom, genre_de
from generator.messages import _

#: Where a quantified objective comes from (the `objectifs` section), by orientation target.
TARGETS = (
    "premier_quartile",
    "autres_quartiles_qpv",
    "prioritaires",
    "mutations",
    "travailleurs_essentiels",
)
#: Placeholders a text may hold: each target, the State's rate, the theoretical overall share,
#: and {cible}, the target of the orientation the text belongs to.
PLACEHOLDERS = (*TARGETS, "prioritaires_etat", "prioritaires_ensemble", "cible")
LAYOUTS = ("orientations", "engagements")
#: Sections of each layout, in order; `sections` may choose others among SECTIONS.
LAYOUT_SECTIONS = {
    "orientations": (
        "introduction",
        "diagnostic",
        "orientations",
        "engagements-chiffres",
        "gouvernance",
        "mise-en-oeuvre",
        "signataires",
        "annexes",
    ),
    "engagements": (
        "preambule",
        "orientations",
        "engagements-chiffres",
        "gouvernance",
        "indicateurs",
        "signataires",
    ),
}
SECTIONS = tuple(dict.fromkeys(s for layout in LAYOUT_SECTIONS.values() for s in layout))
COMMUNES, LANDLORDS = "communes", "bailleurs"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def _known_placeholders(text: str) -> str:
    for name in placeholders(text):
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise ValueError(
                _('unknown placeholder "{{{name}}}" — use one of {known}', name=name, known=known)
            )
    return text


#: A text that may name a quantified objective with a placeholder.
Text = Annotated[str, AfterValidator(_known_placeholders)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Detailed(_Section):
    """A commitment or a step with its sub-items (the situations examined by the CALEOL…)."""

    texte: Text
    details: list[Text] = Field(default_factory=list)


class PartnerCommitment(_Section):
    """A numbered commitment whose items, per partner group, are rows of engagements_partenaires."""

    titre: Text
    contexte: list[Text] = Field(default_factory=list, description="paragraphs before the table")


class Orientation(_Section):
    titre: Text
    cible: Literal[TARGETS] | None = Field(  # type: ignore[valid-type]
        None, description="the objective of `objectifs` that quantifies the orientation"
    )
    objectif: Text | None = Field(None, description="the objective, as one sentence")
    contexte: list[Text] = Field(default_factory=list, description="findings, paragraphs")
    enjeux: list[Text] = Field(default_factory=list, description="« Il s'agit de : » items")
    publics: list[Text] = Field(default_factory=list, description="households given attention")
    engagements: list[Text | Detailed] = Field(default_factory=list)
    conditions: list[Text] = Field(default_factory=list, description="what reaching it needs")
    engagements_partenaires: list[PartnerCommitment] = Field(default_factory=list)
    precision: Text | None = Field(None, description="sentence added in the deliberations")

    def texts(self) -> list[str]:
        """Every text of the orientation, for the checks that read them all."""
        found = [self.titre, self.objectif or "", self.precision or ""]
        found += [*self.contexte, *self.enjeux, *self.publics, *self.conditions]
        for item in self.engagements:
            found += [item] if isinstance(item, str) else [item.texte, *item.details]
        for commitment in self.engagements_partenaires:
            found += [commitment.titre, *commitment.contexte]
        return found

    @model_validator(mode="after")
    def target_named(self) -> Orientation:
        if self.cible is None and any("{cible}" in text for text in self.texts()):
            raise ValueError(
                _(
                    "{{cible}} needs the orientation's target: add « cible: » (one of {targets})",
                    targets=", ".join(TARGETS),
                )
            )
        return self


class Elaboration(_Section):
    periode: str | None = Field(None, description="« entre janvier et juin 2024 »")
    participants: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="data of the diagnosis")


class Diagnosis(_Section):
    """Findings of the diagnosis that no data table holds (rents, typologies, occupants…)."""

    parc: list[str] = Field(default_factory=list)
    occupants: list[str] = Field(default_factory=list)
    demande: list[str] = Field(default_factory=list)
    a_retenir: list[str] = Field(default_factory=list)
    enjeux: list[str] = Field(default_factory=list)


class Instance(_Section):
    nom: str
    role: list[str] = Field(description="paragraphs: composition, missions, meetings")


class Governance(_Section):
    instances: list[Instance] = Field(default_factory=list)
    pilotage: list[str] = Field(default_factory=list)
    evaluation: list[str] = Field(default_factory=list, description="beyond the yearly bilan")


class WorkPlan(_Section):
    annee: int
    actions: list[str | Detailed]


class KeyWorkers(_Section):
    """Who the territory counts as key workers; the list itself is travailleurs_essentiels.csv."""

    reference: str | None = Field(None, description="the list the territory started from")
    sans_objectif: str | None = Field(None, description="why no figure is set, if none is")


class Cil(_Section):
    colleges: int | None = Field(None, ge=1, description="number of colleges of the CIL")
    orientation_premier_quartile: str | None = Field(
        None,
        description="the CIL orientation (and its date) that adapts the 25 % first-quartile "
        "rate outside QPV (L441-1), when objectifs sets another",
    )


class CiaSettings(_Section):
    presentation: Literal[LAYOUTS] = "orientations"  # type: ignore[valid-type]
    sections: list[str] | None = Field(None, description="sections in order (default: layout)")
    intitule: str | None = Field(None, description="« Plan intercommunal d'attribution »")
    intitule_genre: Literal["m", "f"] | None = Field(
        None, description="gender of the title (m or f) when its first word is not in the lexicon"
    )
    intitule_pluriel: bool | None = Field(
        None, description="whether the title is plural (« Engagements partagés »)"
    )
    sigle: str | None = None
    duree_ans: int | None = Field(None, ge=1, le=20, description="duration, in years")
    cil: Cil = Cil()
    elaboration: Elaboration = Elaboration()
    diagnostic: Diagnosis = Diagnosis()
    orientations: list[Orientation] = Field(default_factory=list)
    groupes: list[str] = Field(default_factory=list, description="partner groups, in columns")
    travailleurs_essentiels: KeyWorkers = KeyWorkers()
    gouvernance: Governance = Governance()
    plan_de_travail: WorkPlan | None = None
    signataires: list[str] = Field(
        default_factory=list,
        description=f"in order; « {COMMUNES} » lists every commune, « {LANDLORDS} » the landlords",
    )

    @model_validator(mode="after")
    def known_sections(self) -> CiaSettings:
        for section in self.sections or ():
            if section not in SECTIONS:
                raise ValueError(
                    _(
                        'unknown section "{section}" — choose among {sections}',
                        section=section,
                        sections=", ".join(SECTIONS),
                    )
                )
        return self

    @model_validator(mode="after")
    def known_gender(self) -> CiaSettings:
        if self.intitule and self.intitule_genre is None:
            try:
                genre_de(self.intitule)
            except ValueError:
                raise ValueError(
                    _(
                        "the gender of « {intitule} » is not known: add intitule_genre: f (la, de"
                        " la) or m (le, du) under cia",
                        intitule=self.intitule,
                    )
                ) from None
        return self

    def title(self, default: str) -> Nom:
        """The document's name, with the gender and number every sentence naming it agrees with."""
        if not self.intitule:
            return Nom(default)
        return Nom(self.intitule, self.intitule_genre, self.intitule_pluriel)

    @property
    def chosen_sections(self) -> tuple[str, ...]:
        return tuple(self.sections) if self.sections else LAYOUT_SECTIONS[self.presentation]

    @property
    def partner_commitments(self) -> list[tuple[int, Orientation, PartnerCommitment]]:
        """Numbered commitments across orientations, as the document numbers them (from 1)."""
        found = [(o, c) for o in self.orientations for c in o.engagements_partenaires]
        return [(number, o, c) for number, (o, c) in enumerate(found, start=1)]
