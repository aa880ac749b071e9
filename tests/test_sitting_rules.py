"""The quorum in force on a sitting's date: the CGCT's, or the health emergency's third with two
proxies (content/national/regles.yaml, quorum-organe-deliberant), checked and printed by date.
Fixture: tests/fixtures/seances-fictives (fictional counts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.documents import deliberation
from generator.resources import CONTENT
from generator.territory.load import load_territory
from generator.territory.sitting_rules import quorum_rule
from tests.making import files_of

from .conftest import replace_in
from .test_cia import plain
from .test_deliberation import text_of
from .test_deliberation_bodies import (
    BUREAU_ROW,
    EPCI_ROW,
    FIXTURE,
    errors_of,
    sittings,  # noqa: F401 - the fixture
    table,
)

RULES = yaml.safe_load((Path(CONTENT) / "national" / "regles.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("day", "third", "represented_count", "proxies"),
    [
        (dt.date(2019, 6, 1), False, False, 1),
        (dt.date(2020, 3, 23), False, False, 1),
        (dt.date(2020, 3, 24), True, False, 2),
        (dt.date(2020, 4, 2), True, False, 2),  # the last day of article 10's first wording
        (dt.date(2020, 4, 3), True, True, 2),
        (dt.date(2020, 5, 15), True, True, 2),
        (dt.date(2020, 7, 11), True, False, 2),
        (dt.date(2020, 8, 30), True, False, 2),
        (dt.date(2020, 8, 31), False, False, 1),
        (dt.date(2020, 10, 20), False, False, 1),  # the state of emergency, not the derogation
        (dt.date(2020, 11, 14), False, False, 1),
        (dt.date(2020, 11, 15), True, False, 2),  # loi 2020-1379, JO of that day
        (dt.date(2020, 11, 16), True, False, 2),
        (dt.date(2021, 9, 30), True, False, 2),
        (dt.date(2021, 10, 1), False, False, 1),
        (dt.date(2021, 11, 11), False, False, 1),  # loi 2021-1465 published that day
        (dt.date(2021, 11, 12), True, False, 2),
        (dt.date(2022, 7, 31), True, False, 2),
        (dt.date(2022, 8, 1), False, False, 1),
        (dt.date(2025, 3, 17), False, False, 1),
    ],
)
def test_the_rule_follows_the_date(day, third, represented_count, proxies) -> None:
    rule = quorum_rule(RULES, day)
    assert (rule.third, rule.counts_represented, rule.proxies_max) == (
        third,
        represented_count,
        proxies,
    )
    assert rule.derogation == third
    assert ("L2121-17" in rule.citation) != third


def test_the_first_wording_of_article_10_left_the_epci_bureau_under_the_cgct() -> None:
    """Article 10 of loi 2020-290 as first written (24 March - 2 April 2020) named the deliberating
    bodies only; the EPCI's bureau kept the CGCT's quorum until a later wording named it."""
    council = quorum_rule(RULES, dt.date(2020, 3, 30), "communautaire")
    bureau = quorum_rule(RULES, dt.date(2020, 3, 30), "bureau")
    assert council.third and council.proxies_max == 2 and "2020-290" in council.citation
    assert not bureau.third and bureau.proxies_max == 1 and "L2121-17" in bureau.citation
    assert quorum_rule(RULES, dt.date(2020, 5, 15), "bureau").third
    assert quorum_rule(RULES, dt.date(2021, 2, 1), "bureau").third


def test_the_first_covid_wording_is_verified_and_the_ordonnance_is_not() -> None:
    assert quorum_rule(RULES, dt.date(2020, 3, 24)).unverified is None
    assert "2020-391" in (quorum_rule(RULES, dt.date(2020, 4, 3)).unverified or "")


def test_a_third_is_rounded_up_and_a_majority_is_more_than_half() -> None:
    third = quorum_rule(RULES, dt.date(2021, 2, 1))
    ordinary = quorum_rule(RULES, dt.date(2023, 2, 1))
    assert [third.quorum(n) for n in (80, 81, 15, 3)] == [27, 27, 5, 1]
    assert [ordinary.quorum(n) for n in (80, 81, 15, 8, 11)] == [41, 41, 8, 5, 6]


def test_in_the_derogation_counts_represented_only_when_the_rule_says_so() -> None:
    spring = quorum_rule(RULES, dt.date(2020, 5, 15))
    winter = quorum_rule(RULES, dt.date(2021, 2, 1))
    assert spring.counted(20, 7) == 27 and spring.counted(20, None) is None
    assert winter.counted(20, 7) == 20


def _sitting_on(folder: Path, day: str, present: int, represented: int) -> None:
    """The EPCI council's sitting moved to `day`, with these counts (all vote for)."""
    cast = present + represented
    row = f"communautaire,Pierrelatte,{day},18:30,,80,{present},{represented},3,{cast},{cast},0,0,"
    convened = dt.datetime.strptime(day, "%d/%m/%Y").date() - dt.timedelta(days=7)
    replace_in(table(folder), EPCI_ROW, row)
    replace_in(table(folder), "17/09/2020", convened.strftime("%d/%m/%Y"))


