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
    # A venv of its own, outside the checkout, that borrows the dependencies of the test's venv
    # (a .pth line adds that site-packages after its own; the editable install's finder there
    # is not loaded: only a site directory's .pth files run): installing them again took 35 s.
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    (own,) = (venv / "lib").glob("python3*/site-packages")
    borrowed = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (own / "dependencies.pth").write_text(f"{borrowed}\n", encoding="utf-8")
    python = venv / "bin" / "python"
    install = ["-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-compile"]
    run(sys.executable, *install, wheel, cwd=tmp_path)
    where = run(python, "-c", "import generator; print(generator.__file__)", cwd=empty).stdout
    assert Path(where.strip()).is_relative_to(own)  # the wheel's code, not the checkout's
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
