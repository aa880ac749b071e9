"""Hostile and odd inputs, one folder each under tests/corpus/, run through the real command.

A case is a folder holding `case.yaml` (what it tests, the command, the expected exit code and
message) and what it changes in a copy of the example territory: files under `files/` copied
over the copy, paths listed under `remove`, and a `make.py` whose `make(territory)` builds what
is better generated than committed (spreadsheets, FIFOs, symlinks, huge files).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .conftest import EXAMPLE

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yaml").is_file())


def _prepare(case: Path, territory: Path) -> None:
    shutil.copytree(EXAMPLE, territory)
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    for relative in spec.get("remove", []):
        (territory / relative).unlink()
    if (case / "files").is_dir():
        shutil.copytree(case / "files", territory, dirs_exist_ok=True)
    if (case / "make.py").is_file():
        loader = importlib.util.spec_from_file_location(f"corpus_{case.name}", case / "make.py")
        assert loader is not None and loader.loader is not None
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
        module.make(territory)


def _run(spec: dict[str, Any], territory: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(territory.parent)  # the case names the territory by its folder
    args = [str(a).replace("{territory}", territory.name) for a in spec.get("args", ["check"])]
    if args == ["check"]:
        args.append(territory.name)
    return CliRunner().invoke(main, args, catch_exceptions=True)


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CORPUS / name
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    if spec.get("skip_as_root") and os.geteuid() == 0:
        pytest.skip("root reads every file: the case needs an ordinary user")
    territory = tmp_path / "territories" / "cc-rhone-crussol"
    _prepare(case, territory)
    result = _run(spec, territory, monkeypatch)
    output = result.output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == spec["exit"], output
    for expected in spec.get("expect", []):
        assert expected in output, f"{expected!r} not in:\n{output}"
    for unexpected in spec.get("absent", []):
        assert unexpected not in output, f"{unexpected!r} in:\n{output}"


def test_every_case_says_what_it_tests() -> None:
    for name in CASES:
        spec = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
        assert spec.get("about"), f"{name}: say what the case tests (about:)"
        assert "exit" in spec, f"{name}: give the expected exit code (exit:)"
