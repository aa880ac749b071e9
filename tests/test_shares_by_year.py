"""The one computation behind every year-by-year objective: a group's share of a base."""

from __future__ import annotations

from decimal import Decimal

from generator.indicators.allocations import SECRET, AllocationFacts, Counts
from generator.indicators.results import shares_by_year
from generator.territory.allocations import EPCI


def _facts(*years: tuple[int, dict[str, int], dict[str, Decimal]]) -> AllocationFacts:
    counts = [Counts(y, EPCI, "", values, rates, "SNE") for y, values, rates in years]
    return AllocationFacts({(c.annee, c.echelle, c.entite): c for c in counts}, {}, {}, {}, {})


def _all(c: Counts) -> int | None:
    return c.get("attributions")


def test_each_year_gives_its_share_gap_change_and_missing_allocations():
    facts = _facts(
        (2022, {"attributions": 40, "mutations": 8}, {}),
        (2023, {"attributions": 50, "mutations": 15}, {}),
    )
    lines, result = shares_by_year(
        facts, [2022, 2023], 1, _all, "mutations", Decimal("0.4"), "mutations"
    )
    assert [x.part for x in lines] == [Decimal("0.2"), Decimal("0.3")]
    assert lines[1].evolution == Decimal(10) and lines[1].ecart == Decimal(-10)
    assert lines[1].manquantes == 5  # 40 % of 50 is 20, 15 given
    assert (result.part, result.precedent, result.annee_precedente) == (
        Decimal("0.3"),
        Decimal("0.2"),
        2022,
    )
    assert result.atteint is False and result.a_rattraper == 5


def test_a_year_with_a_published_rate_only_takes_it_and_says_so():
    facts = _facts((2023, {"attributions": 50}, {"mutations": Decimal("0.25")}))
    lines, result = shares_by_year(facts, [2023], 1, _all, "mutations", None, "mutations")
    assert lines[0].part == Decimal("0.25") and lines[0].publie
    assert result.publie and result.manque is None


def test_a_hidden_count_hides_the_share_but_the_verdict_is_still_decided():
    facts = _facts((2023, {"attributions": 50, "mutations": 3}, {}))
    lines, result = shares_by_year(
        facts, [2023], 5, _all, "mutations", Decimal("0.25"), "mutations"
    )
    assert lines[0].effectif is SECRET and lines[0].part is SECRET
    assert result.masque and result.atteint is False and result.a_rattraper == 10


def test_a_year_without_figures_is_unknown_and_the_previous_share_is_the_last_known():
    facts = _facts(
        (2021, {"attributions": 10, "mutations": 5}, {}),
        (2023, {"attributions": 10, "mutations": 6}, {}),
    )
    lines, result = shares_by_year(
        facts, [2021, 2022, 2023], 1, _all, "mutations", None, "mutations"
    )
    assert lines[1].part is None and lines[1].base is None
    assert result.annee_precedente == 2021 and result.evolution == Decimal(10)


def test_the_base_is_any_count_of_the_year():
    facts = _facts((2023, {"attributions": 50, "attributions_qpv": 20, "autres": 12}, {}))
    lines, _ = shares_by_year(
        facts, [2023], 1, lambda c: c.get("attributions_qpv"), "autres", None, "x"
    )
    assert (lines[0].base, lines[0].part) == (20, Decimal("0.6"))


def test_a_table_without_the_years_it_cannot_fill_cites_only_the_years_it_shows():
    from generator.indicators.evaluation import without_empty_rows
    from generator.indicators.trends import share_by_year

    counts = [
        Counts(2020, EPCI, "", {}, {"premier_quartile": Decimal("0.15")}, "SNE 2020"),
        Counts(2023, EPCI, "", {"attributions": 56, "mutations": 7}, {}, "SNE 2023"),
    ]
    facts = AllocationFacts({(c.annee, c.echelle, c.entite): c for c in counts}, {}, {}, {}, {})
    table, _result = share_by_year(facts, [2020, 2023], 1, "mutations", None, "mutations")
    assert table.sources == ["SNE 2020", "SNE 2023"]  # before: every year of the window
    without_empty_rows(table)
    assert [row[0] for row in table.rows] == ["2023"]
    assert table.sources == ["SNE 2023"]
