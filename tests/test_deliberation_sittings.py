"""Sittings as data: every check of a sitting, each with its file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import DataErrors
from generator.territory.load import load_territory
from generator.territory.sittings import check_sittings, clear_days, required_clear_days

from .conftest import EXAMPLE, replace_in

SITTINGS = 'seances.csv, row 2, column "{}"'
CORNAS = "municipal,Cornas,17/03/2025,"


def problems_of(folder: Path) -> tuple[str, str]:
    """Errors (the territory does not load) or else warnings of the sittings, as `cil check`
    words them."""
    try:
        territory = load_territory(folder, 2025)
    except DataErrors as error:
        return "\n".join(str(p) for p in error.problems), ""
    errors, warnings = check_sittings(territory)
    assert not errors
    return "", "\n".join(str(p) for p in warnings)


def member(folder: Path, name: str, old: str, new: str) -> None:
    """Change one member's row: `name` is "NOM,Prénom" as written in the file."""
    path = folder / "data" / "seances_membres.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if f",{name}," in line)
    assert old in lines[index], lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def add_sitting(folder: Path, row: str) -> None:
    with (folder / "data" / "seances.csv").open("a", encoding="utf-8") as file:
        file.write(row + "\n")


def test_the_cornas_sitting_is_consistent():
    assert problems_of(EXAMPLE) == ("", "")


def test_members_in_office_must_be_present_absent_or_excused(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",19,15,16,", ",20,15,16,")
    errors, _ = problems_of(territory_copy)
    assert SITTINGS.format("en_exercice") in errors
    assert (
        "20 members in office, but seances_membres lists 15 present + 1 absent + 3 excused = 19"
        in errors
    )


def test_present_count_must_match_the_members_listed_present(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",19,15,16,", ",19,14,15,")
    errors, _ = problems_of(territory_copy)
    assert f"{SITTINGS.format('presents')}:\n  14 present, but seances_membres lists 15" in errors


def test_votes_cast_are_present_plus_proxies(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",19,15,16,", ",19,15,17,")
    errors, _ = problems_of(territory_copy)
    assert (
        f"{SITTINGS.format('suffrages')}:\n  17 votes cast, but 15 present + 1 proxy = 16" in errors
    )


def test_votes_cannot_exceed_votes_cast(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",16,16,0,0,", ",16,15,1,1,")
    errors, _ = problems_of(territory_copy)
    assert SITTINGS.format("pour") in errors
    assert "for 15 + against 1 + abstention 1 = 17, more than the 16 votes cast" in errors


def test_a_member_present_gives_no_proxy(territory_copy):
    member(territory_copy, "FOUREL,Huguette", "présent,,", "présent,JUGE Olga,")
    errors, _ = problems_of(territory_copy)
    assert 'seances_membres.csv, row 8, column "pouvoir_a"' in errors
    assert "Mme FOUREL Huguette is present: only a member not present gives a proxy" in errors


def test_a_proxy_goes_to_a_member_present(territory_copy):
    member(territory_copy, "PIC,Christiane", "FOUREL Huguette", "ROSSI Bénédicte")
    errors, _ = problems_of(territory_copy)
    assert 'seances_membres.csv, row 19, column "pouvoir_a"' in errors
    assert "Mme ROSSI Bénédicte (row 17) is absent: a proxy goes to a member present" in errors


def test_an_unknown_proxy_holder_suggests_the_closest_member(territory_copy):
    member(territory_copy, "PIC,Christiane", "FOUREL Huguette", "FOURELL Huguette")
    errors, _ = problems_of(territory_copy)
    assert 'row 19, column "pouvoir_a":\n  no member "FOURELL Huguette" at this sitting' in errors
    assert 'did you mean "Mme FOUREL Huguette"?' in errors


def test_a_member_holds_one_proxy_at_most(territory_copy):
    member(territory_copy, "GARNIER VALLA,Stéphanie", "excusé,,", "excusé,Huguette Fourel,")
    errors, _ = problems_of(territory_copy)
    assert 'seances_membres.csv, row 19, column "pouvoir_a"' in errors
    assert (
        "Mme FOUREL Huguette already holds the proxy of Mme GARNIER VALLA Stéphanie (row 18)"
        in errors
    )


def test_a_member_held_two_proxies_during_the_health_emergency(territory_copy):
    for name in ("seances.csv", "seances_membres.csv"):
        path = territory_copy / "data" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace("/03/2025", "/03/2021"), encoding="utf-8"
        )
    member(territory_copy, "GARNIER VALLA,Stéphanie", "excusé,,", "excusé,Huguette Fourel,")
    errors, _ = problems_of(territory_copy)
    assert "already holds the proxy" not in errors
    member(territory_copy, "ROSSI,Bénédicte", "absent,,", "absent,Huguette Fourel,")
    errors, _ = problems_of(territory_copy)
    assert "2 proxies per member at most (loi n° 2020-1379 du 14 novembre 2020" in errors


def test_the_secretary_is_present(territory_copy):
    member(territory_copy, "JUGE,Olga", "secrétaire", "")
    member(territory_copy, "ROSSI,Bénédicte", "absent,,", "absent,,secrétaire")
    errors, _ = problems_of(territory_copy)
    assert 'seances_membres.csv, row 17, column "role"' in errors
    assert "Mme ROSSI Bénédicte is absent: the secrétaire must be present" in errors


