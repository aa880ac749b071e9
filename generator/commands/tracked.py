"""Word tracked changes (`w:ins`, `w:del`) on WordprocessingML: runs, paragraphs, table rows,
and a paragraph changed word by word. One author and one date, ids counted from a fixed
start: the same inputs give the same marks."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from generator.render.ooxml import XML_SPACE, local, w

AUTHOR = "cil"
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w")
_PLAIN_RUN = {"rPr", "t", "tab", "br"}


def text_of(element: etree._Element) -> str:
    """The visible text of an element, deleted text included, tabs and breaks as spaces."""
    parts = []
    for node in element.iter():
        name = local(node)
        if name in ("t", "delText"):
            parts.append(node.text or "")
        elif name in ("tab", "br") and node.getparent() is not None:
            parts.append(" " if local(node.getparent()) == "r" else "")
    return "".join(parts)


class Marks:
    """Revision marks with unique ids, one author and one date."""

    def __init__(self, date: dt.datetime) -> None:
        self.date = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 100_000  # clear of the ids pandoc gives bookmarks

    def make(self, kind: str) -> etree._Element:
        mark = etree.Element(w(kind))
        mark.set(w("id"), str(self.next_id))
        mark.set(w("author"), AUTHOR)
        mark.set(w("date"), self.date)
        self.next_id += 1
        return mark

    def wrap_runs(self, container: etree._Element, kind: str) -> None:
        """Put every run of `container` (and of its hyperlinks, fields) inside a `kind` mark."""
        group: etree._Element | None = None
        for child in list(container):
            name = local(child)
            if name == "r":
                if group is None:
                    group = self.make(kind)
                    child.addprevious(group)
                group.append(child)
                continue
            group = None
            if name in ("hyperlink", "fldSimple", "smartTag"):
                self.wrap_runs(child, kind)

    def paragraph_mark(self, paragraph: etree._Element, kind: str) -> None:
        properties = paragraph.find(w("pPr"))
        if properties is None:
            properties = etree.SubElement(paragraph, w("pPr"))
            paragraph.insert(0, properties)
        run_properties = properties.find(w("rPr"))
        if run_properties is None:
            run_properties = etree.Element(w("rPr"))
            after = [properties.find(w(t)) for t in ("sectPr", "pPrChange")]
            anchor = next((a for a in after if a is not None), None)
            if anchor is None:
                properties.append(run_properties)
            else:
                anchor.addprevious(run_properties)
        run_properties.insert(0, self.make(kind))

    def row_mark(self, row: etree._Element, kind: str) -> None:
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.Element(w("trPr"))
            exceptions = row.find(w("tblPrEx"))
            row.insert(0 if exceptions is None else 1, properties)
        properties.append(self.make(kind))

    def inserted(self, block: etree._Element) -> etree._Element:
        """The block, marked as inserted: its runs, paragraph marks and table rows."""
        for row in block.iter(w("tr")):
            self.row_mark(row, "ins")
        for paragraph in block.iter(w("p")):
            self.wrap_runs(paragraph, "ins")
            self.paragraph_mark(paragraph, "ins")
        return block

    def deleted(self, block: etree._Element) -> etree._Element:
        """A copy of an old block, marked as deleted; what points into the old file is dropped."""
        copy = deepcopy(block)
        for name in ("hyperlink", "fldSimple", "smartTag"):
            for wrapper in list(copy.iter(w(name))):
                for child in list(wrapper):
                    wrapper.addprevious(child)
                wrapper.getparent().remove(wrapper)
        for name in ("bookmarkStart", "bookmarkEnd", "proofErr", "drawing", "pict", "object"):
            for node in list(copy.iter(w(name))):
                node.getparent().remove(node)
        for node in copy.iter(w("t"), w("instrText")):
            node.tag = w("delText" if local(node) == "t" else "delInstrText")
        for row in copy.iter(w("tr")):
            self.row_mark(row, "del")
        for paragraph in copy.iter(w("p")):
            self.wrap_runs(paragraph, "del")
            self.paragraph_mark(paragraph, "del")
        return copy


@dataclass(frozen=True)
class Token:
    """A word, a space, a tab or an unsplittable piece (a field, a link) of a paragraph."""

    key: str
    element: etree._Element  # the run it comes from, or the piece itself
    text: str | None = None  # the word, for a piece of a plain run


def _tokens(paragraph: etree._Element) -> list[Token]:
    tokens = []
    for child in paragraph:
        name = local(child)
        if name in ("pPr", "bookmarkStart", "bookmarkEnd", "proofErr") or not name:
            continue
        if name != "r" or not {local(c) for c in child} <= _PLAIN_RUN:
            tokens.append(Token(f"<{name}>{text_of(child)}", child))
            continue
        for part in child:
            if local(part) == "t":
                tokens += [Token(word, child, word) for word in _WORDS.findall(part.text or "")]
            elif local(part) in ("tab", "br"):
                tokens.append(Token(f"<{local(part)}>", child))
    return tokens


def _run_like(source: etree._Element, pieces: list[Token], deleted: bool) -> etree._Element:
    run = etree.Element(w("r"))
    properties = source.find(w("rPr"))
    if properties is not None:
        run.append(deepcopy(properties))
    for token in pieces:
        if token.text is None:
            etree.SubElement(run, w(token.key.strip("<>")))
            continue
        last = run[-1] if len(run) else None
        tag = w("delText" if deleted else "t")
        if last is None or last.tag != tag:
            last = etree.SubElement(run, tag)
            last.set(XML_SPACE, "preserve")
            last.text = ""
        last.text += token.text
    return run


def _emit(tokens: list[Token], kind: str | None, marks: Marks) -> Iterator[etree._Element]:
    """Runs for `tokens`, one per source run, inside a mark when `kind` is "ins" or "del"."""
    pieces: list[Token] = []
    for index, token in enumerate(tokens):
        if token.text is None and token.key not in ("<tab>", "<br>"):
            yield from _marked_piece(token.element, kind, marks)
            continue
        pieces.append(token)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is None or following.element is not token.element:
            run = _run_like(token.element, pieces, kind == "del")
            pieces = []
            if kind is None:
                yield run
            else:
                mark = marks.make(kind)
                mark.append(run)
                yield mark


def _marked_piece(piece: etree._Element, kind: str | None, marks: Marks) -> list[etree._Element]:
    """A field, a link or a complex run, copied whole, marked like a paragraph of its own."""
    holder = etree.Element(w("p"))
    holder.append(deepcopy(piece))
    if kind is not None:
        holder = marks.inserted(holder) if kind == "ins" else marks.deleted(holder)
    return [c for c in holder if local(c) != "pPr"]


def _readable(opcodes: list, after: list[Token]) -> list[tuple[str, int, int, int, int]]:
    """Changes joined across what only separates words (a space, a comma): one change reads
    "[à renseigner]" → "1 place de la Mairie", not a word-by-word interleaving."""
    merged: list[list] = []
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = 0 < position < len(opcodes) - 1
        if tag == "equal" and between and not any(_WORD.search(t.key) for t in after[j1:j2]):
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [tuple(m) for m in merged]


def changed_paragraph(old: etree._Element, new: etree._Element, marks: Marks) -> etree._Element:
    """The new paragraph with the words it lost and gained marked as deleted and inserted."""
    before, after = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(
        None, [t.key for t in before], [t.key for t in after], autojunk=False
    )
    result = etree.Element(w("p"))
    for child in new:
        if local(child) in ("pPr", "bookmarkStart"):
            result.append(deepcopy(child))
    for tag, i1, i2, j1, j2 in _readable(matcher.get_opcodes(), after):
        if tag == "equal":
            result.extend(_emit(after[j1:j2], None, marks))
            continue
        result.extend(_emit(before[i1:i2], "del", marks))
        result.extend(_emit(after[j1:j2], "ins", marks))
    result.extend(deepcopy(c) for c in new if local(c) == "bookmarkEnd")
    return result
