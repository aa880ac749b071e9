"""Reading the YAML a territory writes (territory.yaml, content overrides), strictly.

A key given twice would silently keep the last value; a NUL or another control character typed
as an escape ("\\0") would corrupt the DOCX files written later; a file nested thousands deep
would exhaust the parser. Each is refused with its line or key, before anything is built.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.messages import N_, _
from generator.territory.csv_reader import decoded
from generator.territory.table_files import MAX_CELL_CHARS, ReadError, read_bytes

MAX_YAML_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_ALIASES = 100  # a "billion laughs" file expands a few aliases into billions of values
MAX_VALUES = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MERGE = "tag:yaml.org,2002:merge"
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader, when built with it


class YamlProblem(ValueError):
    """A YAML file that cannot be used, with the setting it concerns when known."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if isinstance(key, list | dict):
                continue  # unhashable: the base loader says so
            if key in seen:
                raise YamlProblem(
                    _(
                        'line {line}: the key "{key}" is given twice (first on line {first}):'
                        " keep one",
                        line=line,
                        key=key,
                        first=seen[key],
                    )
                )
            seen[key] = line
        return super().construct_mapping(node, deep)


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """A date such as 2025-13-01 looks like one to YAML but is none: said with its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise YamlProblem(
            _(
                'line {line}: "{value}" is not a date ({reason}): write it as 2025-01-15',
                line=node.start_mark.line + 1,
                value=node.value,
                reason=error,
            )
        ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _syntax(error: yaml.YAMLError, text: str) -> str:
    """A parser's complaint as a user reads it: the line first, a tab named as the culprit."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return _("not valid YAML: {problem}", problem=problem)
    line = mark.line + 1
    lines = text.splitlines()
    typed = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in typed[: mark.column + 1] or "\t" in typed[: len(typed) - len(typed.lstrip())]:
        return _(
            "line {line}: a tab stands here, and YAML indents with spaces only: replace it "
            "by spaces",
            line=line,
        )
    context = getattr(error, "context", None)
    begun = getattr(error, "context_mark", None)
    where = (
        _(" ({context} begun on line {start})", context=context, start=begun.line + 1)
        if context and begun is not None and begun.line != mark.line
        else ""
    )
    return _(
        "not valid YAML: line {line}, column {column}: {problem}{where}",
        line=line,
        column=mark.column + 1,
        problem=problem,
        where=where,
    )


def _line(event: yaml.Event) -> str:
    """The « line N: » where the event starts. The parser always marks its events; the stubs
    allow an event without a mark (one built by hand), which then names no line."""
    mark = event.start_mark
    return _("line {line}: ", line=mark.line + 1) if mark is not None else ""


def _check_shape(text: str) -> None:
    """Refuse deep nesting and alias bombs from the parser's events, stopping at the first."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlProblem(
                    _(
                        "{line}more than {limit} references (*name) to repeated values: write"
                        " the values out",
                        line=_line(event),
                        limit=MAX_ALIASES,
                    )
                )
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(
                    _(
                        "{line}nested more than {limit} levels deep: a setting file is a few"
                        " levels of « key: value »",
                        line=_line(event),
                        limit=MAX_DEPTH,
                    )
                )
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _setting(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _weigh(value: Any, path: tuple[Any, ...], weights: dict[int, int]) -> int:
    """The number of values `value` expands to, each distinct one checked for control characters.

    A value repeated through aliases is checked once (`weights` remembers it by identity) but
    counted each time it appears: that count is what validation would have to go through.
    """
    if isinstance(value, dict | list):
        if id(value) in weights:
            return weights[id(value)]
        items = value.items() if isinstance(value, dict) else enumerate(value)
        weight = 1
        for key, inner in items:
            if isinstance(value, dict):
                weight += _weigh(key, path, weights)
            weight += _weigh(inner, (*path, key), weights)
        weights[id(value)] = weight
        return weight
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise YamlProblem(
            _(
                "the text holds {count} characters, over the limit of {limit}: shorten it",
                count=len(value),
                limit=MAX_CELL_CHARS,
            ),
            key=_setting(path) or None,
        )
    if isinstance(value, str) and (found := _CONTROL.search(value)):
        raise YamlProblem(
            _(
                "a control character (U+{code}), invisible and fatal to the documents: retype"
                " the text",
                code=f"{ord(found.group()):04X}",
            ),
            key=_setting(path) or None,
        )
    return 1


def read_yaml(path: Path) -> Any:
    """The data of a YAML file; YamlProblem says what is wrong, and where when it can."""
    try:
        text = decoded(
            read_bytes(path, MAX_YAML_BYTES, N_("for a YAML file")), _("save it as UTF-8")
        )
    except ReadError as error:
        if error.row:
            raise YamlProblem(_("line {line}: {problem}", line=error.row, problem=error)) from None
        raise YamlProblem(str(error)) from None
    try:
        _check_shape(text)
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise YamlProblem(_syntax(error, text)) from None
    except RecursionError:
        raise YamlProblem(_("nested more than {limit} levels deep", limit=MAX_DEPTH)) from None
    if _weigh(data, (), {}) > MAX_VALUES:
        raise YamlProblem(
            _(
                "the file expands to more than {limit} values through its references (*name):"
                " write the values out",
                limit=MAX_VALUES,
            )
        )
    return data


def overlaid(base: Any, over: Any) -> Any:
    """`over` laid on `base`: mappings merge key by key, at any depth; any other value of
    `over` (a list, a text) replaces the one of `base`. A territory's labels override then
    holds only the words it changes, and a label added to cil later reaches it."""
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: overlaid(base.get(k), v) for k, v in over.items()}}
    return over
