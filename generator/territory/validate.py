"""Checks across tables and settings, run once when a territory is loaded.

A row can be right on its own and wrong next to others: a year given in two forms, a commitment
pointing to no orientation, a sitting whose counts disagree with its members. These checks run
here, with the loading, so that `cil check` and every build report them together and documents
can take the data as valid.
"""

from __future__ import annotations

import re
from dataclasses import fields
from decimal import Decimal

from rapidfuzz import process

from generator.errors import Location, Problems, display_path
from generator.formatting import pourcent
from generator.messages import _
from generator.territory import objectives
from generator.territory.allocation_checks import check_allocations
from generator.territory.allocations import CONTINGENTS as CONTINGENT_NAMES
from generator.territory.allocations import AllocationCounts, AllocationRecord
from generator.territory.cia_settings import CiaSettings
from generator.territory.content import Block, Contingents
from generator.territory.policy_cia import Indicator, PolicyAction, check_policy
from generator.territory.qpv import qpv_problems
from generator.territory.reception import duplicate_guichets
from generator.territory.schema import Territory
from generator.territory.sittings import check_sittings
from generator.territory.tables import Row

CONTINGENTS = "national/contingents.yaml"
_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*%")


def repeated_rows(territory: Territory, flagged: set[tuple[str, int | None]]) -> Problems:
    """A row given twice cell for cell (pasted twice) counts twice: refused, unless a check of
    its own table already said so in its words."""
    problems = Problems()
    for item in fields(territory):
        rows = getattr(territory, item.name)
        if not isinstance(rows, list):
            continue
        seen: dict[str, int] = {}
        for record in rows:
            row = getattr(record, "row", None)
            if not isinstance(row, Row):
                continue
            key = repr(sorted(row.values.items()))
            first = seen.setdefault(key, row.line)
            if first != row.line and (row.file, row.line) not in flagged:
                problems.add(
                    row.at(),
                    _(
                        "this row repeats row {first} cell for cell (pasted twice?): each row "
                        "counts, delete one",
                        first=first,
                    ),
                )
    return problems


def cross_table_problems(territory: Territory, blocks: dict[str, Block]) -> Problems:
    """Every error no single row shows; warnings (quorum, delays) are left to `cil check`.

    `blocks` are the territory's content blocks, valid: some settings are read against them.
    """
    problems = Problems()
    problems.extend(
        check_allocations(
            territory.attributions,
            territory.attributions_agregees,
            territory.repartitions,
            territory.demandes,
            territory.logements_sociaux,
            territory.config.objectifs,
        )
    )
    problems.extend(duplicate_guichets(territory.guichets))
    problems.extend(qpv_problems(territory.qpv, territory.config.objectifs.qpv, territory.folder))
    problems.extend(partner_name_problems(territory))
    settings = territory.config.cia
    if settings is not None:
        rows: list[Indicator | PolicyAction] = [*territory.indicateurs_cia, *territory.actions_cia]
        yaml_file = territory.folder / "territory.yaml"
        problems.extend(check_policy(settings, territory.engagements_partenaires, rows, yaml_file))
        contingents = blocks.get(CONTINGENTS)
        if isinstance(contingents, Contingents):
            problems.extend(typed_target_problems(territory, settings, contingents))
    errors, _warnings = check_sittings(territory)
    problems.extend(errors)
    flagged = {(p.location.file, p.location.row) for p in problems.items}
    problems.extend(repeated_rows(territory, flagged))
    return problems


def typed_target_problems(
    territory: Territory, settings: CiaSettings, contingents: Contingents
) -> Problems:
    """An orientation's own target typed as a figure would not follow `objectifs`: refused."""
    problems = Problems()
    state = contingents.etat
    share, agents = (Decimal(str(x)) for x in (state.part_max, state.part_agents_etat_max))
    goals = territory.config.objectifs
    values = objectives.targets(goals, objectives.legal_priority_share(goals, share, agents))
    yaml_file = display_path(territory.folder / "territory.yaml")
    for number, orientation in enumerate(settings.orientations, start=1):
        goal = values.get(orientation.cible) if orientation.cible else None
        if goal is None:
            continue
        texts = [orientation.titre, orientation.objectif or "", orientation.precision or ""]
        texts += [e if isinstance(e, str) else e.texte for e in orientation.engagements]
        for text in texts:
            typed = [Decimal(m.replace(",", ".")) / 100 for m in _PERCENT.findall(text)]
            if goal in typed:
                problems.add(
                    Location(yaml_file, key=f"cia.orientations[{number}]"),
                    _(
                        "« {goal} » is typed in « {text}… »: write {{cible}}, so that the figure"
                        " follows objectifs ({cible})",
                        goal=_shown(goal),
                        text=text[:60],
                        cible=orientation.cible,
                    ),
                )
    return problems


def _shown(target: Decimal) -> str:
    """25 % or 42,5 %: a target shows its decimal only when it has one."""
    return pourcent(target, 0 if (target * 100) == (target * 100).to_integral_value() else 1)


def partner_name_problems(territory: Territory) -> Problems:
    """Partners' targets and the landlords of the allocation data, against the partners list.

    A target names a landlord of `partenaires.bailleurs` or a contingent; a landlord of the
    allocation tables is one of `partenaires.bailleurs` (when the list is given): a misspelt
    name would otherwise count as a landlord of its own.
    """
    problems = Problems()
    config = territory.config
    landlords = list(config.partenaires.bailleurs)
    contingents = [c for c in CONTINGENT_NAMES if c != "Autre"]
    yaml_file = display_path(territory.folder / "territory.yaml")
    for objective, targets in config.objectifs.partenaires.items():
        for name in targets:
            if name in landlords or (objective != "prioritaires" and name in contingents):
                continue
            known = landlords + ([] if objective == "prioritaires" else contingents)
            problems.add(
                Location(yaml_file, key=f"objectifs.{objective}.{name}"),
                (
                    _(
                        'unknown contingent or landlord "{name}"{suggestion} — a target names a'
                        " landlord of partenaires.bailleurs or a contingent ({contingents})",
                        name=name,
                        suggestion=_suggestion(name, [*known, *contingents]),
                        contingents=", ".join(contingents),
                    )
                    if objective == "prioritaires"
                    else _(
                        'unknown landlord "{name}"{suggestion} — a target names a landlord of'
                        " partenaires.bailleurs or a contingent ({contingents})",
                        name=name,
                        suggestion=_suggestion(name, [*known, *contingents]),
                        contingents=", ".join(contingents),
                    )
                ),
            )
    if not landlords:
        return problems
    rows: list[AllocationRecord | AllocationCounts] = [
        *territory.attributions,
        *territory.attributions_agregees,
    ]
    for item in rows:
        landlord = item.bailleur
        if landlord and landlord not in landlords:
            problems.add(
                item.row.at("bailleur"),
                _(
                    'unknown landlord "{landlord}"{suggestion} — use a name of'
                    " partenaires.bailleurs in territory.yaml, or add it there",
                    landlord=landlord,
                    suggestion=_suggestion(landlord, landlords),
                ),
            )
    return problems


def _suggestion(name: str, known: list[str]) -> str:
    guess = process.extractOne(name, known, score_cutoff=60) if known else None
    return _(' — did you mean "{guess}"?', guess=guess[0]) if guess else ""
