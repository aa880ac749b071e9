"""The texts and rules in force at a document's date, from content/national/ (dated data).

Every document has a date: the act date of a deliberation, the document date of a CIA, PPGDID or
annex (territory.yaml, documents.date, when it falls in the year built; else the last day of that
year), the evaluated year of a bilan. It cites only the texts published and in force then, and
applies the rules in force then (generator/territory/law.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.documents.common import load_content
from generator.formatting import date_longue
from generator.territory import law
from generator.territory.schema import Territory

TEXTS = "national/cadre-legal.yaml"
RULES = "national/regles.yaml"


def document_day(territory: Territory, year: int) -> dt.date:
    """The day a CIA, PPGDID or annex is dated: its own date when in the year, else 31/12."""
    chosen = territory.config.documents.date
    if chosen is not None and chosen.year == year:
        return chosen
    return dt.date(year, 12, 31)


def texts(territory: Territory, on: dt.date) -> list[dict[str, Any]]:
    """The texts published and in force on `on`, in the order of cadre-legal.yaml."""
    every = load_content(territory, TEXTS)["textes"]
    return [dict(t) for t in law.in_force(law.published_by(every, on), on)]


def text_codes(territory: Territory, on: dt.date) -> set[str]:
    return {t["code"] for t in texts(territory, on)}


def rules(territory: Territory) -> dict[str, Any]:
    return load_content(territory, RULES)


def applies(territory: Territory, code: str, on: dt.date) -> bool:
    """Whether rule `code` has a version in force on `on`."""
    return law.version_at(rules(territory), code, on) is not None


def state_reservation(territory: Territory, on: dt.date) -> dict[str, Any]:
    """The State's reservation on `on`: its shares (contingents.yaml), base and article."""
    shares = load_content(territory, "national/contingents.yaml")["etat"]
    version = law.version_at(rules(territory), "reservation-etat", on)
    assert version is not None  # the first version has no start
    base = version["valeurs"]["assiette"]
    return {
        "part_max": shares["part_max"],
        "part_agents_etat_max": shares["part_agents_etat_max"],
        "assiette": base,
        "flux": base == "flux",
        "article": version["article"],
    }


#: The rules whose changes a bilan shows, with the value each change concerns.
TRACKED = (
    ("reservation-etat", "assiette"),
    ("gestion-en-flux", "date_limite"),
    ("cotation-obligatoire", "date_limite"),
)


def _shown(value: Any) -> str:
    return date_longue(value) if isinstance(value, dt.date) else str(value)


def evaluated_law(territory: Territory, year: int, years: list[int]) -> dict[str, Any]:
    """What a bilan of `year` (showing `years`) evaluates: the key-worker objective only once
    the 3DS law applies, and each rule that changed within the years shown, once, with its
    value at the start and each later value with the day it applied."""
    start = dt.date(min(years or [year]), 1, 1)
    end = dt.date(year, 12, 31)
    found = rules(territory)
    changed = []
    for code, key in TRACKED:
        steps = law.changes(found, code, key, start, end)
        if steps:
            changed.append(
                {
                    "code": code,
                    "objet": law.rule(found, code)["objet"],
                    "avant": _shown(steps[0].before),
                    "etapes": [
                        {"apres": _shown(s.after), "date": date_longue(s.on)} for s in steps
                    ],
                }
            )
    return {
        "travailleurs": applies(territory, "travailleurs-essentiels", end),
        "changements": changed,
    }
