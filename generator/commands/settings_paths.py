"""The settings of territory.yaml as paths and typed values, from its pydantic models.

A setting is named by its path as `cil check` names it: « documents.auteur »,
« cia.orientations[2].titre » (list items from 1), « objectifs.prioritaires.État » (a name),
« objectifs.x["S.A. HLM"] » (a name holding a dot). Its type is found by walking the models
of territory.yaml field by field, so that a cell's text becomes what the model expects.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from generator.territory.config import TerritoryConfig

YES, NO = "oui", "non"
_BOOLEANS = {"oui": True, "vrai": True, "true": True, "1": True} | {
    "non": False,
    "faux": False,
    "false": False,
    "0": False,
}
_SEGMENT = re.compile(r'\.?(?:\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.\[\]"]+))')
_PLAIN_KEY = re.compile(r'^[^.\[\]"]+$')

Key = tuple[str | int, ...]  # a setting's path; list positions from 0, shown from 1
#: The key of an empty row of settings by name (objectifs.prioritaires["…"]): a name to write.
NAME = "…"


def shown(path: Key) -> str:
    """("cia", "orientations", 1, "titre") reads "cia.orientations[2].titre", as `cil check`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif _PLAIN_KEY.match(part) and part != NAME:
            out += f".{part}" if out else part
        else:
            out += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out


def parsed(text: str) -> Key | None:
    """The path a "Réglage" cell names, or None when it is not written as a path."""
    parts: list[str | int] = []
    position = 0
    text = text.strip()
    while position < len(text):
        found = _SEGMENT.match(text, position)
        if not found or found.end() == position or (found.group().startswith(".") and not parts):
            return None
        index, quoted, plain = found.groups()
        if index is not None:
            if int(index) < 1:
                return None
            parts.append(int(index) - 1)
        elif quoted is not None:
            parts.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            parts.append(plain.strip())
        position = found.end()
    return tuple(parts) or None


def options(annotation: Any) -> list[Any]:
    """The types an annotation allows, Optional, unions and Annotated unwrapped; a model that
    declares a SHORTHAND also allows that short form."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return options(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [t for arg in get_args(annotation) for t in options(arg)]
    shorthand = getattr(annotation, "SHORTHAND", None) if is_model(annotation) else None
    if shorthand is not None:  # a model that also takes a bare value (a partner's rate)
        return [annotation, *options(shorthand)]
    return [annotation]


def is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def inner_kinds(annotation: Any, part: str | int) -> list[Any]:
    """The annotations found one step down `part` (a field, a dict key or a list position)."""
    found = []
    for kind in options(annotation):
        origin = get_origin(kind)
        if isinstance(part, int) and origin is list:
            found += options(get_args(kind)[0])
        elif isinstance(part, str) and origin is dict:
            found += options(get_args(kind)[1])
        elif isinstance(part, str) and is_model(kind) and part in kind.model_fields:
            found += options(kind.model_fields[part].annotation)
    return found


def annotation_at(path: Key) -> list[Any]:
    kinds: list[Any] = [TerritoryConfig]
    for part in path:
        kinds = [k for kind in kinds for k in inner_kinds(kind, part)]
    return kinds


def choices_of(path: Key) -> list[str] | None:
    """The closed set of a setting, as typed in a cell: « oui »/« non », a Literal's words."""
    kinds = annotation_at(path)
    if bool in kinds:
        return [YES, NO]
    words = [str(w) for k in kinds if get_origin(k) is Literal for w in get_args(k)]
    return words or None


def is_scalar(kind: Any) -> bool:
    return kind in (str, int, float, Decimal, bool, dt.date) or get_origin(kind) is Literal


def typed(path: Key, value: Any) -> Any:
    """A cell as the model expects it: « oui » a boolean, « 23,5 » a number, « 15/01/2025 » a
    date; anything else is left to the model, which says what is wrong."""
    kinds = annotation_at(path)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, str):
        return value
    text = value.strip()
    if str in kinds or any(get_origin(k) is Literal for k in kinds):
        return value if "\n" in value else text
    if bool in kinds and text.casefold() in _BOOLEANS:
        return _BOOLEANS[text.casefold()]
    if dt.date in kinds:
        found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if found:
            day, month, year = map(int, found.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return text
    if {int, float, Decimal} & set(kinds):
        number = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
        if re.fullmatch(r"-?\d+", number):
            return int(number)
        if re.fullmatch(r"-?\d*\.\d+", number):
            return Decimal(number)
    return text
