"""`cil diff`: what changes between the documents of two years, for a council to approve.

Two views of the same change: each data table as it stands in each year (`table_diff`: rows
added, removed, changed with old → new and the difference of figures), and each document as
built for each year, section by section, with a DOCX of every document in Word tracked changes
(`redline`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator import render
from generator.builds.build import build, choose, territory_folder
from generator.builds.outputs import write_atomic
from generator.commands.redline import redline_docx
from generator.commands.table_diff import TableChanges, table_changes
from generator.documents.common import facts_of, load_content, search_paths
from generator.documents.presentation import LABELS, cell, row_words
from generator.documents.registry import documents as registered
from generator.errors import UsageError
from generator.formatting import FILTERS, pourcent_cible
from generator.indicators.location import ObjectiveChange, location_changes
from generator.messages import _, language
from generator.reference import CommuneIndex
from generator.territory.load import load_territory, table_specs
from generator.territory.schema import Territory

Sections = list[tuple[str, list[tuple[str, str]]]]
#: The report's words, in a template a territory may override like any other.
REPORT = "diff/changements.md.j2"


@dataclass
class DiffResult:
    territory: str
    year_from: int
    year_to: int
    tables: list[TableChanges]
    #: Per document file (stem): its changed sections, or None for a document without text
    #: version (a Word template), compared in its redline only.
    documents: dict[str, Sections | None] = field(default_factory=dict)
    #: Documents produced in one year only (a sitting's deliberation), with that year.
    only_in: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    #: The two location objectives in each year, for the EPCI and each landlord.
    objectives: list[ObjectiveChange] = field(default_factory=list)
    #: The territory has no QPV: the second location objective has no object.
    without_qpv: bool = False


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """(section, block) pairs: paragraphs, list items and table rows under their heading."""
    section, blocks = "", []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append((section, " ".join(paragraph)))
            paragraph.clear()

    for line in markdown.splitlines():
        text = line.strip()
        if text.startswith("#"):
            flush()
            section = text.lstrip("#").strip()
        elif not text or text.startswith(("- ", "* ")) or set(text) <= set("|-: "):
            flush()
            if text.startswith(("- ", "* ")):
                paragraph.append(text)
        elif text.startswith("|"):
            flush()
            cells = [c.strip() for c in text.strip("|").split(" | ")]
            blocks.append((section, " · ".join(cells)))
        else:
            paragraph.append(text)
    flush()
    return blocks


def document_changes(old: str, new: str) -> Sections:
    """Per section of the new version: ("avant", text), ("apres", text) or both, in order."""
    a, b = _blocks(old), _blocks(new)
    matcher = difflib.SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    sections: dict[str, list[tuple[str, str]]] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        section = b[j1][0] if j1 < len(b) else a[i1][0]
        entries = sections.setdefault(section, [])
        entries += [("avant", t) for _, t in a[i1:i2]] + [("apres", t) for _, t in b[j1:j2]]
    return list(sections.items())


def _french(message: str) -> str:
    """A msgid in French: the report is a French document, whatever the language of messages."""
    with language("fr"):
        return _(message)


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")


def without_images(markdown: str, words: str) -> Markup:
    """A chart changed: its caption in `words` ("{}" where it goes), not the image, which the
    report has no file for. The rest stays the document's own Markdown."""
    return Markup(_IMAGE.sub(lambda m: words.format(m.group(1)), markdown))


def _title(stem: str) -> str:
    known = registered()
    return known[stem].title if stem in known else stem


def report_context(result: DiffResult, name: str) -> dict[str, Any]:
    """What the report template (templates/diff/changements.md.j2) words: figures formatted,
    the documents' own Markdown kept as it is."""
    tables = [
        {
            "name": t.name,
            "description": _french(t.description),
            "key": t.key,
            "changed": t.changed,
            "added": t.added,
            "removed": t.removed,
        }
        for t in result.tables
        if t
    ]
    objectives = [
        {
            "objectif": change.objectif,
            "cible": pourcent_cible(change.cible) if change.cible is not None else "",
            "annee_avant": change.annee_avant,
            "annee_apres": change.annee_apres,
            "lignes": [
                {
                    "echelle": line.echelle,
                    "avant": cell(line.avant, "share"),
                    "apres": cell(line.apres, "share"),
                    "points": cell(line.points, "points"),
                }
                for line in change.lignes
            ],
        }
        for change in result.objectives
    ]
    documents = [
        {
            "stem": stem,
            "title": _title(stem),
            "sections": sections,
        }
        for stem, sections in result.documents.items()
    ]
    return {
        "territoire": name,
        "avant": result.year_from,
        "apres": result.year_to,
        "tables": tables,
        "inchangees": [t.name for t in result.tables if t.present and not t],
        "objectifs": objectives,
        "sans_qpv": result.without_qpv and bool(objectives),
        "documents": documents,
        "seulement": [(_title(stem), year) for stem, year in result.only_in.items()],
    }