def test_a_third_present_during_the_derogation_builds_and_the_act_cites_it(sittings) -> None:  # noqa: F811
    _sitting_on(sittings, "10/02/2021", 30, 10)
    files, _ = files_of(deliberation.DOCUMENT, load_territory(sittings, 2021), 2021)
    act = plain(text_of(files["deliberation-seances-fictives-2021-02-10"]))
    assert "Quorum : 27 (tiers des membres en exercice, article 6 de la loi n° 2020-1379" in act
    assert "au nombre prescrit par la loi" in act


def test_the_same_counts_after_the_derogation_are_refused(sittings) -> None:  # noqa: F811
    _sitting_on(sittings, "10/02/2023", 30, 10)
    report = errors_of(sittings)
    assert "quorum not reached: 30 present of 80 in office, 41 needed on 2023-02-10" in report
    assert "CGCT, articles L2121-17 et L2121-20" in report


def test_two_proxies_per_member_only_during_the_derogation(sittings) -> None:  # noqa: F811
    _sitting_on(sittings, "10/02/2021", 30, 55)
    assert "more than the 80 members in office" in errors_of(sittings)
    replace_in(table(sittings), ",30,55,3,85,85,", ",30,50,3,80,80,")
    load_territory(sittings, 2021)  # 50 proxies for 30 present: lawful with two each
    replace_in(table(sittings), ",30,50,3,80,80,", ",28,57,3,85,85,")
    replace_in(table(sittings), ",28,57,3,85,85,", ",20,45,3,65,65,")
    report = errors_of(sittings)
    assert "45 represented but 20 present: a member present holds 2 proxies at most" in report


def test_more_proxies_than_present_are_refused_outside_the_derogation(sittings) -> None:  # noqa: F811
    _sitting_on(sittings, "10/02/2024", 41, 2)
    replace_in(table(sittings), ",41,2,3,43,43,", ",30,31,3,61,61,")
    report = errors_of(sittings)
    assert "31 represented but 30 present: a member present holds one proxy at most" in report


def test_the_expose_counts_the_orientations_in_words(sittings) -> None:  # noqa: F811
    files, _ = files_of(deliberation.DOCUMENT, load_territory(sittings, 2020), 2020)
    act = plain(text_of(files["deliberation-seances-fictives-2020-09-24"]))
    assert "à retenir aucune orientation pour les attributions" in act
    assert "zéro" not in act


def test_a_sitting_under_an_unverified_rule_is_warned(sittings) -> None:  # noqa: F811
    from generator.territory.sittings import check_sittings

    _sitting_on(sittings, "10/02/2022", 30, 10)
    _, warnings = check_sittings(load_territory(sittings, 2022))
    said = "\n".join(str(w) for w in warnings)
    assert "the quorum rule of this date (loi n° 2021-1465 du 10 novembre 2021, article 10)" in said
    assert "was not checked against its text" in said
    _, shipped = check_sittings(load_territory(FIXTURE, 2020))  # autumn 2020: the CGCT's rule
    assert "quorum rule of this date" not in "\n".join(str(w) for w in shipped)


def test_a_bureau_sitting_in_late_march_2020_needs_the_cgct_quorum(sittings) -> None:  # noqa: F811
    """7 of 20 is a third: enough for the council then, not for the bureau (more than half)."""
    old = BUREAU_ROW + "salle du conseil de la maison de l'intercommunalité,20,14,2,,16,16,0,0,"
    row = BUREAU_ROW.replace("05/11/2020", "30/03/2020") + ",20,7,2,,9,9,0,0,"
    replace_in(table(sittings), old, row)
    replace_in(table(sittings), "29/10/2020,09/11/2020", "20/03/2020,02/04/2020")
    replace_in(table(sittings), "D-2020-45,16/07/2020", "D-2020-05,16/01/2020")
    assert "quorum not reached: 7 present of 20 in office, 11 needed on 2020-03-30" in (
        errors_of(sittings)
    )
