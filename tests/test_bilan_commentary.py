"""Sentences about an objective: the macros of blocs/bilan-commentaire.md.j2, given a verdict."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.documents.bilan_commentary import verdict
from generator.documents.common import CONTENT, TEMPLATES
from generator.formatting import FILTERS
from generator.indicators.allocations import SECRET
from generator.indicators.results import Result
from generator.render import make_environment

MACROS = "blocs/bilan-commentaire.md.j2"


def say(macro: str, result: Result, overrides: Path | None = None) -> str:
    folders = [overrides] if overrides else []
    env = make_environment([*folders, TEMPLATES, CONTENT], FILTERS)
    source = f'{{% import "{MACROS}" as bilan %}}{{{{ bilan.{macro}(v) }}}}'
    return env.from_string(source).render(v=verdict(result))


def result(**changes: object) -> Result:
    fields: dict[str, object] = {
        "objectif": "Attributions hors QPV aux ménages du premier quartile",
        "cible": Decimal("0.25"),
        "part": Decimal("0.196"),
        "annee": 2023,
        "precedent": Decimal("0.178"),
        "annee_precedente": 2022,
        "manque": 3,
    }
    return Result(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_missed_target_says_by_how_much_and_what_was_missing():
    assert say("commentaire", result()) == (
        "Objectif non atteint : 19,6\u202f% pour 25\u202f%, +1,8 point par rapport à l'année "
        "précédente ; il aurait fallu 3 attributions de plus pour l'atteindre."
    )


@pytest.mark.parametrize(
    ("manque", "ending"),
    [
        (0, "par rapport à l'année précédente."),
        (1, " ; il aurait fallu 1 attribution de plus pour l'atteindre."),
        (1200, " ; il aurait fallu 1\u202f200 attributions de plus pour l'atteindre."),
    ],
)
def test_missing_allocations_zero_one_many(manque, ending):
    assert say("commentaire", result(manque=manque)).endswith(ending)


def test_a_reached_target_does_not_count_what_is_missing():
    text = say("commentaire", result(part=Decimal("0.263"), precedent=Decimal("0.26"), manque=0))
    assert text == (
        "Objectif atteint : 26,3\u202f% pour 25\u202f%, +0,3 point par rapport à l'année "
        "précédente."
    )


def test_a_gap_of_years_names_the_year_compared_with():
    text = say("commentaire", result(annee_precedente=2020))
    assert ", +1,8 point par rapport à 2020 ;" in text


def test_a_hidden_evolution_says_why():
    text = say("commentaire", result(precedent=SECRET, manque=None))
    assert text == (
        "Objectif non atteint : 19,6\u202f% pour 25\u202f%, évolution non publiée "
        "(secret statistique)."
    )


def test_a_followed_share_without_target_and_published_by_its_source():
    text = say("commentaire", result(cible=None, publie=True, precedent=None, manque=None))
    assert text == (
        "Sans objectif chiffré : 19,6\u202f% des attributions en 2023 (taux publié par la source)."
    )


def test_secret_and_unknown_results_are_explained():
    assert say("commentaire", result(part=SECRET)) == (
        "Résultat 2023 non publié : les effectifs sont sous le seuil du secret statistique."
    )
    assert say("commentaire", result(part=None)) == (
        "Résultat 2023 non disponible : les données manquent."
    )


@pytest.mark.parametrize(
    ("changes", "word"),
    [
        ({}, "Non atteint"),
        ({"part": Decimal("0.3")}, "Atteint"),
        ({"cible": None}, "Suivi sans cible"),
        ({"part": SECRET}, "Secret statistique"),
        ({"part": None}, "Non mesurable"),
    ],
)
def test_the_summary_word_of_each_state(changes, word):
    assert say("statut", result(**changes)) == word


def test_summary_cells_mark_secret_and_unknown_figures():
    assert say("cible", result(cible=Decimal("0.425"))) == "42,5\u202f%"
    assert say("cible", result(cible=None)) == "sans cible"
    assert say("cellule_resultat", result(part=SECRET)) == "s"
    assert say("cellule_resultat", result(part=None)) == ""
    assert say("cellule_evolution", result(precedent=SECRET)) == "s"
    assert say("cellule_evolution", result()) == "\\+1,8 point"


def test_a_territory_override_of_the_macros_rewords_the_sentence(tmp_path):
    (tmp_path / "blocs").mkdir()
    default = (CONTENT / MACROS).read_text(encoding="utf-8")
    reworded = default.replace("Objectif {% if", "Cible {% if")
    (tmp_path / MACROS).write_text(reworded, encoding="utf-8")
    assert say("commentaire", result(), overrides=tmp_path).startswith(
        "Cible non atteint : 19,6\u202f%"
    )


@pytest.mark.parametrize(
    ("atteints", "sentence"),
    [
        (0, "En 2023, aucun\nobjectif chiffré sur 3\nn'est atteint."),
        (1, "En 2023, 1\nobjectif chiffré sur 3\nest atteint."),
        (2, "En 2023, 2\nobjectifs chiffrés sur 3\nsont atteints."),
    ],
)
def test_the_summary_counts_reached_objectives_zero_one_many(atteints, sentence):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    text = env.get_template("blocs/bilan-synthese.md.j2").render(
        titre="Bilan annuel 2023",
        territoire={"nom": "La CC"},
        annee=2023,
        atteints=atteints,
        mesures=3,
    )
    assert sentence in text
