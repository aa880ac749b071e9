"""Word tracked changes between two versions of one document: the redline a council reads.

Both versions come from the same template and house style, so they differ by paragraphs, table
rows and words, not by layout. The new version's body is kept and every difference from the old
one is marked as a tracked insertion or deletion (`w:ins`, `w:del`), word by word inside a
paragraph or a table cell, row by row in a table, with one author and one date: the same two
inputs give the same file. Word and LibreOffice show the marks and can accept or reject each.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable

from lxml import etree

from generator.commands.tracked import Marks, changed_paragraph, local, text_of, w
from generator.render.zipfix import read_entry, replace_entries

SIMILAR = 0.5  # two blocks this alike are one block changed, not one removed and one added

CONTENT = ("p", "tbl", "sdt")
Pair = tuple[etree._Element | None, etree._Element | None]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _cells(row: etree._Element) -> list[etree._Element]:
    return row.findall(w("tc"))


def _signature(block: etree._Element) -> str:
    name = local(block)
    if name == "tbl":
        rows = block.findall(w("tr"))
        header = rows[0] if rows else block
        return f"tbl:{len(_cells(header))}:{text_of(header)}"
    if name == "sdt":
        return "sdt"  # the table of contents: rebuilt from the headings, never compared
    style = block.find(f"{w('pPr')}/{w('pStyle')}")
    return f"{name}:{'' if style is None else style.get(w('val'))}:{text_of(block)}"


def _similar_blocks(old: etree._Element, new: etree._Element) -> bool:
    if local(old) != local(new):
        return False
    if local(new) == "tbl":
        a, b = old.find(w("tr")), new.find(w("tr"))
        if a is None or b is None or len(_cells(a)) != len(_cells(b)):
            return False
    return local(new) == "sdt" or _ratio(text_of(old), text_of(new)) >= SIMILAR


def _row_signature(row: etree._Element) -> str:
    return "\x1f".join(text_of(cell) for cell in _cells(row))


def _same_row(old: etree._Element, new: etree._Element) -> bool:
    """Rows that name the same thing: same number of cells, same first cell."""
    a, b = _cells(old), _cells(new)
    return len(a) == len(b) and bool(a) and text_of(a[0]) == text_of(b[0]) != ""


def _similar_rows(old: etree._Element, new: etree._Element) -> bool:
    same_width = len(_cells(old)) == len(_cells(new))
    return same_width and _ratio(text_of(old), text_of(new)) >= SIMILAR


def align(
    old: list[etree._Element],
    new: list[etree._Element],
    signature: Callable[[etree._Element], str],
    similar: Callable[[etree._Element, etree._Element], bool],
    same: Callable[[etree._Element, etree._Element], bool] | None = None,
) -> list[Pair]:
    """Old and new items in reading order: kept or changed pairs, removed and added items.

    Where items differ, a new item is paired with the next old one that names the same thing
    (`same`), else with the next one that is `similar`; the others are removed or added.
    """
    matcher = difflib.SequenceMatcher(
        None, [signature(x) for x in old], [signature(x) for x in new], autojunk=False
    )
    pairs: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += list(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        k = i1
        for j in range(j1, j2):
            match = None
            for test in (same, similar):
                if test is not None and match is None:
                    match = next((i for i in range(k, i2) if test(old[i], new[j])), None)
            if match is None:
                pairs.append((None, new[j]))
                continue
            pairs += [(o, None) for o in old[k:match]]
            pairs.append((old[match], new[j]))
            k = match + 1
        pairs += [(o, None) for o in old[k:i2]]
    return pairs


def _block(old: etree._Element | None, new: etree._Element | None, marks: Marks) -> list:
    if new is None:
        if old is None:
            return []
        has_section = old.find(f"{w('pPr')}/{w('sectPr')}") is not None
        return [] if local(old) == "sdt" or has_section else [marks.deleted(old)]
    if old is None:
        return [new if local(new) == "sdt" else marks.inserted(new)]
    if local(new) == "tbl":
        return changed_table(old, new, marks)
    if local(new) == "p" and _signature(old) != _signature(new):
        return [changed_paragraph(old, new, marks)]
    return [new]


def merge_blocks(old_children: list, new_children: list, marks: Marks) -> list:
    """The new children with the old ones' differences marked; properties stay in place."""
    old = [c for c in old_children if local(c) in CONTENT]
    new = [c for c in new_children if local(c) in CONTENT]
    output: dict[int, list] = {}
    pending: list = []
    positions = {id(n): i for i, n in enumerate(new)}
    for o, n in align(old, new, _signature, _similar_blocks):
        pending += _block(o, n, marks)
        if n is not None:
            output[positions[id(n)]], pending = pending, []
    merged, index = [], 0
    for child in new_children:
        if local(child) not in CONTENT:
            merged.append(child)
            continue
        merged += output[index]
        index += 1
        if index == len(new):
            merged += pending
    if not new:
        leading = [c for c in merged if local(c) in ("tcPr", "pPr", "tblPr")]
        merged = leading + pending + [c for c in merged if c not in leading]
    return merged


def _merged_cell(old: etree._Element, new: etree._Element, marks: Marks) -> list:
    """A cell of one paragraph in both versions is changed word by word, however much."""
    a, b = old.findall(w("p")), new.findall(w("p"))
    if len(a) == len(b) == 1 and len(old) == len(new) and _signature(a[0]) != _signature(b[0]):
        return [changed_paragraph(a[0], b[0], marks) if c is b[0] else c for c in new]
    return merge_blocks(list(old), list(new), marks)


def changed_table(old: etree._Element, new: etree._Element, marks: Marks) -> list:
    """The new table, rows added or removed marked as such, changed cells word by word."""
    rows = []
    rows_of = (old.findall(w("tr")), new.findall(w("tr")))
    for o, n in align(*rows_of, _row_signature, _similar_rows, _same_row):
        if o is None:
            rows.append(marks.inserted(n))
        elif n is None:
            rows.append(marks.deleted(o))
        else:
            for old_cell, new_cell in zip(_cells(o), _cells(n), strict=True):
                merged = _merged_cell(old_cell, new_cell, marks)
                for child in list(new_cell):
                    new_cell.remove(child)
                new_cell.extend(merged)
            rows.append(n)
    for row in new.findall(w("tr")):
        new.remove(row)
    new.extend(rows)
    return [new]


def redline_docx(old: bytes, new: bytes, date: dt.datetime) -> bytes:
    """The new DOCX, showing as Word tracked changes what differs from the old one."""
    documents = [etree.fromstring(read_entry(d, "word/document.xml")) for d in (old, new)]
    bodies = [d.find(w("body")) for d in documents]
    merged = merge_blocks(list(bodies[0]), list(bodies[1]), Marks(date))
    for child in list(bodies[1]):
        bodies[1].remove(child)
    bodies[1].extend(merged)
    xml = etree.tostring(documents[1], xml_declaration=True, encoding="UTF-8", standalone=True)
    return replace_entries(new, {"word/document.xml": xml})
