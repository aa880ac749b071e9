"""What the PPGDID's annexes show — guichets, social services, priority households, contingents,
qualification of the stock and first-quartile thresholds — shared with the PPGDID (which
includes its annexes), the CIA (stock and thresholds) and the deliberations (guichets)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from generator.documents import law_in_force, ppgdid_reception
from generator.documents.common import (
    MISSING,
    Gap,
    departement_block,
    load_content,
    opening,
    or_missing,
    territory_context,
)
from generator.documents.presentation import LABELS
from generator.errors import Location, display_path
from generator.formatting import euros, nombre, pourcent
from generator.indicators.core import (
    classify,
    monthly_threshold,
    share,
)
from generator.indicators.facts import Facts
from generator.indicators.stock import analysed_share
from generator.messages import _
from generator.territory.schema import INSUFFICIENT, NOT_PROVIDED, PLANNED, Territory

#: The keys of the `annexes` words (blocs/libelles.yaml) of addresses the survey did not class.
NOT_ANALYSED = {INSUFFICIENT: "insuffisant", NOT_PROVIDED: "non_renseigne"}
LEVELS = (1, 2, 3)


def _words(territory: Territory) -> Mapping[str, Any]:
    """The annexes' words: titles of guichet levels, statuses, classes of the stock."""
    return load_content(territory, LABELS)["annexes"]


def _status(guichet: Any, gaps: list[Gap], words: Mapping[str, str]) -> Any:
    if guichet.statut != PLANNED:
        return words["ouvert"]
    if guichet.ouverture is None:
        gaps.append(
            Gap(
                guichet.row.at("ouverture"),
                _("opening date of the planned guichet {nom}", nom=guichet.nom),
            )
        )
        return words["prevu"]
    return words["prevu_le"].format(ouverture=opening(guichet.ouverture))


def _contact_cells(item: Any, gaps: list[Gap]) -> list[Any]:
    return [
        or_missing(
            getattr(item, column),
            gaps,
            item.row.at(column),
            _("{column} of {nom}", column=column, nom=item.nom),
        )
        for column in ("adresse", "contact", "horaires")
    ]


def guichet_levels(territory: Territory, gaps: list[Gap]) -> list[dict[str, Any]]:
    """The guichets of each level: the one source of every list of guichets in every document."""
    words = _words(territory)
    levels = []
    for level in LEVELS:
        title = words["niveaux"][f"niveau_{level}"]
        members = [g for g in territory.guichets if g.niveau == level]
        if not members:
            where = Location(display_path(territory.folder / "data" / "guichets.csv"))
            gaps.append(Gap(where, _("no guichet of level {level}", level=level)))
        status = words["statuts"]
        rows = [[g.nom, *_contact_cells(g, gaps), _status(g, gaps, status)] for g in members]
        levels.append(
            {
                "numero": level,
                "titre": title,
                "noms": [g.nom for g in members],
                "ouverts": [g.nom for g in members if g.statut != PLANNED],
                "prevus": [g.nom for g in members if g.statut == PLANNED],
                "lignes": rows,
            }
        )
    return levels


def thresholds(territory: Territory, year: int, gaps: list[Gap]) -> list[list[Any]]:
    """One row per year since the first year asked, yearly figure as data, monthly derived."""
    by_year = {t.annee: t for t in territory.seuils_quartile}
    source = territory.sources.get(
        "seuils_quartile", territory.folder / "data" / "seuils_quartile.csv"
    )
    rows = []
    for annee in range(territory.config.premiere_annee_seuils, year):
        found = by_year.get(annee)
        if found is None or found.seuil_annuel is None:
            where = found.row.at("seuil_annuel") if found else Location(display_path(source))
            gaps.append(Gap(where, _("first-quartile threshold of {annee}", annee=annee)))
            rows.append([str(annee), or_missing(None), or_missing(None)])
            continue
        monthly = monthly_threshold(found.seuil_annuel)
        rows.append([str(annee), euros(found.seuil_annuel), euros(monthly)])
    return rows


def _class_label(lower: Decimal, upper: Decimal | None, words: Mapping[str, str]) -> str:
    low = pourcent(lower / 100, 0)
    if upper is None:
        return words["a_partir_de"].format(bas=low)
    high = pourcent(upper / 100, 0)
    return (words["moins_de"] if lower == 0 else words["entre"]).format(bas=low, haut=high)


def _by_landlord(addresses: Any) -> list[dict[str, Any]] | None:
    """The residences at stake of each landlord (L441-1-6 3° bis); None when an address has no
    landlord in data/parc_ops.csv (the CIA then lists the gap)."""
    if not addresses or any(not a.proprietaire for a in addresses):
        return None
    landlords: dict[str, list[list[str]]] = {}
    for a in addresses:
        landlords.setdefault(a.proprietaire, []).append(
            [a.commune.nom if a.commune else "", a.adresse, nombre(a.logements)]
        )
    return [{"bailleur": name, "residences": rows} for name, rows in sorted(landlords.items())]


