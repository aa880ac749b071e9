"""Values read from odd but valid inputs: what the corpus's exit codes cannot show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.territory.columns import text
from generator.territory.config import TerritoryConfig
from generator.territory.load import chosen_year, load_territory

from .conftest import EXAMPLE
from .corpus_tools import xlsx_from_csv


def _shares(folder: Path) -> list[Decimal]:
    return [item.part_sous_40_plus for item in load_territory(folder).parc_ops]


def test_a_cell_formatted_as_a_percentage_reads_as_the_percentage_shown(territory_copy):
    expected = _shares(EXAMPLE)

    def as_percentages(workbook, sheet):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
            if cell.value is not None:
                cell.value = cell.value / 100
                cell.number_format = "0.0%"

    xlsx_from_csv(territory_copy, "parc_ops", as_percentages)
    assert _shares(territory_copy) == expected
    assert Decimal("14.3") in expected


def test_the_visible_sheet_is_read_not_a_hidden_one_before_it(territory_copy):
    expected = sum(item.logements for item in load_territory(EXAMPLE).parc_ops)

    def hidden_copy_first(workbook, sheet):
        old = workbook.create_sheet("ancien", 0)
        for row in sheet.iter_rows(values_only=True):
            old.append(row)
            old.append(row)
        old.sheet_state = "hidden"

    xlsx_from_csv(territory_copy, "parc_ops", hidden_copy_first)
    assert sum(item.logements for item in load_territory(territory_copy).parc_ops) == expected


def test_a_date_in_a_text_column_reads_as_the_user_wrote_it():
    assert text(dt.datetime(2026, 9, 1)) == "01/09/2026"
    assert text(dt.date(2026, 9, 1)) == "01/09/2026"
    assert text(dt.time(20, 30)) == "20:30"


def test_cr_only_line_endings_read_the_same_rows(territory_copy):
    path = territory_copy / "data" / "parc_ops.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert _shares(territory_copy) == _shares(EXAMPLE)


@pytest.mark.parametrize("year", [1, -1, 0, 10_000, 99_999_999_999_999_999_999])
def test_a_year_outside_what_a_territory_may_have_is_a_usage_error(year):
    config = TerritoryConfig.model_validate(
        {
            "siren": "200041366",
            "nom_court": "X",
            "annee": 2025,
            "documents": {"auteur": "A"},
            "qualification": {
                "classes": [{"libelle": "a", "a_partir_de": 0}],
                "residences_enjeu": {"part_minimale": 40},
            },
        }
    )
    with pytest.raises(UsageError, match="choose a year from 2015 to 2100"):
        chosen_year(config, year)
    assert chosen_year(config, None) == 2025
    assert chosen_year(config, 2024) == 2024
