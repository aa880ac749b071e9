"""The CIA's own tables: per-partner commitments, indicators, actions, partners' roles, key-worker
professions and the steps of its elaboration — rows a consultant fills in a spreadsheet.

Rows refer to the `cia:` section of territory.yaml by number (engagement 3, orientation 2) and
by partner group; `check_policy` says where such a reference points to nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import process

from generator.errors import Location, Problems, display_path
from generator.messages import N_, _, quoted
from generator.territory import columns as c
from generator.territory import policy_ppgdid
from generator.territory.registry import Record, TableSpec, column, notes
from generator.territory.tables import Row

if TYPE_CHECKING:
    from generator.territory.cia_settings import CiaSettings

ANNUAL, PERIODIC = "annuel", "triennal et final"


@dataclass(frozen=True, kw_only=True)
class PartnerItem(Record):
    """What one partner group (or one named partner in it) commits to, for one commitment."""

    engagement: int = column(
        c.count,
        N_("number of the commitment, as the CIA numbers it"),
        True,
        doc=(
            "number of the commitment (1, 2…, counted across `engagements_partenaires` of the "
            "orientations)"
        ),
    )
    groupe: str = column(
        c.text, N_("partner group: one of cia.groupes"), required=True, doc="one of `cia.groupes`"
    )
    partenaire: str | None = column(
        c.text,
        N_("a named partner of the group (Hérault Logement…)"),
        doc=(
            "a partner of the group the item is its own (« Hérault Logement »), shown in bold "
            "before it"
        ),
    )
    texte: str = column(
        c.text, N_("what the group or partner commits to"), required=True, doc="the item"
    )
    notes: str | None = notes()


@dataclass(frozen=True, kw_only=True)
class Indicator(Record):
    orientation: int | None = column(
        c.count,
        N_("number of its orientation; empty: the whole policy"),
        doc=(
            "number of its orientation (shown in its indicator table); empty: an indicator of "
            "the whole policy (shown in the section `indicateurs`)"
        ),
    )
    indicateur: str = column(c.text, N_("what is followed"), required=True)
    contenu: str | None = column(c.text, N_("how it is measured"))
    sources: str | None = column(c.text, N_("where the data comes from"), needed=True)
    echelles: str | None = column(
        c.text, N_("scales: EPCI, communes, landlords, reservation holders")
    )
    bilan: str = column(
        c.choice(ANNUAL, PERIODIC),
        N_('"annuel" (default) or "triennal et final"'),
        doc="`annuel` (default) or `triennal et final`",
    )
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        return values | {"bilan": values["bilan"] or ANNUAL}


@dataclass(frozen=True, kw_only=True)
class PolicyAction(Record):
    """An action of the CIA: without orientation, the EPCI's own animation of the policy."""

    orientation: int | None = column(
        c.count,
        N_("number of its orientation; empty: EPCI's animation"),
        doc="number of its orientation; empty: the EPCI's own animation of the policy",
    )
    action: str = column(c.text, N_("what is to be done"), required=True)
    pilote: str | None = column(
        c.text,
        N_("who pilots the action"),
        doc="who pilots (required for an action of an orientation)",
    )
    contributeurs: str | None = column(c.text, N_("who contributes"))
    calendrier: str | None = column(c.text, N_("when (chaque année, début 2025…)"), needed=True)
    indicateur: str | None = column(c.text, N_("follow-up indicator"), needed=True)
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        if values["orientation"] is not None and not values["pilote"]:
            message = _("empty cell — an action of an orientation needs its pilot")
            problems.add(row.at("pilote"), message)
            return None
        return values


@dataclass(frozen=True, kw_only=True)
class Role(Record):
    partenaire: str = column(c.text, N_("partner (repeat it on each of its rows)"), required=True)
    role: str = column(c.text, N_("one role of the partner"), required=True)
    notes: str | None = notes()


@dataclass(frozen=True, kw_only=True)
class KeyWorkerProfession(Record):
    categorie: str = column(c.text, N_("family of professions"), required=True)
    metiers: str | None = column(c.text, N_("the professions it covers, separated by commas"))
    notes: str | None = notes()


TABLES = (
    TableSpec("engagements_partenaires", N_("partner commitments of the CIA"), PartnerItem),
    TableSpec("indicateurs_cia", N_("follow-up indicators of the CIA"), Indicator),
    TableSpec("actions_cia", N_("action plan of the CIA"), PolicyAction),
    TableSpec("roles_partenaires", N_("partners' roles in the CIA"), Role),
    TableSpec("travailleurs_essentiels", N_("key-worker professions"), KeyWorkerProfession),
    TableSpec(
        "elaboration_cia", N_("steps of the elaboration of the CIA"), policy_ppgdid.ElaborationStep
    ),
)


def _suggestion(value: str, known: Sequence[str]) -> str:
    found = process.extractOne(value, list(known), score_cutoff=60)
    return _(' — did you mean "{guess}"?', guess=found[0]) if found else ""


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
                _(
                    "no commitment {engagement}: the cia section numbers {numbers}"
                    " (engagements_partenaires of its orientations, from 1)",
                    engagement=item.engagement,
                    numbers=numbers,
                ),
            )
        if item.groupe not in groups:
            listed = ", ".join(quoted(g) for g in groups) or _("none yet")
            problems.add(
                item.row.at("groupe"),
                _(
                    '"{group}" is not a group of cia.groupes ({listed}){suggestion}',
                    group=item.groupe,
                    listed=listed,
                    suggestion=_suggestion(item.groupe, groups),
                ),
            )
    for row in rows:
        if row.orientation is not None and not 1 <= row.orientation <= orientations:
            problems.add(
                row.row.at("orientation"),
                _(
                    "no orientation {orientation}: the cia section has {orientations}",
                    orientation=row.orientation,
                    orientations=orientations,
                ),
            )
    if settings and len(set(groups)) != len(groups):
        where = Location(display_path(yaml_file), key="cia.groupes")
        problems.add(where, _("a group is listed twice — keep each once"))
    return problems
