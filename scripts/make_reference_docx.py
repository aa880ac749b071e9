"""Build templates/reference.docx, the house style pandoc applies to every DOCX.

Starts from pandoc's own reference document (so every style pandoc uses exists) and rewrites
styles, page setup, footer and fonts with lxml. Run again after editing this file; the output
is byte-identical for identical input:

    .venv/bin/python scripts/make_reference_docx.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypandoc
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.render.zipfix import read_entry, replace_entries  # noqa: E402

OUT = ROOT / "templates" / "reference.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

FONT = "Carlito"  # metric-compatible with Calibri, which Word substitutes for it (same panose)
MONO = "Liberation Mono"
TEAL = "1F4E5F"
GREY = "404040"
LIGHT = "DCE7EB"  # table header shading
RULE = "9FB4BC"  # table borders
# A4 with 2.2 cm margins: 11906 - 2 * 1247 = 9412 twips of text width.
PAGE_W, PAGE_H, MARGIN = 11906, 16838, 1247
TEXT_W = PAGE_W - 2 * MARGIN
COVER_BAR = f'<w:pBdr><w:left w:val="single" w:sz="48" w:space="14" w:color="{TEAL}"/></w:pBdr>'


def fonts(name: str = FONT) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def para(sid: str, name: str, based: str | None, ppr: str = "", rpr: str = "") -> tuple:
    return ("paragraph", sid, name, based, ppr, rpr)


def char(sid: str, name: str, rpr: str) -> tuple:
    return ("character", sid, name, "DefaultParagraphFont", "", rpr)


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def cover(spacing: str, rpr: str, bar: bool = True) -> tuple[str, str]:
    """Cover paragraphs: kept together, indented, most with the teal bar on their left."""
    return (
        f'<w:keepNext/>{COVER_BAR if bar else ""}{spacing}<w:ind w:left="300"/>',
        rpr,
    )


def heading(level: int, half_points: int, before: int, after: int, tab: int, extra: str = ""):
    """Heading N: number and text separated by a tab (pandoc --number-sections writes both)."""
    ppr = (
        f"<w:keepNext/><w:keepLines/>{extra}"
        f'<w:tabs><w:tab w:val="left" w:pos="{tab}"/></w:tabs>'
        f'<w:spacing w:before="{before}" w:after="{after}"/>'
        f'<w:ind w:left="{tab}" w:hanging="{tab}"/><w:outlineLvl w:val="{level - 1}"/>'
    )
    color = TEAL if level <= 3 else GREY
    rpr = f'<w:b/><w:bCs/><w:color w:val="{color}"/>{size(half_points)}'
    return para(f"Heading{level}", f"heading {level}", "Normal", ppr, rpr)


def toc_level(level: int, indent: int, number: int, before: int, bold: bool) -> tuple:
    """TOC N: number, tab, title, dotted right tab, page number; wrapped lines hang."""
    ppr = (
        f'<w:tabs><w:tab w:val="left" w:pos="{indent + number}"/>'
        f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
        f'<w:spacing w:before="{before}" w:after="20" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:left="{indent + number}" w:right="567" w:hanging="{number}"/>'
    )
    return para(f"TOC{level}", f"toc {level}", "Normal", ppr, "<w:b/><w:bCs/>" if bold else "")


# House style for pages: the cover and the table of contents have pages of their own; chapters
# follow one another on the same page (a chapter starting a page left its predecessor's last
# page nearly empty, and most chapters of a bilan are shorter than a page). A chapter heading
# stays with the start of its text (keepNext) and is set apart by space and a rule.
H1_EXTRA = f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="{TEAL}"/></w:pBdr>'

# (type, styleId, name, basedOn, pPr content, rPr content)
STYLES: list[tuple] = [
    para("Normal", "Normal", None),
    para("BodyText", "Body Text", "Normal", '<w:spacing w:before="60" w:after="120"/>'),
    para("FirstParagraph", "First Paragraph", "BodyText"),
    para("Compact", "Compact", "BodyText", '<w:spacing w:before="20" w:after="20"/>'),
    # Cover page: title block written by pandoc, year and status added by docx_finish.py.
    para(
        "Title",
        "Title",
        "Normal",
        *cover(
            '<w:spacing w:before="2600" w:after="240" w:line="240" w:lineRule="auto"/>',
            f'<w:b/><w:bCs/><w:color w:val="{TEAL}"/>{size(56)}',
        ),
    ),
    para(
        "Subtitle",
        "Subtitle",
        "Normal",
        *cover('<w:spacing w:before="0" w:after="480"/>', f'<w:color w:val="{GREY}"/>{size(34)}'),
    ),
    para(
        "CoverYear",
        "Cover Year",
        "Normal",
        *cover(
            '<w:spacing w:before="0" w:after="0"/>',
            f'<w:b/><w:bCs/><w:color w:val="{TEAL}"/>{size(44)}',
        ),
    ),
    para(
        "CoverStatus",
        "Cover Status",
        "Normal",
        *cover(
            '<w:spacing w:before="0" w:after="0"/>',
            f'<w:caps/><w:color w:val="{TEAL}"/><w:spacing w:val="20"/>{size(24)}',
        ),
    ),
    para(
        "Author",
        "Author",
        "Normal",
        *cover(
            '<w:spacing w:before="3600" w:after="0"/>',
            f'<w:b/><w:bCs/><w:color w:val="{GREY}"/>{size(24)}',
            bar=False,
        ),
    ),
    para(
        "Date",
        "Date",
        "Normal",
        *cover(
            '<w:spacing w:before="0" w:after="0"/>',
            f'<w:color w:val="{GREY}"/>{size(24)}',
            bar=False,
        ),
    ),
    heading(1, 32, 480, 240, 567, H1_EXTRA),
    heading(2, 26, 360, 120, 709),
    heading(3, 23, 240, 80, 851),
    *(heading(n, 21, 200, 60, 993) for n in range(4, 10)),
    para(
        "TOCHeading",
        "TOC Heading",
        "Heading1",
        '<w:pageBreakBefore/><w:spacing w:before="0"/><w:ind w:left="0" w:firstLine="0"/>'
        '<w:outlineLvl w:val="9"/>',
    ),
    toc_level(1, 0, 567, 100, True),  # single-spaced: a long plan's contents fit one page
    toc_level(2, 567, 709, 0, False),
    toc_level(3, 1276, 851, 0, False),
    para(
        "Caption",
        "caption",
        "Normal",
        '<w:spacing w:before="80" w:after="240"/>',
        f'<w:i/><w:iCs/><w:color w:val="{GREY}"/>{size(19)}',
    ),
    para(
        "TableCaption",
        "Table Caption",
        "Caption",
        '<w:keepNext/><w:spacing w:before="240" w:after="80"/>',
    ),
    para("ImageCaption", "Image Caption", "Caption", '<w:jc w:val="center"/>'),
    para("Figure", "Figure", "Normal", '<w:jc w:val="center"/>'),
    para(
        "CaptionedFigure",
        "Captioned Figure",
        "Figure",
        '<w:keepNext/><w:spacing w:before="240" w:after="0"/>',
    ),
    para(
        "BlockText",
        "Block Text",
        "BodyText",
        f'<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="{RULE}"/></w:pBdr>'
        '<w:ind w:left="284" w:right="284"/>',
        f'<w:color w:val="{GREY}"/>',
    ),
    para("FootnoteText", "footnote text", "Normal", '<w:spacing w:after="40"/>', size(18)),
    para(
        "Footer",
        "footer",
        "Normal",
        f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
        '<w:spacing w:before="0" w:after="0"/>',
        f'<w:color w:val="595959"/>{size(16)}',
    ),
    char("Hyperlink", "Hyperlink", f'<w:color w:val="{TEAL}"/><w:u w:val="single"/>'),
    char("VerbatimChar", "Verbatim Char", f"{fonts(MONO)}{size(19)}"),
    char("SectionNumber", "Section Number", ""),
]

_BORDER = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"'
TABLE_STYLE = f"""
<w:style {NS} w:type="table" w:default="1" w:styleId="Table">
  <w:name w:val="Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblInd w:w="0" w:type="dxa"/>
    <w:tblBorders><w:top {_BORDER}/><w:left {_BORDER}/><w:bottom {_BORDER}/><w:right {_BORDER}/>
      <w:insideH {_BORDER}/><w:insideV {_BORDER}/></w:tblBorders>
    <w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="{TEAL}"/></w:rPr>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LIGHT}"/>
      <w:vAlign w:val="bottom"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""

