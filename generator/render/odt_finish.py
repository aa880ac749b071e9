"""House style and a filled "Sommaire" for the ODT pandoc writes when LibreOffice is absent.

pandoc's ODT has US Letter pages, Times, unnumbered headings and an empty table of contents
(LibreOffice fills indexes only when asked). Here its styles.xml gets the house style of
reference.docx (A4, Carlito, teal numbered headings, footer "page X / Y" except on the cover)
and the TOC gets one entry per heading, without page numbers, which only a layout knows.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from generator.render.meta import DocumentMeta
from generator.render.zipfix import write_zip, zip_entries

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}


def q(name: str) -> str:
    """Clark notation of a prefixed name: q("text:p") -> "{urn:...:text:1.0}p"."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


_DECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
TEAL, GREY, RULE, LIGHT = "#1f4e5f", "#404040", "#9fb4bc", "#dce7eb"
TEXT_WIDTH = "16.6cm"  # A4 minus 2 x 2.2 cm, as in reference.docx


def _p(name: str, parent: str, para: str = "", text: str = "", extra: str = "", tabs: str = ""):
    """A paragraph style; `para` and `text` are attribute strings of its properties."""
    display = name.replace("_20_", " ")
    parent = f'style:parent-style-name="{parent}"' if parent else ""
    return (
        f'<style:style {_DECL} style:name="{name}" style:display-name="{display}"'
        f' style:family="paragraph" {parent} {extra}>'
        f"<style:paragraph-properties {para}>{tabs}</style:paragraph-properties>"
        f"<style:text-properties {text}/></style:style>"
    )


_BOLD_TEAL = f'fo:font-weight="bold" fo:color="{TEAL}"'


def _tabs(*stops: str) -> str:
    return f"<style:tab-stops>{''.join(stops)}</style:tab-stops>"


_NUMBER_TAB = '<style:tab-stop style:position="{}"/>'
_RIGHT_TAB = f'<style:tab-stop style:position="{TEXT_WIDTH}" style:type="right"/>'

