"""The PPGDID: the territory's plan for managing applications and informing applicants.

Its guichet lists, qualification figures and annexes come from the annexes' own context, so the
plan and its yearly annexes cannot say different things. The glossary is computed from the
rendered text, and each chapter declares the legal points it covers (ppgdid_law).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from generator.documents import (
    law_checks,
    law_in_force,
    ppgdid_cotation,
    ppgdid_law,
    ppgdid_reception,
)
from generator.documents.annex_tables import annex_context
from generator.documents.common import MISSING, Gap, departement_block, opening, or_missing
from generator.documents.contract import DocumentType, Made, Options
from generator.documents.ppgdid_law import glossary, period_text
from generator.errors import Location, Problems, display_path
from generator.formatting import nombre, pourcent
from generator.indicators.facts import Facts
from generator.messages import N_, _
from generator.render.escape import escape_markdown
from generator.territory.policy_ppgdid import VOLETS, Action, ElaborationStep
from generator.territory.schema import PLANNED, Territory

NAME = "ppgdid"
TITLE = (
    "Plan partenarial de gestion de la demande de logement social et d'information des demandeurs"
)
TEMPLATE = "ppgdid/document.md.j2"
_HEADING = re.compile(r"^(#+) ", re.MULTILINE)
#: The reception delays of territory.yaml, as a gap names them.
_RECEPTION_DELAYS = {
    "delai_entretien_jours": N_("delay within which an applicant is offered an interview, in days"),
    "delai_attente_moyen_mois": N_("average waiting time of an application, in months"),
}


def _setting(territory: Territory, key: str) -> Location:
    return Location(display_path(territory.folder / "territory.yaml"), key=f"ppgdid.{key}")


def legal_framework(territory: Territory, year: int) -> dict[str, Any]:
    """The laws and decrees in force at the plan's date, once: their contribution in the
    introduction, all in the annex."""
    texts = law_in_force.texts(territory, law_in_force.document_day(territory, year))
    titled = [
        {
            **t,
            "intitule": ppgdid_law.legal_title(territory, t)
            + (f" ({t['sigle']})" if "sigle" in t else ""),
        }
        for t in texts
    ]
    return {
        "apports": [
            {"intitule": t["intitule"], "apport": t["apport"]} for t in titled if t.get("apport")
        ],
        "references": [t["intitule"] for t in titled],
    }


def _elaboration(territory: Territory, gaps: list[Gap]) -> dict[str, Any]:
    steps: list[ElaborationStep] = territory.elaboration_ppgdid
    if not steps:
        where = Location(display_path(territory.folder / "data" / "elaboration_ppgdid.csv"))
        gaps.append(Gap(where, _("steps of the elaboration of the plan")))
    settings = territory.config.ppgdid
    elaboration = settings.elaboration if settings else None
    participants = elaboration.participants if elaboration else []
    if not participants:
        gaps.append(
            Gap(_setting(territory, "elaboration.participants"), _("working groups members"))
        )
    return {
        "etapes": [
            [
                or_missing(s.date and period_text(s.date), gaps, s.row.at("date"), _("date")),
                s.etape,
                s.objet or "",
            ]
            for s in steps
        ],
        "participants": participants,
        "entretiens": elaboration.entretiens if elaboration else None,
    }


def _common_place(territory: Territory, name: str | None) -> dict[str, Any] | None:
    """The guichet named as common reception place; a name that is no guichet is an error."""
    if name is None:
        return None
    found = [g for g in territory.guichets if g.nom == name]
    if not found:
        problems = Problems()
        known = ", ".join(g.nom for g in territory.guichets if g.niveau == 3)
        problems.add(
            _setting(territory, "lieu_accueil_commun"),
            _(
                '"{name}" is not a guichet of data/guichets.csv — give the name of one'
                " (registration guichets: {known})",
                name=name,
                known=known,
            ),
        )
        problems.raise_if_any()
    guichet = found[0]
    planned = guichet.statut == PLANNED
    return {
        "nom": guichet.nom,
        "niveau": guichet.niveau,
        "prevu": planned,
        "ouverture": opening(guichet.ouverture) if planned else "",
    }


def _reception(
    territory: Territory, facts: Facts, year: int, gaps: list[Gap], accord: Any
) -> dict[str, Any]:
    settings = territory.config.ppgdid
    findings = settings.constats_accueil if settings else []
    stakes = settings.enjeux_accueil if settings else []
    if not findings:
        gaps.append(Gap(_setting(territory, "constats_accueil"), _("findings on reception")))
    if not stakes:
        gaps.append(Gap(_setting(territory, "enjeux_accueil"), _("stakes of reception")))
    reception = territory.config.accueil
    yaml_file = display_path(territory.folder / "territory.yaml")
    for key, what in _RECEPTION_DELAYS.items():
        if getattr(reception, key) is None:
            gaps.append(Gap(Location(yaml_file, key=f"accueil.{key}"), _(what)))
    waiting = reception.delai_attente_moyen_mois
    checklists = ppgdid_reception.checklists(territory, law_in_force.document_day(territory, year))
    lines = [line["genre"] for level in checklists.values() for line in level]
    return {
        "constats": findings,
        "enjeux": stakes,
        "lieu_commun": _common_place(territory, settings.lieu_accueil_commun if settings else None),
        "delai_entretien": or_missing(
            reception.delai_entretien_jours and nombre(reception.delai_entretien_jours)
        ),
        "delai_attente": or_missing(waiting if waiting is None else nombre(waiting, 0)),
        "delai_attente_annee": reception.delai_attente_annee,
        "delai_attente_departement": ppgdid_reception.departement_waiting(territory, year, gaps),
        "delai_anormalement_long": accord["delai_anormalement_long_mois"] if accord else None,
        "informations": checklists,
        "demandes_attributions": ppgdid_reception.applications_and_allocations(
            territory, facts, year, gaps
        )
        if "demandes-attributions" in lines
        else None,
    }


def _action_tables(territory: Territory, gaps: list[Gap]) -> dict[str, list[list[Any]]]:
    """One table per chapter; an « axe » opens a bold row above its actions."""
    tables: dict[str, list[list[Any]]] = {volet: [] for volet in VOLETS}
    axis_of: dict[str, str | None] = {}
    actions: list[Action] = territory.actions_ppgdid
    for a in actions:
        rows = tables[a.volet]
        if a.axe and axis_of.get(a.volet) != a.axe:
            rows.append([Markup(f"**{escape_markdown(a.axe)}**"), "", "", "", ""])
        axis_of[a.volet] = a.axe
        what = f"« {a.action} »"
        rows.append(
            [
                a.action,
                or_missing(a.pilote, gaps, a.row.at("pilote"), _("pilot of {what}", what=what)),
                a.contributeurs or "",
                or_missing(
                    a.calendrier, gaps, a.row.at("calendrier"), _("calendar of {what}", what=what)
                ),
                or_missing(
                    a.indicateur, gaps, a.row.at("indicateur"), _("indicator of {what}", what=what)
                ),
            ]
        )
    return tables


def _block(territory: Territory, name: str, gaps: list[Gap]) -> dict[str, Any] | None:
    block, missing = departement_block(territory, name)
    if missing:
        gaps.append(missing)
    return block


def _mutations(territory: Territory, gaps: list[Gap]) -> dict[str, Any] | None:
    """The transfer target of the allocation policy (objectifs.mutations) and the plan's means."""
    settings = territory.config.ppgdid
    mutations = settings.mutations if settings else None
    if mutations is None:
        gaps.append(Gap(_setting(territory, "mutations"), _("means in favour of transfers")))
        return None
    target = territory.config.objectifs.mutations
    if target is None:
        where = Location(
            display_path(territory.folder / "territory.yaml"), key="objectifs.mutations"
        )
        gaps.append(Gap(where, _("share of allocations for transfers")))
    return {
        "objectif": or_missing(target if target is None else pourcent(target / 100, 0)),
        "actions": mutations.actions,
    }


