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

from generator import render
from generator.builds.build import build, choose, territory_folder
from generator.builds.outputs import write_atomic
from generator.commands.redline import redline_docx
from generator.commands.table_diff import TableChanges, table_changes
from generator.documents.common import facts_of, load_content
from generator.documents.presentation import LABELS, cell, row_words
from generator.documents.registry import documents as registered
from generator.errors import UsageError
from generator.formatting import pourcent_cible
from generator.indicators.location import ObjectiveChange, location_changes
from generator.messages import _, language
from generator.reference import CommuneIndex
from generator.territory.load import load_territory, table_specs

Sections = list[tuple[str, list[tuple[str, str]]]]


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
    """Per section of the new version: ("before", text), ("after", text) or both, in order."""
    a, b = _blocks(old), _blocks(new)
    matcher = difflib.SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    sections: dict[str, list[tuple[str, str]]] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        section = b[j1][0] if j1 < len(b) else a[i1][0]
        entries = sections.setdefault(section, [])
        entries += [("avant", t) for _, t in a[i1:i2]] + [("après", t) for _, t in b[j1:j2]]
    return list(sections.items())


def _escaped(value: Any) -> str:
    return str(render.escape_markdown(value))


def _french(message: str) -> str:
    """A msgid in French: the report is a French document, whatever the language of messages."""
    with language("fr"):
        return _(message)


def _table_report(tables: list[TableChanges]) -> list[str]:
    lines = ["# Données", ""]
    for table in (t for t in tables if t):
        lines += [
            f"## {_escaped(table.name)}",
            "",
            f"*{_escaped(_french(table.description))}* — "
            f"lignes repérées par : {_escaped(', '.join(table.key))}.",
            "",
        ]
        for label, cells in table.changed:
            moves = "; ".join(
                f"{_escaped(c.column)} : {_escaped(c.old)} → {_escaped(c.new)}"
                + (f" ({_escaped(c.difference)})" if c.difference else "")
                for c in cells
            )
            lines.append(f"- **Modifié** {_escaped(label)} — {moves}")
        lines += [f"- **Ajouté** {_escaped(text)}" for text in table.added]
        lines += [f"- **Supprimé** {_escaped(text)}" for text in table.removed]
        lines.append("")
    unchanged = [t.name for t in tables if t.present and not t]
    if unchanged:
        lines += [f"Tables inchangées : {_escaped(', '.join(unchanged))}.", ""]
    return lines


def _objectives_report(result: DiffResult) -> list[str]:
    """Both location objectives in the two years, for the EPCI and each landlord."""
    if not result.objectives:
        return []
    lines = ["# Objectifs de localisation des attributions", ""]
    for change in result.objectives:
        target = pourcent_cible(change.cible) if change.cible is not None else "sans cible"
        lines += [
            f"## {_escaped(change.objectif)}",
            "",
            f"Cible : {target} ; années évaluées : {change.annee_avant} et {change.annee_apres}.",
            "",
        ]
        for line in change.lignes:
            before, after = cell(line.avant, "share"), cell(line.apres, "share")
            moved = cell(line.points, "points")
            lines.append(
                f"- {_escaped(line.echelle)} : {before or 'n.c.'} → {after or 'n.c.'}"
                + (f" ({moved})" if moved else "")
            )
        lines.append("")
    if result.without_qpv:
        lines += [
            "Le territoire ne compte aucun quartier prioritaire : l'objectif d'attributions en "
            "QPV aux ménages des autres quartiles est sans objet.",
            "",
        ]
    return lines


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")


def _no_image(text: str) -> str:
    """A chart changed: its caption, not the image, which the report has no file for."""
    return _IMAGE.sub(lambda m: f"graphique « {m.group(1)} »", text)


def _title(stem: str) -> str:
    known = registered()
    return known[stem].title if stem in known else stem


def _document_report(stem: str, sections: Sections | None) -> list[str]:
    lines = [f"## {_escaped(_title(stem))}", ""]
    if sections is None:
        return lines + [f"Changements visibles dans {_escaped(stem)}.redline.docx.", ""]
    if not sections:
        return lines + ["Aucun changement.", ""]
    for section, entries in sections:
        lines += [f"### {section or 'Début du document'}", ""]
        lines += [f"- **{side.capitalize()}** : {_no_image(text)}" for side, text in entries]
        lines.append("")
    return lines


def report_markdown(result: DiffResult, name: str) -> str:
    a, b = result.year_from, result.year_to
    lines = [
        f"Ce rapport compare, pour la {name}, les données et les documents de {a} et de {b}. "
        f"Chaque document y figure aussi en modifications suivies (fichiers « .redline.docx »), "
        "à ouvrir dans Word ou LibreOffice pour voir chaque changement à sa place.",
        "",
        *_table_report(result.tables),
        *_objectives_report(result),
        "# Documents",
        "",
    ]
    for document, sections in result.documents.items():
        lines += _document_report(document, sections)
    if result.only_in:
        lines += ["## Documents d'une seule des deux années", ""]
        lines += [f"- {_escaped(_title(s))} : {y} seulement" for s, y in result.only_in.items()]
        lines.append("")
    return "\n".join(lines) + "\n"


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
    markdown = render.typeset_markdown(report_markdown(result, new.name))
    meta = render.DocumentMeta(
        title=f"Changements de {year_from} à {year_to}",
        organisation=new.name,
        year=year_to,
        status="Rapport de comparaison",
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
