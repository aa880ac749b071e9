"""`cil thresholds import`: the annex of the yearly arrêté fills a territory's threshold table.

Every figure here is fictional (12 345 €, 11 111 €…): the tests check the reading, never a real
threshold.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from generator.cli import main
from generator.commands.thresholds import _amount, _role, _siren
from generator.formatting import euros
from generator.territory.load import load_territory

FIXTURE = Path(__file__).parent / "fixtures" / "seuils" / "annexe-fictive.csv"
RHONY_VISTRE_VIDOURLE = "243000569"  # Gard: 12 345 € in the fixture
CHAMONIX = "200023372"  # Haute-Savoie: 11 111 € in the fixture
GRAND_PIC_SAINT_LOUP = "200022986"  # not in the fixture

# The workbook and the threshold annex are French users' tools: their messages are read in
# French here (the catalogue's translations of the English msgids), as a French system shows them.
pytestmark = pytest.mark.usefixtures("french")


def run(*args: str):  # noqa: ANN201 - click Result
    return CliRunner().invoke(main, [*args])


def new(tmp_path: Path, siren: str = RHONY_VISTRE_VIDOURLE, *extra: str) -> Path:
    result = run(
        "new", "cc-test", "--siren", siren, "--year", "2025", "--into", str(tmp_path), *extra
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "cc-test"


def declare_no_qpv(folder: Path) -> None:
    """Answer the qpv: line `cil new` leaves in territory.yaml, as a user would."""
    yaml_file = folder / "territory.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(re.sub(r"^  qpv:.*$", "  qpv: false", text, count=1, flags=re.M), "utf-8")


def thresholds(folder: Path) -> dict[int, Decimal | None]:
    return {t.annee: t.seuil_annuel for t in load_territory(folder).seuils_quartile}


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_annex_fills_the_year_of_the_territory(tmp_path):
    folder = new(tmp_path)
    result = run("thresholds", "import", str(FIXTURE), str(folder), "--year", "2024")
    assert result.exit_code == 0, result.output
    assert "cc-test : seuil 2024 ajouté (12\u202f345\u00a0€)" in result.output
    assert thresholds(folder) == {2024: Decimal(12345)}
    table = (folder / "data" / "seuils_quartile.csv").read_text(encoding="utf-8")
    assert "2024,12345,Annexe de l'arrêté annuel des seuils (annexe-fictive.csv)," in table
    declare_no_qpv(folder)
    checked = run("check", str(folder))
    assert "seuil du premier quartile de 2024" not in checked.output
    assert "seuil du premier quartile de 2023" in checked.output


def test_a_column_without_year_is_the_territory_year_by_default(tmp_path):
    folder = new(tmp_path, CHAMONIX)
    result = run("thresholds", "import", str(FIXTURE), str(folder))
    assert result.exit_code == 0, result.output
    assert thresholds(folder) == {2025: Decimal(11111)}


def test_importing_again_changes_nothing(tmp_path):
    folder = new(tmp_path)
    assert run("thresholds", "import", str(FIXTURE), str(folder), "--year", "2024").exit_code == 0
    table = folder / "data" / "seuils_quartile.csv"
    before = table.read_bytes()
    again = run("thresholds", "import", str(FIXTURE), str(folder), "--year", "2024")
    assert again.exit_code == 0, again.output
    assert "seuil 2024 inchangé (12\u202f345\u00a0€)" in again.output
    assert "écrit" not in again.output
    assert table.read_bytes() == before


def test_a_new_figure_replaces_the_year_and_keeps_the_other_rows_as_written(tmp_path):
    folder = new(tmp_path)
    table = folder / "data" / "seuils_quartile.csv"
    table.write_text(
        "annee,seuil_annuel,source,notes\n"
        '2023,9000,ancienne source,"une note, gardée"\n'
        "2025,9999,saisie à la main,\n",
        encoding="utf-8",
    )
    result = run("thresholds", "import", str(FIXTURE), str(folder), "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "seuil 2025 modifié (9\u202f999\u00a0€ → 12\u202f345\u00a0€)" in result.output
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '2023,9000,ancienne source,"une note, gardée"'
    assert lines[2].startswith("2025,12345,Annexe de l'arrêté")
    assert run("thresholds", "import", str(FIXTURE), str(folder), "--year", "2024").exit_code == 0
    years = [line.split(",")[0] for line in table.read_text(encoding="utf-8").splitlines()[1:]]
    assert years == ["2023", "2024", "2025"]


def test_an_xlsx_annex_with_other_header_spellings_and_years_in_headers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["CODE DEP.", "Libellé du département", "Raison sociale EPCI", "N° SIRET",
                  "Montant 2024 (€)", "Seuil bas 2025"])  # fmt: skip
    sheet.append(["30", "Gard", "CC Rhony", 24300056900011, 12000, "12 345,00 €"])
    path = tmp_path / "annexe.xlsx"
    book.save(path)
    folder = new(tmp_path)
    result = run("thresholds", "import", str(path), str(folder))
    assert result.exit_code == 0, result.output
    assert thresholds(folder) == {2024: Decimal(12000), 2025: Decimal(12345)}
    only = run("thresholds", "import", str(path), str(folder), "--year", "2024")
    assert "seuil 2024 inchangé" in only.output
    assert "2025" not in only.output


def test_cil_new_fills_the_table_from_the_annex_it_is_given(tmp_path):
    result = run(
        "new", "cc-test", "--siren", CHAMONIX, "--year", "2025", "--into", str(tmp_path),
        "--seuils", str(FIXTURE),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cc-test : seuil 2025 ajouté (11\u202f111\u00a0€)" in result.output
    assert thresholds(tmp_path / "cc-test") == {2025: Decimal(11111)}


def test_cil_new_without_the_annex_asks_for_it(tmp_path):
    result = run("new", "cc-test", "--siren", CHAMONIX, "--year", "2025", "--into", str(tmp_path))
    assert "seuils du premier quartile : cil thresholds import ANNEXE-ARRETE.xlsx" in result.output
    readme = (tmp_path / "cc-test" / "README.md").read_text(encoding="utf-8")
    assert "`cil thresholds import ANNEXE.xlsx cc-test --year 2025`" in readme


def test_cil_new_with_an_annex_that_lacks_the_epci_creates_nothing(tmp_path):
    result = run(
        "new", "cc-test", "--siren", GRAND_PIC_SAINT_LOUP, "--year", "2025",
        "--into", str(tmp_path), "--seuils", str(FIXTURE),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "n'a aucune ligne pour cet EPCI (CC du Grand Pic Saint-Loup, SIREN 200022986)" in (
        result.output
    )
    assert not (tmp_path / "cc-test").exists()


def test_a_territory_absent_from_the_annex_is_said_and_exits_1(tmp_path):
    folder = new(tmp_path, GRAND_PIC_SAINT_LOUP)
    result = run("thresholds", "import", str(FIXTURE), str(folder))
    assert result.exit_code == 1
    assert "cc-test : aucun seuil importé — " in result.output
    assert thresholds(folder) == {}


def test_a_bad_siret_and_a_bad_amount_are_located(tmp_path):
    path = write_csv(
        tmp_path / "annexe.csv",
        "Code département;Département;Nom de l'EPCI;SIRET;Seuil",
        "30;Gard;CC A;2430005;12345",
        "30;Gard;CC B;24300056900011;douze mille",
        "30;Gard;CC C;24300059300011;-5",
    )
    folder = new(tmp_path)
    result = run("thresholds", "import", str(path), str(folder))
    assert result.exit_code == 1
    shown = "annexe.csv, ligne 2, colonne « SIRET » :\n  SIRET attendu (14 chiffres, dont les 9 "
    assert shown in result.output
    assert (
        "ligne 3, colonne « Seuil » :\n  montant en euros attendu, lu « douze mille »"
        in result.output
    )
    assert (
        "ligne 4, colonne « Seuil » :\n  un seuil est un montant positif en euros, lu « -5 »"
        in (result.output)
    )
    assert thresholds(folder) == {}


def test_a_file_without_the_two_needed_columns_names_the_expected_ones(tmp_path):
    path = write_csv(tmp_path / "annexe.csv", "EPCI,montant", "CC A,12345")
    folder = new(tmp_path)
    result = run("thresholds", "import", str(path), str(folder))
    assert result.exit_code == 1
    assert "ne nomme à la fois la colonne du SIRET de l'EPCI et celle du seuil" in result.output
    assert "code département, département, nom de l'EPCI, SIRET de l'EPCI" in result.output


def test_two_threshold_columns_need_their_years(tmp_path):
    path = write_csv(tmp_path / "annexe.csv", "SIRET,Seuil,Montant", "24300056900011,1,2")
    result = run("thresholds", "import", str(path), str(new(tmp_path)))
    assert result.exit_code == 1
    assert "plusieurs colonnes de seuil (« Seuil », « Montant ») : chacune doit porter" in (
        result.output
    )


def test_a_year_the_file_does_not_give_is_refused(tmp_path):
    path = write_csv(tmp_path / "annexe.csv", "SIRET,Seuil 2025", "24300056900011,12345")
    result = run("thresholds", "import", str(path), str(new(tmp_path)), "--year", "2023")
    assert result.exit_code == 1
    assert "aucune colonne de seuil pour 2023 ; le fichier donne 2025" in result.output


def test_a_siren_given_twice_with_two_figures_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "annexe.csv", "SIRET,Seuil", "24300056900011,12345", "243000569,12346"
    )
    result = run("thresholds", "import", str(path), str(new(tmp_path)), "--year", "2025")
    assert result.exit_code == 1
    assert "le SIREN 243000569 figure déjà ligne 2 avec un autre seuil" in result.output


def test_a_file_neither_csv_nor_xlsx_nor_present_is_a_usage_error(tmp_path):
    folder = new(tmp_path)
    missing = run("thresholds", "import", str(tmp_path / "absent.csv"), str(folder))
    assert missing.exit_code == 2
    assert "absent.csv : fichier introuvable" in missing.output
    other = tmp_path / "annexe.ods"
    other.write_bytes(b"x")
    wrong = run("thresholds", "import", str(other), str(folder))
    assert wrong.exit_code == 2
    assert "un fichier .csv ou .xlsx est attendu" in wrong.output
    year = run("thresholds", "import", str(FIXTURE), str(folder), "--year", "1900")
    assert year.exit_code == 2
    assert "--year 1900 : choisissez une année" in year.output


def test_a_territory_and_all_are_exclusive(tmp_path):
    result = run("thresholds", "import", str(FIXTURE), "cc-rhone-crussol", "--all")
    assert result.exit_code == 2
    assert "donnez un TERRITOIRE ou --all, pas les deux" in result.output


def test_all_reports_each_territory_absent_from_the_annex():
    result = run("thresholds", "import", str(FIXTURE), "--all", "--year", "2025")
    assert result.exit_code == 1  # no bundled territory is in the fictional annex
    assert "cc-rhone-crussol : aucun seuil importé — " in result.output
    assert "exemple-fictif : aucun seuil importé — " in result.output


def test_header_variants_are_recognised():
    assert _role("Code Départ.") == "code_departement"
    assert _role("N° de département") == "code_departement"
    assert _role("Département") == "departement"
    assert _role("Nom de l'EPCI") == "epci"
    assert _role("SIRET de l'EPCI") == "siret"
    assert _role("Numéro SIREN") == "siret"
    assert _role("Seuil de ressources du 1er quartile (en €)") == "seuil"
    assert _role("Observations") is None


@given(st.integers(min_value=1, max_value=10**7))
def test_an_amount_reads_back_as_any_usual_writing_shows_it(amount):
    for written in (euros(amount), str(amount), f"{amount},00", f"{amount} euros", float(amount)):
        assert _amount(written) == amount


@given(st.from_regex(r"\d{9}", fullmatch=True), st.from_regex(r"\d{5}", fullmatch=True))
def test_the_siren_is_the_first_nine_digits_of_the_siret(siren, rest):
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]} {rest}"
    assert _siren(spaced) == _siren(siren + rest) == _siren(siren) == siren


def test_a_column_naming_no_year_without_a_year_to_take_is_a_usage_error(tmp_path):
    from generator.commands.thresholds import read_official_table
    from generator.errors import UsageError

    path = write_csv(tmp_path / "annexe.csv", "SIRET,Seuil", "24300056900011,12345")
    try:
        read_official_table(path)
    except UsageError as error:
        assert "ne dit pas l'année : donnez-la avec --year 2025" in str(error)
    else:
        raise AssertionError("no error")


def test_a_row_without_a_threshold_is_said_for_its_territory(tmp_path):
    path = write_csv(tmp_path / "annexe.csv", "SIRET,Seuil", "24300056900011,")
    result = run("thresholds", "import", str(path), str(new(tmp_path)), "--year", "2025")
    assert result.exit_code == 1
    assert "la ligne 2 de " in result.output and "ne donne aucun seuil" in result.output


def test_a_threshold_table_without_its_columns_is_located(tmp_path):
    folder = new(tmp_path)
    (folder / "data" / "seuils_quartile.csv").write_text("year,threshold\n", encoding="utf-8")
    result = run("thresholds", "import", str(FIXTURE), str(folder), "--year", "2025")
    assert result.exit_code == 1
    assert (
        "seuils_quartile.csv, ligne 1 :\n  les colonnes « annee » et « seuil_annuel » manquent"
        in (result.output)
    )


def test_an_annex_that_is_not_utf8_is_located_by_the_strict_reader(tmp_path):
    path = tmp_path / "annexe.csv"
    # Mac Roman: its é reads as Windows-1252's Ž, so the file is not guessed (Latin-1 is read)
    text = "Département;SIRET;Seuil 2025\nGard;24300056900011;12345\n"
    path.write_bytes(text.encode("mac_roman"))
    result = run("thresholds", "import", str(path), str(new(tmp_path)))
    assert result.exit_code == 1
    assert "annexe.csv, ligne 1 :\n  le fichier n'est pas du texte UTF-8" in result.output
