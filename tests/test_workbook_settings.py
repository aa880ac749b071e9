"""The settings of territory.yaml in the workbook: every one shown, edited, validated, written."""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from pydantic import BaseModel

from generator.cli import main
from generator.commands import workbook_settings as settings
from generator.commands.settings_yaml import patched_yaml
from generator.reference import CommuneIndex, epci
from generator.resources import EXAMPLES
from generator.territory.config import TerritoryConfig
from generator.territory.load import load_territory, table_specs

# The workbook and the threshold annex are French users' tools: their messages are read in
# French here (the catalogue's translations of the English msgids), as a French system shows them.
pytestmark = pytest.mark.usefixtures("french")


def export(territory: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["workbook", "export", str(territory), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def import_(territory: Path, workbook: Path):  # noqa: ANN201 - click Result
    return CliRunner().invoke(main, ["workbook", "import", str(territory), str(workbook)])


def row_of(book, sheet: str, setting: str) -> int:  # noqa: ANN001 - openpyxl workbook
    rows = [c.row for c in book[sheet]["A"] if c.value == setting]
    assert rows, f"{setting} is not in {sheet}"
    return rows[0]


def set_settings(workbook: Path, *edits: tuple[str, str, object]) -> None:
    book = load_workbook(workbook)
    for sheet, setting, value in edits:
        book[sheet][f"B{row_of(book, sheet, setting)}"] = value
    book.save(workbook)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}


@pytest.mark.parametrize("name", ["cc-rhone-crussol", "cc-grand-pic-saint-loup", "exemple-fictif"])
def test_export_then_import_leaves_every_file_byte_identical(name, tmp_path):
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder)
    before = snapshot(folder)
    result = import_(folder, export(folder, tmp_path / "classeur.xlsx"))
    assert result.exit_code == 0, result.output
    assert "0 table(s) écrite(s)" in result.output
    assert "réglages inchangés" in result.output
    assert snapshot(folder) == before


def test_settings_sheets_have_french_names_and_headers(territory_copy, tmp_path):
    book = load_workbook(export(territory_copy, tmp_path / "classeur.xlsx"))
    names = ["Paramètres", "Objectifs", "Partenaires", "Orientations", "Signataires", "CIA"]
    assert book.sheetnames[1 : 1 + len(names)] == names
    assert "Délibérations" in book.sheetnames and "PPGDID" in book.sheetnames
    for name in settings.sheet_names():
        assert [c.value for c in book[name][1]] == ["Réglage", "Valeur", "Note"]
    parameters = book["Paramètres"]
    assert parameters[f"B{row_of(book, 'Paramètres', 'documents.auteur')}"].value == (
        "AATIKO Conseils"
    )
    assert parameters[f"B{row_of(book, 'Paramètres', 'documents.date')}"].value == "15/01/2025"
    objectives = book["Objectifs"]
    assert objectives[f"B{row_of(book, 'Objectifs', 'objectifs.qpv')}"].value == "non"
    assert book["Partenaires"][f"B{row_of(book, 'Partenaires', 'partenaires.bailleurs[2]')}"].value
    assert row_of(book, "Orientations", "cia.orientations[4].titre")
    assert row_of(book, "Signataires", "cia.signataires[1]")


