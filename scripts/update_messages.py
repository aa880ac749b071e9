#!/usr/bin/env python3
"""Keep the French catalogue of the messages (generator/locale/fr.po) in step with the code.

Usage:
    python scripts/update_messages.py           # add the new msgids (empty), drop the gone ones
    python scripts/update_messages.py --check   # exit 1 when a msgid lacks its translation

Every `_("…")` and `N_("…")` of generator/ whose first argument is a literal is a msgid (an AST
walk: f-strings and variables are not msgids, and tests/test_messages_wrapped.py keeps messages
from being written outside the seam). An untranslated message shows in English.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
CATALOGUE = PACKAGE / "locale" / "fr.po"


@dataclass
class Msgid:
    """A message of the code, where it is written and the fields its calls pass."""

    text: str
    places: list[tuple[str, int]] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    open_fields: bool = False  # a call passes **mapping: its fields are not known statically


def placeholders(text: str) -> set[str]:
    """The `{names}` of a message (a literal brace is written `{{`)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def extract(package: Path = PACKAGE) -> dict[str, Msgid]:
    """Every msgid of the package, with its places and fields."""
    found: dict[str, Msgid] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            text = node.args[0].value
            item = found.setdefault(text, Msgid(text))
            item.places.append((path.relative_to(package.parent).as_posix(), node.lineno))
            for keyword in node.keywords:
                if keyword.arg is None:
                    item.open_fields = True
                else:
                    item.fields.add(keyword.arg)
    return found


def read_catalogue(path: Path = CATALOGUE) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale="fr")


def updated(catalogue: Catalog, messages: dict[str, Msgid]) -> Catalog:
    """The catalogue with the code's msgids, in the code's order; translations kept."""
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # no date churning the file at each update
    fresh = Catalog(
        locale="fr",
        project="cil",
        version="1",
        header_comment=catalogue.header_comment,
        creation_date=fixed,
        revision_date=fixed,
        fuzzy=False,
    )
    for text, item in messages.items():
        old = catalogue.get(text)
        flags = ["python-brace-format"] if placeholders(text) and item.fields else []
        fresh.add(
            text,
            old.string if old is not None else "",
            locations=item.places,
            flags=flags,
        )
    return fresh


def untranslated(catalogue: Catalog, messages: dict[str, Msgid]) -> list[str]:
    return [
        text
        for text in messages
        if (entry := catalogue.get(text)) is None or not entry.string or entry.fuzzy
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say what lacks a translation")
    arguments = parser.parse_args()
    messages = extract()
    catalogue = read_catalogue()
    if arguments.check:
        missing = untranslated(catalogue, messages)
        for text in missing:
            print(f"untranslated: {text!r}")
        return 1 if missing else 0
    with CATALOGUE.open("wb") as target:
        write_po(target, updated(catalogue, messages), width=100, include_lineno=False)
    print(f"{CATALOGUE.relative_to(ROOT)}: {len(messages)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
