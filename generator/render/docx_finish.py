"""Finish a DOCX written by pandoc: cover page, TOC entries, captions, footer, properties.

pandoc knows title, subtitle, author and date; the cover also shows the year and the status,
the footer the title and organisation, and the file properties must not depend on the clock.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from generator.render.landscape_footer import landscape_footers
from generator.render.meta import DocumentMeta
from generator.render.ooxml import element, paragraph_style, parse, serialise, styled_paragraph, w
from generator.render.table_layout import TableStyle, fit_tables, set_widths
from generator.render.toc import fill_toc
from generator.render.zipfix import read_entry, replace_entries

_CAPTIONS = {"TableCaption", "ImageCaption"}
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties \
xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>{title}</dc:title><dc:subject>{organisation}</dc:subject>\
<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
<cp:revision>1</cp:revision><cp:contentStatus>{status}</cp:contentStatus>\
<dc:language>{lang}</dc:language>\
<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>\
</cp:coreProperties>"""


def finish_docx(data: bytes, meta: DocumentMeta) -> bytes:
    """The pandoc DOCX `data` with our cover, TOC entries (no page numbers yet), French
    captions, footer text and fixed properties; zip normalised."""
    root = parse(read_entry(data, "word/document.xml"))
    _complete_cover(root, meta)
    _french_captions(root)
    fit_tables(root.find(w("body")), table_style(data), dict(meta.abbreviations))
    _room_to_sign(root.find(w("body")))
    _text_after_contents_on_a_new_page(root)
    fill_toc(root)
    turned = landscape_footers(data, root.find(w("body")))
    if turned:
        data = replace_entries(data, turned)
    changes = {"word/document.xml": serialise(root), "docProps/core.xml": _core(meta)}
    changes |= _footers(data, meta)
    return replace_entries(data, changes)


#: A template puts a table to be signed inside `::: {#signatures}` (or `#signatures-…`); pandoc
#: writes the div as a bookmark around it.
SIGNATURES = "signatures"
ROOM_TO_SIGN = "1701"  # twips: 3 cm, the least height of a row signed by hand


def _room_to_sign(body) -> None:  # type: ignore[no-untyped-def]
    """Every row but the header of a table to be signed is at least 3 cm tall, whole on its
    page: a row one line tall leaves nobody room to sign."""
    open_ids: set[str] = set()
    for node in body:
        if node.tag == w("bookmarkStart") and node.get(w("name"), "").startswith(SIGNATURES):
            open_ids.add(node.get(w("id"), ""))
        elif node.tag == w("bookmarkEnd"):
            open_ids.discard(node.get(w("id"), ""))
        elif node.tag == w("tbl") and open_ids:
            _half_to_write_in(node)
            for row in node.iterfind(w("tr")):
                props = row.find(w("trPr"))
                if props is None:
                    props = element("trPr")
                    row.insert(0, props)
                if props.find(w("tblHeader")) is not None:
                    continue
                for old in props.findall(w("trHeight")):
                    props.remove(old)
                props.append(element("trHeight", {"val": ROOM_TO_SIGN, "hRule": "atLeast"}))
                if props.find(w("cantSplit")) is None:
                    props.insert(0, element("cantSplit"))


