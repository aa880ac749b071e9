"""A wheel built from the repository, installed in a fresh venv outside the checkout, builds the
bundled example: templates, content and territories travel as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.e2e
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "README.md",
    "generator",
    "templates",
    "content",
    "territories",
)
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc")


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_an_installed_wheel_builds_the_example_from_an_empty_folder(tmp_path):
    wheels, venv, empty = tmp_path / "wheels", tmp_path / "venv", tmp_path / "empty"
    empty.mkdir()
    # From a copy: setuptools keeps build/lib between runs, and a module deleted since would
    # travel in the wheel.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=LEFT_OUT)
        else:
            shutil.copy(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-q", "-w", wheels, cwd=tmp_path)
    (wheel,) = wheels.glob("cil-*.whl")
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    done = subprocess.run(
        [venv / "bin" / "cil", "build", "--format", "md,docx", "--out", "out"],
        cwd=empty,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    target = empty / "out" / "cc-rhone-crussol" / "2025"
    for name in ("cia.md", "cia.docx", "ppgdid.docx", "bilan.docx", "annexes-ppgdid.md"):
        assert (target / name).stat().st_size > 0, name
    assert not (empty / "territories").exists()
    assert str(ROOT) not in (target / "manifest.json").read_text(encoding="utf-8")
