"""The words of user-facing messages (errors, warnings), in the reader's language.

Messages are written in English in the code, each wrapped in `_()` with named fields
(`_("unknown commune {name}", name=cell)`, never an f-string inside), and translated from the
French catalogue `generator/locale/fr.po` when French is in use. The language is, in order: the
one given explicitly (`with language("fr"):` — the web application speaks French always), the
environment variable CIL_LANG (fr or en), the system's locale (LC_ALL, LC_MESSAGES, LANG starting
with "fr"), English.

Fields are formatted in the language: in French a number gets a decimal comma, and thousands
separated from 10 000 up (a year or a row number of four digits stays as it is written).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

CATALOGUES = Path(__file__).parent / "locale"
LANGUAGES = ("en", "fr")

_explicit: ContextVar[str | None] = ContextVar("cil_language", default=None)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Messages in `code` ("fr" or "en") inside the block, whatever the environment says."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    token = _explicit.set(code)
    try:
        yield
    finally:
        _explicit.reset(token)


def language_in_use() -> str:
    """The language of messages now: explicit context, CIL_LANG, system locale, English."""
    explicit = _explicit.get()
    if explicit:
        return explicit
    for name in ("CIL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


@functools.cache
def _read(code: str) -> Catalog | None:
    """The .po file of one language, read once (Babel, lazily: the English-speaking command line
    never pays for it)."""
    from babel.messages.pofile import read_po

    path = CATALOGUES / f"{code}.po"
    if not path.is_file():
        return None
    with path.open("rb") as source:
        return read_po(source, locale=code)


@functools.cache
def catalogue(code: str) -> dict[str, str]:
    """msgid → translation of one language (a plural message, such as click's, by its singular:
    its forms are in `translation`)."""
    read = _read(code)
    found = {}
    for entry in read or ():
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, str) and entry.string:
            found[entry.id] = str(entry.string)
        elif isinstance(entry.string, tuple | list) and all(entry.string):
            found[entry.id[0]] = entry.string[0]
    return found


@functools.cache
def translation(code: str) -> gettext.NullTranslations:
    """The catalogue of one language as a gettext translation, plurals included, for the code
    that words its messages with gettext (click: usage errors, help)."""
    read = _read(code) if code != "en" else None
    if read is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, read)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class _Fields(string.Formatter):
    """str.format, with the numbers and dates of French messages written the French way."""

    def __init__(self, code: str) -> None:
        self.code = code

    def format_field(self, value: Any, format_spec: str) -> str:
        if self.code == "fr" and isinstance(value, dt.date) and not format_spec:
            return value.strftime("%d/%m/%Y")  # as French acts write it; English keeps ISO
        if (
            self.code != "fr"
            or isinstance(value, bool)
            or not isinstance(value, int | float | Decimal)
        ):
            return super().format_field(value, format_spec)
        if format_spec:
            return super().format_field(value, format_spec).replace(".", ",")
        return french_number(value)


def french_number(value: int | float | Decimal) -> str:
    """1234 → "1234" (a year, a row), 12345 → "12 345", 23.5 → "23,5"."""
    if isinstance(value, int) and abs(value) < 10_000:
        return str(value)
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        return str(value)
    from generator.formatting import nombre  # Babel: paid only by French messages with numbers

    places = max(0, -int(exact.as_tuple().exponent))
    return nombre(exact, min(places, 6))


def N_(message: str, /) -> str:
    """Marks a message kept in a constant, to be given to `_()` where it is shown (so that the
    language in use then, not at import, is the one it is shown in)."""
    return message


def _(message: str, /, **fields: object) -> str:
    """The message in the language in use, its `{fields}` filled."""
    code = language_in_use()
    text = catalogue(code).get(message, message) if code != "en" else message
    return _Fields(code).vformat(text, (), fields) if fields else text


def quoted(word: object) -> str:
    """A word the user wrote or may write, quoted in the language in use: "word", « mot »."""
    return _('"{word}"', word=word)


def n_(singular: str, plural: str, count: int, /, **fields: object) -> str:
    """The message for `count` things in the language in use, by its plural rule (French puts 0
    and 1 in the singular), its `{fields}` filled, `{count}` among them."""
    code = language_in_use()
    if code == "en":
        text = singular if count == 1 else plural
    else:
        text = translation(code).ngettext(singular, plural, count)
    return _Fields(code).vformat(text, (), {"count": count, **fields})
