"""The CIA's own tables: per-partner commitments, indicators, actions, partners' roles, key-worker
professions and the steps of its elaboration — rows a consultant fills in a spreadsheet.

Rows refer to the `cia:` section of territory.yaml by number (engagement 3, orientation 2) and
by partner group; `check_policy` says where such a reference points to nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import process

from generator.errors import Location, Problems, display_path
from generator.reference import CommuneIndex
from generator.territory import columns as c
from generator.territory import policy_ppgdid
from generator.territory.registry import TableSpec, notes
from generator.territory.tables import Row

if TYPE_CHECKING:
    from generator.territory.cia_settings import CiaSettings

ANNUAL, PERIODIC = "annuel", "triennal et final"


@dataclass(frozen=True)
class PartnerItem:
    """What one partner group (or one named partner in it) commits to, for one commitment."""

    engagement: int
    groupe: str
    partenaire: str | None
    texte: str
    row: Row


@dataclass(frozen=True)
class Indicator:
    orientation: int | None
    indicateur: str
    contenu: str | None
    sources: str | None
    echelles: str | None
    bilan: str
    row: Row


@dataclass(frozen=True)
class PolicyAction:
    """An action of the CIA: without orientation, the EPCI's own animation of the policy."""

    orientation: int | None
    action: str
    pilote: str | None
    contributeurs: str | None
    calendrier: str | None
    indicateur: str | None
    row: Row


@dataclass(frozen=True)
class Role:
    partenaire: str
    role: str
    row: Row


@dataclass(frozen=True)
class KeyWorkerProfession:
    categorie: str
    metiers: str | None
    row: Row


def _item_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("engagement", c.count, "number of the commitment, as the CIA numbers it", True),
        c.Column("groupe", c.text, "partner group: one of cia.groupes", required=True),
        c.Column("partenaire", c.text, "a named partner of the group (Hérault Logement…)"),
        c.Column("texte", c.text, "what the group or partner commits to", required=True),
        notes(),
    ]


def _item(row: Row, problems: Problems) -> PartnerItem:
    return PartnerItem(row["engagement"], row["groupe"], row["partenaire"], row["texte"], row)


def _indicator_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("orientation", c.count, "number of its orientation; empty: the whole policy"),
        c.Column("indicateur", c.text, "what is followed", required=True),
        c.Column("contenu", c.text, "how it is measured"),
        c.Column("sources", c.text, "where the data comes from", needed=True),
        c.Column("echelles", c.text, "scales: EPCI, communes, landlords, reservation holders"),
        c.Column("bilan", c.choice(ANNUAL, PERIODIC), f'"{ANNUAL}" (default) or "{PERIODIC}"'),
        notes(),
    ]


def _indicator(row: Row, problems: Problems) -> Indicator:
    return Indicator(
        row["orientation"],
        row["indicateur"],
        row["contenu"],
        row["sources"],
        row["echelles"],
        row["bilan"] or ANNUAL,
        row,
    )


def _action_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("orientation", c.count, "number of its orientation; empty: EPCI's animation"),
        c.Column("action", c.text, "what is to be done", required=True),
        c.Column("pilote", c.text, "who pilots the action"),
        c.Column("contributeurs", c.text, "who contributes"),
        c.Column("calendrier", c.text, "when (chaque année, début 2025…)", needed=True),
        c.Column("indicateur", c.text, "follow-up indicator", needed=True),
        notes(),
    ]


def _action(row: Row, problems: Problems) -> PolicyAction | None:
    if row["orientation"] is not None and not row["pilote"]:
        problems.add(row.at("pilote"), "empty cell — an action of an orientation needs its pilot")
        return None
    return PolicyAction(
        row["orientation"],
        row["action"],
        row["pilote"],
        row["contributeurs"],
        row["calendrier"],
        row["indicateur"],
        row,
    )


def _role_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("partenaire", c.text, "partner (repeat it on each of its rows)", required=True),
        c.Column("role", c.text, "one role of the partner", required=True),
        notes(),
    ]


def _role(row: Row, problems: Problems) -> Role:
    return Role(row["partenaire"], row["role"], row)


def _profession_columns(index: CommuneIndex) -> list[c.Column]:
    return [
        c.Column("categorie", c.text, "family of professions", required=True),
        c.Column("metiers", c.text, "the professions it covers, separated by commas"),
        notes(),
    ]


def _profession(row: Row, problems: Problems) -> KeyWorkerProfession:
    return KeyWorkerProfession(row["categorie"], row["metiers"], row)


TABLES = (
    TableSpec("engagements_partenaires", "partner commitments of the CIA", _item_columns, _item),
    TableSpec("indicateurs_cia", "follow-up indicators of the CIA", _indicator_columns, _indicator),
    TableSpec("actions_cia", "action plan of the CIA", _action_columns, _action),
    TableSpec("roles_partenaires", "partners' roles in the CIA", _role_columns, _role),
    TableSpec(
        "travailleurs_essentiels", "key-worker professions", _profession_columns, _profession
    ),
    TableSpec(
        "elaboration_cia",
        "steps of the elaboration of the CIA",
        policy_ppgdid._step_columns,
        policy_ppgdid._step,
    ),
)


def _suggestion(value: str, known: Sequence[str]) -> str:
    found = process.extractOne(value, list(known), score_cutoff=60)
    return f' — did you mean "{found[0]}"?' if found else ""


def check_policy(
    settings: CiaSettings | None,
    items: Sequence[PartnerItem],
    rows: Sequence[Indicator | PolicyAction],
    yaml_file: Path,
) -> Problems:
    """Rows that point to a commitment, an orientation or a group the `cia` section lacks."""
    problems = Problems()
    numbers = len(settings.partner_commitments) if settings else 0
    orientations = len(settings.orientations) if settings else 0
    groups = settings.groupes if settings else []
    for item in items:
        if not 1 <= item.engagement <= numbers:
            problems.add(
                item.row.at("engagement"),
                f"no commitment {item.engagement}: the cia section numbers {numbers} "
                "(engagements_partenaires of its orientations, from 1)",
            )
        if item.groupe not in groups:
            listed = ", ".join(f'"{g}"' for g in groups) or "none yet"
            problems.add(
                item.row.at("groupe"),
                f'"{item.groupe}" is not a group of cia.groupes ({listed})'
                + _suggestion(item.groupe, groups),
            )
    for row in rows:
        if row.orientation is not None and not 1 <= row.orientation <= orientations:
            problems.add(
                row.row.at("orientation"),
                f"no orientation {row.orientation}: the cia section has {orientations}",
            )
    if settings and len(set(groups)) != len(groups):
        where = Location(display_path(yaml_file), key="cia.groupes")
        problems.add(where, "a group is listed twice — keep each once")
    return problems