STYLES = [
    _p(
        "Standard",
        "",
        'fo:margin-bottom="0.2cm"',
        'style:font-name="Carlito" fo:font-size="10.5pt"',
    ),
    _p("Text_20_body", "Standard", 'fo:margin-top="0.1cm" fo:margin-bottom="0.2cm"'),
    _p("Heading", "Standard", 'fo:keep-with-next="always"', _BOLD_TEAL),
    _p(
        "Heading_20_1",
        "Heading",
        'fo:break-before="page" fo:margin-bottom="0.6cm" fo:padding-bottom="0.1cm"'
        f' fo:border-bottom="0.75pt solid {TEAL}"',
        'fo:font-size="16pt"',
        'style:default-outline-level="1"',
    ),
    _p(
        "Heading_20_2",
        "Heading",
        'fo:margin-top="0.6cm" fo:margin-bottom="0.2cm"',
        'fo:font-size="13pt"',
        'style:default-outline-level="2"',
    ),
    _p(
        "Heading_20_3",
        "Heading",
        'fo:margin-top="0.4cm" fo:margin-bottom="0.15cm"',
        'fo:font-size="11.5pt"',
        'style:default-outline-level="3"',
    ),
    _p(
        "Title",
        "Standard",
        f'fo:margin-top="4.5cm" fo:margin-bottom="0.4cm" fo:border-left="3pt solid {TEAL}"'
        ' fo:padding-left="0.4cm"',
        f'fo:font-size="28pt" {_BOLD_TEAL}',
        'style:master-page-name="CilCover"',
    ),
    _p(
        "Subtitle",
        "Standard",
        f'fo:margin-bottom="6cm" fo:border-left="3pt solid {TEAL}" fo:padding-left="0.4cm"',
        f'fo:font-size="17pt" fo:color="{GREY}"',
    ),
    _p("Author", "Standard", 'fo:margin-bottom="0cm"', f'fo:font-weight="bold" fo:color="{GREY}"'),
    _p("Date", "Standard", "", f'fo:color="{GREY}"'),
    _p("Contents_20_Heading", "Heading_20_1", "", 'fo:font-size="16pt"'),
    _p(
        "Contents_20_1",
        "Standard",
        'fo:margin-top="0.2cm" fo:margin-bottom="0.05cm"',
        'fo:font-weight="bold"',
        tabs=_tabs(_NUMBER_TAB.format("1cm")),
    ),
    _p(
        "Contents_20_2",
        "Standard",
        'fo:margin-left="1cm" fo:margin-bottom="0.05cm"',
        tabs=_tabs(_NUMBER_TAB.format("1.25cm")),
    ),
    _p("Table_20_Contents", "Standard", 'fo:margin-bottom="0cm"', 'fo:font-size="9.5pt"'),
    _p("Table_20_Heading", "Table_20_Contents", "", _BOLD_TEAL),
    _p(
        "Caption", "Standard", 'fo:margin-top="0.15cm"', f'fo:font-style="italic" fo:color="{GREY}"'
    ),
    _p(
        "Footer",
        "Standard",
        'fo:margin-bottom="0cm"',
        'fo:font-size="8pt" fo:color="#595959"',
        tabs=_tabs(_RIGHT_TAB),
    ),
]
_OUTLINE_LEVEL = (
    '<text:outline-level-style text:level="{n}" style:num-format="1" text:display-levels="{n}">'
    '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
    '<style:list-level-label-alignment text:label-followed-by="listtab"'
    ' text:list-tab-stop-position="{w}cm" fo:text-indent="-{w}cm" fo:margin-left="{w}cm"/>'
    "</style:list-level-properties></text:outline-level-style>"
)
OUTLINE = (
    f'<text:outline-style {_DECL} style:name="Outline">'
    + "".join(_OUTLINE_LEVEL.format(n=n, w=w) for n, w in ((1, 1.0), (2, 1.25), (3, 1.5)))
    + "</text:outline-style>"
)
PAGE = {"page-width": "21cm", "page-height": "29.7cm", "margin-top": "1.6cm"}
PAGE |= {"margin-bottom": "1.6cm", "margin-left": "2.2cm", "margin-right": "2.2cm"}
FOOTER = (
    '<style:footer {decl}><text:p text:style-name="Footer">{footer_title} · {organisation}'
    '<text:tab/>page <text:page-number text:select-page="current">1</text:page-number> / '
    "<text:page-count>1</text:page-count></text:p></style:footer>"
)


def finish_odt(data: bytes, meta: DocumentMeta) -> bytes:
    """pandoc's ODT `data` in the house style, with TOC entries; zip normalised."""
    entries = zip_entries(data)
    styles = etree.fromstring(entries["styles.xml"])
    content = etree.fromstring(entries["content.xml"])
    _house_style(styles, meta)
    _table_cells(content)
    _captions_and_alt_text(content)
    _fill_toc(content)
    entries["styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8")
    entries["content.xml"] = etree.tostring(content, xml_declaration=True, encoding="UTF-8")
    return write_zip(entries)


