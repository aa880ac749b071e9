"""The shortcuts that make big tables cheap give exactly what the plain passes give.

Each fast path (escape of a plain cell, apostrophes judged token by token, cached number
formatting) is compared with the slow computation it replaces, on generated inputs.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from generator import formatting
from generator.render import escape
from generator.render.typography import _APOSTROPHE, _IDENTIFIER, _apostrophes

# Letters, digits, spaces of every kind, and every character one of the passes looks at.
cell_text = st.text(
    alphabet=st.sampled_from(
        list("aZé1 9\t\n\r\u2028\u2029\u00a0\u202f\x00\x07\x7f.)(-+=:%#*_`{}[]<>|~^$@&\\'/")
    ),
    max_size=30,
)


def _escape_slowly(value: str) -> str:
    """escape_markdown as it was written before the shortcut: every pass, every time."""
    text = escape._CONTROL.sub("", value)
    text = escape._INLINE.sub(r"\\\1", text)
    text = escape._LIST_MARKER.sub(r"\1\\\2", text)
    text = escape._LEADING.sub(r"\1\\\2", text)
    return escape._NEWLINES.sub(escape.LINE_BREAK, text)


@given(cell_text)
def test_escape_shortcut_gives_what_every_pass_gives(value):
    escaped = escape.escape_markdown(value)
    assert isinstance(escaped, Markup)
    assert str(escaped) == _escape_slowly(value)


def test_plain_cells_take_the_shortcut_and_others_do_not():
    assert not escape._TOUCHED.search("Annonay 12 rue de la Paix 45,2 %")
    for touched in ("1. Annonay", "a) b", "- x", "x*y", "x\ny", "(x", "#1"):
        assert escape._TOUCHED.search(touched), touched


def _apostrophes_slowly(text: str) -> str:
    """The apostrophe pass as it was: identifiers searched over the whole text."""
    protected = [m.span() for m in _IDENTIFIER.finditer(text)]

    def curl(match: re.Match[str]) -> str:
        at = match.start()
        return "'" if any(start <= at < end for start, end in protected) else "’"

    return _APOSTROPHE.sub(curl, text)


identifier_text = st.lists(
    st.sampled_from(list("ablé L'’ \t\n\u00a0:/.@\\-+w") + ["pdf", "http://", "www."]),
    max_size=30,
).map("".join)


@given(identifier_text)
def test_apostrophes_token_by_token_match_the_whole_text_pass(text):
    assert _apostrophes(text) == _apostrophes_slowly(text)


def test_apostrophes_in_a_long_table_keep_identifiers():
    row = "| l'Église | https://x.fr/l'a | o'neil@mairie.fr | dossier/l'annexe | d'Annonay |\n"
    text = row * 2000
    assert _apostrophes(text) == _apostrophes_slowly(text)
    assert _apostrophes(row).startswith("| l’Église | https://x.fr/l'a | o'neil@mairie.fr |")


figures = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    ),
)


@given(figures, st.integers(min_value=0, max_value=3), st.booleans())
def test_cached_formatting_of_equal_values_written_differently_is_right(value, decimales, signe):
    rounded = formatting._round(Decimal(value), decimales)
    other = rounded.normalize()  # equal, other exponent: the same key for the cache
    assert formatting._format(rounded, decimales, signe) == formatting._format.__wrapped__(
        rounded, decimales, signe
    )
    assert formatting._format(other, decimales, signe) == formatting._format.__wrapped__(
        other, decimales, signe
    )


def test_equal_values_written_differently_share_one_formatting():
    assert formatting.nombre(Decimal("1.0"), 1) == formatting.nombre(Decimal("1.00"), 1) == "1,0"
    assert formatting.pourcent(0.196) == "19,6\u202f%"
    assert formatting.nombre(1014) == "1\u202f014"
