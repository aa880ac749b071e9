"""Hostile inputs (issue 16, security): data renders literally, overrides and Word templates run
in a sandbox and stay inside their territory. The trust levels are in docs/security.md."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.cli import main

from .test_deliberation_template import edit_template

#: Reaches `os` through a Jinja global: runs a command in an unsandboxed environment.
ESCAPE = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.output


def override(folder: Path, relative: str, text: str) -> Path:
    target = folder / "overrides" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def test_an_override_block_cannot_reach_python(territory_copy, tmp_path):
    marker = tmp_path / "ran"
    override(territory_copy, "blocs/bilan-avertissement.md.j2", "Avis.\n\n" + ESCAPE % marker)
    code, output = run("check", str(territory_copy))
    assert code == 1
    assert "blocs/bilan-avertissement.md.j2, line 3" in output
    assert "unsafe operation" in output
    assert "Traceback" not in output
    assert not marker.exists()


def test_an_override_cannot_change_the_data_it_shows(territory_copy):
    override(territory_copy, "blocs/bilan-avertissement.md.j2", "{{ annee.__class__ }}\n")
    code, output = run("check", str(territory_copy))
    assert code == 1
    assert "unsafe operation" in output


def test_the_word_template_cannot_reach_python(territory_copy, tmp_path):
    marker = tmp_path / "ran"
    edit_template(territory_copy, "{{ seance.date }}", ESCAPE % marker)
    for command in ("check", "build"):
        out = tmp_path / "out"
        extra = ["--doc", "deliberations", "--format", "docx", "--out", str(out)]
        code, output = run(command, str(territory_copy), *(extra if command == "build" else []))
        assert code == 1, output
        assert "overrides/deliberation/deliberation.docx" in output
        assert "unsafe operation" in output
        assert "Traceback" not in output
        assert not marker.exists()
        assert not list(out.rglob("*.docx"))


def test_the_word_template_sandbox_also_guards_the_rendering(tmp_path):
    from generator.errors import TemplateError
    from generator.render.docx_template import render_word_template
    from generator.render.meta import DocumentMeta

    template = tmp_path / "t.docx"
    document = docx.Document()
    document.add_paragraph("{{ x.__class__.__mro__ }}")
    document.save(template)
    meta = DocumentMeta(title="t", organisation="o", year=2025, status="s", author="a", date="d")
    with pytest.raises(TemplateError, match="unsafe operation"):
        render_word_template(template, {"x": 1}, {}, meta)
