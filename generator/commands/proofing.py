"""What a proof-reader checks in a finished document, read back from the DOCX and the PDF.

Each check is a function of one document's text or layout returning `Finding`s; `lint.py`
runs them over a territory's built documents. The checks know nothing of housing: they read
paragraphs, tables and pages.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from generator.errors import MissingToolError
from generator.messages import _
from generator.render.ooxml import w as _w

SPACE_BEFORE_SIGN = "space before a sign"
WIDE_WORD = "word wider than its cell"
EMPTY_COLUMN = "empty column"
MASKED = "column with every value masked"
REPEATED_SENTENCE = "repeated sentence"
SHORT_PAGE = "page under a third full"
SPLIT_ROW = "table row split across pages"
PLACEHOLDER = "placeholder where the data holds the value"
ORPHAN_HEADING = "heading alone at a page foot"
MARKUP_AS_TEXT = "Markdown markup printed as text"
STRAIGHT_APOSTROPHE = "straight apostrophe"
KINDS = (
    SPACE_BEFORE_SIGN,
    WIDE_WORD,
    EMPTY_COLUMN,
    MASKED,
    REPEATED_SENTENCE,
    SHORT_PAGE,
    SPLIT_ROW,
    PLACEHOLDER,
    ORPHAN_HEADING,
    MARKUP_AS_TEXT,
    STRAIGHT_APOSTROPHE,
)

_SHOWN = 70  # characters of context around a finding


@dataclass(frozen=True)
class Finding:
    kind: str
    document: str
    text: str
    page: int | None = None

    def __str__(self) -> str:
        page = f", page {self.page}" if self.page else ""
        return f"{self.document}{page}: {self.kind}: « {self.text} »"


# --- DOCX --------------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    width: int  # twentieths of a point (Word's twips)


@dataclass
class Table:
    rows: list[list[Cell]]
    header_rows: int


@dataclass
class WordText:
    """What the checks read from a DOCX: paragraphs (with style) outside tables, tables."""

    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (style id, text)
    tables: list[Table] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    table_points: float = 10  # text size of tables: the "Table" style's, else the default

    def all_texts(self) -> Iterator[str]:
        yield from (text for _, text in self.paragraphs)
        yield from (cell.text for table in self.tables for row in table.rows for cell in row)


def _text(element: etree._Element) -> str:
    """A paragraph's visible text: text runs, tabs and line breaks (no field codes)."""
    parts = []
    for node in element.iter(_w("t"), _w("tab"), _w("br")):
        if node.tag == _w("t"):
            parts.append(node.text or "")
        elif node.getparent() is not None and node.getparent().tag == _w("r"):
            parts.append("\t" if node.tag == _w("tab") else "\n")
    return "".join(parts)


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    return style.get(_w("val"), "") if style is not None else ""


def _text_width(body: etree._Element) -> int:
    section = body.find(_w("sectPr"))
    if section is None:
        return 9638  # A4 with 2 cm margins
    size, margins = section.find(_w("pgSz")), section.find(_w("pgMar"))
    if size is None or margins is None:
        return 9638
    return int(size.get(_w("w"))) - int(margins.get(_w("left"))) - int(margins.get(_w("right")))


def _table(element: etree._Element, text_width: int) -> Table:
    grid = [int(c.get(_w("w"), "0")) for c in element.iterfind(f"{_w('tblGrid')}/{_w('gridCol')}")]
    width = element.find(f"{_w('tblPr')}/{_w('tblW')}")
    if grid and width is not None and width.get(_w("type")) == "pct":
        share = int(width.get(_w("w"), "5000")) / 5000
        scale = text_width * share / (sum(grid) or 1)
        grid = [round(g * scale) for g in grid]
    rows: list[list[Cell]] = []
    header_rows = 0
    for row in element.iterfind(_w("tr")):
        if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None and len(rows) == header_rows:
            header_rows += 1
        cells, column = [], 0
        for cell in row.iterfind(_w("tc")):
            span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
            n = int(span.get(_w("val"))) if span is not None else 1
            cell_width = sum(grid[column : column + n]) if grid else text_width // 4
            text = "\n".join(_text(p) for p in cell.iterfind(_w("p")))
            cells.append(Cell(text, cell_width))
            column += n
        rows.append(cells)
    if header_rows == 0 and rows:
        header_rows = 1  # pandoc's tables always have one
    return Table(rows, header_rows)


