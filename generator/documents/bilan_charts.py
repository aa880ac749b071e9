"""Which charts the bilan shows, each drawn from an indicator table already under secrecy."""

from __future__ import annotations

from typing import Any

from generator.indicators.allocations import IndicatorTable
from generator.indicators.evaluation import Evaluation
from generator.indicators.results import OTHERS, TOTAL
from generator.render import charts
from generator.territory.objectives import Objectives


def _source(table: IndicatorTable) -> str:
    return " ; ".join(table.sources) or "territoire"


def _members(table: IndicatorTable) -> list[list[Any]]:
    return [row for row in table.rows if row[0] not in (TOTAL, OTHERS)]


def first_quartile_chart(prefix: str, table: IndicatorTable, target: Any) -> charts.Chart | None:
    """A curve from two known years on; one year is a row of the table, not a chart."""
    if not charts.enough_points(table.column("part")):
        return None
    return charts.share_by_year(
        f"{prefix}-premier-quartile.png",
        "Part des attributions hors QPV aux ménages du premier quartile",
        table.column("annee"),
        table.column("part"),
        target,
        _source(table),
    )


def by_group_chart(prefix: str, table: IndicatorTable, what: str) -> charts.Chart | None:
    rows = _members(table)
    if len(rows) < 2:
        return None
    return charts.counts_by_group(
        f"{prefix}-attributions-{what}.png",
        f"Attributions par {what}",
        [row[0] for row in rows],
        [row[1] for row in rows],
        _source(table),
    )


def priority_chart(prefix: str, table: IndicatorTable) -> charts.Chart | None:
    rows = [row for row in table.rows if row[0] != OTHERS]
    if len(rows) < 2:
        return None
    objective = table.column("objectif")
    targets = [objective[table.rows.index(row)] for row in rows]
    return charts.share_by_group(
        f"{prefix}-prioritaires-contingents.png",
        "Part des attributions aux ménages DALO et prioritaires par contingent",
        [row[0] for row in rows],
        [row[5] for row in rows],
        targets,
        _source(table),
    )


def contingent_split_chart(prefix: str, table: IndicatorTable) -> charts.Chart | None:
    rows = [row for row in table.rows if row[0] != TOTAL]
    total = table.row(TOTAL)[1] if any(r[0] == TOTAL for r in table.rows) else None
    if len(rows) < 2 or not isinstance(total, int):
        return None
    return charts.split(
        f"{prefix}-contingents.png",
        "Répartition des attributions entre contingents",
        [row[0] for row in rows],
        [row[1] for row in rows],
        total,
        _source(table),
    )


def demand_charts(prefix: str, table: IndicatorTable) -> list[charts.Chart]:
    """Drawn from the table as computed: its columns read by key, whatever their labels."""
    years = table.column("annee")
    demands, allocations = table.column("demandes"), table.column("attributions")
    if not (charts.enough_points(demands) or charts.enough_points(allocations)):
        return []  # one year: the table's row says it all
    tensions = table.column("tension")
    drawn = [
        charts.counts_by_year(
            f"{prefix}-demandes-attributions.png",
            "Demandes actives en fin d'année et attributions",
            years,
            {"Demandes": demands, "Attributions": allocations},
            _source(table),
        )
    ]
    if charts.enough_points(tensions):
        drawn.append(
            charts.ratio_by_year(
                f"{prefix}-tension.png",
                "Tension : demandes par attribution",
                years,
                tensions,
                _source(table),
            )
        )
    return drawn


def evaluation_charts(prefix: str, found: Evaluation, objectives: Objectives) -> list[charts.Chart]:
    """The bilan's charts, named after `prefix` (e.g. "bilan-2023")."""
    tables, target = found.tables, objectives.premier_quartile_hors_qpv / 100
    drawn = [
        first_quartile_chart(prefix, tables["premier_quartile"], target),
        by_group_chart(prefix, tables["communes"], "commune"),
        by_group_chart(prefix, tables["bailleurs"], "bailleur"),
        priority_chart(prefix, tables["prioritaires"]),
        contingent_split_chart(prefix, tables["prioritaires"]),
        *demand_charts(prefix, tables["demandes"]),
    ]
    return [c for c in drawn if c is not None]
