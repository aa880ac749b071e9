"""Legal checks of `cil check`: warnings (never errors), in French, located in territory.yaml.

Each check applies the rule in force at the document's date (content/national/regles.yaml):
a CIA dated before the 3DS law is not asked for a key-worker objective.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from generator.documents import law_in_force
from generator.documents.common import load_content
from generator.errors import display_path
from generator.territory import law
from generator.territory.schema import Territory

CIA_POINTS = "national/cia-contenu.yaml"
#: A month of the interview delay, in days (the setting is in days).
MONTH_DAYS = 31


def _yaml(territory: Territory, key: str) -> str:
    return f"{display_path(territory.folder / 'territory.yaml')}, {key}"


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def interview_delay(territory: Territory, on: dt.date) -> list[str]:
    days = territory.config.accueil.delai_entretien_jours
    version = law.version_at(law_in_force.rules(territory), "delai-entretien", on)
    if days is None or version is None:
        return []
    zone = territory.config.accueil.zone_232_cgi
    months = version["valeurs"]["mois_zone_232_cgi" if zone else "mois"]
    if days <= months * MONTH_DAYS:
        return []
    where = (
        "dans les zones de l'article 232 du CGI" if zone else "hors zone de l'article 232 du CGI"
    )
    return [
        f"{_yaml(territory, 'accueil.delai_entretien_jours')} : {days} jours dépassent le délai "
        f"maximal de {months} mois {where} (article {version['article']} du CCH) — si le "
        "territoire est en zone de l'article 232, indiquez accueil.zone_232_cgi: true"
    ]


def plan_duration(territory: Territory, on: dt.date) -> list[str]:
    years = territory.config.deliberations.duree_ppgdid_ans
    version = law.version_at(law_in_force.rules(territory), "duree-ppgdid", on)
    if version is None or years == version["valeurs"]["ans"]:
        return []
    return [
        f"{_yaml(territory, 'deliberations.duree_ppgdid_ans')} : le plan dure "
        f"{version['valeurs']['ans']} ans (article R441-2-13 du CCH), pas {years} ; une "
        "prorogation d'un an au plus, renouvelable une fois, se décide par la délibération qui "
        "engage le plan suivant (R441-2-14)"
    ]


def final_evaluation(territory: Territory, on: dt.date) -> list[str]:
    settings = territory.config.ppgdid
    rules = law_in_force.rules(territory)
    if settings is None or settings.debut is None or settings.evaluation_finale:
        return []
    years = law.version_at(rules, "duree-ppgdid", on)
    months = law.version_at(rules, "evaluation-ppgdid", on)
    if years is None or months is None:
        return []
    start = settings.debut
    end = dt.date(start.year + years["valeurs"]["ans"], start.month, min(start.day, 28))
    due = _months_before(end, months["valeurs"]["mois_avant_fin"])
    if on < due:
        return []
    return [
        f"{_yaml(territory, 'ppgdid.evaluation_finale')} : le plan se termine le "
        f"{end.isoformat()} ; son évaluation, due six mois avant (le {due.isoformat()}), "
        "transmise au préfet et rendue publique (article R441-2-14 du CCH), n'est pas décrite"
    ]


def key_workers(territory: Territory, on: dt.date) -> list[str]:
    if territory.config.cia is None or not law_in_force.applies(
        territory, "travailleurs-essentiels", on
    ):
        return []
    if territory.config.objectifs.travailleurs_essentiels is not None:
        return []
    return [
        f"{_yaml(territory, 'objectifs.travailleurs_essentiels')} : une CIA datée du "
        f"{on.isoformat()}, après la loi 3DS (en vigueur le 23 février 2022), doit fixer un "
        "objectif d'attributions aux travailleurs essentiels (article L441-1 du CCH) ; "
        "« sans_objectif » n'en dispense pas"
    ]


def first_quartile(territory: Territory, on: dt.date) -> list[str]:
    version = law.version_at(law_in_force.rules(territory), "premier-quartile-hors-qpv", on)
    if territory.config.cia is None or version is None:
        return []
    legal = Decimal(str(version["valeurs"]["taux"])) * 100
    chosen = territory.config.objectifs.premier_quartile_hors_qpv
    if chosen == legal or territory.config.cia.cil.orientation_premier_quartile:
        return []
    return [
        f"{_yaml(territory, 'objectifs.premier_quartile_hors_qpv')} : {chosen} % au lieu de "
        f"{legal:.0f} % (article L441-1 du CCH) ; nommez l'orientation de la CIL qui adapte ce "
        "taux dans cia.cil.orientation_premier_quartile"
    ]


def unverified_rules(territory: Territory, on: dt.date) -> list[str]:
    """The rules the document applies on its date that were not read in their article."""
    return [
        f"content/national/regles.yaml : règle {code} ({article}) non vérifiée sur le texte de "
        f"l'article — {reason.strip()}"
        for code, article, reason in law.unverified(law_in_force.rules(territory), on)
    ]


def ppgdid(territory: Territory, year: int) -> list[str]:
    on = law_in_force.document_day(territory, year)
    return (
        interview_delay(territory, on)
        + plan_duration(territory, on)
        + final_evaluation(territory, on)
        + unverified_rules(territory, on)
    )


def cia_points(territory: Territory, on: dt.date) -> list[dict[str, Any]]:
    """The items L441-1-6 (and L441-1) ask of a CIA dated `on`."""
    return [dict(p) for p in load_content(territory, CIA_POINTS)["points"] if law.applies(p, on)]


def cia(territory: Territory, year: int, missing: list[str]) -> list[str]:
    """`missing`: labels of the CIA's mandatory items this territory leaves uncovered."""
    on = law_in_force.document_day(territory, year)
    found = key_workers(territory, on) + first_quartile(territory, on)
    found += [
        f"{display_path(territory.folder / 'territory.yaml')} : la CIA ne couvre pas {label}"
        for label in missing
    ]
    return found
