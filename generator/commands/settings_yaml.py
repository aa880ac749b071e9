"""Writing settings back into territory.yaml, changing only what differs and keeping comments."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from yaml import YAMLError, safe_load


def patched_yaml(text: str, data: dict[str, Any]) -> str:
    """territory.yaml with its settings replaced by `data`, its comments kept where their
    setting stays."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # a long text left as one line stays so
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(text) or {}
    _patch(document, data)
    stream = io.StringIO()
    yaml.dump(document, stream)
    written = stream.getvalue()
    try:
        if safe_load(written) == _plain(data):
            return written
    except YAMLError:
        pass  # a comment placed where YAML allows none
    # Never a file that says other than the workbook: without its comments, rather.
    stream = io.StringIO()
    yaml.dump(_plain(data), stream)
    return stream.getvalue()


def _patch(node: Any, wanted: Any) -> Any:
    """`node` (ruamel's, with comments) made equal to `wanted`, changing only what differs; the
    comment lines that followed a group or list stay after it, whatever it becomes."""
    if isinstance(node, dict) and isinstance(wanted, dict):
        for key in [k for k in node if k not in wanted]:
            _remove(node, key)
        for key, value in wanted.items():
            if key not in node:
                node[key] = _plain(value)
                continue
            old = node[key]
            trailing = _take_trailing(old)
            if trailing is None and not _filled(old) and _filled(value):
                trailing = _take_slot(node, key)  # « key: []  # comment » becoming a list
            node[key] = _patch(old, value)
            _put_trailing(node, key, trailing)
        return node
    if isinstance(node, list) and isinstance(wanted, list):
        for position, value in enumerate(wanted):
            if position < len(node):
                node[position] = _patch(node[position], value)
            else:
                node.append(_plain(value))
        del node[len(wanted) :]
        return node
    if _same(node, wanted):
        return node
    return _plain(wanted)


def _remove(mapping: Any, key: Any) -> None:
    """Delete a setting; the comment lines after it go after the setting before it."""
    keys = list(mapping)
    token = _take_slot(mapping, key) or _take_trailing(mapping[key])
    del mapping[key]
    before = keys[: keys.index(key)]
    if token is not None and before and before[-1] in mapping:
        _put_trailing(mapping, before[-1], token)


def _filled(value: Any) -> bool:
    return isinstance(value, list | dict) and bool(value)


def _comments(node: Any) -> Any:
    return node.ca  # ruamel's comments of a CommentedMap or CommentedSeq


def _take_slot(mapping: Any, key: Any) -> Any:
    slots = _comments(mapping).items.get(key) if hasattr(mapping, "ca") else None
    if not slots or slots[2] is None:
        return None
    token, slots[2] = slots[2], None
    return token


def _take_trailing(node: Any) -> Any:
    """The comment written after the last item of a group or list (and the comment lines
    below it), taken off that item."""
    if not _filled(node) or not hasattr(node, "ca"):
        return None
    if isinstance(node, list):
        slots = _comments(node).items.get(len(node) - 1)
        if slots and slots[0] is not None:
            token, slots[0] = slots[0], None
            return token
        return _take_trailing(node[-1])
    last = list(node)[-1]
    return _take_slot(node, last) or _take_trailing(node[last])


def _put_trailing(mapping: Any, key: Any, token: Any) -> None:
    """The comment back after the value of `key`: after its last item, or after the value."""
    if token is None:
        return
    value = mapping[key]
    if _filled(value):
        mapping[key] = _attach(value, token)
        return
    if isinstance(value, list | dict):
        return  # ruamel would write it between « key: » and « [] »: the comment goes
    _comments(mapping).items.setdefault(key, [None, None, None, None])[2] = token


def _attach(value: Any, token: Any) -> Any:
    """`value` with the comment after its deepest last item."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not hasattr(value, "ca"):
        value = CommentedSeq(value) if isinstance(value, list) else CommentedMap(value)
    last = len(value) - 1 if isinstance(value, list) else list(value)[-1]
    if _filled(value[last]):
        value[last] = _attach(value[last], token)
    elif isinstance(value, list):
        _comments(value).items[last] = [token, None, None, None]
    else:
        _comments(value).items[last] = [None, None, token, None]
    return value


def _same(node: Any, wanted: Any) -> bool:
    if isinstance(node, bool) or isinstance(wanted, bool):
        return node is wanted
    numbers = int | float | Decimal
    if isinstance(node, numbers) and isinstance(wanted, numbers):
        return Decimal(str(node)) == Decimal(str(wanted))
    if isinstance(node, str) and isinstance(wanted, str):
        return str(node) == wanted
    return type(node) is type(wanted) and bool(node == wanted)


def _plain(value: Any) -> Any:
    """A value to write as YAML: a decimal number as YAML writes numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
