"""Golden figures of the Rhône Crussol annexes, computed from the data, and the gaps found."""

from __future__ import annotations

import pytest

from generator.documents import annexes_ppgdid
from generator.documents.common import MISSING
from generator.territory.load import load_territory
from tests.making import context_of

from .conftest import EXAMPLE, replace_in

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def annexes():
    return context_of(annexes_ppgdid.DOCUMENT, load_territory(EXAMPLE), 2025)


def test_qualification_summary_is_22_326_95_34_dwellings(annexes):
    context, _ = annexes
    summary = context["qualification"]["resume"]
    assert [row[2] for row in summary] == ["22", "326", "95", "34", "20", "475", "972"]
    assert [row[3] for row in summary][:4] == [f"{n}{NNBSP}%" for n in (2, 34, 10, 3)]


def test_class_ranges_have_no_gap(annexes):
    context, _ = annexes
    ranges = [row[0] for row in context["qualification"]["resume"][:4]]
    assert ranges == [
        f"Moins de 15{NNBSP}%",
        f"De 15{NNBSP}% à moins de 33{NNBSP}%",
        f"De 33{NNBSP}% à moins de 60{NNBSP}%",
        f"60{NNBSP}% et plus",
    ]


def test_residences_at_stake_follow_the_rule(annexes):
    context, _ = annexes
    residences = context["qualification"]["residences"]
    assert [r[1] for r in residences] == [
        "29 avenue du 8 Mai",
        "60 rue de la Bonneterie",
        "530 avenue des Frères Montgolfier",
        "115 rue Georges Charpak",
        "5 A rue Oscar de Saint-Prix",
    ]
    assert residences[1][2] == "19"


def test_thresholds_since_2019_with_derived_monthly_figures(annexes):
    context, _ = annexes
    assert context["seuils"][1] == ["2020", f"9{NNBSP}369{NBSP}€", f"781{NBSP}€"]
    assert [row[0] for row in context["seuils"]] == [str(y) for y in range(2019, 2025)]


def test_guichet_lists_per_level_come_from_the_one_table(annexes):
    context, _ = annexes
    levels = {level["numero"]: level for level in context["guichets"]}
    assert levels[2]["noms"] == ["Cornas", "Saint-Péray", "Soyons", "Toulaud"]
    assert "Guilherand-Granges" in levels[3]["prevus"]
    assert "Ardèche Habitat" in levels[3]["ouverts"]


def test_empty_cells_become_gaps_with_their_place(annexes):
    _, gaps = annexes
    places = {(g.location.file.split("/")[-1], g.location.row, g.location.column) for g in gaps}
    assert ("guichets.csv", 2, "adresse") in places
    assert ("guichets.csv", 18, "ouverture") in places  # Charmes-sur-Rhône: planned, no date


def test_missing_threshold_year_is_a_gap_and_a_mark(territory_copy):
    replace_in(
        territory_copy / "data" / "seuils_quartile.csv", "2021,9199,Annexe 5 du PIA 2025,\n", ""
    )
    context, gaps = context_of(annexes_ppgdid.DOCUMENT, load_territory(territory_copy), 2025)
    assert context["seuils"][2][1] == MISSING
    assert any("threshold of 2021" in g.what for g in gaps)
