"""A footer of its own for the landscape sections that wide tables are set in.

The house footer puts the page number on a right tab stop at the portrait text width; on a
landscape page that stop falls mid-page. Word's alignment tab (`w:ptab`) would follow the margin,
but LibreOffice reads it as a plain tab; so each landscape section gets a copy of its footer
whose paragraphs clear the portrait stop and set one at the landscape text width.
"""

from __future__ import annotations

import re

from lxml import etree

from generator.render.ooxml import element, parse, serialise, w
from generator.render.table_layout import section_page
from generator.render.zipfix import zip_entries

RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_FOOTER_TYPE = f"{_R}/footer"
_FOOTER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


def _landscape(sect_pr: etree._Element) -> bool:
    size = sect_pr.find(w("pgSz"))
    return size is not None and size.get(w("orient")) == "landscape"


def _retabbed(footer: bytes, portrait: int, landscape: int) -> bytes:
    """The footer with each paragraph's tab stop moved from `portrait` to `landscape` twips."""
    root = parse(footer)
    for p in root.iter(w("p")):
        props = p.find(w("pPr"))
        if props is None:
            props = element("pPr")
            p.insert(0, props)
        for old in props.findall(w("tabs")):
            props.remove(old)
        tabs = element(
            "tabs",
            None,
            element("tab", {"val": "clear", "pos": str(portrait)}),
            element("tab", {"val": "right", "pos": str(landscape)}),
        )
        style = props.find(w("pStyle"))
        props.insert(0 if style is None else 1, tabs)
    return serialise(root)


def landscape_footers(data: bytes, body: etree._Element) -> dict[str, bytes]:
    """The parts to add or change in the DOCX `data` so that every landscape section of `body`
    (changed in place) has its footer with the page number at its own right margin."""
    turned = [s for s in body.iter(w("sectPr")) if _landscape(s)]
    if not turned:
        return {}
    entries = zip_entries(data)
    rels = etree.fromstring(entries[RELS])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    portrait = section_page(body.find(w("sectPr"))).text_width
    types = entries[TYPES]
    changes: dict[str, bytes] = {}
    made: dict[tuple[str, int], str] = {}
    taken = set(targets.values())
    for sect_pr in turned:
        width = section_page(sect_pr).text_width
        for ref in sect_pr.findall(w("footerReference")):
            rid = ref.get(f"{{{_R}}}id")
            target = targets.get(rid)
            if target is None or f"word/{target}" not in entries:
                continue
            key = (target, width)
            if key not in made:
                number = 1 + max(int(n) for n in re.findall(r"footer(\d+)\.xml", " ".join(taken)))
                name = f"footer{number}.xml"
                taken.add(name)
                new_id = f"rIdLandscapeFooter{number}"
                changes[f"word/{name}"] = _retabbed(entries[f"word/{target}"], portrait, width)
                rels.append(
                    etree.Element(
                        f"{{{_PKG}}}Relationship",
                        Id=new_id,
                        Type=_FOOTER_TYPE,
                        Target=name,
                    )
                )
                override = f'<Override PartName="/word/{name}" ContentType="{_FOOTER_CONTENT}"/>'
                types = types.replace(b"</Types>", override.encode() + b"</Types>")
                made[key] = new_id
            ref.set(f"{{{_R}}}id", made[key])
    if not made:
        return {}
    changes[RELS] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    changes[TYPES] = types
    return changes