def _house_style(root, meta: DocumentMeta) -> None:
    """Fonts, paragraph styles, heading numbering, A4 pages, footer and a footerless cover."""
    root.find("office:font-face-decls", NS).append(
        etree.fromstring(
            f'<style:font-face {_DECL} style:name="Carlito" svg:font-family="Carlito"'
            ' style:font-family-generic="swiss" style:font-pitch="variable"/>'
        )
    )
    for props in root.iterfind(".//style:default-style/style:text-properties", NS):
        props.attrib.update({q("style:font-name"): "Carlito", q("fo:font-size"): "10.5pt"})
    office_styles = root.find("office:styles", NS)
    for xml in [*STYLES, OUTLINE]:
        new = etree.fromstring(xml)
        for old in office_styles:
            if old.tag == new.tag and old.get(q("style:name")) == new.get(q("style:name")):
                office_styles.remove(old)
        office_styles.append(new)
    layout = root.find(".//style:page-layout/style:page-layout-properties", NS)
    layout.attrib.update({q(f"fo:{k}"): v for k, v in PAGE.items()})
    masters = root.find("office:master-styles", NS)
    standard = masters.find("style:master-page", NS)
    for old in standard.findall("style:footer", NS):
        standard.remove(old)
    values = {k: escape(str(getattr(meta, k))) for k in ("footer_title", "organisation")}
    footer = etree.fromstring(FOOTER.format(decl=_DECL, **values))
    if meta.notice:
        notice = etree.SubElement(footer, q("text:p"))
        notice.set(q("text:style-name"), "Footer")
        notice.text = meta.notice
    standard.append(footer)
    cover = etree.SubElement(masters, q("style:master-page"))
    cover.attrib.update(
        {
            q("style:name"): "CilCover",
            q("style:page-layout-name"): standard.get(q("style:page-layout-name")),
            q("style:next-style-name"): standard.get(q("style:name")),
        }
    )


def _table_cells(root) -> None:
    """Borders on every cell, a shaded header row (pandoc writes cells without borders)."""
    for name, fill in (("TableHeaderRowCell", LIGHT), ("TableRowCell", None)):
        for props in root.xpath(
            f"//style:style[@style:name='{name}']/style:table-cell-properties", namespaces=NS
        ):
            props.set(q("fo:border"), f"0.5pt solid {RULE}")
            props.set(q("fo:padding"), "0.06cm")
            if fill:
                props.set(q("fo:background-color"), fill)


def _captions_and_alt_text(root) -> None:
    """French captions ("Tableau 1 : ..."); a figure's caption becomes its image's alt text,
    which pandoc's ODT writer drops."""
    for sequence in root.iterfind(".//text:p/text:sequence", NS):
        if sequence.tail and sequence.tail.startswith(": "):
            sequence.tail = "\u00a0" + sequence.tail
        parent = sequence.getparent()
        if parent.text and parent.text.endswith(" "):
            parent.text = parent.text[:-1] + "\u00a0"
    for frame in root.xpath(
        "//text:p[@text:style-name='FigureWithCaption']/draw:frame", namespaces=NS
    ):
        caption = frame.getparent().getnext()
        if caption is None or frame.find("svg:title", NS) is not None:
            continue
        sequence = caption.find("text:sequence", NS)
        text = (sequence.tail if sequence is not None else "".join(caption.itertext())) or ""
        title = etree.SubElement(frame, q("svg:title"))
        title.text = text.lstrip("\u00a0: ").strip()


def _fill_toc(root) -> None:
    """One TOC paragraph per level 1-2 heading: number, tab, linked text (no page number)."""
    toc = root.find(".//text:table-of-content", NS)
    if toc is None:
        return
    title = toc.findtext(".//text:index-title-template", default="", namespaces=NS)
    body = etree.SubElement(toc, q("text:index-body"))
    head = etree.SubElement(body, q("text:index-title"))
    heading = etree.SubElement(head, q("text:p"))
    heading.set(q("text:style-name"), "Contents_20_Heading")
    heading.text = title
    counters = [0, 0, 0]
    for h in root.iterfind(".//text:h", NS):
        level = int(h.get(q("text:outline-level"), "1"))
        if level > 3:
            continue
        counters[level - 1] += 1
        counters[level:] = [0] * (3 - level)
        if level > 2:
            continue
        mark = h.find("text:bookmark-start", NS)
        entry = etree.SubElement(body, q("text:p"))
        entry.set(q("text:style-name"), f"Contents_20_{level}")
        link = etree.SubElement(entry, q("text:a"))
        link.set(q("xlink:type"), "simple")
        if mark is not None:
            link.set(q("xlink:href"), "#" + mark.get(q("text:name")))
        link.text = ".".join(str(c) for c in counters[:level])
        tab = etree.SubElement(link, q("text:tab"))
        tab.tail = "".join(h.itertext()).strip()
