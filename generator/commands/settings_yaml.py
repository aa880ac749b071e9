"""Writing settings back into territory.yaml, changing only what differs and keeping comments."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any


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
    return stream.getvalue()


def _patch(node: Any, wanted: Any) -> Any:
    """`node` (ruamel's, with comments) made equal to `wanted`, changing only what differs."""
    if isinstance(node, dict) and isinstance(wanted, dict):
        for key in [k for k in node if k not in wanted]:
            del node[key]
        for key, value in wanted.items():
            node[key] = _patch(node[key], value) if key in node else _plain(value)
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