def _table_points(styles: etree._Element) -> float:
    """Half-points of the "Table" style (pandoc's), else of the document defaults, in points."""
    for path in (f"{_w('style')}[@{_w('styleId')}='Table']", _w("docDefaults")):
        size = styles.find(f".//{path}//{_w('sz')}")
        if size is not None:
            return int(size.get(_w("val"))) / 2
    return 10


def read_docx(path: Path) -> WordText:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        names = archive.namelist()
        styles = (
            etree.fromstring(archive.read("word/styles.xml"))
            if "word/styles.xml" in names
            else None
        )
    body = root.find(_w("body"))
    text_width = _text_width(body)
    found = WordText(table_points=_table_points(styles) if styles is not None else 10)
    for element in body.iter(_w("p"), _w("tbl")):
        if element.tag == _w("tbl"):
            if next(element.iterancestors(_w("tbl")), None) is None:
                found.tables.append(_table(element, text_width))
            continue
        if next(element.iterancestors(_w("tc")), None) is not None:
            continue
        style, text = _style(element), _text(element)
        found.paragraphs.append((style, text))
        if style.startswith("Heading") and text.strip():
            found.headings.append(text)
    return found


def _excerpt(text: str, at: int) -> str:
    start = max(0, at - _SHOWN // 2)
    shown = text[start : start + _SHOWN].replace("\n", " ").replace("\t", " ")
    return ("…" if start else "") + shown + ("…" if start + _SHOWN < len(text) else "")


def _pattern_found(
    kind: str, document: str, word: WordText, pattern: re.Pattern[str]
) -> list[Finding]:
    """A finding of `kind` wherever `pattern` matches a paragraph or a cell of the document."""
    return [
        Finding(kind, document, _excerpt(text, match.start()))
        for text in word.all_texts()
        for match in pattern.finditer(text)
    ]


_BREAKABLE_BEFORE = re.compile(r"[ \t\n](?=[;:!?%»])|«[ \t\n]")


def spaces_before_signs(document: str, word: WordText) -> list[Finding]:
    """A breakable space before ; : ! ? % » or after «: the sign may start a line."""
    return _pattern_found(SPACE_BEFORE_SIGN, document, word, _BREAKABLE_BEFORE)


_STRAIGHT = re.compile(r"(?<=\w)'(?=\w)")


def straight_apostrophes(document: str, word: WordText) -> list[Finding]:
    """A straight apostrophe inside a word (« l'enquête »): a value that reached the text by a
    way the typography does not see, such as an HTML entity."""
    return _pattern_found(STRAIGHT_APOSTROPHE, document, word, _STRAIGHT)


_FONTS = Path("/usr/share/fonts/truetype/crosextra")
_CELL_MARGINS = 2 * 108  # Word's default left and right cell margins, in twips


@cache
def _font(bold: bool):  # type: ignore[no-untyped-def]
    """Carlito (metric-compatible with Calibri, the house font), or None where it is missing."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(
            str(_FONTS / f"Carlito-{'Bold' if bold else 'Regular'}.ttf"), 1000
        )
    except OSError:
        return None


def word_width(word: str, points: float = 10, bold: bool = False) -> float:
    """Width of `word` in twips, in Carlito; half an em a letter where the font is missing."""
    font = _font(bold)
    if font is None:
        return len(word) * points * 10
    return float(font.getlength(word)) * points * 20 / 1000


_UNBREAKABLE = re.compile(r"[^\s-]+-?")  # a line may break after a hyphen, nowhere else


def wide_words(document: str, word: WordText) -> list[Finding]:
    """A word wider than the text width of its cell: Word and LibreOffice break it anywhere.
    (« Saint-Georges-les-Bains » may wrap at its hyphens: its widest part counts.)"""
    found: dict[str, Finding] = {}
    for number, table in enumerate(word.tables, start=1):
        for index, row in enumerate(table.rows):
            bold = index < table.header_rows  # header rows are bold in the house style

            def width(text: str, bold: bool = bold) -> float:
                return word_width(text, word.table_points, bold)

            for cell in row:
                room = cell.width - _CELL_MARGINS
                longest = max(_UNBREAKABLE.findall(cell.text), key=width, default="")
                if longest and width(longest) > room:
                    shown = f"table {number}: {longest}"
                    found[shown] = Finding(WIDE_WORD, document, shown)
    return list(found.values())


def empty_columns(document: str, word: WordText) -> list[Finding]:
    """A column with a heading and no value in any row."""
    found = []
    for number, table in enumerate(word.tables, start=1):
        body = table.rows[table.header_rows :]
        if not body or not table.rows[0]:
            continue
        for column, heading in enumerate(table.rows[0]):
            if "signature" in heading.text.lower():
                continue  # left empty on purpose, for the signatures
            if all(column >= len(row) or not row[column].text.strip() for row in body):
                found.append(
                    Finding(EMPTY_COLUMN, document, f"table {number}: {heading.text.strip()}")
                )
    return found


_MASK = "s"  # a count under statistical secrecy, and the share that goes with it


def _masked(values: Sequence[str]) -> bool:
    """Values that all say nothing: only masks and blanks, at least two masks."""
    return values.count(_MASK) >= 2 and all(v in (_MASK, "") for v in values)


def masked_columns(document: str, word: WordText) -> list[Finding]:
    """A column whose every value is masked by statistical secrecy: a reader learns nothing from
    it (a sentence would say what is hidden). A row of masks is not one: among categories shown
    with their counts, a small one is masked as statistical tables mask it."""
    found = []
    for number, table in enumerate(word.tables, start=1):
        body = table.rows[table.header_rows :]
        if not body or not table.rows[0]:
            continue
        for column, heading in enumerate(table.rows[0]):
            values = [row[column].text.strip() for row in body if column < len(row)]
            if _masked(values):
                found.append(Finding(MASKED, document, f"table {number}: {heading.text.strip()}"))
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«A-ZÀ-Ý0-9])")
_WORDS = 6  # a shorter sentence may well come back (« Objectif atteint. »)
_SOURCE = re.compile(r"Sources?[\s\u00a0\u202f]*:")
_NOT_PROSE = ("TOC", "Caption", "TableCaption", "ImageCaption", "Heading", "Title", "Subtitle")


def repeated_sentences(document: str, word: WordText) -> list[Finding]:
    """A sentence of some length said twice or more in the body of a document."""
    counts: Counter[str] = Counter()
    for style, text in word.paragraphs:
        if style.startswith(_NOT_PROSE) or _SOURCE.match(text):
            continue  # a source under each table of the same origin is a citation, not prose
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            # A lead-in to a list (« … suivants : ») may open each of parallel sections.
            if len(sentence.split()) >= _WORDS and not sentence.endswith(":"):
                counts[sentence] += 1
    return [
        Finding(REPEATED_SENTENCE, document, f"{sentence[:_SHOWN]} (×{n})")
        for sentence, n in counts.items()
        if n > 1
    ]


PLACEHOLDERS = re.compile(r"\[à renseigner\]|[AÀ] compléter", re.IGNORECASE)


def placeholders(document: str, word: WordText, known_gaps: int) -> list[Finding]:
    """A placeholder shown while the data misses nothing this document reads: the value exists
    (or the template shows a placeholder for something that is not a gap)."""
    if known_gaps:
        return []
    return _pattern_found(PLACEHOLDER, document, word, PLACEHOLDERS)


#: What pandoc did not read as markup: a heading's marks after text (a template that left no
#: blank line before the heading), an attribute block or a bold mark left open.
_MARKUP_LEFT = re.compile(r"(?:^|[.!?:»]\s+)#{1,6}\s+\S|\{(?:width|height|#|\.)[^}]*\}|\*\*\S")


def markup_as_text(document: str, word: WordText) -> list[Finding]:
    """Markdown that pandoc printed instead of reading (see `_MARKUP_LEFT`)."""
    return _pattern_found(MARKUP_AS_TEXT, document, word, _MARKUP_LEFT)


# --- PDF ---------------------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    top: float
    bottom: float


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line]  # body lines (one per cell in a table row), top to bottom, without the
    # running header and footer

    def rows(self) -> list[str]:
        """The text of lines side by side (a heading's number and title, a table's cells)."""
        rows: list[tuple[float, list[str]]] = []
        for line in self.lines:
            if rows and abs(rows[-1][0] - line.top) < 2:
                rows[-1][1].append(line.text)
            else:
                rows.append((line.top, [line.text]))
        return [" ".join(texts) for _, texts in rows]


_BOX = "{http://www.w3.org/1999/xhtml}"
_MARGIN_SHARE = 0.07  # top and bottom bands of a page hold the running header and footer


def read_pdf(path: Path) -> list[Page]:
    """The body lines of each page, from poppler's `pdftotext -bbox-layout`."""
    try:
        done = subprocess.run(
            ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, timeout=120
        )
    except FileNotFoundError as error:
        raise MissingToolError(
            _(
                "pdftotext is not installed: apt-get install poppler-utils (or run"
                " scripts/install-system-deps.sh)"
            )
        ) from error
    root = etree.fromstring(done.stdout, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for number, page in enumerate(root.iter(f"{_BOX}page"), start=1):
        height = float(page.get("height", "842"))
        lines = []
        for line in page.iter(f"{_BOX}line"):
            top, bottom = float(line.get("yMin", "0")), float(line.get("yMax", "0"))
            if top < height * _MARGIN_SHARE or bottom > height * (1 - _MARGIN_SHARE):
                continue
            text = " ".join(w.text or "" for w in line.iter(f"{_BOX}word"))
            lines.append(Line(text, top, bottom))
        lines.sort(key=lambda item: item.top)  # stable: cells of one row left to right
        pages.append(Page(number, height, lines))
    return pages


_CHAPTER = re.compile(r"^\d+\s+\S")  # « 3 Orientations »: a level-one heading starts a page


def short_pages(document: str, pages: Sequence[Page]) -> list[Finding]:
    """A page whose text stops above a third of its height, unless it ends a chapter (the
    next page opens one) or the document; the cover aside."""
    found = []
    for index, page in enumerate(pages[1:-1], start=1):
        if not page.lines:
            continue
        following = pages[index + 1].rows()
        if following and _CHAPTER.match(following[0]):
            continue
        usable = page.height * (1 - 2 * _MARGIN_SHARE)
        filled = (page.lines[-1].bottom - page.height * _MARGIN_SHARE) / usable
        if filled < 1 / 3:
            found.append(Finding(SHORT_PAGE, document, page.lines[-1].text[:_SHOWN], page.number))
    return found


def split_rows(document: str, word: WordText, pages: Sequence[Page]) -> list[Finding]:
    """A table cell whose text ends one page and goes on at the top of the next: its row was
    cut by the page break. (A line at the foot of a page ends the cell's first words, a line at
    the top of the next begins its last words.)"""
    found = []
    cells = {
        " ".join(cell.text.split())
        for table in word.tables
        for row in table.rows[table.header_rows :]
        for cell in row
        if len(cell.text.split()) >= 2
    }
    for page, following in zip(pages, pages[1:], strict=False):
        bottom = [line.text for line in page.lines[-3:] if len(line.text) >= 3]
        top = [line.text for line in following.lines[:4] if len(line.text) >= 3]
        for cell in sorted(cells):
            words = cell.split()
            for cut in range(1, len(words)):
                head, tail = " ".join(words[:cut]), " ".join(words[cut:])
                if any(head.endswith(b) for b in bottom) and any(tail.startswith(t) for t in top):
                    found.append(Finding(SPLIT_ROW, document, cell[:_SHOWN], page.number))
                    break
    return found


_CAPTION = re.compile(r"^Tableau\s+\d+\s*:")  # above its table (a figure's is below)


def orphan_headings(document: str, word: WordText, pages: Sequence[Page]) -> list[Finding]:
    """A heading or a table caption as the last line of a page: what it announces is on the
    next one."""
    headings = {" ".join(h.split()) for h in word.headings}
    found = []
    for page in pages[:-1]:
        if not page.lines:
            continue
        last = " ".join(page.rows()[-1].split())
        if last in headings or _CAPTION.match(last):
            found.append(Finding(ORPHAN_HEADING, document, last[:_SHOWN], page.number))
    return found
