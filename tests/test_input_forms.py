"""Cells and settings written as French users write them read as the value meant (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from generator.territory import columns as c
from generator.territory.columns import column_key
from generator.territory.csv_reader import decoded
from generator.territory.table_files import ReadError


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_a_count_with_thousands_separators_is_the_count(number: int, separator: str) -> None:
    written = f"{number:,}".replace(",", separator)
    assert c.count(written) == number


@given(st.integers(min_value=0, max_value=10**7))
def test_a_count_as_babel_writes_it_in_french_reads_back(number: int) -> None:
    assert c.count(format_decimal(number, locale="fr_FR")) == number


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_in_every_french_form_is_the_date(day: dt.date) -> None:
    for written in (
        f"{day:%d/%m/%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%d.%m.%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%Y-%m-%d}",
        format_date(day, "d MMMM y", locale="fr_FR"),
    ):
        assert c.date(written) == day, written


def test_first_of_the_month_and_short_month_names() -> None:
    assert c.date("1er mars 2025") == dt.date(2025, 3, 1)
    assert c.date("17 déc. 2025") == dt.date(2025, 12, 17)
    assert c.date("17 AOUT 2025") == dt.date(2025, 8, 17)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("31/02/2025", "does not exist"),
        ("11/03/25", "four digits"),
        ("17 brumaire 2025", "write it as 17/03/2025"),
    ],
)
def test_a_date_that_is_not_one_says_why(written: str, said: str) -> None:
    with pytest.raises(c.CellError, match=said):
        c.date(written)


@pytest.mark.parametrize("written", ["14,3 %", "14,3%", " 14.3 % "])
def test_a_share_with_its_percent_sign(written: str) -> None:
    assert str(c.percent(written)) == "14.3"


@pytest.mark.parametrize("written", ["1.014", "1 01", "12 %", "NaN", "inf", "1e3", "--1"])
def test_a_count_that_is_not_one_is_refused(written: str) -> None:
    with pytest.raises(c.CellError):
        c.count(written)


def test_column_names_compare_without_case_accents_or_spaces() -> None:
    assert column_key(" Année ") == "annee"
    assert column_key("Part sous 40 plus") == column_key("part_sous_40_plus")
    assert column_key("part_sous\n40-plus") == "part_sous_40_plus"


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçôœ’«» ;,\n", max_size=200))
def test_french_text_reads_the_same_in_every_encoding_excel_writes(text: str) -> None:
    assert decoded(text.encode("utf-8")) == text
    assert decoded(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decoded(text.encode("utf-16")) == text
    raw = text.encode("cp1252")
    try:  # a few byte runs (é’œ) are valid UTF-8 too: UTF-8 wins, as it must for « CSV UTF-8 »
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert decoded(raw) == text


def test_mac_roman_is_not_guessed() -> None:
    with pytest.raises(ReadError) as raised:
        decoded("annee;commune\n2022;Saint-Péray\n".encode("mac_roman"))
    assert raised.value.row == 2
