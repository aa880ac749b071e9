"""The real command on real folders: exit codes, located messages, nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

from .conftest import ROOT, replace_in


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_check_of_the_example_lists_what_is_left_to_fill():
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "cc-rhone-crussol 2025: data and templates are valid." in result.output
    assert 'guichets.csv, column "adresse": empty in rows 2-19' in result.output


def test_misspelled_commune_fails_check_and_build_and_writes_nothing(territory_copy, tmp_path):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "2,Touloud,")
    out = tmp_path / "out"
    for command in (
        ["check", str(territory_copy)],
        ["build", str(territory_copy), "--out", str(out)],
    ):
        result = run(*command)
        assert result.returncode == 1
        assert 'guichets.csv, row 12, column "commune":' in result.stderr
        assert 'unknown commune "Touloud" — did you mean "Toulaud" (07323)?' in result.stderr
        assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_failed_build_leaves_earlier_outputs_intact(territory_copy, tmp_path):
    out = tmp_path / "out"
    first = CliRunner().invoke(
        main, ["build", str(territory_copy), "--format", "md", "--out", str(out)]
    )
    assert first.exit_code == 0, first.output
    produced = out / "cc-rhone-crussol" / "2025" / "annexes-ppgdid.md"
    before = produced.read_bytes()
    replace_in(territory_copy / "data" / "seuils_quartile.csv", "2024,10719", "2024,dix mille")
    second = CliRunner().invoke(
        main, ["build", str(territory_copy), "--format", "md", "--out", str(out)]
    )
    assert second.exit_code == 1
    assert produced.read_bytes() == before
    assert not [p for p in produced.parent.iterdir() if p.name.endswith(".tmp")]


def test_unknown_territory_is_a_usage_error():
    result = run("build", "nowhere")
    assert result.returncode == 2
    assert 'no territory "nowhere" — known territories: ' in result.stderr
    assert "cc-rhone-crussol" in result.stderr


def test_unknown_format_and_document_are_usage_errors():
    assert run("build", "--format", "pfd").returncode == 2
    result = run("build", "--doc", "cia2")
    assert result.returncode == 2
    assert 'unknown document "cia2"' in result.stderr


def test_template_with_missing_variable_names_template_and_variable(territory_copy, tmp_path):
    override = territory_copy / "overrides" / "blocs" / "guichets-niveau-1.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("Texte local {{ horaires_mairie }}.\n", encoding="utf-8")
    result = run("build", str(territory_copy), "--format", "md", "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "guichets-niveau-1.md.j2" in result.stderr
    assert "horaires_mairie" in result.stderr
    assert not (tmp_path / "o").exists()


def test_override_replaces_a_default_block_for_one_territory(territory_copy, tmp_path):
    override = territory_copy / "overrides" / "blocs" / "guichets-niveau-1.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("Texte propre à ce territoire pour le niveau 1.\n", encoding="utf-8")
    out = tmp_path / "o"
    result = CliRunner().invoke(
        main, ["build", str(territory_copy), "--format", "md", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = (out / "cc-rhone-crussol" / "2025" / "annexes-ppgdid.md").read_text(encoding="utf-8")
    assert "Texte propre à ce territoire pour le niveau 1." in text
    assert "information de base" not in text


def test_check_names_overrides_and_warns_on_a_misnamed_one(territory_copy):
    blocks = territory_copy / "overrides" / "blocs"
    blocks.mkdir(parents=True, exist_ok=True)
    (blocks / "guichets-niveau-1.md.j2").write_text("Texte local.\n", encoding="utf-8")
    (blocks / "guichet-niveau-2.md.j2").write_text("Faute de nom.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 0, result.output
    assert "overrides content/blocs/guichets-niveau-1.md.j2" in result.output
    assert "overrides/blocs/guichet-niveau-2.md.j2 replaces no default file" in result.output


def test_check_names_an_optional_block_without_calling_it_misnamed(territory_copy):
    blocks = territory_copy / "overrides" / "blocs"
    blocks.mkdir(parents=True, exist_ok=True)
    (blocks / "bilan-avertissement.md.j2").write_text("Avis local.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 0, result.output
    assert "adds blocs/bilan-avertissement.md.j2, an optional block" in result.output
    assert "misnamed" not in result.output


def test_check_all_summarises_every_territory():
    result = CliRunner().invoke(main, ["check", "--all"])
    assert result.exit_code == 0, result.output
    assert "cc-rhone-crussol 2025: valid" in result.output
