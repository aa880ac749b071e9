"""The PPGDID's own tables: the cotation grid, the action plan and the steps of its elaboration."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from generator.errors import Problems
from generator.messages import N_, _
from generator.resources import CONTENT
from generator.territory import columns as c
from generator.territory.registry import Record, TableSpec, column, notes
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
class Period:
    """A date known to the year, the month or the day (working groups are often dated by month)."""

    start: dt.date
    precision: str  # "année", "mois" or "jour"


@cache
def legal_criteria_codes() -> tuple[str, ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster
    data = yaml.load(LEGAL_CRITERIA.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    return tuple(item["code"] for item in data["criteres"])


def signed_points(value: Any) -> int:
    """Points of a criterion: a whole number, negative for a malus."""
    raw = c.text(value).replace("\u2212", "-")
    if not re.fullmatch(r"[-+]?\d+", raw):
        raise c.CellError(
            _('expected a whole number of points, got "{raw}" — write e.g. 20 or -10', raw=raw)
        )
    return int(raw)


def legal_codes(value: Any) -> tuple[str, ...]:
    """Codes of the legal priority criteria a grid line takes in, separated by ";"."""
    known = legal_criteria_codes()
    codes = tuple(part.strip() for part in c.text(value).split(";") if part.strip())
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise c.CellError(
            _(
                'unknown legal criterion "{unknown}" — use the codes of'
                " content/national/cotation-criteres-legaux.yaml: {known}",
                unknown=unknown[0],
                known=", ".join(known),
            )
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
            _(
                'expected a year (2024), a month (09/2024) or a date (17/09/2024), got "{raw}"',
                raw=raw,
            )
        ) from None


@dataclass(frozen=True, kw_only=True)
class Criterion(Record):
    """One line of the cotation grid; `points` stays None until the territory has fixed it."""

    critere: str = column(c.text, N_("the criterion as applicants read it"), required=True)
    famille: str | None = column(
        c.text,
        N_("family of criteria (logement actuel, ressources…)"),
        doc="family of criteria (logement actuel, ressources…), shown as a heading row",
    )
    ponderation: str | None = column(
        c.choice(*WEIGHTS),
        N_("weight class: forte, intermédiaire, faible"),
        doc="`forte`, `intermédiaire` or `faible`",
    )
    points: int | None = column(
        signed_points,
        N_("points given by the criterion"),
        needed=True,
        doc="points given (a malus is negative: `-10`)",
    )
    plafond: int | None = column(c.count, N_("cap of the points of a cumulative criterion"))
    nature: str = column(
        c.choice(MANDATORY, OPTIONAL),
        N_('"obligatoire" or "facultatif"'),
        required=True,
        doc="`obligatoire` or `facultatif`",
    )
    saisie: str = column(
        c.choice(AUTOMATIC, MANUAL),
        N_('"automatique" or "manuelle"'),
        required=True,
        doc="`automatique` or `manuelle`",
    )
    demandes: str = column(
        c.choice(ALL, FIRST, TRANSFER),
        N_('"toutes" (default), "premières demandes" or "mutations"'),
        doc="`toutes` (default), `premières demandes` or `mutations`",
    )
    critere_legal: tuple[str, ...] = column(
        legal_codes,
        N_("codes of the legal criteria it takes in"),
        doc=(
            "codes of the legal priority criteria it takes in, separated by `;` (`dalo`, "
            "`handicap`, `sans-logement`…: see "
            "content/national/cotation-criteres-legaux.yaml); only on a mandatory line"
        ),
    )
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        legal = values["critere_legal"] or ()
        if legal and values["nature"] != MANDATORY:
            problems.add(
                row.at("nature"),
                _(
                    "a criterion that takes in a legal priority criterion is mandatory: write"
                    ' "{mandatory}"',
                    mandatory=MANDATORY,
                ),
            )
            return None
        return values | {"demandes": values["demandes"] or ALL, "critere_legal": legal}


@dataclass(frozen=True, kw_only=True)
class Action(Record):
    """One action of the plan: what, who pilots, who contributes, when, and how it is followed."""

    volet: str = column(
        c.choice(*VOLETS),
        N_(
            "chapter of the plan: accueil, gestion partagée, qualification, examen particulier,"
            " mutations, cotation, location choisie"
        ),
        required=True,
        doc=(
            "chapter of the plan the action belongs to (`accueil`, `gestion partagée`, `cotation`…)"
        ),
    )
    axe: str | None = column(
        c.text,
        N_("group of actions, shown as a heading row of the table"),
        doc="group of actions, shown as a heading row",
    )
    action: str = column(c.text, N_("what is to be done"), required=True)
    pilote: str | None = column(c.text, N_("who pilots the action"), needed=True, doc="who pilots")
    contributeurs: str | None = column(c.text, N_("who contributes, operators included"))
    calendrier: str | None = column(
        c.text, N_("when (2025, chaque année…)"), needed=True, doc="when (`2026`, `chaque année`…)"
    )
    indicateur: str | None = column(
        c.text,
        N_("follow-up indicators"),
        needed=True,
        doc="follow-up indicators (line breaks kept)",
    )
    notes: str | None = notes()


@dataclass(frozen=True, kw_only=True)
class ElaborationStep(Record):
    date: Period | None = column(
        period,
        N_("year, month (09/2024) or date"),
        needed=True,
        doc="a year (`2024`), a month (`09/2024`) or a date (`17/09/2024`)",
    )
    etape: str = column(
        c.text, N_("working group, steering committee, deliberation…"), required=True
    )
    objet: str | None = column(c.text, N_("what was done or decided"))
    notes: str | None = notes()


TABLES = (
    TableSpec("cotation", N_("cotation grid"), Criterion),
    TableSpec("actions_ppgdid", N_("action plan of the PPGDID"), Action),
    TableSpec("elaboration_ppgdid", N_("steps of the elaboration"), ElaborationStep),
)
