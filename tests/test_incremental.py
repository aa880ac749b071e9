"""A rebuild redoes only what depends on what changed; --all goes past failures."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.builds.batch import FAILED, Request, build_one
from generator.builds.build import build
from generator.cli import main

from .conftest import replace_in

MD = ["md", "html"]
ANNEXES = ["annexes-ppgdid"]


def built_again(territory: Path, out: Path, **kwargs) -> list[str]:
    return build(str(territory), ANNEXES, formats=MD, out=out, **kwargs).rebuilt


def test_nothing_changed_nothing_rebuilt(territory_copy, tmp_path):
    assert built_again(territory_copy, tmp_path) == ["annexes-ppgdid"]
    assert built_again(territory_copy, tmp_path) == []


def test_editing_a_table_the_document_reads_rebuilds_it(territory_copy, tmp_path):
    built_again(territory_copy, tmp_path)
    replace_in(territory_copy / "data" / "parc_ops.csv", "Rue des Fleurs,40,", "Rue des Fleurs,41,")
    assert built_again(territory_copy, tmp_path) == ["annexes-ppgdid"]
    text = (tmp_path / "cc-rhone-crussol" / "2025" / "annexes-ppgdid.md").read_text("utf-8")
    assert "| 327 |" in text


def test_a_new_override_of_a_block_in_use_rebuilds(territory_copy, tmp_path):
    built_again(territory_copy, tmp_path)
    override = territory_copy / "overrides" / "blocs" / "guichets-niveau-2.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("Texte local du niveau 2.\n", encoding="utf-8")
    assert built_again(territory_copy, tmp_path) == ["annexes-ppgdid"]


def test_an_override_of_a_block_not_in_use_rebuilds_nothing(territory_copy, tmp_path):
    built_again(territory_copy, tmp_path)
    unused = territory_copy / "overrides" / "blocs" / "bloc-inutilise.md.j2"
    unused.parent.mkdir(parents=True, exist_ok=True)
    unused.write_text("Jamais inclus.\n", encoding="utf-8")
    assert built_again(territory_copy, tmp_path) == []


def test_a_missing_or_edited_output_is_rebuilt(territory_copy, tmp_path):
    built_again(territory_copy, tmp_path)
    output = tmp_path / "cc-rhone-crussol" / "2025" / "annexes-ppgdid.html"
    output.write_text("edited by hand", encoding="utf-8")
    assert built_again(territory_copy, tmp_path) == ["annexes-ppgdid"]
    output.unlink()
    assert built_again(territory_copy, tmp_path) == ["annexes-ppgdid"]


def test_a_new_format_is_built_and_earlier_ones_stay_listed(territory_copy, tmp_path):
    built_again(territory_copy, tmp_path)
    assert build(str(territory_copy), ANNEXES, formats=["md"], out=tmp_path).rebuilt == []
    assert build(str(territory_copy), ANNEXES, formats=["docx"], out=tmp_path).rebuilt == [
        "annexes-ppgdid"
    ]
    assert built_again(territory_copy, tmp_path) == []


def test_force_rebuilds_everything(territory_copy, tmp_path):
    built_again(territory_copy, tmp_path)
    assert built_again(territory_copy, tmp_path, force=True) == ["annexes-ppgdid"]


def test_a_failing_territory_is_an_outcome_not_a_stop(territory_copy, tmp_path):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "2,Touloud,")
    outcome = build_one(str(territory_copy), Request(None, MD, tmp_path, None, False))
    assert outcome.status == FAILED
    assert 'did you mean "Toulaud"' in outcome.detail


def test_build_all_twice_says_nothing_was_rebuilt(tmp_path):
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--all", "--format", "md", "--out", str(tmp_path)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["build", "--all", "--format", "md", "--out", str(tmp_path)])
    assert second.exit_code == 0, second.output
    assert "0 built" in second.output
    assert "up to date  cc-rhone-crussol" in second.output


def test_outputs_get_the_usual_permissions_not_the_private_ones_of_a_temp_file(tmp_path):
    from generator.builds.outputs import _UMASK, write_atomic

    target = tmp_path / "a" / "file.txt"
    write_atomic(target, b"x")
    assert target.read_bytes() == b"x"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_UMASK


def test_the_tool_fingerprint_covers_the_code_in_a_checkout_and_in_a_wheel(tmp_path):
    """A change to cil's code rebuilds: in a checkout, templates/ and content/ sit beside the
    package (they once made every code file count as data, so nothing rebuilt)."""
    from generator.builds.dependencies import _code_files
    from generator.resources import CONTENT, EXAMPLES, PACKAGE, TEMPLATES

    in_checkout = _code_files(PACKAGE, (TEMPLATES, CONTENT, EXAMPLES))
    assert PACKAGE / "render" / "docx_finish.py" in in_checkout
    assert PACKAGE / "builds" / "dependencies.py" in in_checkout
    wheel = tmp_path / "generator"
    data = wheel / "_data"
    for path in (wheel / "cli.py", data / "templates" / "x.py", data / "content" / "y.json"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    found = _code_files(wheel, (data / "templates", data / "content", data / "territories"))
    assert found == [wheel / "cli.py"]


def test_a_document_asked_in_a_format_it_is_not_made_in_is_said_so_not_up_to_date(tmp_path):
    result = CliRunner().invoke(
        main, ["build", "--doc", "deliberations", "--format", "md", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "not made: deliberations is made in docx, odt, pdf only" in result.output
    assert "up to date" not in result.output
