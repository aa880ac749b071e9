"""Checks across tables and settings, run once when a territory is loaded.

A row can be right on its own and wrong next to others: a year given in two forms, a commitment
pointing to no orientation, a sitting whose counts disagree with its members. These checks run
here, with the loading, so that `cil check` and every build report them together and documents
can take the data as valid.
"""

from __future__ import annotations

from generator.errors import Problems
from generator.territory.allocation_checks import check_allocations
from generator.territory.policy_cia import check_policy
from generator.territory.schema import Territory
from generator.territory.sittings import check_sittings


def cross_table_problems(territory: Territory) -> Problems:
    """Every error no single row shows; warnings (quorum, delays) are left to `cil check`."""
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
    settings = territory.config.cia
    if settings is not None:
        rows = [*territory.indicateurs_cia, *territory.actions_cia]
        yaml_file = territory.folder / "territory.yaml"
        problems.extend(check_policy(settings, territory.engagements_partenaires, rows, yaml_file))
    errors, _ = check_sittings(territory)
    problems.extend(errors)
    return problems
