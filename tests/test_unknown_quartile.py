"""An allocation whose household's quartile is not known (no resources, no threshold of the year,
no answer in the data) is left out of its location objective's base and counted in a note; the
objective is unknown only when no allocation of the base has a known quartile."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from generator.documents.common import CONTENT
from generator.documents.presentation import labelled
from generator.indicators.allocations import SECRET, AllocationFacts, Counts
from generator.indicators.facts import allocation_facts
from generator.indicators.results import (
    first_quartile_by_year,
    location_by_scale,
    other_quartiles_in_qpv_by_year,
    unknown_quartile_note,
)
from generator.territory.allocations import EPCI, LANDLORD
from generator.territory.load import load_territory
from generator.territory.objectives import Objectives

HEADER = "annee,date_bail,commune,bailleur,contingent,mutation,ressources_uc\n"
LABELS = yaml.safe_load((CONTENT / "blocs" / "libelles.yaml").read_text(encoding="utf-8"))


def _facts(territory: Path, resources: list[str]) -> AllocationFacts:
    """2024 allocations at Cornas (outside QPV), one per amount of resources ("" unknown); the
    2024 threshold of the example is 10 719 €."""
    # each lease signed on its own day: identical rows would be refused as pasted twice
    rows = "".join(
        f"2024,{day + 1:02d}/03/2024,Cornas,ADIS,État,non,{r}\n" for day, r in enumerate(resources)
    )
    (territory / "data" / "attributions.csv").write_text(HEADER + rows, encoding="utf-8")
    return allocation_facts(load_territory(territory), "SNE")


def _notes(table) -> list[str]:
    return labelled(table, LABELS, 2024).notes


def test_one_unknown_quartile_is_left_out_of_the_base_and_said_in_a_note(territory_copy):
    facts = _facts(territory_copy, ["9000"] * 3 + ["12000"] * 6 + [""])
    counts = facts.epci(2024)
    assert counts.get("premier_quartile_hors_qpv") == 3  # known, never blanked by one record
    assert counts.measured("premier_quartile_hors_qpv", counts.hors_qpv) == 9
    table, result = first_quartile_by_year(facts, Objectives(qpv=False), [2024], 1)
    assert table.row("2024")[2:5] == [10, 3, Decimal(3) / 9]  # all shown, share of the known
    assert result.part == Decimal(3) / 9 and result.a_rattraper == 0  # 25 % of 9 is 3
    assert "En 2024, une attribution dont le quartile n'est pas connu n'est pas comptée" in (
        " ".join(_notes(table)[-1].split())
    )


def test_several_unknown_quartiles_are_counted_in_the_note(territory_copy):
    facts = _facts(territory_copy, ["9000", "12000", "", "", ""])
    table, result = first_quartile_by_year(facts, Objectives(qpv=False), [2024], 1)
    assert result.part == Decimal("0.5")
    note = " ".join(_notes(table)[-1].split())
    assert note.startswith("En 2024, 3 attributions dont le quartile n'est pas connu ne sont")


def test_every_quartile_unknown_leaves_nothing_to_measure(territory_copy):
    facts = _facts(territory_copy, ["", ""])
    assert facts.epci(2024).get("premier_quartile_hors_qpv") is None  # unknown, never 0
    table, result = first_quartile_by_year(facts, Objectives(qpv=False), [2024], 1)
    assert table.row("2024")[3] is None and result.part is None and result.atteint is None


def test_no_unknown_quartile_no_note(territory_copy):
    facts = _facts(territory_copy, ["9000", "12000"])
    table, result = first_quartile_by_year(facts, Objectives(qpv=False), [2024], 1)
    assert result.part == Decimal("0.5") and table.notes == []


def test_a_count_of_unknowns_under_the_secrecy_threshold_is_not_given():
    note = unknown_quartile_note(2, 5, "2024")
    assert note.key == "quartile_inconnu_secret" and dict(note.figures) == {
        "annee": "2024",
        "seuil": "5",
    }
    assert unknown_quartile_note(5, 5, "2024").key == "quartile_inconnu"


def test_the_landlords_table_measures_on_known_quartiles_and_says_so(territory_copy):
    facts = _facts(territory_copy, ["9000", "12000", "12000", ""])
    table = location_by_scale(facts, Objectives(qpv=False), 2024, LANDLORD, 1)
    keys = [c.title for c in table.columns]
    adis = table.row("ADIS")
    assert adis[keys.index("attributions")] == 4 and adis[keys.index("part")] == Decimal(1) / 3
    assert any("une attribution dont le quartile" in n for n in _notes(table))


def _qpv_facts(values: dict[str, int]) -> AllocationFacts:
    counts = Counts(2024, EPCI, "", values, {}, "SNE")
    return AllocationFacts({(2024, EPCI, ""): counts}, {}, {}, {}, {})


def test_the_second_objective_leaves_its_unknowns_out_of_the_allocations_in_qpv():
    facts = _qpv_facts(
        {
            "attributions": 30,
            "attributions_qpv": 20,
            "autres_quartiles_qpv": 9,
            "quartile_inconnu_qpv": 2,
        }
    )
    table, result = other_quartiles_in_qpv_by_year(facts, Objectives(), [2024], 1)
    assert result.part == Decimal("0.5") and table.row("2024")[1] == 20
    assert result.a_rattraper == 0


def test_a_hidden_measured_base_hides_the_share():
    facts = _qpv_facts(
        {
            "attributions": 30,
            "attributions_qpv": 12,
            "autres_quartiles_qpv": 2,
            "quartile_inconnu_qpv": 8,
        }
    )
    table, result = other_quartiles_in_qpv_by_year(facts, Objectives(), [2024], 5)
    assert table.row("2024")[3] is SECRET and result.atteint is True  # 2 of the 4 known
