"""The PPGDID's own tables: the cotation grid, the action plan and the steps of its elaboration."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from generator.errors import Problems
from generator.reference import CommuneIndex
from generator.resources import CONTENT
from generator.territory import columns as c
from generator.territory.registry import TableSpec, notes
from generator.territory.tables import Row

#: National list of the priority criteria the law makes mandatory in every cotation grid.
LEGAL_CRITERIA = CONTENT / "national" / "cotation-criteres-legaux.yaml"
WEIGHTS = ("forte", "intermédiaire", "faible")
MANDATORY, OPTIONAL = "obligatoire", "facultatif"
AUTOMATIC, MANUAL = "automatique", "manuelle"
ALL, FIRST, TRANSFER = "toutes", "premières demandes", "mutations"
VOLETS = (
    "accueil",
    "gestion partagée",
    "qualification",
    "examen particulier",
    "mutations",
    "cotation",
    "location choisie",
)
_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Criterion:
    """One line of the cotation grid; `points` stays None until the territory has fixed it."""

    critere: str
    famille: str | None
    ponderation: str | None
    points: int | None
    plafond: int | None
    nature: str
    saisie: str
    demandes: str
    criteres_legaux: tuple[str, ...]
    row: Row


@dataclass(frozen=True)
class Action:
    """One action of the plan: what, who pilots, who contributes, when, and how it is followed."""

    volet: str
    axe: str | None
    action: str
    pilote: str | None
    contributeurs: str | None
    calendrier: str | None
    indicateur: str | None
    row: Row


@dataclass(frozen=True)
class Period:
    """A date known to the year, the month or the day (working groups are often dated by month)."""

    start: dt.date
    precision: str  # "année", "mois" or "jour"


@dataclass(frozen=True)
class ElaborationStep:
    date: Period | None
    etape: str
    objet: str | None
    row: Row


@cache
def legal_criteria_codes() -> tuple[str, ...]:
    data = yaml.safe_load(LEGAL_CRITERIA.read_text(encoding="utf-8"))
    return tuple(item["code"] for item in data["criteres"])


def signed_points(value: Any) -> int:
    """Points of a criterion: a whole number, negative for a malus."""
    raw = c.text(value).replace("\u2212", "-")
    if not re.fullmatch(r"[-+]?\d+", raw):
        raise c.CellError(f'expected a whole number of points, got "{raw}" — write e.g. 20 or -10')
    return int(raw)


def legal_codes(value: Any) -> tuple[str, ...]:
    """Codes of the legal priority criteria a grid line takes in, separated by ";"."""
    known = legal_criteria_codes()
    codes = tuple(part.strip() for part in c.text(value).split(";") if part.strip())
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise c.CellError(
            f'unknown legal criterion "{unknown[0]}" — use the codes of '
            f"content/national/cotation-criteres-legaux.yaml: {', '.join(known)}"
        )
    return codes


def period(value: Any) -> Period:
    """2017, 09/2024 or 17/03/2025: as precise as the source is."""
    if isinstance(value, dt.date | dt.datetime):
        return Period(c.date(value), "jour")
    raw = c.text(value)
    if month := _MONTH.match(raw):
        number, year = int(month.group(1)), c.year(month.group(2))
        if 1 <= number <= 12:
            return Period(dt.date(year, number, 1), "mois")
    try:
        return Period(dt.date(c.year(raw), 1, 1), "année")
    except c.CellError:
        pass
    try:
        return Period(c.date(raw), "jour")
    except c.CellError:
        raise c.CellError(
            f'expected a year (2024), a month (09/2024) or a date (17/09/2024), got "{raw}"'
        ) from None


def _criterion_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("critere", c.text, "the criterion as applicants read it", required=True),
        c.Column("famille", c.text, "family of criteria (logement actuel, ressources…)"),
        c.Column("ponderation", c.choice(*WEIGHTS), "weight class: forte, intermédiaire, faible"),
        c.Column("points", signed_points, "points given by the criterion", needed=True),
        c.Column("plafond", c.count, "cap of the points of a cumulative criterion"),
        c.Column(
            "nature", c.choice(MANDATORY, OPTIONAL), f'"{MANDATORY}" or "{OPTIONAL}"', required=True
        ),
        c.Column(
            "saisie", c.choice(AUTOMATIC, MANUAL), f'"{AUTOMATIC}" or "{MANUAL}"', required=True
        ),
        c.Column(
            "demandes",
            c.choice(ALL, FIRST, TRANSFER),
            f'"{ALL}" (default), "{FIRST}" or "{TRANSFER}"',
        ),
        c.Column("critere_legal", legal_codes, "codes of the legal criteria it takes in"),
        notes(),
    ]


def _criterion(row: Row, problems: Problems) -> Criterion | None:
    legal = row["critere_legal"] or ()
    if legal and row["nature"] != MANDATORY:
        problems.add(
            row.at("nature"),
            f"a criterion that takes in a legal priority criterion is mandatory: "
            f'write "{MANDATORY}"',
        )
        return None
    return Criterion(
        critere=row["critere"],
        famille=row["famille"],
        ponderation=row["ponderation"],
        points=row["points"],
        plafond=row["plafond"],
        nature=row["nature"],
        saisie=row["saisie"],
        demandes=row["demandes"] or ALL,
        criteres_legaux=legal,
        row=row,
    )


def _action_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column(
            "volet", c.choice(*VOLETS), "chapter of the plan: " + ", ".join(VOLETS), required=True
        ),
        c.Column("axe", c.text, "group of actions, shown as a heading row of the table"),
        c.Column("action", c.text, "what is to be done", required=True),
        c.Column("pilote", c.text, "who pilots the action", needed=True),
        c.Column("contributeurs", c.text, "who contributes, operators included"),
        c.Column("calendrier", c.text, "when (2025, chaque année…)", needed=True),
        c.Column("indicateur", c.text, "follow-up indicators", needed=True),
        notes(),
    ]


def _action(row: Row, problems: Problems) -> Action:
    return Action(
        row["volet"],
        row["axe"],
        row["action"],
        row["pilote"],
        row["contributeurs"],
        row["calendrier"],
        row["indicateur"],
        row,
    )


def _step_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("date", period, "year, month (09/2024) or date", needed=True),
        c.Column(
            "etape", c.text, "working group, steering committee, deliberation…", required=True
        ),
        c.Column("objet", c.text, "what was done or decided"),
        notes(),
    ]


def _step(row: Row, problems: Problems) -> ElaborationStep:
    return ElaborationStep(row["date"], row["etape"], row["objet"], row)


TABLES = (
    TableSpec("cotation", "cotation grid", _criterion_columns, _criterion),
    TableSpec("actions_ppgdid", "action plan of the PPGDID", _action_columns, _action),
    TableSpec("elaboration_ppgdid", "steps of the elaboration", _step_columns, _step),
)
