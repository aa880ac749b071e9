"""The allocation tables and the policy objectives: what loads, and every located refusal."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.errors import DataErrors
from generator.indicators.facts import allocation_facts
from generator.territory.load import load_territory

from .conftest import EXAMPLE, replace_in

AGGREGATES = "attributions_agregees.csv"


def errors_of(folder: Path, year: int | None = None) -> str:
    with pytest.raises(DataErrors) as caught:
        allocation_facts(load_territory(folder, year), "SNE")
    return caught.value.report()


def test_rhone_crussol_keeps_the_seed_counts_and_its_published_rates():
    territory = load_territory(EXAMPLE)
    rows = {a.annee: a for a in territory.attributions_agregees}
    assert rows[2023].counts == {
        "attributions": 56,
        "premier_quartile_hors_qpv": 11,
        "prioritaires": 27,
        "dalo": 0,
        "mutations": 7,
    }
    assert rows[2022].rates == {"premier_quartile_hors_qpv": Decimal("0.1786")}
    assert rows[2022].counts == {}
    applications = territory.demandes[0]
    assert applications.counts["demandes"] == 979 and applications.counts["mutations"] == 312


def test_rhone_crussol_objectives_are_the_policy_ones():
    objectives = load_territory(EXAMPLE).config.objectifs
    assert objectives.qpv is False
    assert objectives.priority_target("État") == 1
    assert objectives.priority_target("Action Logement") == Decimal("0.25")
    assert objectives.mutations == 15


def test_a_share_given_with_its_count_is_refused(territory_copy):
    replace_in(
        territory_copy / "data" / AGGREGATES,
        "2023,,,,56,,11,,27,0,7,,,,,",
        "2023,,,,56,,11,,27,0,7,,22,,,",
    )
    report = errors_of(territory_copy)
    assert 'attributions_agregees.csv, row 5, column "part_premier_quartile_hors_qpv"' in report
    assert "premier_quartile_hors_qpv is given: leave the share empty, it is computed" in report


def test_a_row_at_two_scales_is_refused(territory_copy):
    replace_in(territory_copy / "data" / AGGREGATES, "2023,,,,56", "2023,Cornas,ADIS,,56")
    report = errors_of(territory_copy)
    assert 'row 5, column "bailleur"' in report
    assert "give at most one of commune, bailleur and contingent" in report


def test_a_part_larger_than_its_whole_is_refused(territory_copy):
    replace_in(
        territory_copy / "data" / AGGREGATES, "2023,,,,56,,11,,27,0,7", "2023,,,,56,,11,,27,30,7"
    )
    assert "30 is more than prioritaires (27)" in errors_of(territory_copy)


def test_communes_adding_up_to_more_than_the_epci_are_refused(territory_copy):
    path = territory_copy / "data" / AGGREGATES
    path.write_text(
        path.read_text(encoding="utf-8")
        + "2023,Cornas,,,40,,,,,,,,,,,SNE,\n2023,Soyons,,,20,,,,,,,,,,,SNE,\n",
        encoding="utf-8",
    )
    report = errors_of(territory_copy)
    assert "the commune rows of 2023 add up to 60 attributions, more than the EPCI's 56" in report


def test_an_allocation_in_a_qpv_of_a_territory_without_qpv_is_refused(territory_copy):
    replace_in(territory_copy / "data" / AGGREGATES, "2023,,,,56,,11", "2023,,,,56,4,11")
    assert "the territory has no QPV (objectifs.qpv in territory.yaml)" in errors_of(territory_copy)


def test_a_year_given_both_as_records_and_as_counts_is_refused(territory_copy):
    (territory_copy / "data" / "attributions.csv").write_text(
        "annee,commune,bailleur,contingent,mutation\n2023,Cornas,ADIS,État,non\n", encoding="utf-8"
    )
    report = errors_of(territory_copy)
    assert "2023 is also given one allocation per row (attributions)" in report


def test_record_mistakes_are_located(territory_copy):
    (territory_copy / "data" / "attributions.csv").write_text(
        "date_bail,annee,commune,bailleur,contingent,mutation,prioritaire,motif_priorite\n"
        "03/02/2024,2023,Cornas,ADIS,État,non,,\n"
        "03/02/2024,,Guilhaud-Granges,ADIS,Préfet,peut-être,,\n"
        "03/02/2024,,Cornas,ADIS,État,non,non,Situation de handicap\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy)
    report = caught.value.report()
    assert 'attributions.csv, row 2, column "annee":\n  2023 but date_bail is in 2024' in report
    assert 'did you mean "Guilherand-Granges"' in report
    assert 'expected one of "État", "État (agents publics)"' in report
    assert 'expected one of "oui", "non", got "peut-être"' in report
    assert "a motive of priority needs prioritaire or dalo" in report


def test_unknown_contingent_in_the_objectives_is_refused(territory_copy):
    replace_in(
        territory_copy / "territory.yaml",
        "    autres: 25\n  mutations",
        "    Préfet: 100\n  mutations",
    )
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy)
    assert 'setting "objectifs.prioritaires.Préfet"' in caught.value.report()
    assert 'unknown contingent or landlord "Préfet"' in caught.value.report()


def test_first_quartile_is_read_from_resources_and_the_year_threshold(territory_copy):
    (territory_copy / "data" / "attributions.csv").write_text(
        "annee,commune,bailleur,contingent,mutation,ressources_uc\n"
        "2024,Cornas,ADIS,État,non,10718\n"
        "2024,Cornas,ADIS,État,non,10719\n",
        encoding="utf-8",
    )
    facts = allocation_facts(load_territory(territory_copy), "SNE")
    assert facts.epci(2024).get("premier_quartile_hors_qpv") == 1
    assert facts.epci(2024).get("attributions") == 2