def _half_to_write_in(table) -> None:  # type: ignore[no-untyped-def]
    """The last column, where one writes, gets half the table at least: widths measured from
    its few printed words would leave a strip."""
    widths = [int(c.get(w("w"), "0")) for c in table.iterfind(f"{w('tblGrid')}/{w('gridCol')}")]
    total = sum(widths)
    if len(widths) < 2 or not total or widths[-1] * 2 >= total:
        return
    rest = total - total // 2
    before = sum(widths[:-1])
    scaled = [x * rest // before for x in widths[:-1]]
    scaled[0] += rest - sum(scaled)
    set_widths(table, [*scaled, total // 2])


def set_toc_pages(data: bytes, pages: Sequence[str]) -> bytes:
    """Write page numbers (one per TOC entry) into the DOCX's TOC."""
    root = parse(read_entry(data, "word/document.xml"))
    fill_toc(root, pages)
    return replace_entries(data, {"word/document.xml": serialise(root)})


def _complete_cover(root, meta: DocumentMeta) -> None:
    """Add year and status after the title block's subtitle (the organisation)."""
    body = root.find(w("body"))
    block = [p for p in body.findall(w("p")) if paragraph_style(p) in ("Title", "Subtitle")]
    if not block:
        return
    anchor = block[-1]
    cover = (("CoverYear", meta.shown_year), ("CoverStatus", meta.status))
    for style, text in (*cover, ("CoverStatus", meta.notice)):
        if text:
            paragraph = styled_paragraph(style, text)
            anchor.addnext(paragraph)
            anchor = paragraph


def _text_after_contents_on_a_new_page(root) -> None:
    """The table of contents has its page: what follows it starts the next one (the house
    style breaks no page before a chapter, so the first one says it here)."""
    body = root.find(w("body"))
    contents = body.find(w("sdt"))
    following = contents.getnext() if contents is not None else None
    while following is not None and following.tag != w("p"):
        following = following.getnext()
    if following is None:
        return
    props = following.find(w("pPr"))
    if props is None:
        props = element("pPr")
        following.insert(0, props)
    if props.find(w("pageBreakBefore")) is None:
        style = props.find(w("pStyle"))
        at = 0 if style is None else list(props).index(style) + 1
        props.insert(at, element("pageBreakBefore"))


def _french_captions(root) -> None:
    """'Tableau 1: Titre' becomes 'Tableau 1 : Titre' (French puts a no-break space first)."""
    for p in root.iter(w("p")):
        if paragraph_style(p) not in _CAPTIONS:
            continue
        for t in p.iter(w("t")):
            if t.text and t.text.startswith(": "):
                t.text = "\u00a0" + t.text
                break


def table_style(data: bytes) -> TableStyle:
    """Text size and cell padding of the style pandoc gives every table ("Table")."""
    styles = parse(read_entry(data, "word/styles.xml"))
    default = TableStyle()
    for style in styles.iter(w("style")):
        if style.get(w("styleId")) != "Table":
            continue
        size = style.find(f"{w('rPr')}/{w('sz')}")
        margins = style.find(f"{w('tblPr')}/{w('tblCellMar')}")
        padding = default.padding
        if margins is not None:
            sides = [margins.find(w(side)) for side in ("left", "right")]
            padding = sum(int(s.get(w("w"), "0")) for s in sides if s is not None)
        points = int(size.get(w("val"))) / 2 if size is not None else default.points
        return TableStyle(points=points, padding=padding)
    return default


def _core(meta: DocumentMeta) -> bytes:
    values = {
        key: escape(str(getattr(meta, key)))
        for key in ("title", "organisation", "author", "status", "lang")
    }
    return _CORE.format(stamp=meta.iso_timestamp, **values).encode()


def _footers(data: bytes, meta: DocumentMeta) -> dict[str, bytes]:
    """Replace the reference footer's placeholders ({title}, {organisation}...) by values; the
    notice, when there is one, is a paragraph of its own under each footer (the cover, which
    has none, shows it under its status)."""
    keys = [*meta.__dataclass_fields__, "footer_title"]
    values = {key: escape(str(getattr(meta, key))) for key in keys}
    changes = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.startswith(("word/footer", "word/header"))]
        for name in names:
            xml = zf.read(name).decode("utf-8")
            new = xml
            for key, value in values.items():
                new = new.replace("{" + key + "}", value)
            if meta.notice and name.startswith("word/footer"):
                root = parse(new.encode("utf-8"))
                root.append(styled_paragraph("Footer", meta.notice))
                new = serialise(root).decode("utf-8")
            if new != xml:
                changes[name] = new.encode("utf-8")
    return changes
