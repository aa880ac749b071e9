"""Loading the example territory and every kind of bad input, each with a located message."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.errors import DataErrors
from generator.territory.load import load_territory
from generator.territory.tables import read_rows

from .conftest import EXAMPLE, replace_in


def errors_of(folder: Path) -> str:
    with pytest.raises(DataErrors) as caught:
        load_territory(folder)
    return caught.value.report()


def test_example_territory_loads_with_official_communes():
    territory = load_territory(EXAMPLE)
    assert territory.name == "Communauté de communes Rhône Crussol"
    assert len(territory.communes) == 13
    assert {c.nom for c in territory.communes} >= {"Guilherand-Granges", "Toulaud", "Châteaubourg"}
    assert territory.departement == "07"


def test_example_keeps_one_value_for_each_seed_contradiction():
    territory = load_territory(EXAMPLE)
    thresholds = {t.annee: t.seuil_annuel for t in territory.seuils_quartile}
    assert thresholds[2020] == Decimal(9369)
    level_2 = {g.nom for g in territory.guichets if g.niveau == 2}
    assert level_2 == {"Cornas", "Saint-Péray", "Soyons", "Toulaud"}
    bonneterie = [a for a in territory.parc_ops if a.adresse == "60 rue de la Bonneterie"]
    assert [a.logements for a in bonneterie] == [19]


def test_misspelled_commune_suggests_the_official_name(territory_copy):
    replace_in(
        territory_copy / "data" / "guichets.csv", "3,Guilherand-Granges,", "3,Guilhaud-Granges,"
    )
    report = errors_of(territory_copy)
    assert 'guichets.csv, row 17, column "commune"' in report
    assert (
        'unknown commune "Guilhaud-Granges" — did you mean "Guilherand-Granges" (07102)?' in report
    )
    assert report.endswith("1 error; nothing was written.")


def test_insee_code_is_accepted_for_a_commune(territory_copy):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "2,07323,")
    territory = load_territory(territory_copy)
    assert "Toulaud" in {g.nom for g in territory.guichets}


def test_commune_outside_the_territory_is_refused_without_suggestion(territory_copy):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "2,Valence,")
    report = errors_of(territory_copy)
    assert 'unknown commune "Valence"' in report
    assert "did you mean" not in report.split("Valence")[1].split("\n")[0]


def test_all_errors_are_reported_at_once(territory_copy):
    data = territory_copy / "data"
    replace_in(data / "guichets.csv", "2,Toulaud,", "2,Touloud,")
    replace_in(data / "seuils_quartile.csv", "2023,9638", '2023,"9 638 €/an"')
    replace_in(data / "parc_ops.csv", "Rue des Fleurs,40,", "Rue des Fleurs,quarante,")
    report = errors_of(territory_copy)
    assert 'seuils_quartile.csv, row 6, column "seuil_annuel"' in report
    assert 'expected an amount in euros, got "9 638 €/an" — write the number only' in report
    assert 'parc_ops.csv, row 6, column "logements"' in report
    assert 'did you mean "Toulaud"' in report
    assert "3 errors; nothing was written." in report


def test_missing_column_is_named(territory_copy):
    path = territory_copy / "data" / "parc_ops.csv"
    replace_in(path, "annee,commune,adresse,logements,", "annee,commune,adresse,")
    report = errors_of(territory_copy)
    assert 'parc_ops.csv, row 1:\n  missing column "logements"' in report


def test_unknown_column_suggests_the_closest(territory_copy):
    replace_in(territory_copy / "data" / "services_sociaux.csv", "nom,commune,", "nom,comune,")
    report = errors_of(territory_copy)
    assert 'unknown column "comune" — did you mean "commune"?' in report


def test_placeholder_words_are_refused_in_data(territory_copy):
    replace_in(
        territory_copy / "data" / "services_sociaux.csv",
        "de l'Ardèche,,",
        "de l'Ardèche,,A compléter",
    )
    report = errors_of(territory_copy)
    assert '"A compléter" is not data — leave the cell empty' in report


def test_duplicate_year_is_refused(territory_copy):
    replace_in(territory_copy / "data" / "seuils_quartile.csv", "2021,9199", "2020,9199")
    assert "2020 is already given in row 3" in errors_of(territory_copy)


def test_percentage_out_of_range(territory_copy):
    replace_in(territory_copy / "data" / "parc_ops.csv", '"64,3"', "164")
    assert 'expected a percentage between 0 and 100, got "164"' in errors_of(territory_copy)


def test_analysed_address_needs_its_share(territory_copy):
    replace_in(territory_copy / "data" / "parc_ops.csv", '15,"64,3"', "15,")
    assert "an analysed address needs its share" in errors_of(territory_copy)


def test_unknown_siren(territory_copy):
    replace_in(territory_copy / "territory.yaml", '"200041366"', '"123456789"')
    assert 'setting "siren"' in errors_of(territory_copy)


def test_bad_yaml_setting_is_located(territory_copy):
    replace_in(territory_copy / "territory.yaml", "a_partir_de: 33}", "a_partir_de: trente}")
    report = errors_of(territory_copy)
    assert 'setting "qualification.classes[3].a_partir_de"' in report


def test_unknown_setting_is_refused(territory_copy):
    replace_in(territory_copy / "territory.yaml", "nom_court: CCRC", "nom_court: CCRC\nannée: 2025")
    assert 'setting "année":\n  unknown setting' in errors_of(territory_copy)


def test_unreadable_yaml(territory_copy):
    (territory_copy / "territory.yaml").write_text("siren: [unclosed", encoding="utf-8")
    assert "not valid YAML" in errors_of(territory_copy)


def test_non_utf8_csv_is_explained(territory_copy):
    # Windows-1252 holding French letters is read (tests/corpus/csv-not-utf8); Mac Roman is not
    path = territory_copy / "data" / "services_sociaux.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("mac_roman"))
    assert "not UTF-8 text" in errors_of(territory_copy)


def test_semicolon_csv_with_decimal_commas_reads_the_same(territory_copy):
    path = territory_copy / "data" / "seuils_quartile.csv"
    path.write_text("annee;seuil_annuel\n2019;8978,5\n", encoding="utf-8")
    territory = load_territory(territory_copy)
    assert [t.seuil_annuel for t in territory.seuils_quartile] == [Decimal("8978.5")]


def test_xlsx_table_gives_the_same_model_as_csv(territory_copy):
    data = territory_copy / "data"
    csv_path = data / "parc_ops.csv"
    before = load_territory(territory_copy).parc_ops
    workbook = Workbook()
    sheet = workbook.active
    for row in read_rows(csv_path):
        sheet.append([_spreadsheet_value(v) for v in row])
    workbook.save(data / "parc_ops.xlsx")
    csv_path.unlink()
    after = load_territory(territory_copy).parc_ops
    key = lambda a: (a.annee, a.commune, a.adresse, a.logements, a.part_sous_40_plus, a.statut)  # noqa: E731
    assert [key(a) for a in after] == [key(a) for a in before]


def test_same_table_in_both_formats_is_ambiguous(territory_copy):
    data = territory_copy / "data"
    Workbook().save(data / "guichets.xlsx")
    assert "guichets exists as both CSV and XLSX" in errors_of(territory_copy)


def _spreadsheet_value(value: str):
    """What a user typing in Excel gets: numbers as numbers, text as text."""
    try:
        return int(value)
    except ValueError:
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value or None


def test_a_table_kept_by_year_holds_until_a_later_folder_replaces_it(territory_copy):
    data = territory_copy / "data"
    (data / "2024").mkdir()
    (data / "2026").mkdir()
    (data / "guichets.csv").rename(data / "2024" / "guichets.csv")
    later = (data / "2024" / "guichets.csv").read_text(encoding="utf-8")
    (data / "2026" / "guichets.csv").write_text(later.replace("2,Toulaud,", "3,Toulaud,"), "utf-8")
    level_of_toulaud = {
        year: {g.nom: g.niveau for g in load_territory(territory_copy, year).guichets}["Toulaud"]
        for year in (2024, 2025, 2026)
    }
    assert level_of_toulaud == {2024: 2, 2025: 2, 2026: 3}
    assert load_territory(territory_copy, 2023).guichets == []


def test_a_table_both_in_data_and_in_a_year_folder_is_ambiguous(territory_copy):
    data = territory_copy / "data"
    (data / "2025").mkdir()
    (data / "2025" / "guichets.csv").write_bytes((data / "guichets.csv").read_bytes())
    assert "guichets is both in" in errors_of(territory_copy)
