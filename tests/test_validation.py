"""Checks across tables run when the territory loads: `cil check` shows them all at once."""

from __future__ import annotations

from click.testing import CliRunner

from generator.cli import main

from .conftest import replace_in


def test_problems_across_different_tables_are_reported_together(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",19,15,16,", ",20,15,16,")
    aggregates = territory_copy / "data" / "attributions_agregees.csv"
    replace_in(aggregates, "2023,,,,56,,11", "2023,,,,56,4,11")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert 'seances.csv, row 2, column "en_exercice":' in result.output
    assert "20 members in office, but seances_membres lists" in result.output
    assert 'attributions_agregees.csv, row 5, column "attributions_qpv":' in result.output
    assert "the territory has no QPV (objectifs.qpv in territory.yaml)" in result.output
    assert "2 errors; nothing was written." in result.output