# One line: the short title and the organisation on the left, « page N / M » on the right.
FOOTER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {NS}>
  <w:p><w:pPr><w:pStyle w:val="Footer"/><w:pBdr><w:top w:val="single" w:sz="4" w:space="4"
    w:color="{TEAL}"/></w:pBdr></w:pPr>
    <w:r><w:t xml:space="preserve">{{footer_title}} · {{organisation}}</w:t></w:r><w:r><w:tab/></w:r>
    <w:r><w:t xml:space="preserve">page </w:t></w:r>
    <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
    <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
    <w:r><w:t xml:space="preserve"> / </w:t></w:r>
    <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r>
    <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
  </w:p>
</w:ftr>"""  # noqa: E501 - field runs read best on one line

SECT_PR = f"""<w:sectPr {NS}>
  <w:footerReference w:type="default" r:id="rIdHouseFooter"/>
  <w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>
  <w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}"
    w:header="567" w:footer="567" w:gutter="0"/>
  <w:cols w:space="708"/>
  <w:titlePg/>
</w:sectPr>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>cil : style de référence</dc:title><dc:creator>cil</dc:creator><cp:lastModifiedBy>cil</cp:lastModifiedBy><dc:language>fr-FR</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"""  # noqa: E501

FONT_ENTRY = f"""<w:font {NS} w:name="{FONT}"><w:altName w:val="Calibri"/>
  <w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/>
  <w:pitch w:val="variable"/></w:font>"""


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def build_style(kind: str, sid: str, name: str, based: str | None, ppr: str, rpr: str):
    custom = ' w:customStyle="1"' if name[0].isupper() and sid not in _BUILTIN else ""
    parts = [f'<w:style {NS} w:type="{kind}"{custom} w:styleId="{sid}"><w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if sid.startswith(("Heading", "Title", "Subtitle", "Author", "Date", "Cover")):
        parts.append('<w:next w:val="BodyText"/>')
    if sid.startswith("TOC"):
        parts.append('<w:uiPriority w:val="39"/><w:unhideWhenUsed/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return etree.fromstring("".join(parts))


# Word's own styles (no customStyle flag); the others are pandoc's or ours.
_BUILTIN = {"Normal", "BodyText", "Title", "Subtitle", "Date", "Hyperlink", "BlockText"}
_BUILTIN |= {"TOCHeading"}


def edit_styles(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    # Theme fonts would win over explicit ones in Word: name the font everywhere instead.
    for rfonts in root.iter(w("rFonts")):
        for attr in list(rfonts.attrib):
            del rfonts.attrib[attr]
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(w(attr), FONT)
    defaults = root.find(w("docDefaults"))
    defaults.find(f"{w('rPrDefault')}/{w('rPr')}/{w('sz')}").set(w("val"), "21")
    defaults.find(f"{w('rPrDefault')}/{w('rPr')}/{w('szCs')}").set(w("val"), "21")
    defaults.find(f"{w('rPrDefault')}/{w('rPr')}/{w('lang')}").set(w("val"), "fr-FR")
    spacing = defaults.find(f"{w('pPrDefault')}/{w('pPr')}/{w('spacing')}")
    spacing.attrib.update({w("after"): "120", w("line"): "264", w("lineRule"): "auto"})
    by_id = {s.get(w("styleId")): s for s in root.iter(w("style"))}
    new = [build_style(*spec) for spec in STYLES] + [etree.fromstring(TABLE_STYLE)]
    for style in new:
        old = by_id.get(style.get(w("styleId")))
        if old is not None:
            old.addprevious(style)
            root.remove(old)
        else:
            root.append(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edit_document(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    body = root.find(w("body"))
    body.remove(body.find(w("sectPr")))
    body.append(etree.fromstring(SECT_PR))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_relationship(xml: bytes) -> bytes:
    rel = (
        '<Relationship Id="rIdHouseFooter" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    )
    return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def add_content_type(xml: bytes) -> bytes:
    override = (
        '<Override PartName="/word/footer1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    )
    return xml.replace(b"</Types>", override.encode() + b"</Types>")


def edit_fonts(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    root.insert(0, etree.fromstring(FONT_ENTRY))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edit_settings(xml: bytes) -> bytes:
    xml = re.sub(rb'<w:defaultTabStop w:val="\d+"\s*/>', b'<w:defaultTabStop w:val="567"/>', xml)
    return xml.replace(b'w:themeFontLang w:val="en-US"', b'w:themeFontLang w:val="fr-FR"')


def edit_theme(xml: bytes) -> bytes:
    latin = f'<a:latin typeface="{FONT}"/>'.encode()
    return re.sub(rb'<a:latin typeface="[^"]*"[^>]*/>', latin, xml)


def main() -> None:
    pandoc = pypandoc.get_pandoc_path()
    base = subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    ).stdout
    part = {
        name: read_entry(base, name)
        for name in (
            "word/styles.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "[Content_Types].xml",
            "word/fontTable.xml",
            "word/settings.xml",
            "word/theme/theme1.xml",
        )
    }
    data = replace_entries(
        base,
        {
            "word/styles.xml": edit_styles(part["word/styles.xml"]),
            "word/document.xml": edit_document(part["word/document.xml"]),
            "word/_rels/document.xml.rels": add_relationship(part["word/_rels/document.xml.rels"]),
            "[Content_Types].xml": add_content_type(part["[Content_Types].xml"]),
            "word/fontTable.xml": edit_fonts(part["word/fontTable.xml"]),
            "word/settings.xml": edit_settings(part["word/settings.xml"]),
            "word/theme/theme1.xml": edit_theme(part["word/theme/theme1.xml"]),
            "word/footer1.xml": FOOTER.encode(),
            "docProps/core.xml": CORE.encode(),
        },
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
