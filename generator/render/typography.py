"""French typography, applied once to every document whatever its format.

What changes (and nothing else):

* the space before « ; ! ? % » becomes U+202F NARROW NO-BREAK SPACE, the space before « : » and
  inside « » becomes U+00A0 NO-BREAK SPACE — a breakable space or a no-break space of the
  other width alike (a line break stays: it is the reader's own, or Markdown's); where there is
  no space, none is added;
* a number and its unit (€, %, points, ans, mois, km, m², h…) and « n° » and its number are
  joined by U+00A0;
* the straight apostrophe between two letters becomes ’ (« l'État » → « l’État »); a straight
  quote anywhere else (5', 'cité') stays, and so does any apostrophe inside a URL, an e-mail
  address, a file name or a path, where it is part of an identifier;
* ordinals « 1er, 1re, 2e, 2nde, XIXe » are marked for superscript (`ordinals`).

`typeset` never changes the length of the text (one character for one), so that the same pass
works on Word runs, where a space and the sign after it may sit in two different runs. Data
values go through it too: a commune name or a label reads the same with the right spaces, and
the pass runs after escaping (on Markdown, skipping code, link targets and attributes; on Word
text), so it never turns a value into markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from generator.render.ooxml import w as _w

NBSP = "\u00a0"
NNBSP = "\u202f"

# Spaces that may stand before a sign: breakable ones and both no-break widths. Not a line
# break: in a value it is the reader's own (escape.LINE_BREAK), in Markdown it may be markup.
_SPACE = "[ \t\u00a0\u202f\u2009]"
_LETTER = r"[^\W\d_]"
# A token where an apostrophe is part of an identifier: URL, e-mail, path, file name. (In
# Markdown « @ » is escaped as « \@ ».)
_IDENTIFIER = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+"
    r"|[\w.+'-]+\\?@[\w-]+(?:\.[\w-]+)+"
    r"|\S*/\S*|[A-Za-z]:\\\S*"
    r"|[\w'-]+\.(?:pdf|docx?|odt|xlsx?|ods|csv|html?|md|txt|png|jpe?g|svg|ya?ml|json|zip)\b",
    re.IGNORECASE,
)
# Before a letter, or before the emphasis a Markdown template opens on it (« l'**efficacité** »).
_APOSTROPHE = re.compile(rf"(?<={_LETTER})'(?=\*{{0,3}}{_LETTER})")
# A whitespace-delimited token holding an apostrophe, from its first character.
_WITH_APOSTROPHE = re.compile(r"(?<!\S)[^\s']*'\S*")
# « ![ » opens an image in Markdown: that « ! » is markup, not punctuation; so is « :: ».
_BEFORE_NARROW = re.compile(rf"{_SPACE}+(?=[;?%‰]|!(?!\[))")
_BEFORE_COLON = re.compile(rf"{_SPACE}+(?=:(?!:))")
_AFTER_OPENING = re.compile(rf"(?<=«){_SPACE}+")
_BEFORE_CLOSING = re.compile(rf"{_SPACE}+(?=»)")
_UNITS = (
    r"€|k€|M€|\$|£|‰|points?|pts?|ans?|mois|jours?|semaines?|heures?|h|min|km²?|m²|m2|ha"
    r"|kg|Mo|Go|°C"
)
_NUMBER_UNIT = re.compile(rf"(?<=\d){_SPACE}(?=(?:{_UNITS})(?![\w²]))")
_NUMERO = re.compile(rf"(?<=\b[nN]°){_SPACE}(?=\d)")
# 1er 1re 1ers 2e 2es 2nd 2nde XIXe; not 2e5, 3ème (left as written), nor inside a longer word;
# one Roman letter alone is a word (« Le », « Ce »), never an ordinal.
_ORDINAL = re.compile(
    r"(?<![\w.,\u2212-])(?:\d+|[IVX]{2,})(er|re|ers|res|e|es|nd|nde|nds|ndes)(?![\w²])"
)
_RULES = (
    (_BEFORE_NARROW, NNBSP),
    (_BEFORE_COLON, NBSP),
    (_AFTER_OPENING, NBSP),
    (_BEFORE_CLOSING, NBSP),
    (_NUMBER_UNIT, NBSP),
    (_NUMERO, NBSP),
)


def _curl(token: re.Match[str]) -> str:
    """The apostrophes of one whitespace-delimited token, unless it is part of an identifier."""
    text = token[0]
    protected = [m.span() for m in _IDENTIFIER.finditer(text)]

    def curl(match: re.Match[str]) -> str:
        at = match.start()
        return "'" if any(start <= at < end for start, end in protected) else "’"

    return _APOSTROPHE.sub(curl, text)


def _apostrophes(text: str) -> str:
    # No identifier spans whitespace, so each token is judged alone: only the few tokens that
    # hold an apostrophe are searched for identifiers (a big table is mostly tokens without).
    return _WITH_APOSTROPHE.sub(_curl, text) if "'" in text else text


def typeset(text: str) -> str:
    """`text` with French spaces and apostrophes; always the same length as `text`."""
    for pattern, space in _RULES:
        text = pattern.sub(lambda m, space=space: space * len(m[0]), text)  # type: ignore[misc]
    return _apostrophes(text)


def ordinals(text: str) -> list[tuple[int, int]]:
    """Spans of the ordinal exponents of `text` (« er » of « 1er »), to set in superscript."""
    return [match.span(1) for match in _ORDINAL.finditer(text)]


# --- Markdown ---------------------------------------------------------------------------------

# What the pass must not touch in pandoc Markdown, tried left to right: a backslash escape
# (kept as text, so that « \{ » never opens an attribute), fenced blocks, code spans, link and
# image targets, attributes, autolinks and raw tags.
_MARKUP = re.compile(
    r"(?P<escape>\\.)"
    r"|(?P<fence>^(?P<ticks>`{3,}|~{3,}).*?^(?P=ticks)[ \t]*$)"
    r"|(?P<code>(?P<quote>`+).+?(?P=quote))"
    r"|(?P<target>\]\([^)\n]*\))"
    r"|(?P<attributes>\{[^{}\n]*\})"
    r"|(?P<tag><[^<>\s][^<>\n]*>)",
    re.MULTILINE | re.DOTALL,
)
_HOLE = "\ue000"  # stands for a protected piece while the text around it is typeset


def typeset_markdown(markdown: str) -> str:
    """The French typography of `typeset`, and ordinals as pandoc superscripts (« 1^er^ »), over
    the text of a pandoc Markdown document; markup is left as it is."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        if match["escape"]:
            return match[0]
        held.append(match[0])
        return _HOLE

    text = typeset(_MARKUP.sub(hold, markdown.replace(_HOLE, "")))
    text = _ORDINAL.sub(lambda m: m[0][: m.start(1) - m.start()] + f"^{m[1]}^", text)
    pieces = iter(held)
    return re.sub(_HOLE, lambda _: next(pieces), text)


