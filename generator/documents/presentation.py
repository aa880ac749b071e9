"""How documents show an indicator table or a chart: formatted cells, widths, captions.

Shared presentation, not a document: the bilan and the CIA's diagnosis and commitments show the
same tables the same way."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from generator.formatting import euros, liste, nombre, points, pourcent
from generator.grammar import majuscule
from generator.indicators.allocations import SECRET, Column, IndicatorTable, Note, RowLabel
from generator.indicators.evaluation import Evaluation
from generator.indicators.results import ALL_CONTINGENTS, Result
from generator.messages import _
from generator.render import charts, image
from generator.territory.allocations import EPCI

UNKNOWN = ""  # an empty cell: not available (the table keeps numbers right-aligned)


#: The content block of the tables' words (titles, column headers, sheet names), by table key.
LABELS = "blocs/libelles.yaml"


def labelled(
    table: IndicatorTable, labels: Mapping[str, Any], annee: int | None = None
) -> IndicatorTable:
    """A copy of `table` worded by the labels block (`tableaux` of blocs/libelles.yaml).

    Indicators computed under keys (table key, column keys) get their title, column headers and
    fixed notes (after the notes computed with the table) from the block; a table the block does
    not name keeps the words it was computed with. `{annee}` is the evaluated year and the
    table's own `figures` fill other placeholders, here: the block holds words, never figures.
    The rows the computation added (total, remainder, grouped members) are worded from the
    block's `lignes`, whether or not it names the table (a profile's in its second cell)."""
    rows = [[row_words(cell, labels) for cell in row] for row in table.rows]
    words = labels.get("tableaux", {}).get(table.key)
    if words is None:
        return replace(table, rows=rows)
    columns = words.get("colonnes", {})
    figures = {"annee": annee, **table.figures}
    return replace(
        table,
        rows=rows,
        title=_filled(words.get("titre", table.title), table.key, figures),
        columns=[
            replace(c, title=_filled(columns.get(c.title, c.title), table.key, figures))
            for c in table.columns
        ],
        notes=[*(_note(n, labels) for n in table.notes), *words.get("notes", [])],
    )


def row_words(label: Any, labels: Mapping[str, Any]) -> Any:
    """A row's first cell as the reader sees it: a row label worded from `lignes` with its
    figures; a name from the data as it is."""
    if not isinstance(label, RowLabel):
        return label
    return _filled(labels["lignes"][label.key], f"lignes.{label.key}", dict(label.figures))


def _note(computed: Note | str, labels: Mapping[str, Any]) -> str:
    """A note computed with a table, worded from the block's `notes` with its figures."""
    if isinstance(computed, str):
        return computed
    return _filled(labels["notes"][computed.key], f"notes.{computed.key}", dict(computed.figures))


def _filled(words: str, key: str, figures: Mapping[str, Any]) -> str:
    if "{" not in words:
        return words
    try:
        return words.format_map(figures)
    except (KeyError, IndexError, ValueError) as error:
        where = key if "." in key else f"tableaux.{key}"
        raise ValueError(
            _(
                "{labels}, {where}: {words!r}: {error}",
                labels=LABELS,
                where=where,
                words=words,
                error=error,
            )
        ) from error


def scale_words(scale: str, labels: Mapping[str, Any]) -> str:
    """How a sentence names a result's scale: « l'ensemble des contingents », a contingent."""
    words = labels["echelles"]
    if scale == ALL_CONTINGENTS:
        return str(words["ensemble"])
    return str(words["contingents"].get(scale, scale))


def worded_result(result: Result, labels: Mapping[str, Any]) -> Result:
    """A result whose objective and scale keys are replaced by their words (objectifs, echelles).

    The scale of an objective measured over the whole EPCI stays as computed."""
    objective = labels["objectifs"][result.objectif]
    if result.echelle == EPCI:
        return replace(result, objectif=objective)
    scale = scale_words(result.echelle, labels)
    return replace(
        result,
        objectif=_filled(objective, f"objectifs.{result.objectif}", {"echelle": scale}),
        echelle=majuscule(scale),
    )


def labelled_evaluation(found: Evaluation, labels: Mapping[str, Any]) -> Evaluation:
    """The evaluation with every table and result worded (a copy: the computed one is shared
    and cached)."""
    return replace(
        found,
        tables={key: labelled(x, labels, found.year) for key, x in found.tables.items()},
        complements=[labelled(x, labels, found.year) for x in found.complements],
        profiles=[labelled(x, labels, found.year) for x in found.profiles],
        results={
            key: [worded_result(r, labels) for r in group] for key, group in found.results.items()
        },
    )


