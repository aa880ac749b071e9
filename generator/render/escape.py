"""Turn arbitrary values into pandoc Markdown that renders literally.

Templates interpolate data (commune names, free text typed by users) into Markdown; pandoc must
never read those values as markup. Everything here returns `markupsafe.Markup`, the marker that
says "already valid Markdown, do not escape again".
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from generator.messages import _

#: Stands for a line break inside a value. It survives pandoc's Markdown reader inside a `Str`
#: (even in a pipe-table cell, where a real newline would end the row); `linebreak.lua` turns it
#: into a `LineBreak`. U+2028 is Unicode's own LINE SEPARATOR, so the Markdown stays meaningful.
LINE_BREAK = "\u2028"

# Characters pandoc Markdown may read as markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~^$@&])")
# Characters that only matter at the start of a line (lists, quotes, fences, divs, headings...).
_LEADING = re.compile(r"^([ \t]*)([-+=:%(])")
# "1." "2025)" "a)" "iv." "A." at the start: ordered-list markers (fancy_lists is on by default).
_LIST_MARKER = re.compile(r"^([ \t]*\w{1,9})([.)])")
_NEWLINES = re.compile(r"[ \t]*(?:\r\n|\r|\n|\u2029)[ \t]*")
# XML 1.0 forbids these; pandoc would write them into document.xml and break the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Whatever any of the passes below would touch; a value with none of it is already Markdown
# that reads literally (most cells of a big table: names, codes, figures).
_TOUCHED = re.compile(r"[\\`*_{}\[\]<>#|~^$@&\x00-\x1f\x7f\u2029]|^[ \t]*(?:[-+=:%(]|\w{1,9}[.)])")


def escape_markdown(value: Any) -> Markup:
    """Escape `value` for pandoc Markdown, unless it already is `Markup`.

    The result is safe anywhere a value can land: running text, the start of a line, a heading,
    a pipe-table cell. Newlines become `LINE_BREAK` so that they stay line breaks everywhere.
    """
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    if not _TOUCHED.search(text):
        return Markup(text)
    text = _CONTROL.sub("", text)
    text = _INLINE.sub(r"\\\1", text)
    text = _LIST_MARKER.sub(r"\1\\\2", text)
    text = _LEADING.sub(r"\1\\\2", text)
    text = _NEWLINES.sub(LINE_BREAK, text)
    return Markup(text)


# Line breaks of any kind, Unicode's own separators included: in an attribute a blank line would
# end pandoc's `{...}` block and let the rest of the value be read as Markdown. (No-break spaces
# are typography, not breaks: they stay.)
_BLANKS = re.compile(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*")
# A file the build wrote itself, next to the Markdown: no folder, no scheme, nothing to resolve.
_OWN_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def attribute(value: Any) -> str:
    """A value for a quoted pandoc attribute (`key="…"`), read back exactly as given.

    One line (line breaks collapsed), backslashes and double quotes escaped: nothing can close
    the quotes or the `{…}` block, so the value never becomes Markdown or raw HTML.
    """
    text = _BLANKS.sub(" ", _CONTROL.sub("", "" if value is None else str(value))).strip()
    text = text.replace("&", "&amp;")  # pandoc decodes entities in attributes: keep "&lt;" as typed
    return text.replace("\\", "\\\\").replace('"', '\\"')


def image(target: str, caption: Any, alt: Any, width: str) -> Markup:
    """A figure: an image the build made, its caption and its alternative text.

    `target` must be a plain file name of the build's own folder (pandoc embeds it in the HTML):
    a path or a URL is a bug of ours, never something to draw.
    """
    if not _OWN_FILE.match(target) or ".." in target:
        raise ValueError(
            _("image: {target!r} is not a file name of the build's own images", target=target)
        )
    caption_text = _BLANKS.sub(" ", str(escape_markdown(caption))).strip()
    return Markup(f'![{caption_text}]({target}){{width={width} alt="{attribute(alt)}"}}')


def _cell(value: Any) -> str:
    """One table cell: escaped, on one line (a Markup cell keeps its markup)."""
    text = str(escape_markdown(value))
    return _NEWLINES.sub(LINE_BREAK, text).strip() or " "


# "1 234", "12,5 %", "-3", "1 200 €": numbers already formatted by the caller (Babel uses U+202F
# and U+00A0 as French separators).
_NUMERIC_TEXT = re.compile(r"^[-+\u2212]?\d[\d\s\u202f\u00a0.,]*(?:\s?[%€])?$")


# Conventional marks that stand in a figure column without being figures: « s » (statistical
# secret, INSEE notation), dashes for "nothing" or "not applicable".
_FIGURE_MARKS = {"s", "—", "–", "-", "n.d.", "nd"}


def _is_mark(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in _FIGURE_MARKS


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Number):
        return True
    return isinstance(value, str) and bool(_NUMERIC_TEXT.match(value.strip()))


def _default_widths(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Guess relative widths from content: long texts get room, short codes stay narrow.

    A column gets the length of its usual (90th percentile) cell, at least its longest word;
    both are capped so that one very long value cannot squeeze the other columns.
    """
    widths = []
    for col in range(len(header)):
        cells = [str(header[col])] + [str(r[col]) for r in rows if r[col] is not None]
        longest_word = max((len(word) for c in cells for word in c.split()), default=1)
        typical = sorted(len(c) for c in cells)[(len(cells) * 9) // 10]
        widths.append(max(6, min(longest_word, 20), min(typical, 50)))
    return widths


def table(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] | None = None,
    caption: str | None = None,
) -> Markup:
    """A pandoc pipe table with escaped cells and relative column widths.

    pandoc gives a pipe table relative widths (so it fills the text width and wraps cells)
    only when one of its lines is longer than `--columns` (72); the separator line is drawn
    with 100 dashes in total, split in proportion to `widths`. Columns whose values are all
    numbers are right-aligned. `None` cells are empty.
    """
    ncols = len(header)
    if any(len(row) != ncols for row in rows):
        raise ValueError(
            _("table: every row needs {ncols} cells (the header has {ncols})", ncols=ncols)
        )
    if widths is None:
        widths = _default_widths(header, rows)
    if len(widths) != ncols or any(w <= 0 for w in widths):
        raise ValueError(
            _(
                "table: widths needs {ncols} positive numbers, got {widths}",
                ncols=ncols,
                widths=list(widths),
            )
        )
    total = sum(widths)
    dashes = [max(5, round(100 * w / total)) for w in widths]
    seps = []
    for col, n in enumerate(dashes):
        values = [row[col] for row in rows if row[col] is not None and row[col] != ""]
        figures = [v for v in values if not _is_mark(v)]
        numeric = bool(figures) and all(_is_number(v) for v in figures)
        seps.append("-" * (n - 1) + ":" if numeric else "-" * n)
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join(seps) + "|",
    ]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    # Blank line before: a table glued to a paragraph would be read as part of it.
    text = "\n" + "\n".join(lines) + "\n"
    if caption:
        text += f"\nTable: {_cell(caption)}\n"
    return Markup(text)