def _chosen_letting(territory: Territory, gaps: list[Gap]) -> Any:
    settings = territory.config.ppgdid
    chosen = settings.location_choisie if settings else None
    if chosen is None:
        gaps.append(Gap(_setting(territory, "location_choisie"), _("status of location choisie")))
    elif chosen.statut != "aucun" and not chosen.texte:
        gaps.append(Gap(_setting(territory, "location_choisie.texte"), _("the planned device")))
    return chosen


def demote(markdown: str) -> Markup:
    """The same Markdown one heading level down, to include a whole document as an annex.

    Only template headings start a line with « # »: values are escaped (« \\# »)."""
    return Markup(_HEADING.sub(r"#\1 ", str(markdown)))


def make(territory: Territory, facts: Facts, year: int, options: Options) -> Made:
    """The annexes' context (same guichets, same figures) and the plan's own chapters."""
    annex, gaps = annex_context(territory, facts, year)
    if territory.config.ppgdid is None:
        where = Location(display_path(territory.folder / "territory.yaml"), key="ppgdid")
        gaps.append(Gap(where, _("the ppgdid section: the plan's own choices and texts")))
    accord = annex["accord"]
    plan = {
        "cadre": legal_framework(territory, year),
        "elaboration": _elaboration(territory, gaps),
        "accueil": _reception(territory, facts, year, gaps, accord),
        "actions": _action_tables(territory, gaps),
        "labellisation": _block(territory, "labellisation.yaml", gaps),
        "accompagnement": _block(territory, "accompagnement.yaml", gaps),
        "mutations": _mutations(territory, gaps),
        "cotation": ppgdid_cotation.grid(territory, gaps),
        "caleol": ppgdid_reception.three_candidates(
            territory, law_in_force.document_day(territory, year)
        ),
        "location_choisie": _chosen_letting(territory, gaps),
        "couverture": ppgdid_law.coverage_rows(territory, MISSING),
        "evaluation_finale": territory.config.ppgdid.evaluation_finale
        if territory.config.ppgdid
        else None,
    }
    context = {
        **annex,
        "ppgdid": plan,
        "chapitres": ppgdid_law.chapter_points(territory),
        "glossaire": glossary(territory),
        "descendre": demote,
        "manquant": MISSING,
    }
    warned = (
        ppgdid_law.warnings(territory)
        + ppgdid_reception.unverified(territory)
        + law_checks.ppgdid(territory, year)
    )
    return Made(context, gaps, warnings=warned)


DOCUMENT = DocumentType(
    name=NAME, title=TITLE, template=TEMPLATE, make=make, rank=20, short_title="PPGDID"
)