def _scalar_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field of the models that holds a value, named without list positions."""
    found = set()
    for name, info in model.model_fields.items():
        kinds = settings.options(info.annotation)
        lists = [typing.get_args(k) for k in kinds if typing.get_origin(k) is list]
        inner = [a for args in lists for a in settings.options(args[0])] if lists else kinds
        dicts = [typing.get_args(k) for k in inner if typing.get_origin(k) is dict]
        inner += [a for args in dicts for a in settings.options(args[1])]
        models = [k for k in inner if settings.is_model(k)]
        if dicts and not models:
            found.add(prefix + name)
        if models:
            found |= _scalar_fields(models[0], f"{prefix}{name}.")
        if any(settings.is_scalar(k) for k in inner):
            found.add(prefix + name)
    return found


def test_every_setting_of_the_models_has_a_row_even_when_the_file_leaves_it_out(tmp_path):
    """Settings another module adds to the models show up with no change to the workbook."""
    folder = tmp_path / "exemple-fictif"
    shutil.copytree(EXAMPLES / "exemple-fictif", folder)
    book = load_workbook(export(folder, tmp_path / "classeur.xlsx"))
    shown = set()
    for name in settings.sheet_names():
        for (cell,) in book[name].iter_rows(min_row=2, max_col=1, values_only=True):
            path = settings.parsed(cell)
            shown.add(".".join(p for p in path if isinstance(p, str) and p != settings.NAME))
    missing = _scalar_fields(TerritoryConfig) - shown
    assert not missing


def test_an_edited_setting_changes_its_line_only_and_keeps_the_comments(territory_copy, tmp_path):
    yaml_file = territory_copy / "territory.yaml"
    before = yaml_file.read_text(encoding="utf-8").splitlines()
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    set_settings(
        workbook,
        ("Paramètres", "documents.statut", "Version définitive"),
        ("Objectifs", "objectifs.mutations", "17,5"),
    )
    result = import_(territory_copy, workbook)
    assert result.exit_code == 0, result.output
    assert "réglages modifiés" in result.output
    after = yaml_file.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("  statut: Projet", "  statut: Version définitive"),
        ("  mutations: 15", "  mutations: 17.5"),
    ]
    config = load_territory(territory_copy).config
    assert str(config.objectifs.mutations) == "17.5"


def test_a_list_grows_on_its_empty_row_and_an_emptied_item_goes(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    set_settings(
        workbook,
        ("Partenaires", "partenaires.bailleurs[7]", "Bailleur Nouveau"),
        ("Partenaires", "partenaires.bailleurs[2]", None),
    )
    result = import_(territory_copy, workbook)
    assert result.exit_code == 0, result.output
    landlords = load_territory(territory_copy).config.partenaires.bailleurs
    assert landlords == [
        "ADIS",
        "Habitat Dauphinois",
        "SDH",
        "Sollar",
        "Alliade",
        "Bailleur Nouveau",
    ]


def test_a_new_orientation_is_written_in_the_orientations_sheet(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    set_settings(
        workbook,
        ("Orientations", "cia.orientations[5].titre", "Une orientation de plus"),
        ("Orientations", "cia.orientations[5].contexte[1]", "Un constat."),
    )
    assert import_(territory_copy, workbook).exit_code == 0
    orientation = load_territory(territory_copy).config.cia.orientations[4]
    assert (orientation.titre, orientation.contexte) == ("Une orientation de plus", ["Un constat."])


def test_bad_values_are_located_by_sheet_row_and_column_in_french(territory_copy, tmp_path):
    before = snapshot(territory_copy)
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    rows = {
        "mutations": row_of(book, "Objectifs", "objectifs.mutations"),
        "qpv": row_of(book, "Objectifs", "objectifs.qpv"),
        "secret": row_of(book, "Paramètres", "secret_statistique"),
        "presentation": row_of(book, "CIA", "cia.presentation"),
    }
    set_settings(
        workbook,
        ("Objectifs", "objectifs.mutations", "beaucoup"),
        ("Objectifs", "objectifs.qpv", "peut-être"),
        ("Paramètres", "secret_statistique", "0"),
        ("CIA", "cia.presentation", "tableaux"),
    )
    result = import_(territory_copy, workbook)
    assert result.exit_code == 1
    out = result.output
    assert (
        f"classeur.xlsx, feuille « Objectifs », ligne {rows['mutations']}, colonne « Valeur » :\n"
    )
    assert (
        f"ligne {rows['mutations']}, colonne « Valeur » :\n  nombre attendu, par exemple 23,5"
        in out
    )
    assert f"ligne {rows['qpv']}, colonne « Valeur » :\n  « oui » ou « non » attendu" in out
    assert (
        f"feuille « Paramètres », ligne {rows['secret']}, colonne « Valeur » :\n  au moins 1" in out
    )
    assert f"ligne {rows['presentation']}, colonne « Valeur » :\n  valeur attendue parmi" in out
    assert snapshot(territory_copy) == before


def test_an_unknown_or_misspelt_setting_is_refused_with_a_suggestion(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    sheet = book["Paramètres"]
    last = sheet.max_row
    sheet[f"A{last + 1}"], sheet[f"B{last + 1}"] = "documents.statu", "Projet"
    sheet[f"A{last + 2}"], sheet[f"B{last + 2}"] = "documents..auteur", "x"
    sheet[f"A{last + 3}"], sheet[f"B{last + 3}"] = "documents.auteur", "encore"
    book.save(workbook)
    out = import_(territory_copy, workbook).output
    assert (
        f"ligne {last + 1}, colonne « Valeur » :\n  réglage inconnu — vérifiez son orthographe"
        " dans docs/territory-format.md — vouliez-vous dire « statut » ?"
    ) in (out)
    assert (
        f"ligne {last + 2}, colonne « Réglage » :\n  « documents..auteur » ne nomme pas un réglage"
        in out
    )
    auteur = row_of(book, "Paramètres", "documents.auteur")
    assert (
        f"ligne {last + 3}, colonne « Réglage » :\n  le réglage « documents.auteur » est déjà "
        f"donné ligne {auteur} de la feuille « Paramètres »"
    ) in out


def test_a_setting_by_name_needs_its_name(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    row = row_of(book, "Objectifs", 'objectifs.prioritaires["…"]')
    set_settings(workbook, ("Objectifs", 'objectifs.prioritaires["…"]', "30"))
    out = import_(territory_copy, workbook).output
    assert (
        f'ligne {row}, colonne « Réglage » :\n  « objectifs.prioritaires["…"] » : remplacez « … »'
        in (out)
    )
    set_settings(workbook, ("Objectifs", 'objectifs.prioritaires["…"]', None))
    book = load_workbook(workbook)
    book["Objectifs"][f"A{row}"], book["Objectifs"][f"B{row}"] = (
        "objectifs.prioritaires.Commune",
        30,
    )
    book.save(workbook)
    assert import_(territory_copy, workbook).exit_code == 0
    goals = load_territory(territory_copy).config.objectifs
    assert goals.priority_target("Commune") == settings.Decimal("0.3")


def test_a_setting_both_a_value_and_a_group_is_refused(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    sheet = book["Paramètres"]
    last = sheet.max_row
    sheet[f"A{last + 1}"], sheet[f"B{last + 1}"] = "documents", "x"
    book.save(workbook)
    out = import_(territory_copy, workbook).output
    assert "« documents » est à la fois une valeur et un groupe de réglages" in out


def test_a_check_across_settings_is_placed_at_the_setting_row(territory_copy, tmp_path):
    """The orientation's target typed as a figure: found by the territory's validation."""
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    title = row_of(book, "Orientations", "cia.orientations[1].titre")
    set_settings(workbook, ("Orientations", "cia.orientations[1].titre", "Viser 25 % au moins"))
    out = import_(territory_copy, workbook).output
    assert f"feuille « Orientations », ligne {title}, colonne « Valeur » :\n  « 25" in out
    assert "est tapé dans « Viser 25" in out


def test_a_model_rule_is_placed_at_the_group_first_row(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    first = row_of(book, "Paramètres", "qualification.classes[1].libelle")
    set_settings(workbook, ("Paramètres", "qualification.classes[2].a_partir_de", "70"))
    out = import_(territory_copy, workbook).output
    assert f"ligne {first}, colonne « Valeur » :\n  les bornes a_partir_de doivent croître" in out


def test_a_removed_settings_sheet_keeps_its_settings(territory_copy, tmp_path):
    before = snapshot(territory_copy)
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    del book["Orientations"]
    book.save(workbook)
    result = import_(territory_copy, workbook)
    assert result.exit_code == 0, result.output
    assert snapshot(territory_copy) == before


def test_a_settings_sheet_without_its_header_is_refused(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    book["Objectifs"]["A1"] = "Clé"
    book.save(workbook)
    out = import_(territory_copy, workbook).output
    assert (
        "feuille « Objectifs », ligne 1 :\n  la première ligne doit nommer les colonnes « Réglage »"
        in (out)
    )


def test_an_unknown_sheet_is_named_in_french(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    book.create_sheet("Brouillon")
    book.save(workbook)
    out = import_(territory_copy, workbook).output
    assert "feuille « Brouillon » :\n  feuille inconnue « Brouillon »" in out


def test_paths_read_back_as_they_are_shown():
    for path in [("siren",), ("cia", "orientations", 1, "titre"), ("objectifs", "x", "S.A. HLM")]:
        assert settings.parsed(settings.shown(path)) == path
    assert settings.shown(("objectifs", "x", "S.A. HLM")) == 'objectifs.x["S.A. HLM"]'
    for wrong in ("", "a..b", "a[0]", ".a", "a[x]"):
        assert settings.parsed(wrong) is None


def test_cells_take_the_type_the_model_expects():
    assert settings.typed(("objectifs", "qpv"), "Oui") is True
    assert settings.typed(("objectifs", "mutations"), "17,5") == settings.Decimal("17.5")
    assert settings.typed(("annee",), "2 025") == 2025
    assert settings.typed(("documents", "date"), "15/01/2025").isoformat() == "2025-01-15"
    assert settings.typed(("nom_court",), " 2025 ") == "2025"
    assert settings.as_cell(settings.Decimal("17.50")) == "17,5"


def _columns() -> set[str]:
    index = CommuneIndex(epci("200041366").communes)
    return {f"{spec.name}.{c.name}" for spec in table_specs() for c in spec.columns(index)}


def test_every_column_and_setting_has_a_french_note_and_every_note_a_column_or_setting():
    words = settings.words()
    assert sorted(_columns() - set(words.colonnes)) == [], "add them to content/blocs/classeur.yaml"
    assert sorted(set(words.colonnes) - _columns()) == []
    fields = _scalar_fields(TerritoryConfig)
    assert sorted(f for f in fields if not settings.note_of(tuple(f.split(".")))) == []
    assert sorted(set(words.reglages) - fields) == []


_ENGLISH = re.compile(r"\b(the|of|and|with|number|year|shown|where|when|which)\b", re.IGNORECASE)


def test_the_notes_and_every_settings_sheet_read_in_french(territory_copy, tmp_path):
    book = load_workbook(export(territory_copy, tmp_path / "classeur.xlsx"))
    notes = [str(c) for row in book["Lisez-moi"].iter_rows(values_only=True) for c in row if c]
    assert "Table" in notes and "Exigence" in notes
    assert "remarque interne, jamais imprimée" in notes
    for name in settings.sheet_names():
        notes += [str(c) for (c,) in book[name].iter_rows(min_col=3, values_only=True) if c]
    english = [n for n in notes if _ENGLISH.search(n)]
    assert english == []
    comment = book["guichets"]["A1"].comment
    assert comment is not None and comment.text == "niveau du guichet, 1, 2 ou 3"


def test_closed_settings_are_drop_down_lists(territory_copy, tmp_path):
    book = load_workbook(export(territory_copy, tmp_path / "classeur.xlsx"))

    def choices(sheet: str, setting: str) -> str:
        cell = f"B{row_of(book, sheet, setting)}"
        rules = book[sheet].data_validations.dataValidation
        return next(r.formula1 for r in rules if cell in str(r.sqref).split())

    assert choices("Objectifs", "objectifs.qpv") == '"oui,non"'
    assert choices("CIA", "cia.presentation") == '"orientations,engagements"'
    assert choices("Orientations", "cia.orientations[1].cible").startswith('"premier_quartile,')


COMMENTED = """a:
  b: []   # note b
  c:
    - x    # note x

