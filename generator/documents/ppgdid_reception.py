"""What the PPGDID tells of reception and allocation rules, from dated data with its source:
each guichet level's checklist, the waiting times, the CALEOL's rule of three candidates, the
criteria of discrimination and their penalties, the intercommunal contingent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.documents import law_in_force
from generator.documents.common import Gap, departement_block, load_content, opening
from generator.errors import Location, display_path
from generator.formatting import euros, nombre
from generator.indicators.facts import Facts
from generator.messages import _
from generator.territory import law
from generator.territory.schema import Territory

CHECKLISTS = "blocs/ppgdid/guichets-informations.yaml"
RIGHTS = "national/information-demandeur.yaml"
DISCRIMINATION = "national/discrimination.yaml"
WAITING = "delai-attente.yaml"


def checklists(territory: Territory, on: dt.date) -> dict[int, list[dict[str, Any]]]:
    """By level, what its guichets tell an applicant: points of the law in force on `on` (with
    their article), the territory's own lines, and the waiting-time figure."""
    rights = {i["code"]: i for i in load_content(territory, RIGHTS)["informations"]}
    levels: dict[int, list[dict[str, Any]]] = {}
    for level in load_content(territory, CHECKLISTS)["niveaux"]:
        lines = []
        for item in level["informations"]:
            if "loi" in item:
                point = rights[item["loi"]]
                if law.applies(point, on):
                    lines.append(
                        {"genre": "loi", "texte": point["texte"], "article": point["article"]}
                    )
            elif "texte" in item:
                lines.append({"genre": "texte", "texte": item["texte"]})
            else:
                lines.append({"genre": item["donnee"]})
        levels[level["niveau"]] = lines
    return levels


def applications_and_allocations(
    territory: Territory, facts: Facts, year: int, gaps: list[Gap]
) -> dict[str, Any] | None:
    """Applications and allocations of the EPCI in the last year before `year` that has both:
    what level 2 guichets tell of how far applications are met. Counts under the secrecy
    threshold of the plan are not shown, and the line says the gap."""
    allocations = facts.allocations
    threshold = territory.config.secrecy_threshold("ppgdid")
    for known in sorted(allocations.applications, reverse=True):
        if known >= year:
            continue
        applications = allocations.applications[known].counts.get("demandes")
        counts = allocations.epci(known)
        allocated = counts.get("attributions") if counts else None
        if applications is None or allocated is None:
            continue
        if min(applications, allocated) < threshold:
            break
        return {"annee": known, "demandes": nombre(applications), "attributions": nombre(allocated)}
    where = Location(display_path(territory.folder / "data"))
    gaps.append(
        Gap(
            where,
            _(
                "applications and allocations of a year before {year} (demandes, attributions)",
                year=year,
            ),
        )
    )
    return None


def departement_waiting(territory: Territory, year: int, gaps: list[Gap]) -> dict[str, Any] | None:
    """The département's latest average waiting time known by `year`, with its source."""
    block, missing = departement_block(territory, WAITING)
    known = [d for d in block["delais"] if d["annee"] <= year] if block else []
    if not known:
        if missing is None:
            relative = territory.folder / "overrides" / "departements" / territory.departement
            where = Location(display_path(relative / WAITING), key="delais")
            missing = Gap(
                where, _("average waiting time of the département known by {year}", year=year)
            )
        gaps.append(missing)
        return None
    latest = max(known, key=lambda d: d["annee"])
    return {"mois": nombre(latest["mois"], 0), "annee": latest["annee"], "source": latest["source"]}


def three_candidates(territory: Territory, on: dt.date) -> dict[str, Any] | None:
    """The number of applications a CALEOL examines for each dwelling, and its exceptions, as
    the rule in force on `on` says (content/national/regles.yaml, caleol-trois-candidats)."""
    version = law.version_at(law_in_force.rules(territory), "caleol-trois-candidats", on)
    if version is None:
        return None
    values = version["valeurs"]
    return {
        "candidats": values["candidats"],
        "article": version["article"],
        "dalo": values["exception_dalo"],
        "plai_adapte": values["exception_plai_adapte"],
    }


def discrimination(territory: Territory, on: dt.date) -> dict[str, Any]:
    """The criteria of discrimination in force on `on` and the penalties."""
    data = load_content(territory, DISCRIMINATION)
    in_force = [c for c in data["criteres"] if law.applies(c, on)]
    penalties = data["peines"]
    legal_persons = penalties["personnes_morales"]
    return {
        "reference": data["reference"],
        "criteres": [c["libelle"] for c in in_force if not c.get("appartenance")],
        "appartenance": [c["libelle"] for c in in_force if c.get("appartenance")],
        "nombre": len(in_force),
        "peines": {
            "reference": penalties["reference"],
            "ans": penalties["emprisonnement_ans"],
            "amende": euros(penalties["amende"]),
            "lieu_public_ans": penalties["lieu_public"]["emprisonnement_ans"],
            "lieu_public_amende": euros(penalties["lieu_public"]["amende"]),
            "personnes_morales_reference": legal_persons["reference"],
            "personnes_morales_multiple": legal_persons["multiple_amende"],
            "personnes_morales_amende": euros(
                penalties["amende"] * legal_persons["multiple_amende"]
            ),
        },
    }


def intercommunal_contingent(territory: Territory) -> dict[str, Any] | None:
    """The pooled reservations of the EPCI (ppgdid.contingent_intercommunal), when it has any."""
    settings = territory.config.ppgdid
    pooled = settings.contingent_intercommunal if settings else None
    if pooled is None:
        return None
    return {
        "depuis": opening(pooled.depuis),
        "date": not isinstance(pooled.depuis, int),
        "contrepartie": pooled.contrepartie,
        "fonctionnement": pooled.fonctionnement,
        "droit_de_reservation": pooled.droit_de_reservation,
    }


def unverified(territory: Territory) -> list[str]:
    """The dated data of this module not checked against its article: warnings of `cil check`."""
    found = []
    rights = load_content(territory, RIGHTS)["informations"]
    unchecked = [f"{i['code']} ({i['article']})" for i in rights if not i["verifie"]]
    if unchecked:
        found.append(
            _(
                "content/{file}: {count} points of information were not checked against the "
                "text of their article (verifie: false): {points}",
                file=RIGHTS,
                count=len(unchecked),
                points=", ".join(unchecked),
            )
        )
    criteria = load_content(territory, DISCRIMINATION)["criteres"]
    undated = [c["libelle"] for c in criteria if not c.get("verifie", True)]
    if undated:
        found.append(
            _(
                "content/{file}: the dates of {count} criteria come from the laws that changed "
                "the article, not read (verifie: false): {criteria}",
                file=DISCRIMINATION,
                count=len(undated),
                criteria="; ".join(undated),
            )
        )
    return found
