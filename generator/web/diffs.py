"""The comparison of two years as a page: what `cil diff` found, kept by the job as JSON
(`snapshot`), then read back as blocks a template shows (`view`): each data table's rows added,
removed and changed; both location objectives in the two years; each document's changed
sections, with the words that changed inside a paragraph marked."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.messages import _, language

SNAPSHOT = "changements.json"
ADDED, REMOVED, CHANGED, REDRAWN = "added", "removed", "changed", "redrawn"
#: Below this likeness, two paragraphs are shown as one removed and one added, not as one
#: changed paragraph with its words marked.
_ALIKE = 0.4


# --- what the job keeps ----------------------------------------------------------------------


def snapshot(result: Any) -> dict[str, Any]:
    """The `DiffResult` of `cil diff`, as JSON the page reads (figures already worded)."""
    from generator.documents.presentation import cell
    from generator.documents.registry import documents
    from generator.formatting import pourcent_cible

    titles = {stem: plugin.title for stem, plugin in documents().items()}
    return {
        "from": result.year_from,
        "to": result.year_to,
        "tables": [
            {
                "name": t.name,
                "description": _(t.description),  # a msgid; the job runs in French
                "key": list(t.key),
                "added": t.added,
                "removed": t.removed,
                "changed": [
                    [label, [[c.column, c.old, c.new, c.difference or ""] for c in cells]]
                    for label, cells in t.changed
                ],
            }
            for t in result.tables
            if t
        ],
        "unchanged": [t.name for t in result.tables if t.present and not t],
        "objectives": [
            {
                "name": o.objectif,
                "target": pourcent_cible(o.cible) if o.cible is not None else "",
                "years": [o.annee_avant, o.annee_apres],
                "lines": [
                    [
                        line.echelle,
                        cell(line.avant, "share"),
                        cell(line.apres, "share"),
                        cell(line.points, "points") or "",
                    ]
                    for line in o.lignes
                ],
            }
            for o in result.objectives
        ],
        "without_qpv": result.without_qpv,
        "documents": [
            {
                "stem": stem,
                "title": titles.get(stem, stem),
                "sections": None if sections is None else [[s, e] for s, e in sections],
            }
            for stem, sections in result.documents.items()
        ],
        "only_in": [[titles.get(s, s), year] for s, year in result.only_in.items()],
    }


def write_snapshot(result: Any, folder: Path) -> None:
    text = json.dumps(snapshot(result), ensure_ascii=False)
    (folder / SNAPSHOT).write_text(text, encoding="utf-8")


# --- what the page shows ---------------------------------------------------------------------

#: A piece of a paragraph: its text and whether it is what changed.
Piece = tuple[str, bool]


@dataclass
class Block:
    """One paragraph, list item or table row of a document that changed."""

    kind: str  # ADDED, REMOVED, CHANGED (its words marked) or REDRAWN (a chart, same caption)
    before: list[Piece] = field(default_factory=list)
    after: list[Piece] = field(default_factory=list)


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Document:
    stem: str
    title: str
    sections: list[Section] | None  # None: a Word template, compared in its redline only


@dataclass
class Comparison:
    years: tuple[int, int]
    tables: list[dict[str, Any]]
    unchanged: list[str]
    objectives: list[dict[str, Any]]
    without_qpv: bool
    documents: list[Document]
    only_in: list[tuple[str, int]]

    @property
    def changed_documents(self) -> list[Document]:
        return [d for d in self.documents if d.sections is None or d.sections]


def view(data: dict[str, Any]) -> Comparison:
    documents = [
        Document(
            d["stem"],
            d["title"],
            None
            if d["sections"] is None
            else [Section(title, blocks(entries)) for title, entries in d["sections"]],
        )
        for d in data["documents"]
    ]
    return Comparison(
        (data["from"], data["to"]),
        data["tables"],
        data["unchanged"],
        data["objectives"],
        data["without_qpv"],
        documents,
        [(title, year) for title, year in data["only_in"]],
    )


def read(folder: Path) -> Comparison | None:
    path = folder / SNAPSHOT
    if not path.is_file():
        return None
    return view(json.loads(path.read_text(encoding="utf-8")))


def blocks(entries: list[tuple[str, str]] | list[list[str]]) -> list[Block]:
    """The ("avant", text) and ("apres", text) entries of a section as blocks: a run of removed
    paragraphs followed by a run of added ones pairs them in order, as changed paragraphs."""
    found: list[Block] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        for index in range(max(len(removed), len(added))):
            old = removed[index] if index < len(removed) else None
            new = added[index] if index < len(added) else None
            found.extend(_paired(old, new))
        removed.clear()
        added.clear()

    for side, text in entries:
        if side == "avant":
            if added:
                flush()
            removed.append(plain(text))
        else:
            added.append(plain(text))
    flush()
    return found


def _paired(old: str | None, new: str | None) -> list[Block]:
    if new is None:
        return [Block(REMOVED, before=[(old or "", False)])]
    if old is None:
        return [Block(ADDED, after=[(new, False)])]
    if old == new:
        return [Block(REDRAWN, before=[(old, False)], after=[(new, False)])]
    before, after, likeness = word_changes(old, new)
    if likeness < _ALIKE:
        return [Block(REMOVED, before=[(old, False)]), Block(ADDED, after=[(new, False)])]
    return [Block(CHANGED, before, after)]


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_changes(old: str, new: str) -> tuple[list[Piece], list[Piece], float]:
    """Both texts cut into pieces, those that changed marked, and how alike they are (0 to 1)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    before: list[Piece] = []
    after: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        _extend(before, "".join(a[i1:i2]), tag != "equal")
        _extend(after, "".join(b[j1:j2]), tag != "equal")
    return before, after, matcher.ratio()


def _extend(pieces: list[Piece], text: str, changed: bool) -> None:
    if not text:
        return
    if pieces and pieces[-1][1] == changed:
        pieces[-1] = (pieces[-1][0] + text, changed)
    else:
        pieces.append((text, changed))


_IMAGE = re.compile(r"(?<!\\)!\[((?:\\.|[^\]\\])*)\]\([^)]*\)(\{[^}]*\})?")
_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\](\([^)]*\)|\{[^}]*\})")
_ESCAPED = re.compile(r"\\(.)")


def _chart(caption: str) -> str:
    with language("fr"):  # a page's words, whatever the language of the process
        return _("chart « {caption} »", caption=caption)


def plain(markdown: str) -> str:
    """A block of a document's Markdown as the reader sees its text: a chart by its caption,
    a link by its words, no emphasis marks nor escapes."""
    text = _IMAGE.sub(lambda m: _chart(m.group(1)), markdown.removeprefix("- "))
    text = _LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"(?<!\\)\*+", "", text)
    text = _ESCAPED.sub(lambda m: m.group(1), text)
    return " ".join(text.replace("\u2028", " ").split())
