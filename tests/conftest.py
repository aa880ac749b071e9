"""Shared fixtures: real territory folders, copied so that a test may damage them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "territories" / "cc-rhone-crussol"


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("libreoffice"):
            item.add_marker(pytest.mark.e2e)


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