def test_a_sitting_has_one_secretary(territory_copy):
    member(territory_copy, "VACHER,Marion", "présent,,", "présent,,secrétaire")
    errors, _ = problems_of(territory_copy)
    assert 'row 16, column "role":\n  Mme JUGE Olga (row 11) is already the secrétaire' in errors


def test_a_sitting_without_quorum_is_refused(territory_copy):
    """Quorum was a warning; the issue says a sitting whose checks fail is not built, except
    after a second convocation (test_deliberation_counts covers that case)."""
    add_sitting(territory_copy, "municipal,Soyons,20/03/2025,19:00,,19,9,9,9,0,0,5,14/03/2025,,")
    errors, _ = problems_of(territory_copy)
    assert 'seances.csv, row 3, column "presents"' in errors
    assert "quorum not reached: 9 present of 19 in office, 10 needed" in errors
    assert "give that sitting's date in seconde_convocation" in errors


def test_a_late_convocation_is_a_warning_not_an_error(territory_copy):
    add_sitting(territory_copy, "municipal,Soyons,20/03/2025,19:00,,19,10,10,10,0,0,5,18/03/2025,,")
    errors, warnings = problems_of(territory_copy)
    assert errors == ""
    assert 'seances.csv, row 3, column "convocation"' in warnings
    assert (
        "1 clear day between convocation and sitting, 3 required for 2341 inhabitants" in warnings
    )


def test_larger_communes_need_five_clear_days(territory_copy):
    add_sitting(territory_copy, "municipal,Saint-Péray,20/03/2025,19:00,,,,,,,,,15/03/2025,,")
    _, warnings = problems_of(territory_copy)
    assert (
        "4 clear days between convocation and sitting, 5 required for 7580 inhabitants" in warnings
    )


def test_clear_days_count_neither_the_sending_nor_the_sitting():
    import datetime as dt

    assert clear_days(dt.date(2025, 3, 11), dt.date(2025, 3, 17)) == 5
    assert required_clear_days(3499) == 3
    assert required_clear_days(3500) == 5


def test_three_clear_days_are_enough_in_cornas(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",11/03/2025,11/03/2025,", ",13/03/2025,,")
    assert problems_of(territory_copy)[1] == ""
    replace_in(territory_copy / "data" / "seances.csv", ",13/03/2025,", ",14/03/2025,")
    assert "2 clear days" in problems_of(territory_copy)[1]


def test_a_convocation_after_the_sitting_is_an_error(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",11/03/2025,11/03/2025,", ",18/03/2025,,")
    errors, _ = problems_of(territory_copy)
    assert f"{SITTINGS.format('convocation')}:\n  the convocation is dated on or after" in errors


def test_a_member_row_must_match_a_sitting(territory_copy):
    member(territory_copy, "PRAS,Aurélie", "17/03/2025", "18/03/2025")
    errors, _ = problems_of(territory_copy)
    assert 'seances_membres.csv, row 14, column "date":\n  no sitting with this conseil' in errors


def test_a_sitting_is_given_once(territory_copy):
    add_sitting(territory_copy, CORNAS + "18:00,,,,,,,,,,")
    errors, _ = problems_of(territory_copy)
    assert 'seances.csv, row 3, column "date":\n  this sitting is already given in row 2' in errors


@pytest.mark.parametrize(
    ("column", "old", "new", "message"),
    [
        ("heure", ",20:30,", ",vingt heures,", 'expected a time of day, got "vingt heures"'),
        (
            "conseil",
            "municipal,Cornas",
            "municipale,Cornas",
            '"municipal", "communautaire" or "bureau"',
        ),
        ("commune", "municipal,Cornas,", "municipal,,", "a municipal council needs its commune"),
        ("presents", ",19,15,16,", ",19,quinze,16,", 'expected a whole number, got "quinze"'),
    ],
)
def test_unreadable_sitting_cells_are_located(territory_copy, column, old, new, message):
    replace_in(territory_copy / "data" / "seances.csv", old, new)
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy, 2025)
    assert f"{SITTINGS.format(column)}:\n  " in caught.value.report()
    assert message in caught.value.report()


def test_presence_is_read_whatever_the_gender_and_accents(territory_copy):
    member(territory_copy, "VACHER,Marion", "présent", "Présente")
    member(territory_copy, "ROSSI,Bénédicte", "absent", "absente")
    assert problems_of(territory_copy) == ("", "")
    member(territory_copy, "PRAS,Aurélie", "présent", "malade")
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy, 2025)
    assert 'row 14, column "presence":\n  expected "présent", "absent" or "excusé"' in str(
        caught.value
    )


def test_cil_check_warns_and_succeeds_or_fails_with_the_located_error(territory_copy):
    add_sitting(territory_copy, "municipal,Soyons,20/03/2025,19:00,,19,10,10,10,0,0,5,18/03/2025,,")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "1 clear day between convocation" in result.output
    member(territory_copy, "PIC,Christiane", "FOUREL Huguette", "ROSSI Bénédicte")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert 'seances_membres.csv, row 19, column "pouvoir_a"' in result.output
