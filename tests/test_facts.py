"""The facts a build shares: computed once, from declared inputs, with the bilan's windows."""

from __future__ import annotations

from decimal import Decimal as D

from generator.documents.common import facts_of, load_content
from generator.indicators.allocations import SECRET, Column, IndicatorTable
from generator.indicators.evaluation import legal_priority_share, window, without_empty_rows
from generator.indicators.facts import CONTINGENTS, LABELS
from generator.indicators.results import missing_allocations
from generator.indicators.stock import qualify_stock
from generator.territory.load import load_territory
from generator.territory.objectives import Objectives
from tests.conftest import EXAMPLE, ROOT

FICTIONAL = ROOT / "territories" / "exemple-fictif"
STATE = {"part_max": 0.30, "part_agents_etat_max": 0.05}


def test_theoretical_priority_share_from_the_contingent_split():
    assert legal_priority_share(Objectives(), STATE) == D("0.425")


def test_a_territory_target_for_other_contingents_changes_the_theoretical_share():
    objectives = Objectives(prioritaires={"autres": 30})
    assert legal_priority_share(objectives, STATE) == D("0.25") + D("0.70") * D("0.30")


def test_missing_allocations_is_hidden_with_a_hidden_count_and_unknown_without_one():
    assert missing_allocations(56, 11, D("0.25")) == 3
    assert missing_allocations(SECRET, 11, D("0.25")) is SECRET
    assert missing_allocations(None, 11, D("0.25")) is None


def test_rows_with_nothing_known_are_left_out():
    columns = [Column("Année", "text"), Column("n", "count")]
    table = IndicatorTable("t", "T", columns, [["2022", None], ["2023", 4]])
    assert without_empty_rows(table).rows == [["2023", 4]]


def test_window_of_the_annual_and_triennial_bilans():
    facts = facts_of(load_territory(FICTIONAL))
    latest = facts.allocations.years[-1]
    evaluated, years = window(facts.allocations, latest, "triennial")
    assert evaluated == latest and years == [latest - 2, latest - 1, latest]
    evaluated, years = window(facts.allocations, latest + 5, None)
    assert evaluated == latest and years[-1] == latest and len(years) <= 6
    assert window(facts.allocations, facts.allocations.years[0] - 1, None) == (None, [])


def test_facts_are_computed_once_and_shared():
    facts = facts_of(load_territory(FICTIONAL))
    assert facts.allocations is facts.allocations
    year = facts.allocations.years[-1]
    assert facts.evaluation(year, "final") is facts.evaluation(year, "final")


def test_a_view_of_the_facts_records_the_inputs_of_the_figures_it_used():
    territory = load_territory(FICTIONAL)
    facts = facts_of(territory)
    year = facts.allocations.years[-1]
    first, second = facts.recording(), facts.recording()
    first.evaluation(year, "final")
    second.evaluation(year, "final")  # computed by `first`, its inputs still count for `second`
    tables = ["attributions", "attributions_agregees", "repartitions", "demandes"]
    tables += ["logements_sociaux", "seuils_quartile"]
    # The labels block names the source of records that give none: the facts read it.
    expected = {("table", name) for name in tables}
    expected |= {("content", CONTINGENTS), ("content", LABELS)}
    assert first.reads == second.reads == expected
    assert facts.recording().reads == set()
    assert facts.legal_priority_share == legal_priority_share(
        territory.config.objectifs, load_content(territory, CONTINGENTS)["etat"]
    )


def test_stock_qualification_uses_the_latest_survey_and_sorts_the_residences_at_stake():
    territory = load_territory(EXAMPLE)
    addresses = territory.parc_ops
    found = qualify_stock(addresses, territory.config.qualification, territory.year)
    assert found is not None and found.survey == max(a.annee for a in addresses)
    assert found.total == sum(a.logements for a in addresses if a.annee == found.survey)
    shares = [a.part_sous_40_plus for a in found.at_stake]
    assert shares == sorted(shares, reverse=True)
    rule = territory.config.qualification.residences_enjeu
    assert all(a.part_sous_40_plus >= rule.part_minimale for a in found.at_stake)
    assert facts_of(territory).stock(territory.year) == found


def test_no_stock_qualification_before_the_first_survey():
    territory = load_territory(EXAMPLE)
    first = min(a.annee for a in territory.parc_ops)
    assert qualify_stock(territory.parc_ops, territory.config.qualification, first - 1) is None
