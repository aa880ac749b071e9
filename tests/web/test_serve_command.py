"""`cil serve` on the command line: the first administrator, and a fast `cil --help`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.web.access import authenticate
from generator.web.store import Store


def test_create_admin_makes_an_account_that_can_log_in(tmp_path: Path) -> None:
    answers = "chef\nun-mot-de-passe-long\nun-mot-de-passe-long\n"
    result = CliRunner().invoke(
        main, ["serve", "--create-admin", "--data", str(tmp_path)], input=answers
    )
    assert result.exit_code == 0, result.output
    user = authenticate(Store(tmp_path / "cil.sqlite3"), "chef", "un-mot-de-passe-long")
    assert user is not None and user.role == "admin"
    again = CliRunner().invoke(
        main, ["serve", "--create-admin", "--data", str(tmp_path)], input=answers
    )
    assert again.exit_code == 2 and 'an account "chef" already exists' in again.output


def test_a_short_password_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--create-admin", "--data", str(tmp_path)], input="chef\ncourt\ncourt\n"
    )
    assert result.exit_code == 2 and "at least 10 characters" in result.output


def test_cil_help_does_not_import_the_web_application() -> None:
    code = "import sys; from generator.cli import main; print('generator.web' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_create_admin_asks_in_french_with_french_punctuation(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("CIL_LANG", "fr")
    answers = "chef\nun-mot-de-passe-long\nun-mot-de-passe-long\n"
    result = CliRunner().invoke(
        main, ["serve", "--create-admin", "--data", str(tmp_path)], input=answers
    )
    assert result.exit_code == 0, result.output
    assert "Identifiant de l'administrateur : chef" in result.output
    assert "Mot de passe : " in result.output and "Répétez pour confirmer : " in result.output
    assert "compte administrateur « chef » créé" in result.output