def report_markdown(result: DiffResult, territory: Territory) -> str:
    """The report in French typography, from the template a territory may override."""
    filters = {**FILTERS, "sans_image": without_images}
    env = render.make_environment(search_paths(territory), filters)
    return render.render_markdown(env, REPORT, report_context(result, territory.name))


def _built(folder: Path, documents: list[str], year: int, scratch: Path) -> dict[str, Path]:
    """The Markdown and DOCX files of the documents of `year`, by file name."""
    built = build(
        str(folder), documents=documents, formats=["md", "docx"], out=scratch / str(year), year=year
    )
    return {p.name: p for p in built.written if p.suffix in (".md", ".docx")}


def _compare(result: DiffResult, before: dict[str, Path], after: dict[str, Path]) -> dict:
    """Sections changed in each document, and a redline of each DOCX made in both years."""
    redlines = {}
    date = dt.datetime(result.year_to, 1, 1, tzinfo=dt.UTC)
    for stem in sorted({Path(name).stem for name in before.keys() | after.keys()}):
        md, docx = f"{stem}.md", f"{stem}.docx"
        if docx in before and docx in after:
            old, new = before[docx].read_bytes(), after[docx].read_bytes()
            redlines[f"{stem}.redline.docx"] = redline_docx(old, new, date)
        if md in before and md in after:
            texts = [p[md].read_text(encoding="utf-8") for p in (before, after)]
            result.documents[stem] = document_changes(*texts)
        elif docx in before and docx in after:
            result.documents[stem] = None
        else:
            earlier = md in before or docx in before
            result.only_in[stem] = result.year_from if earlier else result.year_to
    return redlines


def diff(
    territory_name: str | None,
    year_from: int | None = None,
    year_to: int | None = None,
    out: Path | None = None,
    documents: list[str] | None = None,
) -> DiffResult:
    """Compare two years; write the report (Markdown, HTML) and one redline DOCX per document."""
    folder = territory_folder(territory_name)
    new = load_territory(folder, year_to)
    year_to = new.year
    year_from = year_from or year_to - 1
    if year_from >= year_to:
        raise UsageError(
            _(
                "--from {year_from} must come before --to {year_to}",
                year_from=year_from,
                year_to=year_to,
            )
        )
    old = load_territory(folder, year_from)  # both years valid before anything is compared
    chosen = choose(documents, list(registered()), "document")
    index = CommuneIndex(new.communes)
    tables = [table_changes(folder, s, index, year_from, year_to) for s in table_specs()]
    result = DiffResult(folder.name, year_from, year_to, tables)
    labels = load_content(new, LABELS)
    result.objectives = [
        replace(
            change,
            objectif=labels["objectifs"][change.objectif],
            lignes=[replace(x, echelle=row_words(x.echelle, labels)) for x in change.lignes],
        )
        for change in location_changes(
            facts_of(old).evaluation(year_from), facts_of(new).evaluation(year_to)
        )
    ]
    result.without_qpv = not new.config.objectifs.has_qpv
    with tempfile.TemporaryDirectory(prefix="cil-diff-") as scratch:
        before = _built(folder, chosen, year_from, Path(scratch))
        after = _built(folder, chosen, year_to, Path(scratch))
        outputs = _compare(result, before, after)
    markdown = report_markdown(result, new)
    words = labels["comparaison"]
    meta = render.DocumentMeta(
        title=words["titre"].format(avant=year_from, apres=year_to),
        organisation=new.name,
        year=year_to,
        status=words["statut"],
        author=new.config.documents.auteur,
        date=f"{year_from} – {year_to}",
    )
    outputs["changements.md"] = markdown.encode()
    outputs["changements.html"] = render.markdown_to_html(markdown, meta)
    target = out or Path("build") / folder.name / f"diff-{year_from}-{year_to}"
    for filename, data in sorted(outputs.items()):
        write_atomic(target / filename, data)
        result.written.append(target / filename)
    return result
