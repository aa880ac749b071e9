"""The orientations of the CIA as the documents show them: every quantified objective filled in
from `objectifs`, the partner commitments as tables with one column per partner group.

The deliberations read their orientations here too (`deliberation_orientations`), so that what a
council approves is word for word the policy the CIA states.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from generator.documents import law_in_force
from generator.documents.bilan_commentary import target as shown_target
from generator.documents.common import MISSING, MISSING_TEXT, Gap, load_content
from generator.errors import Location, display_path
from generator.grammar import majuscule
from generator.indicators.evaluation import legal_priority_share
from generator.indicators.facts import CONTINGENTS
from generator.messages import _
from generator.render.escape import LINE_BREAK, escape_markdown
from generator.territory import law, objectives
from generator.territory.cia_settings import (
    PLACEHOLDER,
    Detailed,
    Orientation,
    PartnerCommitment,
)
from generator.territory.objectives import Objectives
from generator.territory.policy_cia import Indicator, PartnerItem
from generator.territory.schema import Territory

#: Targets the law fixes a minimum for (its default in `Objectives`), by orientation target.
LEGAL_MINIMUM = {
    "premier_quartile": Objectives().premier_quartile_hors_qpv / 100,
    "autres_quartiles_qpv": Objectives().autres_quartiles_en_qpv / 100,
    "prioritaires": Objectives().priority_target("autres"),
}

#: The rule of content/national/regles.yaml behind each target of LEGAL_MINIMUM: its version says
#: whether the CIL's orientations may set another rate (« adaptable ») or the law fixes a floor.
LEGAL_RULE = {
    "premier_quartile": "premier-quartile-hors-qpv",
    "autres_quartiles_qpv": "autres-quartiles-en-qpv",
    "prioritaires": "prioritaires-par-contingent",
}


def adaptable_targets(territory: Territory, on: dt.date | None = None) -> dict[str, bool]:
    """Whether the CIL may adapt each legal target on `on` (None: the rule's latest version)."""
    rules = law_in_force.rules(territory)
    found = {}
    for kind, code in LEGAL_RULE.items():
        version = law.version_at(rules, code, on) if on else law.rule(rules, code)["versions"][-1]
        found[kind] = bool(version and version["valeurs"].get("adaptable"))
    return found


def yaml_location(territory: Territory, key: str) -> Location:
    return Location(display_path(territory.folder / "territory.yaml"), key=key)


def _state_contingent(territory: Territory) -> dict[str, Any]:
    return load_content(territory, CONTINGENTS)["etat"]


def targets(territory: Territory) -> dict[str, Decimal | None]:
    """Every quantified objective a text may name, as a ratio (None: the territory sets none)."""
    return objectives.targets(
        territory.config.objectifs,
        legal_priority_share(territory.config.objectifs, _state_contingent(territory)),
    )


class Filler:
    """Fills the placeholders of the texts of one territory; an unset objective is a gap."""

    def __init__(self, territory: Territory, gaps: list[Gap]) -> None:
        self.values = targets(territory)
        self.territory = territory
        self.gaps = gaps

    def __call__(self, text: str | None, cible: str | None = None, key: str = "cia") -> str:
        if text is None:
            return ""

        def value(match: re.Match[str]) -> str:
            name = cible if match.group(1) == "cible" else match.group(1)
            found = self.values.get(name) if name else None
            if found is None:
                where = yaml_location(self.territory, f"objectifs.{name}")
                self.gaps.append(
                    Gap(where, _("the objective {name}, named in {key}", name=name, key=key))
                )
                return MISSING_TEXT
            return shown_target(found)

        return PLACEHOLDER.sub(value, text)


def legal_note(
    orientation: Orientation,
    values: dict[str, Decimal | None],
    adaptable: dict[str, bool] | None = None,
) -> dict[str, Any] | None:
    """What the law says of the orientation's figure, for the templates to word: nothing (no
    target), no figure (`minimum` None), the law's rate and whether the CIL's orientations may
    adapt it (`adaptable`: the first-quartile and QPV rates) or it is a floor (the priority
    households' share of each contingent), and whether the territory's target is above or below."""
    kind = orientation.cible
    if kind is None:
        return None
    if kind not in LEGAL_MINIMUM:
        return {"minimum": None, "au_dela": False}
    minimum, chosen = LEGAL_MINIMUM[kind], values.get(kind)
    return {
        "minimum": minimum,
        "adaptable": bool((adaptable or {}).get(kind)),
        "au_dela": chosen is not None and chosen > minimum,
        "en_deca": chosen is not None and chosen < minimum,
    }


def _item(item: str | Detailed, fill: Any) -> dict[str, Any]:
    if isinstance(item, str):
        return {"texte": fill(item), "details": []}
    return {"texte": fill(item.texte), "details": [fill(d) for d in item.details]}


def _cell(items: list[PartnerItem]) -> Markup:
    """One group's items in one table cell, a named partner's items after its name in bold."""
    lines = []
    for item in items:
        text = escape_markdown(item.texte)
        if item.partenaire:
            text = Markup(f"**{escape_markdown(item.partenaire)}** : {text}")
        lines.append(Markup(f"– {text}") if len(items) > 1 else text)
    return Markup(LINE_BREAK.join(lines))


def partner_table(groups: list[str], items: list[PartnerItem]) -> dict[str, Any]:
    """Columns: the groups that commit to something here, in the order of cia.groupes."""
    present = [g for g in groups if any(i.groupe == g for i in items)]
    cells = [[i for i in items if i.groupe == g] for g in present]
    # Width grows with the text a column holds, tempered so that a short column stays readable.
    roots = [sum(len(i.texte) + len(i.partenaire or "") for i in cell) ** 0.5 for cell in cells]
    floor = max([12, *roots]) * 0.45
    return {
        "entete": present,
        "lignes": [[_cell(cell) for cell in cells]],
        "largeurs": [round(max(floor, r)) for r in roots] or [1],
    }


def indicator_rows(indicators: list[Indicator]) -> list[list[str]]:
    return [
        [i.indicateur + (f" — {i.contenu}" if i.contenu else ""), i.sources or MISSING]
        for i in indicators
    ]


def _partner_commitment(
    territory: Territory,
    number: int,
    commitment: PartnerCommitment,
    items: list[PartnerItem],
    filled: Any,
    gaps: list[Gap],
) -> dict[str, Any]:
    """A numbered commitment: its texts, and its table when partners commit to something."""
    own = [i for i in items if i.engagement == number]
    if not own:
        where = Location(display_path(territory.folder / "data" / "engagements_partenaires.csv"))
        gaps.append(Gap(where, _("what each partner does for commitment {number}", number=number)))
    groups = territory.config.cia.groupes if territory.config.cia else []
    return {
        "numero": number,
        "titre": filled(commitment.titre),
        "contexte": [filled(p) for p in commitment.contexte],
        "tableau": partner_table(groups, own) if own else None,
    }


def orientations(
    territory: Territory, gaps: list[Gap], on: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each orientation with its texts filled in, its partner tables and its indicators; `on`:
    the CIA's date, for what the law lets the CIL adapt then."""
    settings = territory.config.cia
    if settings is None or not settings.orientations:
        gaps.append(Gap(yaml_location(territory, "cia.orientations"), _("orientations of the CIA")))
        return []
    fill, values = Filler(territory, gaps), targets(territory)
    adaptable = adaptable_targets(territory, on)
    items: list[PartnerItem] = territory.engagements_partenaires
    indicators: list[Indicator] = territory.indicateurs_cia
    result = []
    for index, o in enumerate(settings.orientations, start=1):
        key = f"cia.orientations[{index}]"

        def filled(text: str | None, o: Orientation = o, key: str = key) -> str:
            return fill(text, o.cible, key)

        own = [(n, c) for n, owner, c in settings.partner_commitments if owner is o]
        commitments = [
            _partner_commitment(territory, number, c, items, filled, gaps) for number, c in own
        ]
        value = values.get(o.cible) if o.cible else None
        result.append(
            {
                "numero": index,
                "titre": filled(o.titre),
                "cible": o.cible,
                "valeur": shown_target(value) if value is not None else None,
                "objectif": majuscule(filled(o.objectif)) if o.objectif else None,
                "mention": legal_note(o, values, adaptable),
                "contexte": [filled(p) for p in o.contexte],
                "enjeux": [filled(p) for p in o.enjeux],
                "publics": [filled(p) for p in o.publics],
                "engagements": [_item(e, filled) for e in o.engagements],
                "conditions": [filled(p) for p in o.conditions],
                "engagements_partenaires": commitments,
                "indicateurs": indicator_rows([i for i in indicators if i.orientation == index]),
            }
        )
    return result


def deliberation_orientations(
    territory: Territory, gaps: list[Gap], on: dt.date | None = None
) -> list[dict[str, Any]]:
    """Title, objective (with what the law says of its figure) and precision of each orientation,
    as a deliberation states them."""
    settings = territory.config.cia
    if settings is None or not settings.orientations:
        gaps.append(Gap(yaml_location(territory, "cia.orientations"), _("orientations of the CIA")))
        return []
    fill, values = Filler(territory, gaps), targets(territory)
    adaptable = adaptable_targets(territory, on)
    result = []
    for index, o in enumerate(settings.orientations, start=1):
        key = f"cia.orientations[{index}]"
        if o.objectif is None:
            gaps.append(Gap(yaml_location(territory, f"{key}.objectif"), _("objective sentence")))
        objective = majuscule(fill(o.objectif, o.cible, key)) if o.objectif else MISSING_TEXT
        result.append(
            {
                "titre": fill(o.titre, o.cible, key),
                "objectif": objective,
                "mention": legal_note(o, values, adaptable),
                "precision": fill(o.precision, o.cible, key),
            }
        )
    return result