# --- Word (text of runs) ----------------------------------------------------------------------


def typeset_pieces(pieces: Sequence[str]) -> list[str]:
    """`typeset` over text split in pieces (Word runs), each piece keeping its length."""
    text = typeset("".join(pieces))
    out, at = [], 0
    for piece in pieces:
        out.append(text[at : at + len(piece)])
        at += len(piece)
    return out


def typeset_word_part(root: etree._Element) -> None:
    """Typeset every paragraph of a Word XML part in place; ordinals become superscript runs."""
    for paragraph in root.iter(_w("p")):
        texts = [t for t in paragraph.iter(_w("t")) if t.getparent().tag == _w("r")]
        if not texts:
            continue
        new = typeset_pieces([t.text or "" for t in texts])
        for element, value in zip(texts, new, strict=True):
            if element.text != value and (element.text or value):
                element.text = value
        _superscript_ordinals(texts)


def _superscript_ordinals(texts: list[etree._Element]) -> None:
    """Split the run of each ordinal exponent found inside one text element."""
    for element in texts:
        spans = ordinals(element.text or "")
        if not spans:
            continue
        run = element.getparent()
        text = element.text or ""
        pieces: list[tuple[str, bool]] = []
        at = 0
        for start, end in spans:
            pieces += [(text[at:start], False), (text[start:end], True)]
            at = end
        pieces.append((text[at:], False))
        anchor = run
        for value, raised in pieces:
            if not value:
                continue
            clone = _clone_run(run, value, raised)
            anchor.addnext(clone)
            anchor = clone
        run.getparent().remove(run)


def _clone_run(run: etree._Element, value: str, raised: bool) -> etree._Element:
    clone = etree.Element(run.tag, dict(run.attrib))
    properties = run.find(_w("rPr"))
    if properties is not None or raised:
        copied = (
            etree.fromstring(etree.tostring(properties))
            if properties is not None
            else etree.Element(_w("rPr"))
        )
        if raised:
            for old in copied.findall(_w("vertAlign")):
                copied.remove(old)
            align = etree.SubElement(copied, _w("vertAlign"))
            align.set(_w("val"), "superscript")
        clone.append(copied)
    text = etree.SubElement(clone, _w("t"))
    text.text = value
    if value != value.strip():
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return clone
