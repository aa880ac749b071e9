"""Pydantic's validation errors in our words, in the reader's language.

Pydantic says "Input should be a valid integer, unable to parse string as an integer", in English,
whatever the reader reads. Each error is told from its `type` instead, with the bound or the
choices it names and the value found; the messages our own validators raise (`value_error`) are
already ours, translated where they are raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rapidfuzz import process

from generator.messages import _, language_in_use


def explained(item: Any, known_keys: Iterable[str] = ()) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as a message for the user;
    `known_keys` are where an unknown key's likely spelling is looked for."""
    kind, context = item["type"], item.get("ctx") or {}
    if kind == "missing":
        return _("missing — this setting is required")
    if kind == "extra_forbidden":
        return _("unknown setting — check its spelling in docs/territory-format.md") + suggestion(
            str(item["loc"][-1]) if item["loc"] else "", known_keys
        )
    if kind in ("value_error", "assertion_error"):
        return str(context.get("error", item["msg"]))
    message = _described(kind, context) or _("value refused ({reason})", reason=item["msg"])
    found = item.get("input")
    if found is None or isinstance(found, dict | list):
        return message
    return message + _(', got "{value}"', value=found)


def suggestion(key: str, known_keys: Iterable[str]) -> str:
    """« — did you mean "…"? » with the closest known key, or nothing."""
    found = process.extractOne(key, sorted(known_keys), score_cutoff=70) if key else None
    return _(' — did you mean "{guess}"?', guess=found[0]) if found else ""


def _choices(context: dict[str, Any]) -> str:
    """Pydantic's list of choices ("'a', 'b' or 'c'"), its « or » in the reader's language."""
    expected = str(context.get("expected", ""))
    return expected.replace("' or '", "' ou '") if language_in_use() == "fr" else expected


def _described(kind: str, context: dict[str, Any]) -> str | None:
    """The message of one kind of error, or None for a kind we do not describe."""
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("expected a whole number")
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"):
        return _("expected a number, e.g. 23.5")
    if kind in ("bool_parsing", "bool_type"):
        return _("expected « oui » or « non » (true or false)")
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return _("expected a date, e.g. 2025-01-15")
    if kind in ("string_type", "str_type"):
        return _("expected a text")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("expected a list: one line per item ([1], [2]…)")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("expected a group of settings")
    if kind in ("literal_error", "enum"):
        return _("expected one of {choices}", choices=_choices(context))
    if kind == "greater_than_equal":
        return _("expected at least {bound}", bound=context.get("ge"))
    if kind == "greater_than":
        return _("expected more than {bound}", bound=context.get("gt"))
    if kind == "less_than_equal":
        return _("expected at most {bound}", bound=context.get("le"))
    if kind == "less_than":
        return _("expected less than {bound}", bound=context.get("lt"))
    if kind in ("too_short", "string_too_short"):
        return _("too short: at least {count} expected", count=context.get("min_length"))
    if kind in ("too_long", "string_too_long"):
        return _("too long: at most {count} expected", count=context.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("not in the expected form ({pattern})", pattern=context.get("pattern"))
    if kind == "decimal_max_places":
        return _("at most {count} decimals", count=context.get("decimal_places"))
    return None
