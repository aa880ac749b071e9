"""Which charts the bilan shows, each drawn from an indicator table already under secrecy.

Their titles and series names are the `graphiques` words of blocs/libelles.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.documents.presentation import merged_sources, row_words
from generator.indicators.allocations import IndicatorTable, is_known
from generator.indicators.evaluation import Evaluation
from generator.indicators.results import OTHERS, TOTAL
from generator.render import charts
from generator.territory.allocations import RESOURCE_BANDS
from generator.territory.objectives import Objectives

#: The category whose share the profiles' chart compares.
UNDER_PLAI = RESOURCE_BANDS[0]

Words = Mapping[str, str]


def _drawn(words: Mapping[str, Any]) -> charts.ChartWords:
    """The words every chart draws around its figures (`graphiques.mots`)."""
    return charts.ChartWords(**words["mots"])


def _source(table: IndicatorTable, words: Words) -> str:
    return " ; ".join(merged_sources(table.sources)) or words["sans_source"]


def _members(table: IndicatorTable) -> list[list[Any]]:
    return [row for row in table.rows if row[0] not in (TOTAL, OTHERS)]


def _names(rows: list[list[Any]], labels: Mapping[str, Any]) -> list[str]:
    """The rows' names, those the computation added worded from the labels block."""
    return [row_words(row[0], labels) for row in rows]


def first_quartile_chart(
    prefix: str, table: IndicatorTable, target: Any, words: Words
) -> charts.Chart | None:
    """A curve from two known years on; one year is a row of the table, not a chart."""
    if not charts.enough_points(table.column("part")):
        return None
    return charts.share_by_year(
        f"{prefix}-premier-quartile.png",
        words["premier_quartile"],
        table.column("annee"),
        table.column("part"),
        target,
        _source(table, words),
        words=_drawn(words),
    )


def other_quartiles_chart(
    prefix: str, table: IndicatorTable, target: Any, words: Words
) -> charts.Chart:
    return charts.share_by_year(
        f"{prefix}-autres-quartiles-qpv.png",
        words["autres_quartiles_qpv"],
        table.column("annee"),
        table.column("part"),
        target,
        _source(table, words),
        words=_drawn(words),
    )


def location_by_landlord_chart(
    prefix: str, table: IndicatorTable, target: Any, name: str, labels: Mapping[str, Any]
) -> charts.Chart | None:
    """A location objective's share per landlord, each against its own target when it has one."""
    rows = _members(table)
    if len(rows) < 2:
        return None
    keys = [c.title for c in table.columns]
    targets = table.column("objectif") if "objectif" in keys else [target] * len(table.rows)
    words = labels["graphiques"]
    return charts.share_by_group(
        f"{prefix}-{name}.png",
        words[name.replace("-", "_")],
        _names(rows, labels),
        [row[keys.index("part")] for row in rows],
        [targets[table.rows.index(row)] for row in rows],
        _source(table, words),
        words=_drawn(words),
    )


def by_group_chart(
    prefix: str, table: IndicatorTable, what: str, labels: Mapping[str, Any]
) -> charts.Chart | None:
    rows = _members(table)
    if len(rows) < 2:
        return None
    words = labels["graphiques"]
    return charts.counts_by_group(
        f"{prefix}-attributions-{what}.png",
        words[f"attributions_{what}"],
        _names(rows, labels),
        [row[1] for row in rows],
        _source(table, words),
        words=_drawn(words),
    )


def priority_chart(
    prefix: str, table: IndicatorTable, labels: Mapping[str, Any]
) -> charts.Chart | None:
    rows = [row for row in table.rows if row[0] != OTHERS]
    if len(rows) < 2:
        return None
    objective = table.column("objectif")
    targets = [objective[table.rows.index(row)] for row in rows]
    words = labels["graphiques"]
    return charts.share_by_group(
        f"{prefix}-prioritaires-contingents.png",
        words["prioritaires_contingents"],
        _names(rows, labels),
        [row[5] for row in rows],
        targets,
        _source(table, words),
        words=_drawn(words),
    )


