"""Shared fixtures: real territory folders, copied so that a test may damage them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "territories" / "cc-rhone-crussol"


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
