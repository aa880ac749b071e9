"""Tests for generator.formatting: fixed examples, then properties over many inputs."""

import math
import re
from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.formatting import (
    FILTERS,
    date_courte,
    date_en_lettres,
    date_longue,
    euros,
    evolution,
    heure_en_lettres,
    liste,
    mois_annee,
    nombre,
    nombre_en_lettres,
    points,
    pourcent,
    pourcent_cible,
)

NNBSP = "\u202f"
NBSP = "\u00a0"
MINUS = "\u2212"
MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1014,), f"1{NNBSP}014"),
        ((1234567,), f"1{NNBSP}234{NNBSP}567"),
        ((19.56, 1), "19,6"),
        ((2.5,), "3"),
        ((0.125, 2), "0,13"),
        ((-2.5,), f"{MINUS}3"),
        ((-3,), f"{MINUS}3"),
        ((-0.0,), "0"),
        ((-0.04, 1), "0,0"),
        ((Decimal("-0"),), "0"),
        ((Decimal("1E+3"),), f"1{NNBSP}000"),
        ((999,), "999"),
        ((0,), "0"),
    ],
)
def test_nombre(args, expected):
    assert nombre(*args) == expected


def test_nombre_big_int_beyond_decimal_precision():
    assert nombre(10**40) == NNBSP.join(["10"] + ["000"] * 13)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((11 / 56,), f"19,6{NNBSP}%"),
        ((0.196,), f"19,6{NNBSP}%"),
        ((0.25, 0), f"25{NNBSP}%"),
        ((0.00125, 2), f"0,13{NNBSP}%"),
        ((0.005, 0), f"1{NNBSP}%"),
        ((-0.05,), f"{MINUS}5,0{NNBSP}%"),
        ((12.345,), f"1{NNBSP}234,5{NNBSP}%"),
    ],
)
def test_pourcent(args, expected):
    assert pourcent(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1.8,), "+1,8 point"),
        ((2.5,), "+2,5 points"),
        ((2,), "+2,0 points"),
        ((1.96,), "+2,0 points"),
        ((-0.4,), f"{MINUS}0,4 point"),
        ((-3.25,), f"{MINUS}3,3 points"),
        ((0, 0), "0 point"),
        ((0,), "0,0 point"),
        ((-0.01,), "0,0 point"),
    ],
)
def test_points(args, expected):
    assert points(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.052,), f"+5,2{NNBSP}%"),
        ((-0.1,), f"{MINUS}10,0{NNBSP}%"),
        ((0,), f"0,0{NNBSP}%"),
        ((0.5, 0), f"+50{NNBSP}%"),
    ],
)
def test_evolution(args, expected):
    assert evolution(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((803,), f"803{NBSP}€"),
        ((9684,), f"9{NNBSP}684{NBSP}€"),
        ((1234.5, 2), f"1{NNBSP}234,50{NBSP}€"),
        ((802.5,), f"803{NBSP}€"),
        ((-15,), f"{MINUS}15{NBSP}€"),
    ],
)
def test_euros(args, expected):
    assert euros(*args) == expected


@pytest.mark.parametrize("func", [nombre, pourcent, points, evolution, euros])
@pytest.mark.parametrize(
    "bad", [None, float("nan"), float("inf"), -math.inf, Decimal("NaN"), True, False, "12"]
)
def test_invalid_values_are_loud(func, bad):
    with pytest.raises(ValueError):
        func(bad)


def test_negative_decimales_rejected():
    with pytest.raises(ValueError):
        nombre(1, -1)


# --- dates and words -----------------------------------------------------------------------


def test_dates():
    assert date_longue(date(2025, 3, 17)) == "17 mars 2025"
    assert date_longue(date(2025, 3, 1)) == "1er mars 2025"
    assert date_longue(date(2025, 8, 11)) == "11 août 2025"
    assert date_courte(date(2025, 3, 17)) == "17/03/2025"
    assert date_courte(date(2025, 12, 1)) == "01/12/2025"
    assert mois_annee(date(2025, 3, 17)) == "mars 2025"
    assert mois_annee(date(2025, 2, 1)) == "février 2025"


def test_date_en_lettres():
    assert date_en_lettres(date(2025, 3, 17)) == "l'an deux mille vingt-cinq, le dix-sept mars"
    assert date_en_lettres(date(2025, 3, 1)) == "l'an deux mille vingt-cinq, le premier mars"
    assert date_en_lettres(date(2026, 12, 31)) == (
        "l'an deux mille vingt-six, le trente et un décembre"
    )


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (time(20, 30), "vingt heures trente"),
        (time(9, 0), "neuf heures"),
        (time(1, 5), "une heure cinq"),
        (time(1, 0), "une heure"),
        (time(0, 15), "zéro heure quinze"),
        (time(12, 0), "douze heures"),
        (time(21, 1), "vingt et une heures une"),
        (time(18, 41), "dix-huit heures quarante et une"),
        (time(23, 59), "vingt-trois heures cinquante-neuf"),
    ],
)
def test_heure_en_lettres(t, expected):
    assert heure_en_lettres(t) == expected


def test_nombre_en_lettres():
    assert nombre_en_lettres(16) == "seize"
    assert nombre_en_lettres(21) == "vingt et un"
    assert nombre_en_lettres(80) == "quatre-vingts"
    with pytest.raises(ValueError):
        nombre_en_lettres(True)
    with pytest.raises(ValueError):
        nombre_en_lettres(1.5)


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["a"], "a"), (["a", "b"], "a et b"), (["a", "b", "c"], "a, b et c")],
)
def test_liste(items, expected):
    assert liste(items) == expected


def test_a_target_shows_its_decimal_only_when_it_has_one():
    assert pourcent_cible(Decimal("0.25")) == "25\u202f%"
    assert pourcent_cible(Decimal("0.425")) == "42,5\u202f%"


def test_filters_cover_public_functions():
    assert set(FILTERS) == {
        "nombre",
        "pourcent",
        "pourcent_cible",
        "points",
        "evolution",
        "euros",
        "date_longue",
        "date_courte",
        "mois_annee",
        "date_en_lettres",
        "heure_en_lettres",
        "nombre_en_lettres",
        "liste",
    }
    assert all(func.__name__ == name for name, func in FILTERS.items())


# --- properties ----------------------------------------------------------------------------


@given(st.integers())
def test_nombre_round_trips_ints(n):
    assert int(nombre(n).replace(NNBSP, "").replace(MINUS, "-")) == n


@given(st.integers())
def test_nombre_groups_are_three_digits(n):
    groups = nombre(n).removeprefix(MINUS).split(NNBSP)
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])
    assert all(group.isdigit() for group in groups)


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@given(finite, st.integers(min_value=0, max_value=6))
def test_pourcent_never_breaks_before_percent(ratio, k):
    text = pourcent(ratio, k)
    assert text.endswith(NNBSP + "%")
    assert " %" not in text


@given(st.dates())
def test_date_longue_has_year_and_month(d):
    text = date_longue(d)
    assert text.endswith(str(d.year))
    assert text.split(" ")[1] == MOIS[d.month - 1]


@given(
    st.one_of(finite, st.integers(), st.decimals(allow_nan=False, allow_infinity=False, places=8)),
    st.integers(min_value=0, max_value=6),
)
def test_nombre_has_exactly_k_decimals(value, k):
    text = nombre(value, k)
    if k == 0:
        assert "," not in text
    else:
        assert re.fullmatch(rf"{MINUS}?\d{{1,3}}({NNBSP}\d{{3}})*,\d{{{k}}}", text)