def sheet_names(labels: Mapping[str, Any]) -> dict[str, str]:
    """The workbook's sheet name of each table the labels block names one for."""
    tables = labels.get("tableaux", {})
    return {key: words["feuille"] for key, words in tables.items() if "feuille" in words}


_DATED = re.compile(r"(.*\S)\s+((?:19|20)\d\d)")


def merged_sources(sources: Sequence[str]) -> list[str]:
    """Each origin once, with the years it gives: « SNE (infocentre) 2020 » and « SNE
    (infocentre) 2021 » read « SNE (infocentre) 2020 et 2021 ». A source is the data's own text;
    only a year at its end is read as the year of its figures."""
    years: dict[str, list[str]] = {}
    for source in sources:
        dated = _DATED.fullmatch(source.strip())
        origin, year = (dated.group(1), dated.group(2)) if dated else (source.strip(), None)
        found = years.setdefault(origin, [])
        if year and year not in found:
            found.append(year)
    return [
        f"{origin} {liste(sorted(found))}" if found else origin for origin, found in years.items()
    ]


def cell(value: Any, kind: str) -> Any:
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


def _widths(columns: Sequence[Column], cells: list[list[str]]) -> list[int]:
    """Room for the longest word of each header and the longest value of each column.

    Each column also gets a fixed allowance for its cell padding, which relative widths ignore:
    without it a short bold header such as « Année » breaks inside the word.
    """
    widths = []
    for index, column in enumerate(columns):
        words = max(len(word) for word in column.title.split())
        values = max((len(str(row[index])) for row in cells), default=1)
        if column.kind == "text":
            widths.append(max(words, min(values, 24)) + 2)
        else:
            widths.append(max(words, values, 7) + 2)
    return widths


def _folded(
    titles: Sequence[str], cells: Sequence[Sequence[Any]]
) -> tuple[list[int], list[str], list[dict[str, str]]]:
    """Which columns the table keeps, and what it says instead of the others.

    A column empty on every row is dropped (its title is listed as not known); on a table of
    several rows, a column with one and the same value on every row is dropped too and becomes
    a sentence (its title and value). A secret « s » is never a value to state, and the table
    always keeps two columns."""
    unknown, constant, dropped = [], [], set()
    for index, title in enumerate(titles):
        values = {str(row[index]) for row in cells}
        if cells and values == {UNKNOWN}:
            unknown.append(title)
            dropped.add(index)
        elif len(cells) > 1 and len(values) == 1 and not values & {UNKNOWN, "s"}:
            constant.append({"titre": title, "valeur": next(iter(values))})
            dropped.add(index)
    if len(titles) - len(dropped) < 2:
        return list(range(len(titles))), [], []
    return [i for i in range(len(titles)) if i not in dropped], unknown, constant


def folded(table: Mapping[str, Any], constants: bool = True) -> dict[str, Any]:
    """A table given as `entete`, `lignes`, `largeurs` without its columns empty on every row
    (`inconnues`) and, if `constants`, those with one value on every row (`constantes`)."""
    kept, unknown, constant = _folded(table["entete"], table["lignes"])
    if not constants and constant:
        kept = sorted({*kept, *(table["entete"].index(c["titre"]) for c in constant)})
        constant = []
    return {
        **table,
        "entete": [table["entete"][i] for i in kept],
        "lignes": [[row[i] for i in kept] for row in table["lignes"]],
        "largeurs": [table["largeurs"][i] for i in kept],
        "inconnues": unknown,
        "constantes": constant,
    }


def shown(table: IndicatorTable, commentaries: Sequence[str] = ()) -> dict[str, Any]:
    """A table as the template shows it: formatted cells, widths, caption, sources, notes, and
    the columns it leaves out (`inconnues`: empty everywhere; `constantes`: one value)."""
    cells = [
        [cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows
    ]
    kept, unknown, constant = _folded([c.title for c in table.columns], cells)
    columns = [table.columns[i] for i in kept]
    cells = [[row[i] for i in kept] for row in cells]
    return {
        "titre": table.title,
        "largeurs": _widths(columns, cells),
        "entete": [c.title for c in columns],
        "lignes": cells,
        "inconnues": unknown,
        "constantes": constant,
        "sources": liste(merged_sources(table.sources)) if table.sources else "",
        "notes": table.notes,
        "commentaires": list(commentaries),
    }


def figure(chart: charts.Chart | None) -> Markup | None:
    """Markdown of an image with its caption and alternative text (pandoc attribute `alt`).

    The alternative text ends with the chart's source, free text from the data: `image` keeps
    it inside its attribute, whatever it holds."""
    if chart is None:
        return None
    return image(chart.filename, chart.caption, chart.alt, "16cm")