def qualification(
    territory: Territory, facts: Facts, year: int, gaps: list[Gap]
) -> dict[str, Any] | None:
    """Class of each surveyed address, summary by class and residences at stake, latest survey."""
    found = facts.stock(year)
    if found is None:
        gaps.append(
            Gap(Location(display_path(territory.folder / "data")), _("occupancy survey (parc_ops)"))
        )
        return None
    settings = territory.config.qualification
    words = _words(territory)
    ranges = {c.label: _class_label(c.lower, c.upper, words["classes"]) for c in found.classes}
    not_analysed = {label: words["non_analyse"][key] for label, key in NOT_ANALYSED.items()}
    rule = settings.residences_enjeu
    total, analysed_dwellings = found.total, found.analysed_dwellings
    return {
        "enquete": found.survey,
        "indicateur": settings.indicateur,
        "logements": nombre(total),
        "logements_analyses": nombre(analysed_dwellings),
        "part_analyses": pourcent(share(analysed_dwellings, total), 0),
        "adresses_analysees": nombre(len(found.analysed)),
        "seuil_enjeu": pourcent(rule.part_minimale / 100, 0),
        "logements_minimum": rule.logements_minimum,
        "resume": [
            [ranges[row.label], row.label, nombre(row.dwellings), pourcent(row.share, 0)]
            if row.label in ranges
            else [not_analysed[row.label], "", nombre(row.dwellings), pourcent(row.share, 0)]
            for row in found.summary
        ]
        + [[words["ensemble_parc"], "", nombre(total), pourcent(Decimal(1), 0)]],
        "adresses": [
            [
                a.commune.nom if a.commune else "",
                a.adresse,
                nombre(a.logements),
                pourcent(analysed_share(a) / 100, 1),
                classify(analysed_share(a), found.classes).label,
            ]
            for a in found.analysed
        ],
        "residences_par_bailleur": _by_landlord(found.at_stake),
        "residences": [
            [
                a.commune.nom if a.commune else "",
                a.adresse,
                nombre(a.logements),
                pourcent(analysed_share(a) / 100, 1),
            ]
            for a in found.at_stake
        ],
    }


def social_services(territory: Territory, gaps: list[Gap]) -> list[list[Any]]:
    return [
        [s.nom, s.commune.nom if s.commune else "", *_contact_cells(s, gaps)]
        for s in territory.services_sociaux
    ]


def annex_context(
    territory: Territory, facts: Facts, year: int
) -> tuple[dict[str, Any], list[Gap]]:
    """Everything the annex template shows, formatted, and the gaps found on the way."""
    gaps: list[Gap] = []
    accord, missing_block = departement_block(territory, "accord-collectif.yaml")
    if missing_block:
        gaps.append(missing_block)
    contingents = load_content(territory, "national/contingents.yaml")
    state_day = law_in_force.document_day(territory, year)
    state = law_in_force.state_reservation(territory, state_day)
    levels = guichet_levels(territory, gaps)
    services = social_services(territory, gaps)
    if not services:
        gaps.append(Gap(Location(display_path(territory.folder / "data")), _("social services")))
    reception = territory.config.accueil
    return {
        "territoire": territory_context(territory),
        "annee": year,
        # codes of content/national/cadre-legal.yaml in force at the document's date: a passage
        # that names a text asks for it here, so that an older document never cites a later text
        "textes_en_vigueur": sorted(law_in_force.text_codes(territory, state_day)),
        "guichets": levels,
        "delai_entretien_jours": reception.delai_entretien_jours,
        "services_sociaux": services,
        "publics_l441": load_content(territory, "national/publics-prioritaires-l441-1.yaml"),
        "accord": accord,
        "etat": {
            "part": pourcent(state["part_max"], 0),
            "agents": pourcent(state["part_agents_etat_max"], 0),
            "article": state["article"],
            "flux": state["flux"],
        },
        "discrimination": ppgdid_reception.discrimination(
            territory, law_in_force.document_day(territory, year)
        ),
        "contingent_intercommunal": ppgdid_reception.intercommunal_contingent(territory),
        "action_logement": {
            **contingents["action_logement"],
            "criteres": [
                [c["critere"], c["points"]] for c in contingents["action_logement"]["criteres"]
            ],
        },
        "qualification": qualification(territory, facts, year, gaps),
        "seuils": thresholds(territory, year, gaps),
        "premiere_annee_seuils": territory.config.premiere_annee_seuils,
        "manquant": MISSING,
    }, gaps
