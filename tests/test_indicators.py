from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from generator.indicators.core import (
    at_stake,
    classify,
    extra_allocations_needed,
    monthly_threshold,
    qualification_classes,
    qualification_summary,
    round_half_up,
    share,
    tension,
)

CLASSES = qualification_classes(
    ["faible", "moyenne", "forte", "très forte"], [D(0), D(15), D(33), D(60)]
)


def test_rhone_crussol_2023_needs_three_more_first_quartile_allocations():
    assert extra_allocations_needed(total=56, first_quartile=11) == 3


def test_no_extra_allocation_needed_once_the_target_is_reached():
    assert extra_allocations_needed(total=40, first_quartile=12) == 0


def test_exact_quarter_needs_no_rounding_up():
    assert extra_allocations_needed(total=100, first_quartile=24) == 1


def test_eleven_out_of_fifty_six_is_19_6_percent_not_22():
    assert round_half_up(share(11, 56) * 100, 1) == D("19.6")


def test_share_of_nothing_is_none():
    assert share(3, 0) is None


def test_monthly_thresholds_of_the_seed_annex():
    yearly = {8978: 748, 9369: 781, 9199: 767, 9684: 807, 9638: 803, 10719: 893}
    assert {y: monthly_threshold(y) for y in yearly} == yearly


def test_monthly_threshold_rounds_half_up():
    assert monthly_threshold(D(18)) == 2  # 1.5 -> 2


def test_tension_one_decimal_half_up():
    assert tension(1014, 56) == D("18.1")
    assert tension(5, 4) == D("1.3")
    assert tension(5, 0) is None


def test_classes_have_no_gap_between_bounds():
    assert classify(D("30.8"), CLASSES).label == "moyenne"
    assert classify(D("32.99"), CLASSES).label == "moyenne"
    assert classify(D("33"), CLASSES).label == "forte"
    assert classify(D("45.5"), CLASSES).label == "forte"
    assert classify(D("60"), CLASSES).label == "très forte"


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_every_share_falls_in_exactly_one_class(value):
    assert sum(c.contains(value) for c in CLASSES) == 1


def test_summary_counts_dwellings_by_class_and_shares_of_the_whole_stock():
    rows, total = qualification_summary(
        [(D("14.3"), 22), (D("23.5"), 24), (D("64.3"), 15)], CLASSES, [("insuffisant", 39)]
    )
    assert total == 100
    assert [(r.label, r.dwellings) for r in rows] == [
        ("faible", 22),
        ("moyenne", 24),
        ("forte", 0),
        ("très forte", 15),
        ("insuffisant", 39),
    ]
    assert rows[0].share == D("0.22")


def test_stake_rule_uses_share_and_minimum_dwellings():
    assert at_stake(D("41.7"), 13, D(40))
    assert not at_stake(D("35.7"), 18, D(40))
    assert not at_stake(D("64.3"), 15, D(40), minimum_dwellings=20)
