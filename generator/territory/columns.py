"""Column parsers for data tables: each turns a cell into a typed value or says what to write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.messages import _

Parser = Callable[[Any], Any]

_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


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


def date(value: Any) -> dt.date:
    """A date as a spreadsheet stores it, or written 17/03/2025 or 2025-03-17."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise CellError(_('expected a date, got "{raw}" — write it as 17/03/2025', raw=raw))


def choice(*allowed: str) -> Parser:
    """One of a closed list of words, compared without regard to case."""
    by_key = {a.casefold(): a for a in allowed}

    def parse(value: Any) -> str:
        raw = text(value)
        try:
            return by_key[raw.casefold()]
        except KeyError:
            options = ", ".join(f'"{a}"' for a in allowed)
            raise CellError(
                _('expected one of {options}, got "{raw}"', options=options, raw=raw)
            ) from None

    parse.allowed = tuple(allowed)  # type: ignore[attr-defined]  # for drop-down lists
    return parse
