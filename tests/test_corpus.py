"""Hostile and odd inputs, one folder each under tests/corpus/, run through the real command.

A case is a folder holding `case.yaml` (what it tests, the command, the expected exit code and
message) and what it changes in a copy of the example territory: files under `files/` copied
over the copy, paths listed under `remove`, and a `make.py` whose `make(territory)` builds what
is better generated than committed (spreadsheets, FIFOs, symlinks, huge files).

Optional keys: `folder` names the territory's folder (default: the example's); `scope: data`
checks the data only (the documents are not made: for cases about reading a file, it keeps the
corpus fast); `same_as_example` lists tables that must read exactly as the example's do (the
typed values, row by row), proving that an odd file is read as the user meant.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.builds import check
from generator.cli import main
from generator.territory.load import load_territory

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


def _values(territory: Path, table: str) -> list[dict[str, Any]]:
    """The typed values of a table's rows, without where they were read."""
    items = getattr(load_territory(territory), table)
    return [
        {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name != "row"}
        for item in items
    ]


@functools.cache
def _example_values(table: str) -> list[dict[str, Any]]:
    return _values(EXAMPLE, table)


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CORPUS / name
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    if spec.get("skip_as_root") and os.geteuid() == 0:
        pytest.skip("root reads every file: the case needs an ordinary user")
    territory = tmp_path / "territories" / spec.get("folder", "cc-rhone-crussol")
    _prepare(case, territory)
    if spec.get("scope") == "data":
        monkeypatch.setattr(check, "documents", dict)
    result = _run(spec, territory, monkeypatch)
    output = result.output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == spec["exit"], output
    for expected in spec.get("expect", []):
        assert expected in output, f"{expected!r} not in:\n{output}"
    for unexpected in spec.get("absent", []):
        assert unexpected not in output, f"{unexpected!r} in:\n{output}"
    for table in spec.get("same_as_example", []):
        assert _values(territory, table) == _example_values(table), f"{table} reads otherwise"


def test_every_case_says_what_it_tests() -> None:
    for name in CASES:
        spec = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
        assert spec.get("about"), f"{name}: say what the case tests (about:)"
        assert "exit" in spec, f"{name}: give the expected exit code (exit:)"
