"""`cil check`: the territory loads, its templates render, and what is left to fill."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from generator import render
from generator.builds.build import DOCUMENTS, territory_folder
from generator.documents.common import Gap, search_paths
from generator.formatting import FILTERS
from generator.resources import CONTENT, ROOT, TEMPLATES
from generator.territory.load import load_territory


@dataclass(frozen=True)
class Override:
    """A territory's own version of a default file, or a file that replaces nothing (a typo?)."""

    path: str
    replaces: str | None


@dataclass(frozen=True)
class CheckResult:
    territory: str
    year: int
    gaps: list[Gap]
    overrides: list[Override] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def overrides_of(folder: Path) -> list[Override]:
    base = folder / "overrides"
    found = []
    for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []:
        relative = path.relative_to(base)
        defaults = [root / relative for root in (TEMPLATES, CONTENT) if (root / relative).is_file()]
        replaces = defaults[0].relative_to(ROOT).as_posix() if defaults else None
        found.append(Override(relative.as_posix(), replaces))
    return found


def check(territory_name: str | None = None, year: int | None = None) -> CheckResult:
    """Raises DataErrors or TemplateProblem; returns the gaps of every document."""
    territory = load_territory(territory_folder(territory_name), year)
    year = territory.year
    environment = render.make_environment(search_paths(territory), FILTERS)
    gaps: list[Gap] = []
    for module in DOCUMENTS.values():
        if hasattr(module, "check"):  # Word templates: checks its data and template itself
            gaps.extend(g for g in module.check(territory, year) if g not in gaps)
            continue
        context, found = module.context(territory, year)
        render.render_markdown(environment, module.TEMPLATE, context)
        gaps.extend(g for g in found if g not in gaps)
    # A document may warn about what is no error (e.g. legal points its plan leaves uncovered).
    warners = [m.warnings for m in DOCUMENTS.values() if hasattr(m, "warnings")]
    warned = [w for warnings_of in warners for w in warnings_of(territory)]
    return CheckResult(territory.slug, year, gaps, overrides_of(territory.folder), warned)


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
            lines.append(f"{where}: {gap.what}")
        else:
            grouped[(where.file, where.column)].append(where.row)
    for (file, column), rows in sorted(
        grouped.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        noun = "row" if len(rows) == 1 else "rows"
        lines.append(f'{file}, column "{column}": empty in {noun} {_ranges(rows)}')
    return lines
