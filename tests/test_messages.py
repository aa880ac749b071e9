"""Messages in the reader's language: the catalogue, the choice of language, French output.

The suite asserts English (tests/conftest.py sets CIL_LANG=en); the tests here read French.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import DataErrors, Location, Problem
from generator.messages import _, catalogue, language, language_in_use
from generator.territory.validation_messages import explained

from .conftest import ROOT, replace_in

sys.path.insert(0, str(ROOT / "scripts"))
from update_messages import extract, placeholders  # noqa: E402

NNBSP = "\u202f"


def run_cil(*args: str, lang: str = "fr") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CIL_LANG": lang},
    )


# --- The catalogue ----------------------------------------------------------------------------

MESSAGES = extract()


def test_the_code_has_its_messages_and_the_walk_finds_them():
    assert len(MESSAGES) > 300
    assert "{count} errors; nothing was written." in MESSAGES
    assert MESSAGES['unknown commune "{raw}"{hint}'].fields == {"raw", "hint"}


def test_every_message_of_the_code_has_a_french_translation():
    french = catalogue("fr")
    assert [text for text in MESSAGES if not french.get(text)] == []


def test_every_translation_keeps_the_fields_of_its_message():
    french = catalogue("fr")
    differ = {
        text: french[text]
        for text in MESSAGES
        if text in french and placeholders(french[text]) != placeholders(text)
    }
    assert differ == {}


def test_every_call_passes_the_fields_its_message_names():
    wrong = {
        text: (sorted(item.fields), item.places[0])
        for text, item in MESSAGES.items()
        if item.fields and not item.open_fields and item.fields != placeholders(text)
    }
    assert wrong == {}


def test_the_catalogue_keeps_no_message_the_code_no_longer_has():
    assert sorted(set(catalogue("fr")) - set(MESSAGES)) == []


def test_every_column_and_table_description_is_a_message_of_the_catalogue():
    """Descriptions are shown inside messages (a missing column, an empty cell): each is a
    msgid, so that it is shown in French too."""
    from generator.reference import CommuneIndex
    from generator.territory.load import table_specs

    descriptions = {
        f"{spec.name}.{column.name}": column.description
        for spec in table_specs()
        for column in spec.columns(CommuneIndex(()))
    } | {spec.name: spec.description for spec in table_specs()}
    assert {where: text for where, text in descriptions.items() if text not in MESSAGES} == {}


# --- The language in use ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"CIL_LANG": "fr"}, "fr"),
        ({"CIL_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_BE.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_follows_cil_lang_then_the_system_locale(monkeypatch, environment, expected):
    for name in ("CIL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert language_in_use() == expected


def test_an_explicit_language_wins_over_the_environment_and_ends_with_its_block(monkeypatch):
    monkeypatch.setenv("CIL_LANG", "en")
    with language("fr"):
        assert _("row {row}", row=3) == "ligne 3"
    assert _("row {row}", row=3) == "row 3"


def test_a_message_not_yet_translated_shows_in_english(french):
    assert _("a message no catalogue has ({n})", n=2) == "a message no catalogue has (2)"


def test_numbers_are_written_the_french_way_in_french_messages():
    with language("fr"):
        said = _("the cell holds {count} characters, over the limit of {limit}: shorten it",
                 count=123456, limit=32767)  # fmt: skip
        assert said == (
            f"la cellule contient 123{NNBSP}456 caractères, au-delà de la limite de "
            f"32{NNBSP}767 : raccourcissez-la"
        )
        assert _("expected at least {bound}", bound=Decimal("23.5")) == "au moins 23,5"
        assert _("row {row}", row=2024) == "ligne 2024"  # a year or a row: no separator
    assert _("expected at least {bound}", bound=Decimal("23.5")) == "expected at least 23.5"


# --- Places and reports -----------------------------------------------------------------------


def test_a_place_reads_in_french():
    place = Location("data/guichets.xlsx", row=3, column="commune", sheet="guichets")
    with language("fr"):
        assert (
            str(place) == "data/guichets.xlsx, feuille « guichets », ligne 3, colonne « commune »"
        )
        assert str(Location("territory.yaml", key="objectifs.q1")) == (
            "territory.yaml, réglage « objectifs.q1 »"
        )
    assert str(place) == 'data/guichets.xlsx, sheet "guichets", row 3, column "commune"'


def test_a_report_of_errors_reads_in_french():
    problems = [Problem(Location("a.csv", row=n), "x") for n in (2, 3, 4)]
    with language("fr"):
        report = DataErrors(problems).report()
        assert report.endswith("3 erreurs ; rien n'a été écrit.")
        assert report.startswith("a.csv, ligne 2 :\n  x")
        assert DataErrors(problems[:1]).report().endswith("1 erreur ; rien n'a été écrit.")
    assert DataErrors(problems).report().endswith("3 errors; nothing was written.")


# --- Pydantic's messages ----------------------------------------------------------------------


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    annee: int
    taux: Decimal = Field(ge=0, le=100)
    diffusion: str = "publique"
    qpv: bool = True


def _errors(data: dict) -> dict[str, dict]:
    with pytest.raises(ValidationError) as raised:
        _Settings.model_validate(data)
    return {str(item["loc"][-1]): item for item in raised.value.errors()}


def test_pydantic_errors_are_told_in_our_words_in_english():
    errors = _errors({"annee": "deux mille", "taux": 130, "qpv": "peut-être", "anee": 1})
    assert explained(errors["annee"]) == 'expected a whole number, got "deux mille"'
    assert explained(errors["taux"]) == 'expected at most 100, got "130"'
    assert explained(errors["qpv"]).startswith("expected « oui » or « non »")
    assert explained(errors["anee"], ["annee", "taux"]) == (
        'unknown setting — check its spelling in docs/territory-format.md — did you mean "annee"?'
    )
    assert explained(_errors({"taux": 1})["annee"]) == "missing — this setting is required"


def test_pydantic_errors_are_told_in_french(french):
    errors = _errors({"annee": "deux mille", "taux": "beaucoup", "qpv": "peut-être"})
    assert explained(errors["annee"]) == "nombre entier attendu, lu « deux mille »"
    assert explained(errors["taux"]) == "nombre attendu, par exemple 23,5, lu « beaucoup »"
    assert (
        explained(errors["qpv"]) == "« oui » ou « non » attendu (true ou false), lu « peut-être »"
    )
    assert explained(_errors({"taux": 1})["annee"]) == "manquant : ce réglage est obligatoire"


def test_our_own_validators_speak_french_through_pydantic(french):
    from generator.territory.objectives import Objectives

    with pytest.raises(ValidationError) as raised:
        Objectives.model_validate({"premier_quartile_hors_qpv": {"Habitat du Val": {}}})
    assert [explained(item) for item in raised.value.errors()] == [
        "donnez un taux en % (30, ou taux: 30) ou un nombre d'attributions par an (nombre: 12),"
        " l'un des deux"
    ]


# --- Real failures through `cil check`, in French ---------------------------------------------


def test_a_misspelt_commune_is_told_in_french(territory_copy):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "2,Touloud,")
    result = run_cil("check", str(territory_copy))
    assert result.returncode == 1
    assert "guichets.csv, ligne 12, colonne « commune » :" in result.stderr
    assert "commune inconnue « Touloud » — vouliez-vous dire « Toulaud » (07323) ?" in result.stderr
    assert result.stderr.rstrip().endswith("1 erreur ; rien n'a été écrit.")


def test_a_missing_column_is_told_in_french(territory_copy):
    path = territory_copy / "data" / "guichets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("niveau,", "level,", 1), "utf-8")
    result = run_cil("check", str(territory_copy))
    assert result.returncode == 1
    assert "guichets.csv, ligne 1 :\n  colonne manquante « niveau »" in result.stderr
    assert "guichets.csv, ligne 1, colonne « level » :\n  colonne inconnue « level »" in (
        result.stderr
    )
    assert result.stderr.rstrip().endswith("2 erreurs ; rien n'a été écrit.")


def test_a_wrong_type_in_territory_yaml_is_told_in_french(territory_copy):
    replace_in(territory_copy / "territory.yaml", "annee: 2025", "annee: deux mille vingt-cinq")
    result = run_cil("check", str(territory_copy))
    assert result.returncode == 1
    assert "territory.yaml, réglage « annee » :" in result.stderr
    assert "nombre entier attendu, lu « deux mille vingt-cinq »" in result.stderr
    assert "Input should" not in result.stderr


def test_the_same_failure_reads_in_english_with_cil_lang_en(territory_copy):
    replace_in(territory_copy / "territory.yaml", "annee: 2025", "annee: deux mille vingt-cinq")
    result = run_cil("check", str(territory_copy), lang="en")
    assert 'territory.yaml, setting "annee":' in result.stderr
    assert 'expected a whole number, got "deux mille vingt-cinq"' in result.stderr
    assert result.stderr.rstrip().endswith("1 error; nothing was written.")


def test_the_output_of_a_valid_check_is_french_too(tmp_path: Path):
    result = run_cil("check")
    assert result.returncode == 0, result.stderr
    assert "cc-rhone-crussol 2025 : les données et les modèles sont valides." in result.stdout
    assert "À renseigner (" in result.stdout
    assert "colonne « adresse » : vide aux lignes 2-19" in result.stdout


def test_a_date_in_a_french_message_reads_as_an_act_writes_it(french) -> None:  # noqa: ANN001
    import datetime as dt

    from generator.messages import _, language

    day = dt.date(2023, 2, 10)
    with language("en"):
        assert _("on {date}", date=day) == "on 2023-02-10"
    with language("fr"):
        assert _("on {date}", date=day) == "on 10/02/2023"  # no translation: the field only


def test_the_description_of_an_empty_or_missing_column_is_french(territory_copy, french):
    from generator.territory.load import load_territory

    data = territory_copy / "data"
    replace_in(data / "parc_ops.csv", "Rue des Fleurs,40,", "Rue des Fleurs,,")
    replace_in(data / "guichets.csv", "niveau,", "level,")
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy)
    report = caught.value.report()
    assert "cellule vide — nombre de logements sociaux" in report
    assert "colonne manquante « niveau » (niveau 1, 2 ou 3)" in report


def test_a_count_agrees_in_number_by_the_rule_of_the_language():
    from generator.messages import n_

    message = (
        "{count} value is missing and marked [à renseigner]: cil check {territory} lists it.",
        "{count} values are missing and marked [à renseigner]: cil check {territory} lists them.",
    )
    with language("fr"):  # French: 0 and 1 in the singular
        assert n_(*message, 0, territory="x") == (
            "0 valeur manque et est marquée [à renseigner] : cil check x la liste."
        )
        assert n_(*message, 1, territory="x").startswith("1 valeur manque")
        assert n_(*message, 2, territory="x").startswith("2 valeurs manquent")
        assert n_("{count} built", "{count} built", 2) == "2 construits"
    with language("en"):  # English: 0 in the plural
        assert n_(*message, 1, territory="x").startswith("1 value is missing")
        assert n_(*message, 0, territory="x").startswith("0 values are missing")


def test_check_all_counts_its_files_in_french(tmp_path: Path):
    import shutil

    shutil.copytree(ROOT / "territories" / "exemple-fictif", tmp_path / "territories" / "ex")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CIL_LANG": "fr"},
    )
    assert "0 fichier par défaut remplacé" in done.stdout, done.stdout + done.stderr


def test_the_summary_of_build_all_is_french(tmp_path: Path):
    import shutil

    for name in ("exemple-fictif", "zz-seuils-mal-saisis"):
        shutil.copytree(ROOT / "territories" / "exemple-fictif", tmp_path / "territories" / name)
    broken = tmp_path / "territories" / "zz-seuils-mal-saisis" / "data" / "seuils_quartile.csv"
    replace_in(broken, "2019,8912,", "2019,8 912 €,")
    replace_in(broken, "2020,9204,", "2020,9204 euros,")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--all", "--format", "md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CIL_LANG": "fr"},
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert "construit  exemple-fictif : annexes-ppgdid, ppgdid, cia, bilan" in lines
    failed = "\n".join(lines[lines.index(next(x for x in lines if "zz-seuils" in x)) :])
    assert failed.startswith(" en échec  zz-seuils-mal-saisis : territories/zz-seuils-mal-saisis/")
    assert "seuils_quartile.csv, ligne 2, colonne « seuil_annuel » :" in failed
    assert "montant en euros attendu, lu « 8 912 € »" in failed
    assert "(et 1 autre : cil check zz-seuils-mal-saisis)" in failed
    assert lines[-1] == "1 construit, 0 à jour, 1 en échec"
    assert "Construction des territoires" in done.stdout + done.stderr


# --- click's own words: usage errors and help ----------------------------------------------------


def test_a_usage_error_of_click_is_told_in_french():
    missing = run_cil("new")
    assert missing.returncode == 2
    assert "Utilisation : cil new [OPTIONS] SLUG" in missing.stderr
    assert "Essayez « cil new --help » pour l'aide." in missing.stderr
    assert "Erreur : Argument manquant « SLUG »." in missing.stderr
    wrong = run_cil("build", "--year", "deux-mille")
    assert "Valeur invalide pour « --year » : « deux-mille » n'est pas un nombre valide" in (
        wrong.stderr
    )
    assert "Commande « nouveau » inconnue." in run_cil("nouveau").stderr
    assert "n'est pas un nombre valide (entier)." in wrong.stderr
    assert "Option « --nope » inconnue. Vouliez-vous dire « --force » ?" in (
        run_cil("build", "--nope").stderr
    )
    assert "Erreur : Argument manquant « TERRITOIRE »." in run_cil("workbook", "import").stderr


def test_a_usage_error_of_click_stays_english_in_english():
    missing = run_cil("new", lang="en")
    assert "Usage: cil new [OPTIONS] SLUG" in missing.stderr
    assert "Error: Missing argument 'SLUG'." in missing.stderr
    assert "'x' is not a valid integer." in run_cil("build", "--year", "x", lang="en").stderr
    assert "Did you mean '--force'?" in run_cil("build", "--nope", lang="en").stderr
    shown = run_cil("build", "--help", lang="en").stdout
    assert "Usage: cil build [OPTIONS] [TERRITORY]" in shown
    assert "\nOptions:\n" in shown and "--out PATH" in shown and "--year INTEGER" in shown
    assert "Usage: cil [OPTIONS] COMMAND [ARGS]..." in run_cil("--help", lang="en").stdout


def test_the_help_of_a_command_is_french():
    shown = run_cil("build", "--help").stdout
    assert "Utilisation : cil build [OPTIONS] [TERRITOIRE]" in shown
    assert "Construit les documents de TERRITOIRE" in shown
    assert "reconstruit même ce qui est à jour" in shown
    assert "[par défaut : build]" in shown
    assert "Affiche cette aide, puis s'arrête." in shown
    assert "\nOptions :\n" in shown
    assert "--doc TEXTE" in shown and "--out CHEMIN" in shown and "--year ENTIER" in shown
    assert not {"TEXT", "PATH", "INTEGER", "TERRITORY", "[TERRITORY]"} & set(shown.split())
    listed = run_cil("--help").stdout
    assert "Utilisation : cil [OPTIONS] COMMANDE [ARGUMENTS]..." in listed
    assert "\nCommandes :\n" in listed
    assert "Vérifie TERRITOIRE et liste ce qui reste à renseigner." in listed
    assert "--workers ENTIER" in run_cil("serve", "--help").stdout
    assert "[obligatoire]" in run_cil("new", "--help").stdout
    assert "Vérifie FICHIER" in run_cil("workbook", "--help").stdout
    assert "Validate TERRITORY" in run_cil("--help", lang="en").stdout


def test_the_plural_messages_of_click_follow_the_french_rule():
    from generator.messages import translation

    french = translation("fr")
    singular, plural = (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    )
    assert french.ngettext(singular, plural, 1) == "Argument en trop ({args})"
    assert french.ngettext(singular, plural, 2) == "Arguments en trop ({args})"
    assert translation("en").ngettext(singular, plural, 2) == plural
