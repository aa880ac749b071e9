"""Column parsers for data tables: each turns a cell into a typed value or says what to write."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.messages import _, quoted

Parser = Callable[[Any], Any]

_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
#: « 1 014 » as French Excel shows it: groups of three digits after a space, a non-breaking
#: space or a narrow one (its thousands separator since 2020).
_GROUPED = re.compile(r"^-?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$")
_SPACES = re.compile(r"[ \u00a0\u202f]")
_PERCENT_SIGN = re.compile(r"\s*%$")


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class Column:
    """One column of a data table, as documented to users.

    `description` is the short help of workbook notes and error messages; `doc`, when longer
    help is worth it, replaces it in the table reference of docs/territory-format.md.
    """

    name: str
    parse: Parser
    description: str
    required: bool = False
    needed: bool = False
    example: str = ""
    doc: str = ""


def column_key(name: str) -> str:
    """A column name as typed, compared loosely: « Année », « ANNEE » and « annee » are one,
    as are « Part sous 40 plus », « part-sous-40-plus » and a name broken over two lines."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as the user reads it: 2026 not 2026.0, 01/09/2026 not 2026-09-01 00:00:00."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        shown = value.strftime("%d/%m/%Y")
        return shown if value.time() == dt.time() else f"{shown} {value:%H:%M}"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def _decimal(value: Any, expected: Callable[[], tuple[str, str]]) -> Decimal:
    """The number in a cell; `expected` gives what was expected and a hint, in the reader's
    language, only when the cell holds no number (a table's cells are many)."""
    if isinstance(value, bool):
        what, hint = expected()
        raise CellError(
            _('expected {what}, got "{value}" — {hint}', what=what, value=value, hint=hint)
        )
    if isinstance(value, int | float):
        return Decimal(str(value))
    raw = str(value).strip()
    if _GROUPED.match(raw):
        raw = _SPACES.sub("", raw)
    if not _NUMBER.match(raw):
        what, hint = expected()
        raise CellError(_('expected {what}, got "{raw}" — {hint}', what=what, raw=raw, hint=hint))
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the regex already guards this
        raise CellError(_('expected {what}, got "{raw}"', what=expected()[0], raw=raw)) from error


def count(value: Any) -> int:
    """A whole number of things (dwellings, allocations): no unit, no spaces."""
    number = _decimal(value, lambda: (_("a whole number"), _("write digits only, e.g. 19")))
    if number != number.to_integral_value() or number < 0:
        raise CellError(
            _('expected a whole number, zero or more, got "{value}"', value=text(value))
        )
    return int(number)


def euros(value: Any) -> Decimal:
    number = _decimal(
        value, lambda: (_("an amount in euros"), _("write the number only, e.g. 9684"))
    )
    if number < 0:
        raise CellError(
            _('expected an amount in euros, zero or more, got "{value}"', value=text(value))
        )
    return number


def percent(value: Any) -> Decimal:
    """A share written as a percentage between 0 and 100 (23,5 for 23,5 %)."""
    if isinstance(value, str):  # « 23,5 % » as typed in a spreadsheet
        value = _PERCENT_SIGN.sub("", value.strip())
    number = _decimal(
        value, lambda: (_("a percentage between 0 and 100"), _("write e.g. 23,5 for 23,5 %"))
    )
    if not 0 <= number <= 100:
        raise CellError(
            _('expected a percentage between 0 and 100, got "{value}"', value=text(value))
        )
    return number


def year(value: Any) -> int:
    number = _decimal(value, lambda: (_("a year"), _("write four digits, e.g. 2024")))
    if number != number.to_integral_value() or not 1990 <= number <= 2100:
        raise CellError(_('expected a year such as 2024, got "{value}"', value=text(value)))
    return int(number)


#: Month names as a French date writes them (« 17 mars 2025 », « 1er août 2025 »), with or
#: without accents: a parser's vocabulary, not a sentence.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("janvier", "janv"),
            ("février", "fevrier", "févr", "fevr"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août", "aout"),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("décembre", "decembre", "déc", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDED_DATE = re.compile(r"^(\d{1,2})(?:er)?\s+([^\W\d]+)\.?\s+(\d{4})$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$")


def _day_month_year(raw: str) -> tuple[int, int, int] | None:
    if found := _NUMERIC_DATE.match(raw):
        return int(found[1]), int(found[2]), int(found[3])
    if found := _ISO_DATE.match(raw):
        return int(found[3]), int(found[2]), int(found[1])
    if (found := _WORDED_DATE.match(raw.casefold())) and found[2] in _MONTHS:
        return int(found[1]), _MONTHS[found[2]], int(found[3])
    return None


def date(value: Any) -> dt.date:
    """A date as a spreadsheet stores it, or written as French users do: 17/03/2025, 17-03-2025,
    17.03.2025, 17 mars 2025, 1er mars 2025, or 2025-03-17."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    parts = _day_month_year(raw)
    if parts is None:
        if _SHORT_YEAR.match(raw):
            raise CellError(
                _(
                    'expected a date, got "{raw}" — write the year with four digits (17/03/2025)',
                    raw=raw,
                )
            )
        raise CellError(_('expected a date, got "{raw}" — write it as 17/03/2025', raw=raw))
    day, month, year_ = parts
    try:
        return dt.date(year_, month, day)
    except ValueError:
        raise CellError(
            _(
                '"{raw}" is a date that does not exist (day {day}, month {month}): correct it',
                raw=raw,
                day=day,
                month=month,
            )
        ) from None


def choice(*allowed: str) -> Parser:
    """One of a closed list of words, compared without regard to case."""
    by_key = {a.casefold(): a for a in allowed}

    def parse(value: Any) -> str:
        raw = text(value)
        try:
            return by_key[raw.casefold()]
        except KeyError:
            options = ", ".join(quoted(a) for a in allowed)
            raise CellError(
                _('expected one of {options}, got "{raw}"', options=options, raw=raw)
            ) from None

    parse.allowed = tuple(allowed)  # type: ignore[attr-defined]  # for drop-down lists
    return parse
