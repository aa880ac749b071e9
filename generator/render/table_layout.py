"""Tables that fit the page: column widths measured in the document's font, rows kept whole.

pandoc gives every column a share of the width from the Markdown alone, so a short column
breaks its words (« Anné/e », « Demande/s »). Here each column gets at least the width of its
longest word, measured with the font's metrics, and the rest of the text width goes to the
columns in proportion to the length of their text. A table whose words cannot all fit first
shortens its headers with the document's abbreviations, then is set on a landscape page.
Every row is kept on one page and the header rows repeat on each page.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from generator.render.fontmetrics import longest_word_width, text_width
from generator.render.ooxml import element, paragraph_style, text_of, w

TWIPS = 20  # per point
_SLACK = 60  # twips per column: rounding, the border, Word's wider default margins (2 × 108)
#: A table at most this part of the page's text height moves to the next page whole rather
#: than split (a taller one would leave the page it leaves too empty).
KEEP_WHOLE_SHARE = 0.25
_LINE = 1.2  # line height, in text sizes
_ROW_PADDING = 80  # twips: the cell's top and bottom margins
_FOLLOWERS = 3  # paragraphs after a table that travel with it (source, notes)
_NOT_FOLLOWERS = ("Heading", "TableCaption", "CaptionedFigure", "TOC")


@dataclass(frozen=True)
class Page:
    """Page geometry of a section, in twips (what a table's width is measured against)."""

    width: int
    height: int
    left: int
    right: int
    top: int = 1247
    bottom: int = 1247

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class TableStyle:
    """What the table style sets: text size in points and left + right cell padding in twips."""

    points: float = 9.5
    padding: int = 170


@dataclass(frozen=True)
class Fit:
    widths: list[int]  # twips, one per column
    fits: bool  # every column at least as wide as its longest word


def fit_tables(
    body: etree._Element,
    style: TableStyle,
    abbreviations: Mapping[str, str] = {},  # noqa: B006 - read only
) -> list[etree._Element]:
    """Size, keep whole and repeat the header of every top-level table of `body`; a table too
    wide for a portrait page goes on a landscape one. Returns the tables set in landscape."""
    portrait = section_page(body.find(w("sectPr")))
    landscape = replace(portrait, width=portrait.height, height=portrait.width)
    turned = []
    for table in body.findall(w("tbl")):
        keep_rows_whole(table)
        grid = cell_texts(table)
        if grid is None:
            continue
        fit = column_widths(grid, header_rows(table), style, portrait.text_width)
        if not fit.fits and abbreviations:
            abbreviate_headers(table, abbreviations)
            grid = cell_texts(table) or grid
            fit = column_widths(grid, header_rows(table), style, portrait.text_width)
        if not fit.fits:  # a landscape page, where the words fit or overflow the least
            fit = column_widths(grid, header_rows(table), style, landscape.text_width)
            turned.append(table)
        set_widths(table, fit.widths)
        page = landscape if table in turned else portrait
        if estimated_height(grid, fit.widths, style) <= KEEP_WHOLE_SHARE * page.text_height:
            keep_whole(table)
    for table in turned:
        set_landscape(body, table, landscape)
    return turned


def section_page(sect_pr: etree._Element | None) -> Page:
    """The page of a `w:sectPr` (A4 portrait with 2.2 cm margins when it says nothing)."""
    size = sect_pr.find(w("pgSz")) if sect_pr is not None else None
    margins = sect_pr.find(w("pgMar")) if sect_pr is not None else None

    def twips(el: etree._Element | None, attr: str, default: int) -> int:
        value = el.get(w(attr)) if el is not None else None
        return int(value) if value else default

    return Page(
        width=twips(size, "w", 11906),
        height=twips(size, "h", 16838),
        left=twips(margins, "left", 1247),
        right=twips(margins, "right", 1247),
        top=twips(margins, "top", 1247),
        bottom=twips(margins, "bottom", 1247),
    )


def header_rows(table: etree._Element) -> int:
    """How many rows at the top repeat as the header (pandoc marks them `w:tblHeader`)."""
    count = 0
    for row in table.findall(w("tr")):
        if row.find(f"{w('trPr')}/{w('tblHeader')}") is None:
            break
        count += 1
    return count


def cell_texts(table: etree._Element) -> list[list[list[str]]] | None:
    """Rows of cells, each cell a list of its lines; None for a table with merged cells."""
    rows = []
    for row in table.findall(w("tr")):
        cells = row.findall(w("tc"))
        if any(c.find(f"{w('tcPr')}/{w('gridSpan')}") is not None for c in cells):
            return None
        rows.append([_lines(cell) for cell in cells])
    if not rows or len({len(r) for r in rows}) != 1:
        return None
    return rows


def _lines(cell: etree._Element) -> list[str]:
    lines = []
    for p in cell.iter(w("p")):
        current = ""
        for node in p.iter(w("t"), w("tab"), w("br")):
            if node.tag == w("br"):
                lines.append(current)
                current = ""
            else:
                current += node.text or "" if node.tag == w("t") else " "
        lines.append(current)
    return lines


def column_widths(
    rows: Sequence[Sequence[Sequence[str]]], headers: int, style: TableStyle, available: int
) -> Fit:
    """Widths (twips) filling `available`: each column at least its longest word, the rest
    shared in proportion to how much wider than that its longest line is."""
    ncols = len(rows[0])
    least, natural = [0.0] * ncols, [0.0] * ncols
    for index, row in enumerate(rows):
        bold = index < headers
        for col, lines in enumerate(row):
            for line in lines:
                least[col] = max(least[col], longest_word_width(line, style.points, bold))
                natural[col] = max(natural[col], text_width(line.strip(), style.points, bold))
    pad = style.padding + _SLACK
    # Rounded up: a column rounded down to its longest word is narrower than that word, and
    # estimated_height then wraps every row of it onto two lines.
    least_tw = [math.ceil(x * TWIPS) + pad for x in least]
    natural_tw = [max(round(x * TWIPS) + pad, m) for x, m in zip(natural, least_tw, strict=True)]
    if sum(least_tw) > available:
        return Fit(least_tw, fits=False)
    if sum(natural_tw) <= available:
        base, weights = natural_tw, natural_tw
    else:
        base, weights = least_tw, [n - m for n, m in zip(natural_tw, least_tw, strict=True)]
    spare = available - sum(base)
    total = sum(weights) or 1
    widths = [b + spare * wt // total for b, wt in zip(base, weights, strict=True)]
    widths[-1] += available - sum(widths)
    return Fit(widths, fits=True)


def abbreviate_headers(table: etree._Element, abbreviations: Mapping[str, str]) -> None:
    """Replace, in the header cells, each long form the document abbreviates by its short one."""
    for row in table.findall(w("tr"))[: header_rows(table)]:
        for p in row.iter(w("p")):
            runs = [t for t in p.iter(w("t"))]
            if not runs:
                continue
            text = "".join(t.text or "" for t in runs)
            shorter = text
            for long, short in sorted(abbreviations.items(), key=lambda kv: -len(kv[0])):
                at = shorter.lower().find(long.lower())
                if at >= 0:
                    shorter = shorter[:at] + short + shorter[at + len(long) :]
            if shorter != text:
                runs[0].text = shorter
                for t in runs[1:]:
                    t.text = ""


def set_widths(table: etree._Element, widths: Sequence[int]) -> None:
    """Fixed layout with these column widths (twips): grid, table width and every cell's."""
    props = table.find(w("tblPr"))
    tbl_w = props.find(w("tblW"))
    if tbl_w is None:
        tbl_w = element("tblW")
        props.insert(1, tbl_w)
    tbl_w.attrib.update({w("type"): "dxa", w("w"): str(sum(widths))})
    layout = props.find(w("tblLayout"))
    if layout is None:
        tbl_w.addnext(element("tblLayout", {"type": "fixed"}))
    grid = table.find(w("tblGrid"))
    for col in list(grid):
        grid.remove(col)
    grid.extend(element("gridCol", {"w": str(x)}) for x in widths)
    for row in table.findall(w("tr")):
        for cell, width in zip(row.findall(w("tc")), widths, strict=True):
            props = cell.find(w("tcPr"))
            if props is None:
                props = element("tcPr")
                cell.insert(0, props)
            for old in props.findall(w("tcW")):
                props.remove(old)
            props.insert(0, element("tcW", {"w": str(width), "type": "dxa"}))


def keep_rows_whole(table: etree._Element) -> None:
    """No row split across two pages; the first row repeats on each page the table spans."""
    rows = table.findall(w("tr"))
    for index, row in enumerate(rows):
        props = row.find(w("trPr"))
        if props is None:
            props = element("trPr")
            first = row.find(w("tblPrEx"))
            row.insert(0 if first is None else 1, props)
        if props.find(w("cantSplit")) is None:
            props.insert(0, element("cantSplit"))
        if index == 0 and props.find(w("tblHeader")) is None:
            props.append(element("tblHeader"))


def estimated_height(
    rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[int], style: TableStyle
) -> int:
    """The table's height in twips, from the lines its cells wrap to at these widths."""
    line = style.points * _LINE * TWIPS
    total = 0.0
    for row in rows:
        lines = 1
        for cell, width in zip(row, widths, strict=True):
            room = max(1, width - style.padding - _SLACK)
            wrapped = sum(
                max(1, math.ceil(text_width(text, style.points) * TWIPS / room)) for text in cell
            )
            lines = max(lines, wrapped)
        total += lines * line + _ROW_PADDING
    return round(total)


def keep_whole(table: etree._Element) -> None:
    """Each row but the last kept with the next: the table moves to the next page whole."""
    rows = table.findall(w("tr"))
    for row in rows[:-1]:
        for p in row.iter(w("p")):
            _keep_with_next(p)


def _keep_with_next(p: etree._Element) -> None:
    props = p.find(w("pPr"))
    if props is None:
        props = element("pPr")
        p.insert(0, props)
    if props.find(w("keepNext")) is None:
        style = props.find(w("pStyle"))
        props.insert(0 if style is None else 1, element("keepNext"))


def set_landscape(body: etree._Element, table: etree._Element, page: Page) -> None:
    """Put `table`, its caption and the paragraphs that follow it (source, notes) in a
    section of their own on a landscape `page`; the text before and after stays portrait."""
    final = body.find(w("sectPr"))
    block = [table]
    before = table.getprevious()
    if before is not None and paragraph_style(before) == "TableCaption":
        block.insert(0, before)
    after = table.getnext()
    while len(block) < _FOLLOWERS + 2 and _follows(after):
        block.append(after)
        after = after.getnext()
    # The final section's properties end the text before; only the first section keeps
    # `titlePg` (its cover page has no footer), so the final one loses it below.
    block[0].addprevious(_section_break(copy.deepcopy(final)))
    turned = copy.deepcopy(final)
    _drop(turned, "titlePg")
    size = turned.find(w("pgSz"))
    size.attrib.update(
        {w("w"): str(page.width), w("h"): str(page.height), w("orient"): "landscape"}
    )
    block[-1].addnext(_section_break(turned))
    _drop(final, "titlePg")


def _follows(el: etree._Element | None) -> bool:
    if el is None or el.tag != w("p") or el.find(f"{w('pPr')}/{w('sectPr')}") is not None:
        return False
    style = paragraph_style(el) or ""
    return not style.startswith(_NOT_FOLLOWERS) and bool(text_of(el).strip())


def _drop(sect_pr: etree._Element, tag: str) -> None:
    for el in sect_pr.findall(w(tag)):
        sect_pr.remove(el)


def _section_break(sect_pr: etree._Element) -> etree._Element:
    """An empty, tiny paragraph that ends a section with these properties."""
    tiny = element("rPr", None, element("sz", {"val": "2"}), element("szCs", {"val": "2"}))
    spacing = element("spacing", {"before": "0", "after": "0", "line": "20", "lineRule": "exact"})
    return element("p", None, element("pPr", None, spacing, tiny, sect_pr))
