"""The CIA: convention intercommunale d'attribution, alone or merged with its document cadre.

Two layouts share one template family (templates/cia/): « orientations » (each orientation with
its objective, commitments and indicators, as Rhône Crussol's Plan intercommunal d'attribution)
and « engagements » (numbered partner commitments as tables with one column per partner group,
as Grand Pic Saint-Loup's CIA). Diagnosis figures are the bilan's own; the qualification of the
stock and the thresholds are the PPGDID annexes' own; the legal texts and the glossary are the
PPGDID's.
"""

from __future__ import annotations

from typing import Any

from generator.documents import (
    annex_tables,
    cia_commitments,
    cia_governance,
    cia_law,
    cia_orientations,
    law_checks,
    law_in_force,
    ppgdid_law,
)
from generator.documents.bilan_commentary import target as shown_target
from generator.documents.cia_diagnosis import diagnosis
from generator.documents.common import (
    MISSING,
    Gap,
    load_content,
    qpv_list,
    require_qpv_declared,
    territory_context,
)
from generator.documents.contract import DocumentType, Made, Options
from generator.documents.ppgdid_law import glossary, period_text
from generator.documents.presentation import LABELS
from generator.documents.profile_sections import profile_gap
from generator.errors import Location, display_path
from generator.formatting import euros
from generator.grammar import Nom
from generator.indicators.core import monthly_threshold
from generator.indicators.facts import Facts
from generator.messages import _
from generator.territory.cia_settings import CiaSettings
from generator.territory.config import RESTRICTED
from generator.territory.schema import Territory

NAME = "cia"
TITLE = "Convention intercommunale d'attribution"


def title(territory: Territory) -> str:
    """The cover's title: a territory may merge its CIA into a plan with its own name."""
    settings = territory.config.cia
    return settings.title(TITLE) if settings else Nom(TITLE)


TEMPLATE = "cia/document.md.j2"
DEFAULT = CiaSettings()
TEXTS = "blocs/cia/textes.yaml"


def _settings(territory: Territory, gaps: list[Gap]) -> CiaSettings:
    settings = territory.config.cia
    if settings is None:
        where = cia_orientations.yaml_location(territory, "cia")
        gaps.append(Gap(where, _("the cia section: orientations, commitments and governance")))
        return DEFAULT
    return settings


def _legal_framework(territory: Territory, year: int) -> list[dict[str, str]]:
    """What each law in force at the CIA's date brought to the allocation policy; titles and
    dates from cadre-legal.yaml (a 2020 CIA names neither the 3DS law nor the 2023 circular)."""
    laws = {
        law["code"]: law
        for law in law_in_force.texts(territory, law_in_force.document_day(territory, year))
    }
    contributions = []
    for item in load_content(territory, TEXTS)["textes"]:
        if item["code"] not in laws:
            continue
        law = laws[item["code"]]
        known_as = f" ({law['sigle']})" if "sigle" in law else ""
        title = ppgdid_law.legal_title(territory, law) + known_as
        contributions.append({"intitule": title, "apport": item["apport"]})
    return contributions


def _objectives(territory: Territory) -> dict[str, Any]:
    """The law's minimums and the territory's own objectives (None: not set), formatted."""
    goals = territory.config.objectifs
    values = cia_orientations.targets(territory)
    local = {k: v for k, v in goals.prioritaires.items() if k not in ("État", "autres")}
    return {
        **{k: shown_target(v) if v is not None else None for k, v in values.items()},
        "loi": {k: shown_target(v) for k, v in cia_orientations.LEGAL_MINIMUM.items()},
        "qpv": goals.has_qpv,
        "liste_qpv": qpv_list(territory),
        "prioritaires_locaux": [[k, shown_target(v / 100)] for k, v in local.items()],
        "partenaires": cia_commitments.own_targets(goals),
    }


def _thresholds(territory: Territory, year: int) -> list[dict[str, Any]]:
    """The last two known first-quartile thresholds, monthly and yearly."""
    known = sorted(
        (t.annee, amount)
        for t in territory.seuils_quartile
        if (amount := t.seuil_annuel) and t.annee <= year
    )
    return [
        {"annee": annee, "annuel": euros(amount), "mensuel": euros(monthly_threshold(amount))}
        for annee, amount in known[-2:]
    ]


def _elaboration(territory: Territory, settings: CiaSettings) -> dict[str, Any]:
    steps = territory.elaboration_cia
    return {
        "periode": settings.elaboration.periode,
        "participants": settings.elaboration.participants,
        "sources": settings.elaboration.sources,
        "etapes": [
            [period_text(s.date) if s.date else MISSING, s.etape, s.objet or ""] for s in steps
        ],
    }


def _annexes(territory: Territory, facts: Facts, year: int, gaps: list[Gap]) -> dict[str, Any]:
    return {
        "qualification": annex_tables.qualification(territory, facts, year, gaps),
        "publics_l441": load_content(territory, "national/publics-prioritaires-l441-1.yaml"),
        "seuils": annex_tables.thresholds(territory, year, gaps),
        "premiere_annee_seuils": territory.config.premiere_annee_seuils,
    }


