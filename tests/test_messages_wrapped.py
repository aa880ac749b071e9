"""Every user-facing message of generator/ goes through `_()`, so that it can be translated.

An AST walk over the package finds the places a message is handed to the user — a problem added,
an error raised, a gap recorded, a line the command line prints — and refuses words written
there outside `_()`: a literal or an f-string with letters in it. Later code cannot slip back.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
LETTERS = re.compile(r"[A-Za-z]")

#: Errors that only a bug of cil raises (a template handing None to a filter, a conversion asked
#: twice of one LibreOffice instance): said to developers, in English, never translated.
INTERNAL = {
    ("render/__init__.py", "AttributeError"),  # Python's own lazy-import protocol
    ("formatting.py", "ValueError"),
    ("messages.py", "ValueError"),
    ("reference/__init__.py", "KeyError"),
    ("territory/law.py", "KeyError"),
    ("territory/table_docs.py", "ValueError"),
    ("indicators/core.py", "ValueError"),
    ("render/charts.py", "ValueError"),
    ("render/toc.py", "ValueError"),
    ("render/lo_worker.py", "RuntimeError"),
    ("render/libreoffice.py", "RuntimeError"),
    ("render/libreoffice.py", "ValueError"),
    ("render/libreoffice.py", "FileNotFoundError"),
}

#: Constructors whose second argument is the message (the first is its place).
MESSAGE_SECOND = {"Problem", "Gap", "TemplateProblem", "add"}
MESSAGE_KEYWORDS = {"message", "problem", "what", "detail"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _words_outside_translation(node: ast.AST) -> bool:
    """Whether `node` holds a literal with letters that no `_()` / `N_()` / `n_()` wraps."""
    if isinstance(node, ast.Call) and _name(node.func) in ("_", "N_", "n_"):
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTERS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if LETTERS.search(literal):
            return True
    if isinstance(node, ast.IfExp):  # the condition is not shown
        return _words_outside_translation(node.body) or _words_outside_translation(node.orelse)
    if isinstance(node, ast.Compare | ast.Subscript):  # a key or a value compared, not shown
        return False
    return any(_words_outside_translation(child) for child in ast.iter_child_nodes(node))


def _messages(call: ast.Call, relative: str) -> Iterator[ast.expr]:
    """The arguments of `call` that are a message shown to the user."""
    name = _name(call.func)
    if name in MESSAGE_SECOND and len(call.args) >= 2:
        yield call.args[1]
    elif name == "or_missing" and len(call.args) >= 4:
        yield call.args[3]
    elif (
        (name.endswith(("Error", "Problem", "Missing")))
        and call.args
        or name == "echo"
        and relative == "cli.py"
        and call.args
    ):
        yield call.args[0]
    if name.endswith(("Error", "Problem", "Missing")) or name in ("Override", "Gap", "Problem"):
        yield from (k.value for k in call.keywords if k.arg in MESSAGE_KEYWORDS)


def unwrapped_messages() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if (relative, _name(node.func)) in INTERNAL:
                continue
            for message in _messages(node, relative):
                if _words_outside_translation(message):
                    found.append(f"generator/{relative}:{node.lineno}: {ast.unparse(message)}")
    return found


def test_every_message_handed_to_the_user_is_wrapped_in_the_translation_seam():
    assert unwrapped_messages() == []


@pytest.mark.parametrize(
    "source",
    [
        'problems.add(where, f"unknown commune {name}")',
        'raise CellError("expected a date")',
        'raise UsageError(f"no territory {name}: " + hint)',
        'gaps.append(Gap(where, "orientations of the CIA"))',
    ],
)
def test_the_walk_finds_a_message_written_outside_the_seam(source):
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert any(_words_outside_translation(m) for c in calls for m in _messages(c, "x.py"))


@pytest.mark.parametrize(
    "source",
    [
        'problems.add(where, _("unknown commune {name}", name=name))',
        "problems.add(where, str(error))",
        'raise CellError(_("expected {what}", what=", ".join(known)))',
    ],
)
def test_the_walk_accepts_a_wrapped_message(source):
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert not any(_words_outside_translation(m) for c in calls for m in _messages(c, "x.py"))
