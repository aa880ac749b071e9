#!/usr/bin/env python3
"""Keep the French catalogue of the messages (generator/locale/fr.po) in step with the code.

Usage:
    python scripts/update_messages.py           # add the new msgids (empty), drop the gone ones
    python scripts/update_messages.py --check   # exit 1 when a msgid lacks its translation

Every `_("…")` and `N_("…")` of generator/ whose first argument is a literal is a msgid, and so
is every `n_("…", "…", count)` with its plural form (an AST walk: f-strings and variables are
not msgids, and tests/test_messages_wrapped.py keeps messages from being written outside the
seam). An untranslated message shows in English.

So are click's own messages (`_("…")` and `ngettext("…", "…", n)` of its modules that word usage
errors and help): the command line gives them to click in French (generator/cli.py), and click is
pinned in pyproject.toml, so that its messages change only when we upgrade it.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
CATALOGUE = PACKAGE / "locale" / "fr.po"


@dataclass
class Msgid:
    """A message of the code, where it is written and the fields its calls pass."""

    text: str
    places: list[tuple[str, int]] = field(default_factory=list)
    plural: str | None = None  # click's ngettext: the plural form of `text`
    fields: set[str] = field(default_factory=set)
    open_fields: bool = False  # a call passes **mapping: its fields are not known statically


def placeholders(text: str) -> set[str]:
    """The `{names}` of a message (a literal brace is written `{{`)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


#: click's modules whose messages a user of `cil` may read (not Windows', not completion's).
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def extract_click() -> dict[str, Msgid]:
    """click's own msgids: its `_("…")` and `ngettext("…", "…", n)` calls."""
    import click

    folder = Path(click.__file__).parent
    found: dict[str, Msgid] = {}
    for name in CLICK_MODULES:
        path = folder / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if node.func.id == "_" and len(texts) == 1:
                item = found.setdefault(texts[0], Msgid(texts[0]))
            elif node.func.id == "ngettext" and len(texts) == 2:
                item = found.setdefault(texts[0], Msgid(texts[0], plural=texts[1]))
            else:
                continue
            item.places.append((f"click/{path.name}", node.lineno))
    return found


def extract(package: Path = PACKAGE) -> dict[str, Msgid]:
    """Every msgid of the package, then click's, with their places and fields."""
    found: dict[str, Msgid] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "n_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            text = node.args[0].value
            item = found.setdefault(text, Msgid(text))
            item.places.append((path.relative_to(package.parent).as_posix(), node.lineno))
            if node.func.id == "n_":  # n_(singular, plural, count, **fields): a plural message
                plural = node.args[1] if len(node.args) > 1 else None
                if isinstance(plural, ast.Constant) and isinstance(plural.value, str):
                    item.plural = plural.value
                item.fields.add("count")
            for keyword in node.keywords:
                if keyword.arg is None:
                    item.open_fields = True
                else:
                    item.fields.add(keyword.arg)
    for text, item in extract_click().items():
        found.setdefault(text, item)
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
        if item.plural is None:
            fresh.add(
                text, old.string if old is not None else "", locations=item.places, flags=flags
            )
            continue
        forms = old.string if old is not None and isinstance(old.string, tuple) else ("", "")
        fresh.add((text, item.plural), forms, locations=item.places)
    return fresh


def _translated(entry: Message | None) -> bool:
    if entry is None or entry.fuzzy:
        return False
    return all(entry.string) if isinstance(entry.string, tuple | list) else bool(entry.string)


def untranslated(catalogue: Catalog, messages: dict[str, Msgid]) -> list[str]:
    return [text for text in messages if not _translated(catalogue.get(text))]


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
