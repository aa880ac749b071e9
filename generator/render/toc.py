"""Fill the table of contents of a pandoc DOCX so it shows without "update fields".

pandoc writes an empty TOC field that only Word fills, after asking. We write the field's
cached result ourselves, as Word would: one paragraph per heading (styles TOC 1, TOC 2), a
hyperlink to a `_Toc` bookmark on the heading, and a PAGEREF field whose cached value is the
page number. Word can still update the field; LibreOffice shows the cached entries as they are.
Page numbers come from LibreOffice's layout (see `libreoffice.py`) and stay empty without it.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from generator.render.ooxml import (
    NSMAP,
    XML_SPACE,
    element,
    paragraph_style,
    parse,
    text_of,
    w,
)
from generator.render.zipfix import read_entry

_HEADING = re.compile(r"^Heading([1-9])$")
_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')


@dataclass(frozen=True)
class TocEntry:
    level: int
    number: str  # "1.2", or "" for an unnumbered heading
    text: str
    bookmark: str

    @property
    def key(self) -> str:
        """Number and text without whitespace, to recognise the entry in LibreOffice's TOC."""
        return re.sub(r"\s+", "", self.number + self.text)


def fill_toc(root: etree._Element, pages: Sequence[str] | None = None) -> list[TocEntry]:
    """Write TOC entries into the document's TOC field (again), with `pages` if known.

    Idempotent: bookmarks already on headings are reused and old entries replaced. Without
    page numbers the field stays marked dirty so that Word fills them on opening.
    """
    content = root.find(".//w:sdt/w:sdtContent", NSMAP)
    gallery = root.find(".//w:sdt/w:sdtPr/w:docPartObj/w:docPartGallery", NSMAP)
    if content is None or gallery is None or gallery.get(w("val")) != "Table of Contents":
        return []
    codes = (" ".join((t.text or "").split()) for t in content.iter(w("instrText")))
    instr = next((c for c in codes if c.startswith("TOC")), 'TOC \\o "1-2" \\h \\z \\u')
    levels = _LEVELS.search(instr)
    top = int(levels.group(2)) if levels else 2
    entries = _bookmark_headings(root, top)
    if pages is not None and len(pages) != len(entries):
        raise ValueError(f"{len(pages)} page numbers for {len(entries)} TOC entries")
    for child in list(content):
        if paragraph_style(child) != "TOCHeading":
            content.remove(child)
    dirty = pages is None or not all(pages)
    paragraphs = [
        _entry_paragraph(entry, pages[i] if pages else "") for i, entry in enumerate(entries)
    ] or [element("p")]
    first = paragraphs[0]
    begin = _field_char("begin", dirty=dirty)
    runs = [begin, _instr(f" {instr} "), _field_char("separate")]
    pos = 1 if first.find(w("pPr")) is not None else 0
    for i, run in enumerate(runs):
        first.insert(pos + i, run)
    paragraphs[-1].append(_field_char("end"))
    content.extend(paragraphs)
    return entries


def match_pages(entries: Sequence[TocEntry], lines: Sequence[str]) -> list[str]:
    """Page numbers for `entries` from the lines of a TOC laid out by LibreOffice.

    A line reads "1.2<tab>Heading text<tab>7"; lines are matched in order by number and text,
    so that an entry LibreOffice did not list gets an empty page number instead of a wrong one.
    """
    found = []
    for line in lines:
        text, _, page = line.rpartition("\t")
        if text and page.strip().isdigit():
            found.append((re.sub(r"\s+", "", text), page.strip()))
    pages, start = [], 0
    for entry in entries:
        for i in range(start, len(found)):
            if found[i][0] == entry.key:
                pages.append(found[i][1])
                start = i + 1
                break
        else:
            pages.append("")
    return pages


def _bookmark_headings(root: etree._Element, top: int) -> list[TocEntry]:
    """TOC entries of headings up to level `top`, each with a `_Toc` bookmark of its own."""
    used = [int(b.get(w("id"))) for b in root.iter(w("bookmarkStart")) if b.get(w("id"))]
    next_id = max(used, default=0) + 1
    entries: list[TocEntry] = []
    for p in root.find(w("body")).iter(w("p")):
        match = _HEADING.match(paragraph_style(p) or "")
        if not match or int(match.group(1)) > top:
            continue
        mark = next(
            (b for b in p.iter(w("bookmarkStart")) if b.get(w("name"), "").startswith("_Toc")),
            None,
        )
        if mark is None:
            name = f"_Toc{len(entries) + 1:09d}"
            mark = element("bookmarkStart", {"id": str(next_id), "name": name})
            p.insert(1 if p.find(w("pPr")) is not None else 0, mark)
            p.append(element("bookmarkEnd", {"id": str(next_id)}))
            next_id += 1
        number = "".join(
            text_of(r)
            for r in p.iter(w("r"))
            if r.find(f"{w('rPr')}/{w('rStyle')}[@{w('val')}='SectionNumber']") is not None
        )
        text = text_of(p).strip()
        if number and text.startswith(number):
            text = text[len(number) :].strip()
        entries.append(TocEntry(int(match.group(1)), number, text, mark.get(w("name"))))
    return entries


def _entry_paragraph(entry: TocEntry, page: str) -> etree._Element:
    link = element("hyperlink", {"anchor": entry.bookmark, "history": "1"})
    if entry.number:
        link.extend([_text(entry.number), _tab()])
    link.extend([_text(entry.text), _tab()])
    link.extend([_field_char("begin"), _instr(f" PAGEREF {entry.bookmark} \\h ")])
    link.append(_field_char("separate"))
    if page:
        link.append(_text(page))
    link.append(_field_char("end"))
    ppr = element("pPr", None, element("pStyle", {"val": f"TOC{entry.level}"}))
    return element("p", None, ppr, link)


def _text(value: str) -> etree._Element:
    t = element("t")
    t.text = value
    t.set(XML_SPACE, "preserve")
    return element("r", None, t)


def _tab() -> etree._Element:
    return element("r", None, element("tab"))


def _instr(code: str) -> etree._Element:
    t = element("instrText")
    t.text = code
    t.set(XML_SPACE, "preserve")
    return element("r", None, t)


def _field_char(kind: str, dirty: bool = False) -> etree._Element:
    attrs = {"fldCharType": kind} | ({"dirty": "true"} if dirty else {})
    return element("r", None, element("fldChar", attrs))


def toc_entries(data: bytes) -> list[TocEntry]:
    """The entries the DOCX's TOC lists (headings up to the TOC's depth); none for a file
    that is not a WordprocessingML package.

    A build asks this of each DOCX up to three times (does it need LibreOffice, the numbers
    LibreOffice is told, the page numbers written back): the last answers are kept by the
    file's digest, since parsing a long document costs a tenth of a second."""
    key = hashlib.blake2b(data, digest_size=20).digest()
    known = _READ.get(key)
    if known is None:
        try:
            xml = read_entry(data, "word/document.xml")
        except (KeyError, zipfile.BadZipFile):
            return []
        known = _READ[key] = tuple(fill_toc(parse(xml)))
        while len(_READ) > _KEEP:
            _READ.pop(next(iter(_READ)), None)
    return list(known)


_KEEP = 16
_READ: dict[bytes, tuple[TocEntry, ...]] = {}  # digest of a DOCX → its entries, oldest first


def has_toc(data: bytes) -> bool:
    """Whether LibreOffice has page numbers to give this DOCX's table of contents."""
    return bool(toc_entries(data))