def _governance(territory: Territory, settings: CiaSettings, gaps: list[Gap]) -> dict[str, Any]:
    chosen = settings.gouvernance
    if not chosen.instances:
        where = cia_orientations.yaml_location(territory, "cia.gouvernance.instances")
        gaps.append(Gap(where, _("the bodies that steer and follow the CIA")))
    return {
        "instances": chosen.instances,
        "pilotage": chosen.pilotage,
        "evaluation": chosen.evaluation,
        "roles": cia_governance.roles(territory),
    }


def make(territory: Territory, facts: Facts, year: int, options: Options) -> Made:
    """Everything both layouts show; a section not chosen is not computed (nor its gaps)."""
    require_qpv_declared(territory, "CIA")
    gaps: list[Gap] = []
    day = law_in_force.document_day(territory, year)
    settings = _settings(territory, gaps)
    sections = settings.chosen_sections
    orientations = cia_orientations.orientations(territory, gaps, day)
    kinds = {o["cible"] for o in orientations}
    images: dict[str, bytes] = {}
    priority, levels = None, None
    if "prioritaires" in kinds or "annexes" in sections:
        levels = cia_governance.priority_levels(territory, gaps)
    if "prioritaires" in kinds:
        priority, chart = cia_governance.priority_share(territory, facts, year)
        images[chart.filename] = chart.png
    allocations = facts.allocations  # the bilan's facts, after the same checks
    diagnosed = diagnosis(territory, allocations, year) if "diagnostic" in sections else None
    if diagnosed and diagnosed["profils_manquants"]:
        gaps.append(profile_gap(territory, diagnosed["profils_manquants"]))
    quantified = None
    if "engagements-chiffres" in sections:
        quantified = cia_commitments.quantified(territory, allocations, year)
        if quantified is None:
            gaps.append(cia_commitments.missing(territory))
        elif quantified["inconnus"]:
            gaps.append(cia_commitments.unknown_bases(territory, quantified["inconnus"]))
    name = settings.title(TITLE)
    context = {
        "territoire": territory_context(territory),
        "annee": year,
        "sections": sections,
        "cia": {
            "nom": name,
            "sigle": settings.sigle or ("CIA" if name == TITLE else ""),
            "fusion": name != TITLE,
            "duree": settings.duree_ans,
            "presentation": settings.presentation,
            "colleges": settings.cil.colleges,
            "groupes": settings.groupes,
        },
        "cadre": {"apports": _legal_framework(territory, year)},
        "objectifs": _objectives(territory),
        "seuils_recents": _thresholds(territory, year),
        "elaboration": _elaboration(territory, settings),
        "diagnostic": diagnosed,
        "constats": settings.diagnostic,
        "orientations": orientations,
        "prioritaires": priority,
        "niveaux": levels,
        "travailleurs": (
            {
                **cia_governance.key_workers(territory, gaps),
                "obligatoire": law_in_force.applies(territory, "travailleurs-essentiels", day),
            }
            if "travailleurs_essentiels" in kinds
            else None
        ),
        "engagements_chiffres": quantified,
        "gouvernance": _governance(territory, settings, gaps),
        "actions": cia_governance.actions(territory, orientations, gaps)
        if "mise-en-oeuvre" in sections
        else None,
        "plan_de_travail": cia_governance.work_plan(territory, gaps),
        "indicateurs": cia_governance.indicators(territory, gaps),
        "signataires": cia_governance.signatories(territory, gaps),
        "annexes": _annexes(territory, facts, year, gaps) if "annexes" in sections else None,
        "residences_prioritaires": law_in_force.applies(
            territory, "residences-enjeu-prioritaire", day
        ),
        "glossaire": glossary(territory),
        "manquant": MISSING,
        "textes_en_vigueur": sorted(law_in_force.text_codes(territory, day)),
    }
    by_landlord = (context["annexes"] or {}).get("qualification") or {}
    if (
        context["residences_prioritaires"]
        and context["annexes"]
        and not by_landlord.get("residences_par_bailleur")
    ):
        where = Location(display_path(territory.folder / "data" / "parc_ops.csv"))
        what = _("the landlord (proprietaire) of each residence at stake (L441-1-6)")
        gaps.append(Gap(where, what))
    rows, uncovered = cia_law.coverage(territory, year, sections, MISSING)
    context["couverture"] = rows
    warned = law_checks.cia(territory, year, uncovered) if territory.config.cia else []
    warned += cia_commitments.typed_rate_warnings(territory)
    restricted = territory.config.audience(NAME) == RESTRICTED
    notice = load_content(territory, LABELS)["diffusion"]["restreinte"][NAME] if restricted else ""
    return Made(context, list(dict.fromkeys(gaps)), images=images, warnings=warned, notice=notice)


DOCUMENT = DocumentType(
    name=NAME,
    title=TITLE,
    titled=title,
    template=TEMPLATE,
    make=make,
    rank=30,
    short_title="CIA",
)
