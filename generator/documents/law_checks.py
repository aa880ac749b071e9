"""Legal checks of `cil check`: warnings (never errors), located in territory.yaml, in the
language of messages (`generator.messages`).

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
from generator.messages import _
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
    where = _yaml(territory, "accueil.delai_entretien_jours")
    if zone:
        return [
            _(
                "{where}: {days} days exceed the {months}-month maximum in the zones of article"
                " 232 of the CGI (article {article} of the CCH)",
                where=where,
                days=days,
                months=months,
                article=version["article"],
            )
        ]
    return [
        _(
            "{where}: {days} days exceed the {months}-month maximum outside the zones of article"
            " 232 of the CGI (article {article} of the CCH) — if the territory is in such a zone,"
            " write accueil.zone_232_cgi: true",
            where=where,
            days=days,
            months=months,
            article=version["article"],
        )
    ]


def plan_duration(territory: Territory, on: dt.date) -> list[str]:
    years = territory.config.deliberations.duree_ppgdid_ans
    version = law.version_at(law_in_force.rules(territory), "duree-ppgdid", on)
    if version is None or years == version["valeurs"]["ans"]:
        return []
    return [
        _(
            "{where}: the plan lasts {legal} years (article R441-2-13 of the CCH), not {years};"
            " an extension of one year at most, renewable once, is decided by the deliberation"
            " that launches the next plan (R441-2-14)",
            where=_yaml(territory, "deliberations.duree_ppgdid_ans"),
            legal=version["valeurs"]["ans"],
            years=years,
        )
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
        _(
            "{where}: the plan ends on {end}; its evaluation, due {months} months before (on"
            " {due}), sent to the prefect and made public (article R441-2-14 of the CCH), is not"
            " described",
            where=_yaml(territory, "ppgdid.evaluation_finale"),
            end=end,
            months=months["valeurs"]["mois_avant_fin"],
            due=due,
        )
    ]


def key_workers(territory: Territory, on: dt.date) -> list[str]:
    version = law.version_at(law_in_force.rules(territory), "travailleurs-essentiels", on)
    if territory.config.cia is None or version is None:
        return []
    if territory.config.objectifs.travailleurs_essentiels is not None:
        return []
    return [
        _(
            "{where}: a CIA dated {day}, after the 3DS law (in force on {since}), must set an"
            " objective of allocations to key workers (article L441-1 of the CCH);"
            ' "sans_objectif" does not exempt it',
            where=_yaml(territory, "objectifs.travailleurs_essentiels"),
            day=on,
            since=version["debut"],
        )
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
        _(
            "{where}: {chosen} % instead of {legal:.0f} % (article L441-1 of the CCH); name the"
            " orientation of the CIL that adapts this rate in cia.cil.orientation_premier_quartile",
            where=_yaml(territory, "objectifs.premier_quartile_hors_qpv"),
            chosen=chosen,
            legal=legal,
        )
    ]


def priority_floor(territory: Territory, on: dt.date) -> list[str]:
    """A contingent's share to priority households below the law's: a floor the CIL's
    orientations cannot lower (only the first-quartile and QPV rates are adaptable)."""
    version = law.version_at(law_in_force.rules(territory), "prioritaires-par-contingent", on)
    if territory.config.cia is None or version is None or version["valeurs"].get("adaptable"):
        return []
    goals = territory.config.objectifs
    legal = {"État": version["valeurs"]["etat"], "autres": version["valeurs"]["autres"]}
    found = []
    for contingent, rate in goals.prioritaires.items():
        floor = Decimal(str(legal.get(contingent, legal["autres"]))) * 100
        if rate < floor:
            found.append(
                _(
                    "{where}: {rate} % of the allocations of {contingent} to priority households,"
                    " below the {floor:.0f} % the law sets (article L441-1 of the CCH); the CIL's"
                    " orientations may adapt the first-quartile rate, not this share",
                    where=_yaml(territory, f"objectifs.prioritaires.{contingent}"),
                    rate=rate,
                    contingent=contingent,
                    floor=floor,
                )
            )
    return found


def unverified_rules(territory: Territory, on: dt.date, domain: str = "documents") -> list[str]:
    """The rules the document applies on its date that were not read in their article
    (`domain`: « documents », every document's rules; « cia », the CIA's objectives)."""
    return [
        _(
            "content/national/regles.yaml: rule {code} ({article}) not checked against the text of"
            " the article — {reason}",
            code=code,
            article=article,
            reason=reason.strip(),
        )
        for code, article, reason in law.unverified(law_in_force.rules(territory), on, domain)
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
    found = (
        key_workers(territory, on)
        + first_quartile(territory, on)
        + priority_floor(territory, on)
        + unverified_rules(territory, on, "cia")
    )
    where = display_path(territory.folder / "territory.yaml")
    found += [
        _("{where}: the CIA does not cover {label}", where=where, label=label) for label in missing
    ]
    return found