def contingent_split_chart(
    prefix: str, table: IndicatorTable, labels: Mapping[str, Any]
) -> charts.Chart | None:
    rows = [row for row in table.rows if row[0] != TOTAL]
    total = table.row(TOTAL)[1] if any(r[0] == TOTAL for r in table.rows) else None
    if len(rows) < 2 or not isinstance(total, int):
        return None
    words = labels["graphiques"]
    return charts.split(
        f"{prefix}-contingents.png",
        words["contingents"],
        _names(rows, labels),
        [row[1] for row in rows],
        total,
        _source(table, words),
        words=_drawn(words),
    )


def demand_charts(prefix: str, table: IndicatorTable, words: Words) -> list[charts.Chart]:
    """Drawn from the table as computed: its columns read by key, whatever their labels."""
    years = table.column("annee")
    demands, allocations = table.column("demandes"), table.column("attributions")
    if not (charts.enough_points(demands) or charts.enough_points(allocations)):
        return []  # one year: the table's row says it all
    tensions = table.column("tension")
    drawn = [
        charts.counts_by_year(
            f"{prefix}-demandes-attributions.png",
            words["demandes_attributions"],
            years,
            {words["serie_demandes"]: demands, words["serie_attributions"]: allocations},
            _source(table, words),
            words=_drawn(words),
        )
    ]
    if charts.enough_points(tensions):
        drawn.append(
            charts.ratio_by_year(
                f"{prefix}-tension.png",
                words["tension"],
                years,
                tensions,
                _source(table, words),
                words=_drawn(words),
            )
        )
    return drawn


def resources_chart(
    prefix: str, profiles: list[IndicatorTable], words: Mapping[str, Any]
) -> charts.Chart | None:
    """The share of households under the PLAI ceiling, group by group (latest year of each
    profile): what the profiles' tables say one by one, side by side. Fewer than two known
    shares make no chart."""
    names, shares, used = [], [], []
    for table in profiles:
        row = next((r for r in table.rows if r[1] == UNDER_PLAI), None)
        if row is not None and row[-1] is not None:
            names.append(words["groupes_profils"][table.key])
            shares.append(row[-1])
            used.append(table)
    if sum(is_known(share) for share in shares) < 2:
        return None
    sources = merged_sources([s for table in used for s in table.sources])
    return charts.share_by_group(
        f"{prefix}-profils-plai.png",
        words["profils_plai"],
        names,
        shares,
        [None] * len(names),
        " ; ".join(sources) or words["sans_source"],
        words=_drawn(words),
    )


def evaluation_charts(
    prefix: str, found: Evaluation, objectives: Objectives, labels: Mapping[str, Any]
) -> list[charts.Chart]:
    """The bilan's charts, named after `prefix` (e.g. "bilan-2023"), worded by `labels`."""
    tables, target = found.tables, objectives.premier_quartile_hors_qpv / 100
    words = labels["graphiques"]
    drawn = [
        first_quartile_chart(prefix, tables["premier_quartile"], target, words),
        by_group_chart(prefix, tables["communes"], "commune", labels),
        by_group_chart(prefix, tables["bailleurs"], "bailleur", labels),
        location_by_landlord_chart(
            prefix, tables["bailleurs"], target, "premier-quartile-bailleurs", labels
        ),
        priority_chart(prefix, tables["prioritaires"], labels),
        contingent_split_chart(prefix, tables["prioritaires"], labels),
        *demand_charts(prefix, tables["demandes"], words),
        resources_chart(prefix, found.profiles, words),
    ]
    if "autres_quartiles_qpv" in tables:  # the second location objective, with QPV only
        others = objectives.autres_quartiles_en_qpv / 100
        drawn += [
            other_quartiles_chart(prefix, tables["autres_quartiles_qpv"], others, words),
            location_by_landlord_chart(
                prefix, tables["qpv_bailleurs"], others, "autres-quartiles-qpv-bailleurs", labels
            ),
        ]
    return [c for c in drawn if c is not None]
