"""Every kind of failure a user can cause ends as a message and an exit status, not a traceback.

The CLI has one error boundary (`generator.cli._Cil.invoke`); these tests feed it each kind.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pypandoc
import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.errors import (
    CilError,
    ConversionError,
    DataErrors,
    Location,
    MissingToolError,
    Problem,
    TemplateError,
    UsageError,
)
from generator.render import pandoc
from generator.render.libreoffice import LibreOfficeError, LibreOfficeMissing
from generator.render.templates import TemplateProblem

from .conftest import ROOT, replace_in


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    return result


def build_md_docx(territory: Path, out: Path) -> Result:
    return invoke("build", str(territory), "--doc", "cia", "--format", "docx", "--out", str(out))


@pytest.fixture
def pandoc_cache() -> Iterator[None]:
    """pandoc's path is looked up once per process: forget it around a test that fakes it."""
    pandoc.pandoc_path.cache_clear()
    yield
    pandoc.pandoc_path.cache_clear()


def test_every_render_failure_is_a_cil_error_of_its_kind():
    assert issubclass(TemplateProblem, TemplateError)
    assert issubclass(pandoc.PandocError, ConversionError)
    assert issubclass(LibreOfficeError, ConversionError)
    assert issubclass(LibreOfficeMissing, MissingToolError)
    assert issubclass(pandoc.PandocMissing, MissingToolError)
    for kind in (DataErrors, UsageError, TemplateError, MissingToolError, ConversionError):
        assert issubclass(kind, CilError)


def test_a_located_error_reads_place_then_message():
    error = CilError("unknown key", Location("territory.yaml", key="annee"))
    assert str(error) == 'territory.yaml, setting "annee": unknown key'
    assert TemplateProblem("a.md.j2", "boom", 3).report().startswith("template error: a.md.j2")
    data = DataErrors([Problem(Location("x.csv", row=2), "bad")])
    assert data.location == Location("x.csv", row=2)
    assert data.report().endswith("1 error; nothing was written.")


def test_data_error_is_reported_with_its_place(territory_copy, tmp_path):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "2,Touloud,")
    result = build_md_docx(territory_copy, tmp_path / "out")
    assert result.exit_code == 1
    assert 'guichets.csv, row 12, column "commune"' in result.output
    assert "nothing was written" in result.output


def test_usage_error_exits_with_2():
    result = invoke("build", "no-such-territory")
    assert result.exit_code == 2
    assert 'no territory "no-such-territory"' in result.output


def test_template_syntax_error_in_an_override_names_the_file_and_line(territory_copy, tmp_path):
    override = territory_copy / "overrides" / "blocs" / "guichets-niveau-1.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("Ligne un.\n{% if %}\n", encoding="utf-8")
    result = invoke("build", str(territory_copy), "--format", "md", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "template error: blocs/guichets-niveau-1.md.j2, line 2" in result.output


def test_missing_pandoc_says_how_to_install_it(territory_copy, tmp_path, pandoc_cache, monkeypatch):
    def absent() -> str:
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", absent)
    result = build_md_docx(territory_copy, tmp_path / "out")
    assert result.exit_code == 1
    assert "error: cannot make cia.docx: pandoc is not installed" in result.output
    assert "pypandoc-binary" in result.output
    assert "the previous outputs are unchanged" in result.output


def test_pandoc_failure_shows_what_pandoc_said(territory_copy, tmp_path, monkeypatch):
    broken = tmp_path / "pandoc"
    broken.write_text("#!/bin/sh\necho 'pandoc: out of cheese' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(broken))
    result = build_md_docx(territory_copy, tmp_path / "out")
    assert result.exit_code == 1
    assert "error: cannot make cia.docx: pandoc failed (docx+native_numbering, exit status 3)" in (
        result.output
    )
    assert "it said:\n  pandoc: out of cheese\n" in result.output


def test_unreadable_data_file_is_named(territory_copy, tmp_path):
    table = territory_copy / "data" / "guichets.csv"
    table.unlink()
    table.mkdir()  # a folder where a file should be: unreadable, even for root
    result = build_md_docx(territory_copy, tmp_path / "out")
    assert result.exit_code in (1, 2)
    assert "guichets.csv" in result.output


def test_a_misspelt_key_in_an_override_is_a_located_data_error(territory_copy):
    blocks = territory_copy / "overrides" / "blocs"
    blocks.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "blocs" / "deliberation-textes.yaml", blocks)
    replace_in(blocks / "deliberation-textes.yaml", "\nlois_reforme:", "\nlois_reformes:")
    result = invoke("check", str(territory_copy))
    assert result.exit_code == 1
    assert 'deliberation-textes.yaml, setting "lois_reformes"' in result.output
    assert 'did you mean "lois_reforme"' in result.output
    assert "internal error" not in result.output


def _a_bug(*args: object, **kwargs: object) -> None:
    raise KeyError("lois_reforme")


def test_a_bug_is_an_internal_error_without_traceback(territory_copy, monkeypatch):
    monkeypatch.setattr("generator.builds.check.check", _a_bug)  # imported by the command
    result = invoke("check", str(territory_copy))
    assert result.exit_code == 1
    assert "internal error" in result.output
    assert "lois_reforme" in result.output


def test_debug_shows_the_traceback_of_an_internal_error(territory_copy, monkeypatch):
    monkeypatch.setattr("generator.builds.check.check", _a_bug)  # imported by the command
    result = CliRunner().invoke(main, ["--debug", "check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" in result.output


def test_batch_work_turns_every_failure_into_its_outcome():
    from generator.builds.batch import FAILED, Outcome, attempt

    def fails(error: Exception):
        def action() -> None:
            raise error

        return action

    usage = attempt("t", fails(UsageError("no such thing")))
    assert usage == Outcome("t", FAILED, "no such thing")
    data = attempt("t", fails(DataErrors([Problem(Location("a.csv", row=2), "bad")] * 3)))
    assert data.detail == "a.csv, row 2:\n  bad (and 2 more: cil check t)"
    assert attempt("t", fails(KeyError("x"))).detail == "internal error KeyError: 'x'"
    assert attempt("t", lambda: 42) == 42
