"""`cil check`: the territory loads, its templates render, and what is left to fill."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator import render
from generator.builds.build import territory_folder
from generator.documents.common import Gap, facts_of
from generator.documents.contract import DocumentType, Kind, Made
from generator.documents.registry import documents
from generator.formatting import FILTERS
from generator.indicators.facts import Facts
from generator.messages import _
from generator.resources import CONTENT, ROOT, TEMPLATES
from generator.territory.content_check import schema_of
from generator.territory.load import load_territory
from generator.territory.schema import Territory


@dataclass(frozen=True)
class Override:
    """A territory's own version of a default file, or a file that replaces nothing (a typo?).

    A block of the territory's own département that content/ lacks (`supplies`) is no typo:
    `cil new` recommends writing it under overrides/departements/<code>/.
    """

    path: str
    replaces: str | None
    supplies: str | None = None
    problem: str | None = None
    optional: bool = False  # a block the templates include only when a territory writes it


@dataclass(frozen=True)
class CheckResult:
    territory: str
    year: int
    gaps: list[Gap]
    overrides: list[Override] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# `{% include "blocs/x.md.j2" ignore missing %}`: a hook with no default file, for territories.
_OPTIONAL_INCLUDE = re.compile(r"""{%-?\s*include\s+["']([^"']+)["']\s+ignore\s+missing""")


@cache
def optional_blocks() -> frozenset[str]:
    """The blocks the default templates include only when a territory provides them."""
    return frozenset(
        name
        for template in TEMPLATES.rglob("*.j2")
        for name in _OPTIONAL_INCLUDE.findall(template.read_text(encoding="utf-8"))
    )


def overrides_of(folder: Path, departement: str) -> list[Override]:
    base = folder / "overrides"
    found = []
    for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []:
        relative = path.relative_to(base)
        found.append(_override(relative, departement))
    return found


def _override(relative: Path, departement: str) -> Override:
    shown = relative.as_posix()
    parts = relative.parts
    if parts[0] == "departements" and len(parts) == 3 and schema_of(shown) is not None:
        if parts[1] != departement:
            return Override(
                shown,
                None,
                problem=_(
                    "is read only by territories of département {read_by}; this one is in"
                    " département {departement}: move it to overrides/departements/{departement}/",
                    read_by=parts[1],
                    departement=departement,
                ),
            )
        if not (CONTENT / relative).is_file():
            return Override(shown, None, supplies=f"departements/{departement}/{parts[2]}")
    if shown in optional_blocks():
        return Override(shown, None, optional=True)
    defaults = [root / relative for root in (TEMPLATES, CONTENT) if (root / relative).is_file()]
    replaces = defaults[0].relative_to(ROOT).as_posix() if defaults else None
    return Override(shown, replaces)


def check(territory_name: str | None = None, year: int | None = None) -> CheckResult:
    """Raises DataErrors or TemplateProblem; returns the gaps of every document."""
    territory = load_territory(territory_folder(territory_name), year)
    year = territory.year
    facts = facts_of(territory)
    gaps: list[Gap] = []
    warned: list[str] = []
    for document in documents().values():
        # A document may warn about what is no error (e.g. legal points its plan leaves uncovered).
        made = _checked(territory.recording(), facts.recording(), document)
        gaps.extend(g for g in made.gaps if g not in gaps)
        warned.extend(made.warnings)
    overrides = overrides_of(territory.folder, territory.departement)
    return CheckResult(territory.slug, year, gaps, overrides, warned)


def _checked(territory: Territory, facts: Facts, document: DocumentType) -> Made:
    """A document made with its default options and its template rendered, or its own check
    (a Word template is checked without being filled)."""
    if document.check is not None:
        return document.check(territory, facts, territory.year, {})
    made = document.make(territory, facts, territory.year, {})
    if document.kind is Kind.MARKDOWN:
        environment = render.make_environment(document.search_paths(territory), FILTERS)
        render.render_markdown(environment, document.template, made.context, typeset=False)
    return made


def _ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7] reads "2-4, 7"."""
    ordered = sorted(set(rows))
    spans: list[list[int]] = []
    for row in ordered:
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def left_to_fill(gaps: list[Gap]) -> list[str]:
    """A short report: one line per file and column, rows grouped into ranges."""
    grouped: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    lines = []
    for gap in gaps:
        where = gap.location
        if where.row is None:
            lines.append(_("{location}: {message}", location=where, message=gap.what))
        else:
            grouped[(where.file, where.column)].append(where.row)
    for (file, column), rows in sorted(
        grouped.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        if len(rows) == 1:
            line = _(
                '{file}, column "{column}": empty in row {rows}',
                file=file,
                column=column,
                rows=_ranges(rows),
            )
        else:
            line = _(
                '{file}, column "{column}": empty in rows {rows}',
                file=file,
                column=column,
                rows=_ranges(rows),
            )
        lines.append(line)
    return lines
