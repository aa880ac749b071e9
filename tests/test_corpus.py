"""Hostile and odd inputs and builds, one folder each under tests/corpus/, run through the real
command, with the invariants of issue 16 checked after every case.

A case is a folder holding `case.yaml` and what it changes in a copy of the example territory:
files under `files/` copied over the copy, and a `make.py` whose `make(territory)` builds what
is better generated than committed (spreadsheets, FIFOs, symlinks, huge files). `case.yaml`:

- `about`: what the case tests (required); `exit`: the expected exit status (required);
- `args`: the command (default `check {territory}`), `{territory}` being the copy's folder name;
  the command runs from the folder holding the copy, so `--out x` is a sibling of it;
- `expect` / `absent`: texts the output must / must not hold;
- `skip_as_root`: the case needs an ordinary user (root reads every file);
- `remove`: paths of the copy to delete;
- `cells`: cells to set, each `{table: demandes.csv, column: source, row: 2, value: "…"}`
  (`row` as a spreadsheet shows it: the header is row 1);
- `before`: a command run on the unchanged copy first, whose outputs are the previous ones
  (the build of a failing case must leave them as they were);
- `literal`: texts every output of the build must show as typed, read back as a reader sees
  them (Markdown through pandoc, HTML, DOCX, ODT, PDF text, workbook cells);
  `literal_in`: the outputs to look in (default: every output with text);
- `outputs`: files the output folder must hold afterwards; `contains`: by output file name,
  texts its bytes must hold as they are (for outputs too large to read back through pandoc);
- `env`: environment variables of the run;
- `fail_drawing`: matplotlib fails on every text holding this string;
- `tools`: tools replaced for the run, e.g. `{pandoc: fails, soffice: hangs}`: `fails` exits 3
  with a message, `hangs` sleeps, `crashes` dies of SIGSEGV, `dies` (soffice) starts the real
  one and kills its process group a second later, `missing` is not there at all;
- `kill: staging`: the command runs as a subprocess whose writes are slowed, and is killed with
  SIGKILL as soon as its staging folder appears (`exit` is then -9); the same build is run
  again afterwards and must repair the folder;
- `parallel`: a second command started at the same time (both as subprocesses; both must exit
  with `exit`);
- `file_size_limit`: the command runs as a subprocess under this RLIMIT_FSIZE (bytes).

After every case (`test_corpus_case`): no traceback, no internal error; nothing written outside
the output folder (the whole temporary tree, TMPDIR included — pointed at a folder of its own —
compared before and after); every output folder holds one complete set, its manifest's (no
staging folder, no temporary file), and a failed command left the previous outputs byte for
byte; no output holds a script, an event handler, a link to a file, or an element or attribute
made of a cell.

Input cases may also give `folder`, the territory's folder name (default: the example's);
`scope: data`, to check the data only (the documents are not made: it keeps reading cases fast);
`same_as_example`, tables that must read exactly as the example's do (the typed values, row by
row), proving that an odd file is read as the user meant.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import importlib.util
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.builds import check
from generator.cli import main
from generator.render import installed
from generator.render import pandoc as pandoc_module
from generator.territory.load import load_territory

from . import corpus_checks as checks
from .conftest import EXAMPLE, ROOT

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yaml").is_file())
#: Previous outputs by command, built once per worker and copied into each case that asks.
_PREVIOUS: dict[tuple[str, ...], Path] = {}


def _spec(case: Path) -> dict[str, Any]:
    return yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))


def _set_cells(territory: Path, cells: list[dict[str, Any]]) -> None:
    import csv

    for cell in cells:
        path = territory / "data" / cell["table"]
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))
        rows[cell["row"] - 1][rows[0].index(cell["column"])] = str(cell["value"])
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)


def _prepare(case: Path, territory: Path) -> None:
    spec = _spec(case)
    for relative in spec.get("remove", []):
        (territory / relative).unlink()
    _set_cells(territory, spec.get("cells", []))
    if (case / "files").is_dir():
        shutil.copytree(case / "files", territory, dirs_exist_ok=True)
    if (case / "make.py").is_file():
        loader = importlib.util.spec_from_file_location(f"corpus_{case.name}", case / "make.py")
        assert loader is not None and loader.loader is not None
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
        module.make(territory)


def _arguments(args: list[Any], territory: Path) -> list[str]:
    arguments = [str(a).replace("{territory}", territory.name) for a in args]
    return [*arguments, territory.name] if arguments == ["check"] else arguments


def _out(arguments: list[str], territory: Path) -> Path:
    """The output folder a command writes to (build/ beside the territory by default)."""
    if "--out" in arguments:
        return territory.parent / arguments[arguments.index("--out") + 1]
    return territory.parent / "build"


def _run(arguments: list[str]) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, arguments, catch_exceptions=True)
    error = result.exception
    return result.exit_code, result.output, None if isinstance(error, SystemExit) else error


# A subprocess build whose fsync sleeps: its write phase lasts long enough to be killed in.
_SLOW_WRITES = """
import os, sys, time
_fsync = os.fsync
os.fsync = lambda fd: (time.sleep(0.5), _fsync(fd))[1]
from generator.cli import main
main(sys.argv[1:], prog_name="cil")
"""


_CLI = """
import sys
from generator.cli import main
main(sys.argv[1:], prog_name="cil")
"""


def _environment() -> dict[str, str]:
    path = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}


def _start(
    arguments: list[str], territory: Path, limit: int | None = None, slow: bool = False
) -> subprocess.Popen:
    def preexec() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, as a full disk gives ENOSPC
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITES if slow else _CLI, *arguments],
        cwd=territory.parent,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=preexec,
    )


def _killed_in_staging(arguments: list[str], territory: Path, out: Path) -> tuple[int, str]:
    process = _start(arguments, territory, slow=True)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if any(out.rglob("*.staging-*")):
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    output = process.communicate(timeout=120)[0].decode("utf-8", "replace")
    return process.returncode, output


def _subprocess(spec: dict[str, Any], arguments: list[str], territory: Path) -> tuple[int, str]:
    processes = [_start(arguments, territory, spec.get("file_size_limit"))]
    if "parallel" in spec:
        processes.append(_start(_arguments(spec["parallel"], territory), territory))
    outputs = [p.communicate(timeout=300)[0].decode("utf-8", "replace") for p in processes]
    codes = {p.returncode for p in processes}
    code = codes.pop() if len(codes) == 1 else max(codes, key=abs)
    return code, "\n".join(outputs)


def _previous(spec: dict[str, Any], territory: Path, cache: Path) -> None:
    """The outputs of `before`, built on the unchanged copy: once per worker, then copied."""
    arguments = _arguments(spec["before"], territory)
    out = _out(arguments, territory)
    key = tuple(arguments)
    if key not in _PREVIOUS:
        code, output, error = _run(arguments)
        assert code == 0 and error is None, output
        _PREVIOUS[key] = cache / f"previous-{len(_PREVIOUS)}"
        shutil.copytree(out, _PREVIOUS[key], symlinks=True)
    else:
        shutil.copytree(_PREVIOUS[key], out, symlinks=True)


def _fake_tools(spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "fail_drawing" in spec:
        _fail_drawing(spec["fail_drawing"], monkeypatch)
    tools = spec.get("tools", {})
    fakes = tmp_path / "fake-bin"
    if "pandoc" in tools:
        fake = checks.fake_tool(fakes, "pandoc", tools["pandoc"])
        monkeypatch.setattr(pandoc_module, "pandoc_path", lambda: str(fake))
    if "soffice" in tools:
        checks.fake_tool(fakes, "soffice", tools["soffice"])
        hidden = tools["soffice"] == "missing"
        path = _without_libreoffice() if hidden else f"{fakes}{os.pathsep}{os.environ['PATH']}"
        monkeypatch.setenv("PATH", path)


_LIBREOFFICE = {"soffice", "libreoffice", "lowriter", "localc", "loimpress", "lodraw", "lomath"}


@functools.cache
def _without_libreoffice() -> str:
    """A PATH of one folder linking every program of PATH but LibreOffice's: the others
    (fc-match for the font metrics…) must stay, or what a case caches would be wrong for the
    tests that follow it in the same worker."""
    folder = Path(tempfile.mkdtemp(prefix="cil-corpus-path-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for directory in reversed(os.environ["PATH"].split(os.pathsep)):
        if not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            if entry.name in _LIBREOFFICE or not os.access(entry.path, os.X_OK):
                continue
            link = folder / entry.name
            link.unlink(missing_ok=True)  # the earlier folders of PATH win
            link.symlink_to(entry.path)
    return str(folder)


def _fail_drawing(marker: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """matplotlib fails to lay out any text holding `marker`, as it would on a text it
    cannot draw."""
    from matplotlib.backends.backend_agg import RendererAgg

    real = RendererAgg.get_text_width_height_descent

    def measure(self: RendererAgg, text: str, *args: Any, **kwargs: Any) -> Any:
        if marker in text:
            raise ValueError("simulated failure: this text cannot be laid out")
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", measure)


@pytest.fixture(scope="module")
def previous_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("previous")


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
def test_corpus_case(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, previous_cache: Path
) -> None:
    case = CORPUS / name
    spec = _spec(case)
    if spec.get("skip_as_root") and os.geteuid() == 0:
        pytest.skip("root reads every file: the case needs an ordinary user")
    if spec.get("tools", {}).get("soffice") == "missing":
        _without_libreoffice()  # made once, in the real temporary folder, not the case's
    territory = tmp_path / "territories" / spec.get("folder", "cc-rhone-crussol")
    shutil.copytree(EXAMPLE, territory)
    arguments = _arguments(spec.get("args", ["check"]), territory)
    out = _out(arguments, territory)
    monkeypatch.chdir(territory.parent)  # the case names the territory by its folder
    if "before" in spec:
        _previous(spec, territory, previous_cache)
    _prepare(case, territory)
    scratch = tmp_path / "tmpdir"  # the case's TMPDIR: empty before, and after
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    for variable, value in spec.get("env", {}).items():
        monkeypatch.setenv(variable, str(value))
    _fake_tools(spec, tmp_path, monkeypatch)
    if spec.get("scope") == "data":
        monkeypatch.setattr(check, "documents", dict)
    previous = checks.files_of(out)
    outside = checks.tree(tmp_path, skip=[out])
    try:
        installed.soffice.cache_clear()
        error = None
        if spec.get("kill") == "staging":
            code, output = _killed_in_staging(arguments, territory, out)
        elif "parallel" in spec or "file_size_limit" in spec:
            code, output = _subprocess(spec, arguments, territory)
        else:
            code, output, error = _run(arguments)
    finally:
        monkeypatch.undo()
        installed.soffice.cache_clear()
        monkeypatch.chdir(territory.parent)
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    assert error is None, output
    assert code == spec["exit"], output
    for expected in spec.get("expect", []):
        assert expected in output, f"{expected!r} not in:\n{output}"
    for unexpected in spec.get("absent", []):
        assert unexpected not in output, f"{unexpected!r} in:\n{output}"
    assert checks.changes(outside, checks.tree(tmp_path, skip=[out])) == [], "written outside"
    for table in spec.get("same_as_example", []):
        assert _values(territory, table) == _example_values(table), f"{table} reads otherwise"
    if spec.get("kill") == "staging":
        problems = checks.output_sets(out)
        assert all(p.startswith("leftover ") for p in problems), problems
        visible = {n: d for n, d in checks.files_of(out).items() if "staging" not in n}
        assert visible == previous, "a killed build changed the visible outputs"
        code, output, error = _run(arguments)
        assert code == 0 and error is None, output
    assert checks.output_sets(out) == []
    if code != 0:
        assert checks.files_of(out) == previous, "a failed command changed the outputs"
        return
    _check_outputs(spec, out)


def _check_outputs(spec: dict[str, Any], out: Path) -> None:
    files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else []
    names = {p.name for p in files}
    for expected in spec.get("outputs", []):
        assert expected in names, f"{expected} not written: {sorted(names)}"
    problems = [problem for path in files for problem in checks.unsafe_markup(path)]
    assert problems == []
    for name, texts in spec.get("contains", {}).items():
        raw = next(p for p in files if p.name == name).read_text(encoding="utf-8")
        for text in texts:
            assert text in raw, f"{text!r} not in {name}"
    literal = spec.get("literal", [])
    if not literal:
        return
    shown = [p for p in files if p.name in spec.get("literal_in", names)]
    for path in shown:
        text = checks.text_of(path)
        if text is None:
            continue
        for value in literal:
            assert checks.shows(text, value, path.suffix), f"{value!r} not shown in {path.name}"


def test_every_case_says_what_it_tests() -> None:
    for name in CASES:
        spec = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
        assert spec.get("about"), f"{name}: say what the case tests (about:)"
        assert "exit" in spec, f"{name}: give the expected exit code (exit:)"
