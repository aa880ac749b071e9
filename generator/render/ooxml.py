"""WordprocessingML namespaces and small helpers for parts edited with lxml: the one place that
spells the namespaces (render and the redline commands import them from here)."""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W_NS}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Qualified name of a `w:` element or attribute."""
    return f"{{{W_NS}}}{tag}"


def local(el: etree._Element) -> str:
    """Tag name without its namespace ("" for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(remove_blank_text=False, resolve_entities=False))


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def element(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element):
    """`w:tag` with `w:` attributes and children."""
    el = etree.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()}, nsmap=NSMAP)
    el.extend(children)
    return el


def paragraph_style(p: etree._Element) -> str | None:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return None if style is None else style.get(w("val"))


def styled_paragraph(style: str, text: str) -> etree._Element:
    """A paragraph of one run of literal text."""
    t = element("t", None)
    t.text = text
    t.set(XML_SPACE, "preserve")
    return element(
        "p", None, element("pPr", None, element("pStyle", {"val": style})), element("r", None, t)
    )


def text_of(el: etree._Element) -> str:
    """Visible text of a run container; tabs and breaks become spaces."""
    parts = []
    for node in el.iter(w("t"), w("tab"), w("br"), w("instrText")):
        if node.tag == w("t"):
            parts.append(node.text or "")
        elif node.tag != w("instrText"):
            parts.append(" ")
    return "".join(parts)
