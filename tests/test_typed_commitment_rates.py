"""Percentages typed in engagements_partenaires.csv are compared with the rates cil computes for
the same partner and objective: `cil check` warns, located, when they differ."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.documents.cia_commitments import typed_rate_warnings
from generator.territory.load import load_territory

from .conftest import ROOT

GRAND_PIC = ROOT / "territories" / "cc-grand-pic-saint-loup"
FILE = "engagements_partenaires.csv"


@pytest.fixture
def grand_pic(tmp_path: Path) -> Path:
    target = tmp_path / "territories" / GRAND_PIC.name
    shutil.copytree(GRAND_PIC, target)
    return target


def _with_items(folder: Path, *items: str) -> int:
    """The items appended to the table; the row number (the header is row 1) of the first."""
    path = folder / "data" / FILE
    text = path.read_text(encoding="utf-8")
    first = len(text.splitlines()) + 1
    path.write_text(text + "".join(f"{item}\n" for item in items), encoding="utf-8")
    return first


def test_the_bundled_commitments_agree_with_the_computed_rates():
    for name in ("cc-grand-pic-saint-loup", "cc-rhone-crussol", "exemple-fictif"):
        assert typed_rate_warnings(load_territory(ROOT / "territories" / name)) == [], name


def test_a_typed_rate_that_differs_is_located_by_file_row_and_column(grand_pic):
    row = _with_items(
        grand_pic,
        "1,Bailleurs,Hérault Logement,Consacrer 20 % des attributions aux ménages du premier "
        "quartile.,",
    )
    [warning] = typed_rate_warnings(load_territory(grand_pic))
    assert f'data/{FILE}, row {row}, column "texte": « 20' in warning
    assert "for Hérault Logement where objectifs gives 25" in warning


def test_the_computed_rate_typed_or_an_unrelated_percentage_is_fine(grand_pic):
    _with_items(
        grand_pic,
        "1,Bailleurs,,Consacrer 25 % des attributions aux ménages du premier quartile.,",
        "1,Bailleurs,CDC Habitat,Accepte un taux d'effort de 33 % ; loger le premier quartile.,",
    )
    assert typed_rate_warnings(load_territory(grand_pic)) == []


def test_a_group_of_landlords_is_held_to_the_rate_of_their_non_reserved_dwellings(grand_pic):
    row = _with_items(
        grand_pic, "2,Bailleurs,,Attribuer 40 % de leurs logements aux ménages prioritaires.,"
    )
    [warning] = typed_rate_warnings(load_territory(grand_pic))
    assert f"row {row}" in warning and "objectifs gives 25" in warning


def test_cil_check_prints_the_warning(grand_pic, monkeypatch):
    row = _with_items(
        grand_pic, "1,État,,Réserver 50 % du contingent aux ménages prioritaires et DALO.,"
    )
    monkeypatch.chdir(grand_pic.parent.parent)
    result = CliRunner().invoke(main, ["check", GRAND_PIC.name])
    assert result.exit_code == 0, result.output
    assert f'{FILE}, row {row}, column "texte": « 50' in result.output
    assert "for État where objectifs gives 100" in result.output
