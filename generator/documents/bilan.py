"""The bilan of the allocation policy: each objective against its result, year N and the years
before, with charts, generated commentary and a one-page summary; `period` adds the
complementary indicators of the triennial or final bilan."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.documents.bilan_commentary import verdict
from generator.documents.bilan_evaluation import PERIODS, evaluate, output_name
from generator.documents.bilan_workbook import workbook_bytes
from generator.documents.common import MISSING, Gap
from generator.errors import Location, display_path
from generator.formatting import euros, liste, nombre, points, pourcent
from generator.indicators.allocations import SECRET, Facts, IndicatorTable
from generator.render import charts, escape_markdown
from generator.territory.schema import Territory

NAME = "bilan"
TITLE = "Bilan de la politique intercommunale d'attribution"
TEMPLATE = "bilan/document.md.j2"
OPTIONS = ("period",)
UNKNOWN = ""  # an empty cell: not available (the table keeps numbers right-aligned)


def _cell(value: Any, kind: str) -> Any:
    if value is SECRET:
        return "s"
    if value is None:
        return UNKNOWN
    return {
        "count": nombre,
        "dwellings": nombre,
        "target": nombre,
        "share": pourcent,
        "points": points,
        "ratio": lambda v: nombre(v, 1),
        "euros": euros,
    }.get(kind, str)(value)


def _widths(table: IndicatorTable, cells: list[list[str]]) -> list[int]:
    """Room for the longest word of each header and the longest value of each column.

    Each column also gets a fixed allowance for its cell padding, which relative widths ignore:
    without it a short bold header such as « Année » breaks inside the word.
    """
    widths = []
    for index, column in enumerate(table.columns):
        words = max(len(word) for word in column.title.split())
        values = max((len(str(row[index])) for row in cells), default=1)
        if column.kind == "text":
            widths.append(max(words, min(values, 24)) + 2)
        else:
            widths.append(max(words, values, 7) + 2)
    return widths


def shown(table: IndicatorTable, commentaries: list[str] = ()) -> dict[str, Any]:
    """A table as the template shows it: formatted cells, widths, caption, sources, notes."""
    cells = [
        [_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows
    ]
    return {
        "titre": table.title,
        "largeurs": _widths(table, cells),
        "entete": [c.title for c in table.columns],
        "lignes": cells,
        "sources": liste(table.sources) if table.sources else "",
        "notes": table.notes,
        "commentaires": list(commentaries),
    }


def figure(chart: charts.Chart | None) -> Markup | None:
    """Markdown of an image with its caption and alternative text (pandoc attribute `alt`)."""
    if chart is None:
        return None
    alt = chart.alt.replace("\\", "/").replace('"', "'")
    return Markup(
        f'![{escape_markdown(chart.caption)}]({chart.filename}){{width=16cm alt="{alt}"}}'
    )


def _gaps(territory: Territory, facts: Facts, year: int | None, asked: int) -> list[Gap]:
    data = territory.folder / "data"
    if year is None:
        where = Location(display_path(data / "attributions.csv"))
        return [Gap(where, f"allocations of {asked} (attributions or attributions_agregees)")]
    gaps = []
    counts = facts.epci(year)
    for name in ("attributions", "premier_quartile_hors_qpv", "prioritaires", "mutations"):
        if name not in counts.values and name not in counts.rates:
            where = Location(display_path(data / "attributions_agregees.csv"), column=name)
            gaps.append(Gap(where, f"{name} of {year} for the whole EPCI"))
    if year not in facts.applications:
        gaps.append(Gap(Location(display_path(data / "demandes.csv")), f"applications of {year}"))
    if year not in facts.thresholds:
        where = Location(display_path(data / "seuils_quartile.csv"))
        gaps.append(Gap(where, f"first-quartile threshold of {year}"))
    return gaps


def _about(territory: Territory, title: str, threshold: int, sources: list[str]) -> list[str]:
    return [
        territory.name,
        f"Tableaux d'indicateurs du document « {title} ».",
        f"Secret statistique : les effectifs de 1 à {threshold - 1} sont remplacés par « s », "
        "ainsi que les cases qui permettraient de les recalculer et les taux qui en découlent.",
        "Une case vide signale une donnée non disponible.",
        *(f"Source : {s}" for s in sources),
    ]


def context(
    territory: Territory, year: int, period: str | None = None
) -> tuple[dict[str, Any], list[Gap]]:
    """Everything the bilan shows, formatted, plus its charts and workbook for the build."""
    found = evaluate(territory, year, period)
    threshold = territory.config.secret_statistique
    kind = PERIODS[period][1]
    years = found.years
    span = f"{years[0]}-{years[-1]}" if period and years else str(found.year or year)
    title = f"Bilan {kind} {span} de la politique intercommunale d'attribution"
    base = {
        "territoire": {"nom": territory.name, "nom_court": territory.config.nom_court},
        "annee": found.year or year,
        "periode": period,
        "type": kind,
        "etendue": span,
        "secret": threshold,
        "objectifs": territory.config.objectifs,
        "titre": title,
        "vide": found.year is None,
        "a_renseigner": MISSING,
    }
    gaps = _gaps(territory, found.facts, found.year, year)
    if found.year is None:
        return base, gaps
    results = found.all_results
    prefix = f"{output_name(period)}-{found.year}-"
    verdicts = {key: [verdict(r) for r in group] for key, group in found.results.items()}
    return {
        **base,
        "annees": years,
        "verdicts": [verdict(r) for r in results],
        "resultats": {
            "premier_quartile": verdicts["premier_quartile"][0],
            "prioritaires": verdicts["prioritaires"],
            "mutations": verdicts["mutations"][0],
            "travailleurs": verdicts["travailleurs"][0],
        },
        "atteints": sum(r.atteint is True for r in results),
        "mesures": sum(r.cible is not None for r in results),
        "tableaux": {
            **{key: None if x.is_empty else shown(x) for key, x in found.tables.items()},
            "complements": [shown(x) for x in found.complements],
        },
        "graphiques": {
            c.filename.removeprefix(prefix).removesuffix(".png"): figure(c) for c in found.charts
        },
        "_images": {c.filename: c.png for c in found.charts},
        "_attachments": {
            f"{output_name(period)}.xlsx": workbook_bytes(
                found.published, _about(territory, title, threshold, found.sources), year, title
            )
        },
    }, gaps
