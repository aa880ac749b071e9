"""The CIA's partners and follow-up: roles, actions, work plan, indicators, key workers,
priority households (theoretical share and the département's levels) and signatories."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from generator.documents import law_in_force
from generator.documents.bilan_commentary import target as shown_target
from generator.documents.cia_orientations import Filler, yaml_location
from generator.documents.common import (
    MISSING,
    Gap,
    departement_block,
    load_content,
    or_missing,
)
from generator.documents.presentation import LABELS, figure
from generator.errors import Location, display_path
from generator.grammar import de_lieu
from generator.indicators.facts import Facts
from generator.messages import _
from generator.render import charts
from generator.render.escape import LINE_BREAK, escape_markdown
from generator.territory.cia_settings import COMMUNES, LANDLORDS
from generator.territory.policy_cia import (
    ANNUAL,
    Indicator,
    KeyWorkerProfession,
    PolicyAction,
    Role,
)
from generator.territory.schema import Territory

#: The blocks of a département that give its priority levels, the first one found is used:
#: the accord collectif where it is written, else the PDALHPD's levels.
LEVEL_BLOCKS = ("accord-collectif.yaml", "pdalhpd.yaml")
DATA = "data"


def _data_gap(territory: Territory, table: str, what: str) -> Gap:
    return Gap(Location(display_path(territory.folder / DATA / f"{table}.csv")), what)


def roles(territory: Territory) -> list[list[Any]]:
    """One row per partner, its roles one per line, in the order of the table (optional)."""
    found: list[Role] = territory.roles_partenaires
    partners = list(dict.fromkeys(r.partenaire for r in found))
    return [
        [
            partner,
            Markup(
                LINE_BREAK.join(
                    f"• {escape_markdown(r.role)}" for r in found if r.partenaire == partner
                )
            ),
        ]
        for partner in partners
    ]


def _actors(action: PolicyAction, words: Mapping[str, str]) -> Markup:
    """The pilot and contributors of an action, worded by the labels block (`cia`)."""
    parts = [Markup(words["pilote"].format(nom=escape_markdown(action.pilote)))]
    if action.contributeurs:
        names = escape_markdown(action.contributeurs)
        parts.append(Markup(words["contributeurs"].format(noms=names)))
    return Markup(LINE_BREAK.join(parts))


def actions(
    territory: Territory, orientations: list[dict[str, Any]], gaps: list[Gap]
) -> dict[str, list[list[Any]]]:
    """The EPCI's animation of the policy, and the partners' actions under each orientation."""
    found: list[PolicyAction] = territory.actions_cia
    if not found:
        gaps.append(_data_gap(territory, "actions_cia", _("actions of the CIA")))

    def cells(a: PolicyAction) -> list[Any]:
        what = f"« {a.action} »"
        return [
            or_missing(
                a.calendrier, gaps, a.row.at("calendrier"), _("calendar of {what}", what=what)
            ),
            or_missing(
                a.indicateur, gaps, a.row.at("indicateur"), _("indicator of {what}", what=what)
            ),
        ]

    animation = [[a.action, *cells(a)] for a in found if a.orientation is None]
    words = load_content(territory, LABELS)["cia"]
    partners: list[list[Any]] = []
    for orientation in orientations:
        own = [a for a in found if a.orientation == orientation["numero"]]
        if own:
            heading = orientation["objectif"] or orientation["titre"]
            partners.append([Markup(f"**{escape_markdown(heading)}**"), "", "", ""])
            partners += [[a.action, _actors(a, words), *cells(a)] for a in own]
    return {"animation": animation, "partenaires": partners}


def work_plan(territory: Territory, gaps: list[Gap]) -> dict[str, Any] | None:
    settings = territory.config.cia
    plan = settings.plan_de_travail if settings else None
    if plan is None:
        return None
    fill = Filler(territory, gaps)
    return {
        "annee": plan.annee,
        "actions": [
            {"texte": fill(a), "details": []}
            if isinstance(a, str)
            else {"texte": fill(a.texte), "details": [fill(d) for d in a.details]}
            for a in plan.actions
        ],
    }


def indicators(territory: Territory, gaps: list[Gap]) -> dict[str, list[list[Any]]]:
    """Indicators of the whole policy by kind of bilan, and every indicator for the annex."""
    found: list[Indicator] = territory.indicateurs_cia
    if not found:
        gaps.append(_data_gap(territory, "indicateurs_cia", _("follow-up indicators of the CIA")))

    def row(i: Indicator) -> list[Any]:
        sources = or_missing(
            i.sources,
            gaps,
            i.row.at("sources"),
            _("sources of {indicateur}", indicateur=i.indicateur),
        )
        return [i.indicateur, i.contenu or "", sources, i.echelles or ""]

    general = [i for i in found if i.orientation is None]
    return {
        "annuels": [row(i) for i in general if i.bilan == ANNUAL],
        "periodiques": [row(i) for i in general if i.bilan != ANNUAL],
        "tous": [[i.indicateur, i.sources or MISSING] for i in found],
    }


def key_workers(territory: Territory, gaps: list[Gap]) -> dict[str, Any]:
    professions: list[KeyWorkerProfession] = territory.travailleurs_essentiels
    if not professions:
        gaps.append(_data_gap(territory, "travailleurs_essentiels", _("key-worker professions")))
    settings = territory.config.cia
    chosen = settings.travailleurs_essentiels if settings else None
    goal = territory.config.objectifs.travailleurs_essentiels
    if goal is None and not (chosen and chosen.sans_objectif):
        where = yaml_location(territory, "cia.travailleurs_essentiels.sans_objectif")
        gaps.append(Gap(where, _("why no share of allocations is set for key workers")))
    return {
        "metiers": [[p.categorie, p.metiers or ""] for p in professions],
        "objectif": shown_target(goal / 100) if goal is not None else None,
        "reference": chosen.reference if chosen else None,
        "sans_objectif": chosen.sans_objectif if chosen else None,
    }


def priority_levels(territory: Territory, gaps: list[Gap]) -> dict[str, Any] | None:
    """The département's priority levels: its accord collectif, else its PDALHPD's levels."""
    missing_blocks = []
    for name in LEVEL_BLOCKS:
        block, missing = departement_block(territory, name)
        if block:
            return {
                "titre": block["titre"],
                "periode": block.get("periode"),
                "niveaux": block["niveaux"],
            }
        missing_blocks.append(missing)
    gaps.extend(g for g in missing_blocks if g is not None)  # either block would do
    return None


def priority_share(
    territory: Territory, facts: Facts, year: int
) -> tuple[dict[str, Any], charts.Chart]:
    """The State's share for priority households (its 30 % at most, less at most 5 % for its
    agents) fully dedicated plus 25 % of the other 70 %: 42,5 %, a derived target and no legal
    floor (LEGAL-REVIEW 2), and its chart. Article and base (stock, then flow) at the CIA's date."""
    state = law_in_force.state_reservation(territory, law_in_force.document_day(territory, year))
    goals = territory.config.objectifs
    agents = Decimal(str(state["part_agents_etat_max"]))
    state_share = Decimal(str(state["part_max"])) - agents
    others = 1 - state_share - agents
    overall = facts.legal_priority_share
    words = load_content(territory, LABELS)["cia"]["part_prioritaires"]
    labels = [
        words["etat"].format(part=shown_target(state_share)),
        words["agents_etat"].format(part=shown_target(agents)),
        words["autres"].format(part=shown_target(others)),
        words["ensemble"],
    ]
    shares = [goals.priority_target("État"), Decimal(0), goals.priority_target("autres"), overall]
    chart = charts.share_by_group(
        f"cia-{year}-part-theorique-prioritaires.png",
        words["titre"],
        labels,
        shares,
        [None] * len(shares),  # the bars are the targets: a target mark would only repeat them
        words["source"].format(article=state["article"]),
        words=charts.ChartWords(**load_content(territory, LABELS)["graphiques"]["mots"]),
    )
    return {
        "etat_max": shown_target(state_share + agents),
        "flux": state["flux"],
        "article": state["article"],
        "etat": shown_target(state_share),
        "agents": shown_target(agents),
        "autres": shown_target(others),
        "cible_etat": shown_target(goals.priority_target("État")),
        "cible_autres": shown_target(goals.priority_target("autres")),
        "ensemble": shown_target(overall),
        "graphique": figure(chart),
    }, chart


def signatories(territory: Territory, gaps: list[Gap]) -> list[str]:
    """Names in order; « communes » lists every member commune, « bailleurs » the landlords."""
    settings = territory.config.cia
    names = settings.signataires if settings else []
    if not names:
        gaps.append(Gap(yaml_location(territory, "cia.signataires"), _("signatories of the CIA")))
    result: list[str] = []
    commune = load_content(territory, LABELS)["cia"]["signataire_commune"]
    for name in names:
        if name == COMMUNES:
            result += [commune.format(de_commune=de_lieu(c.nom)) for c in territory.communes]
        elif name == LANDLORDS:
            landlords = territory.config.partenaires.bailleurs
            if not landlords:
                where = yaml_location(territory, "partenaires.bailleurs")
                gaps.append(Gap(where, _("social landlords, signatories of the CIA")))
            result += landlords
        else:
            result.append(name)
    return result