# later comment
d: 1
"""


@pytest.mark.parametrize(
    "wanted",
    [
        {"a": {"b": ["y", "z"], "c": ["x", "w"]}, "d": 1},
        {"a": {"b": [], "c": []}, "d": 1},
        {"a": {"b": []}, "d": 1},
        {"a": {"b": [], "c": ["x"], "e": 3}, "d": 2},
        {"a": {"b": [{"t": 1, "u": [1, 2]}], "c": ["x"]}, "d": 2},
        {"d": 1},
    ],
)
def test_patched_yaml_says_what_was_asked_and_keeps_comment_lines_it_can(wanted):
    written = patched_yaml(COMMENTED, wanted)
    assert yaml.safe_load(written) == wanted
    if "c" in wanted.get("a", {}) and wanted["a"]["c"]:
        assert "\n# later comment\n" in written  # still after the list it followed


def test_a_new_territory_is_filled_through_the_workbook_only(tmp_path):
    """cil new, then settings and a table typed in the workbook: it checks and builds."""
    made = CliRunner().invoke(
        main, ["new", "cc-rvv", "--siren", "243000569", "--year", "2025", "--into", str(tmp_path)]
    )
    assert made.exit_code == 0, made.output
    folder = tmp_path / "cc-rvv"
    workbook = export(folder, tmp_path / "classeur.xlsx")
    set_settings(
        workbook,
        ("Paramètres", "documents.auteur", "Cabinet Exemple"),
        ("Paramètres", "accueil.delai_entretien_jours", "30"),
        ("Partenaires", "partenaires.bailleurs[1]", "Bailleur Un"),
        ("Partenaires", "partenaires.reservataires[1]", "État"),
        ("Orientations", "cia.orientations[1].titre", "Loger le premier quartile"),
        ("Orientations", "cia.orientations[1].cible", "premier_quartile"),
        ("Signataires", "cia.signataires[1]", "communes"),
        ("PPGDID", "ppgdid.location_choisie.statut", "aucun"),
        ("Objectifs", "objectifs.qpv", "non"),
    )
    book = load_workbook(workbook)
    book["seuils_quartile"].append(["2024", "12345", "chiffre fictif"])
    book.save(workbook)
    result = import_(folder, workbook)
    assert result.exit_code == 0, result.output
    assert "1 table(s) écrite(s)" in result.output and "réglages modifiés" in result.output
    text = (folder / "territory.yaml").read_text(encoding="utf-8")
    assert "    - Bailleur Un" in text
    assert "# Nom, communes et département viennent du référentiel officiel" in text
    config = load_territory(folder).config
    assert (
        config.cia is not None and config.cia.orientations[0].titre == "Loger le premier quartile"
    )
    assert config.accueil.delai_entretien_jours == 30
    assert config.objectifs.qpv is False
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(folder), "--format", "md", "--out", str(out)])
    assert built.exit_code == 0, built.output
    cia = (out / "cc-rvv" / "2025" / "cia.md").read_text(encoding="utf-8")
    assert "Loger le premier quartile" in cia


def test_a_missing_or_damaged_workbook_is_said_in_french(territory_copy, tmp_path):
    missing = import_(territory_copy, tmp_path / "absent.xlsx")
    assert missing.exit_code == 2
    assert "absent.xlsx : fichier introuvable" in missing.output
    damaged = tmp_path / "abime.xlsx"
    damaged.write_bytes(b"PK not a workbook")
    result = import_(territory_copy, damaged)
    assert result.exit_code == 1
    assert "le fichier ne se lit pas comme un classeur Excel" in result.output


def test_a_table_sheet_without_its_header_row_is_refused(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "classeur.xlsx")
    book = load_workbook(workbook)
    book["guichets"].delete_rows(1)
    book["guichets"].insert_rows(1)
    book.save(workbook)
    out = import_(territory_copy, workbook).output
    assert "feuille « guichets », ligne 1 :\n  la première ligne doit nommer les colonnes" in out
