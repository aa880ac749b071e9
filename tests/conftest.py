"""Shared fixtures: real territory folders, copied so that a test may damage them."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "territories" / "cc-rhone-crussol"
# Compiled templates are kept in a folder of the test run's own, not in the user's cache.
os.environ["CIL_CACHE"] = tempfile.mkdtemp(prefix="cil-test-cache-")


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the machine's locale (a French LANG would change every
    assertion); a test of the French messages sets CIL_LANG=fr itself, or uses `language`."""
    monkeypatch.setenv("CIL_LANG", "en")


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in French, as a user whose system speaks French reads them."""
    monkeypatch.setenv("CIL_LANG", "fr")


@pytest.fixture
def territory_copy(tmp_path: Path) -> Path:
    """A writable copy of the example territory."""
    target = tmp_path / "territories" / "cc-rhone-crussol"
    shutil.copytree(EXAMPLE, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Tiers -----------------------------------------------------------------------------------
# `e2e`: runs pandoc or LibreOffice end to end. `libreoffice`: needs LibreOffice (and poppler to
# read its PDFs back); such a test FAILS when they are missing, so that a green run has really
# made the PDFs. Leave them out on purpose with -m "not libreoffice".

_POPPLER = ("pdftotext", "pdfinfo", "pdfimages")


# --- Distribution over xdist workers ---------------------------------------------------------
# `--dist loadfile` (pyproject addopts) keeps the tests of one module on one worker, so that its
# module-scoped fixtures (a territory built once, a LibreOffice conversion…) are made once. The
# corpus (tests/test_corpus.py: one case per test, nothing shared but per-worker caches) is the
# exception: `loadfile` gave its ~255 cases, the largest file, to a single worker. Here each case
# is a unit of its own that any worker may take, and the cases are collected last: xdist hands
# out the largest units first, so the small cases fill the gaps the modules leave and the workers
# finish within a case of each other. (xdist's own `xdist_group` marks would do this with
# `--dist loadgroup`, but xdist 3.8 sets `item._nodeid`, which pytest 9 no longer reads: the
# marks are silently ignored, hence a scheduler of our own.)
_SPREAD = "tests/test_corpus.py::"


def _spread(item: pytest.Item) -> bool:
    return item.nodeid.startswith(_SPREAD)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("libreoffice"):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=_spread)  # stable: the modules keep their order, the corpus goes last


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None  # another --dist given on the command line: xdist's own
    from xdist.scheduler import LoadFileScheduling

    class CorpusSpread(LoadFileScheduling):
        """`loadfile`, but each corpus case a unit of its own."""

        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.startswith(_SPREAD) else super()._split_scope(nodeid)

    return CorpusSpread(config, log)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if not item.get_closest_marker("libreoffice"):
        return
    from generator.render import libreoffice_available

    missing = [tool for tool in _POPPLER if shutil.which(tool) is None]
    if not libreoffice_available():
        missing.insert(0, "LibreOffice with python3-uno")
    if missing:
        pytest.fail(
            f"this test needs {', '.join(missing)}: run scripts/install-system-deps.sh, "
            'or leave it out with -m "not libreoffice"',
            pytrace=False,
        )
