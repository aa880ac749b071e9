"""Grammar from data: a document's name carries its gender and number, every sentence agrees.

The CIA of Rhône Crussol merges its convention into a plan with its own title; here that title
takes every gender and number, and the rendered Markdown must never pair an article with a name
of the other gender (« du Convention », « la Plan », « le Engagements »)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.documents import bilan, cia
from generator.documents.common import search_paths
from generator.errors import CilError
from generator.formatting import FILTERS
from generator.grammar import GENRES, Nom, au, compte, du, le
from generator.render import make_environment, render_markdown
from generator.territory.load import load_territory
from tests.making import context_of

from .conftest import EXAMPLE
from .test_cia import plain

#: Every lexicon entry with the article it must take: a test per entry, written by hand.
LEXICON = {
    "accord": "l'",
    "an": "l'",
    "agglomération": "l'",
    "arrêté": "l'",
    "attribution": "l'",
    "bilan": "le ",
    "bureau": "le ",
    "cadre": "le ",
    "charte": "la ",
    "circulaire": "la ",
    "communauté": "la ",
    "commune": "la ",
    "conférence": "la ",
    "conseil": "le ",
    "contrat": "le ",
    "critère": "le ",
    "convention": "la ",
    "dispositif": "le ",
    "document": "le ",
    "décret": "le ",
    "engagement": "l'",
    "eurométropole": "l'",
    "évaluation": "l'",
    "feuille": "la ",
    "handicap": "le ",
    "loi": "la ",
    "métropole": "la ",
    "objectif": "l'",
    "ordonnance": "l'",
    "orientation": "l'",
    "pacte": "le ",
    "plan": "le ",
    "politique": "la ",
    "programme": "le ",
    "projet": "le ",
    "protocole": "le ",
    "rapport": "le ",
    "règlement": "le ",
    "schéma": "le ",
    "stratégie": "la ",
    "syndicat": "le ",
    "établissement": "l'",
}
FEMININE_DU = {"la ": "de la ", "le ": "du ", "l'": "de l'"}


def test_every_lexicon_entry_is_checked_by_hand():
    assert set(LEXICON) == set(GENRES)


@pytest.mark.parametrize(("noun", "article"), sorted(LEXICON.items()))
def test_each_lexicon_entry_takes_its_article(noun, article):
    assert le(noun) == article + noun
    assert du(noun) == FEMININE_DU[article] + noun


#: Titles a territory may give its merged document: (title, gender, plural, article, « de »).
TITLES = [
    ("Convention intercommunale d'attribution", None, None, "la ", "de la "),
    ("Plan intercommunal d'attribution", None, None, "le ", "du "),
    ("Accord intercommunal d'attribution", None, None, "l'", "de l'"),
    ("Orientations et engagements d'attribution", None, None, "les ", "des "),
    ("Charte intercommunale d'attribution", None, None, "la ", "de la "),
    ("Pacte pour le logement", None, None, "le ", "du "),
    ("Feuille de route des attributions", None, None, "la ", "de la "),
    ("Engagements partagés", None, None, "les ", "des "),
    ("Schéma des attributions", None, None, "le ", "du "),
    ("Stratégie d'attribution", None, None, "la ", "de la "),
    ("Politique partagée", "f", False, "la ", "de la "),
    ("Zonage des attributions", "m", False, "le ", "du "),
    ("Modalités d'attribution", "f", True, "les ", "des "),
    ("Objectifs partagés", None, None, "les ", "des "),
]


@pytest.mark.parametrize(("title", "genre", "plural", "article", "of"), TITLES)
def test_a_name_gives_its_articles_and_agreement(title, genre, plural, article, of):
    name = Nom(title, genre, plural)
    assert le(name) == article + title
    assert du(name) == of + title
    assert au(name).endswith(title)
    assert compte(0, name).startswith("aucune " if name.genre == "f" else "aucun ")


def test_a_title_of_unknown_gender_is_a_located_error_asking_for_it(tmp_path):
    import shutil

    target = tmp_path / "t"
    shutil.copytree(EXAMPLE, target)
    config = target / "territory.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("intitule: Plan intercommunal d'attribution", "intitule: Zonage partagé"),
        encoding="utf-8",
    )
    with pytest.raises(CilError) as raised:
        load_territory(target)
    assert "intitule_genre" in str(raised.value)
    assert "territory.yaml" in str(raised.value)


def test_a_gender_given_in_the_configuration_reaches_the_document(tmp_path):
    import shutil

    target = tmp_path / "t"
    shutil.copytree(EXAMPLE, target)
    config = target / "territory.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "intitule: Plan intercommunal d'attribution",
            "intitule: Zonage partagé\n  intitule_genre: m",
        ),
        encoding="utf-8",
    )
    territory = load_territory(target)
    context, _ = context_of(cia.DOCUMENT, territory, 2025)
    assert le(context["cia"]["nom"]) == "le Zonage partagé"
    assert cia.title(territory).genre == "m"


# --- Property: the documents agree with a title of any gender and number ------------------------

#: An article (or contraction) followed by a noun of the other gender or number is a disagreement.
_MASCULINE = sorted(n for n, g in GENRES.items() if g == "m")
_FEMININE = sorted(n for n, g in GENRES.items() if g == "f")


def _disagreements(text: str, title: Nom) -> list[str]:
    """The places where the title follows an article that does not agree with it."""
    found = []
    head = re.escape(str(title))
    for match in re.finditer(
        rf"(?i)\b(le|la|les|du|de la|des|au|aux|à la|l'|de l')\s*{head}(?!\w)", text
    ):
        article = match.group(1).lower()
        if title.pluriel:
            ok = article in ("les", "des", "aux")
        elif str(title)[0].lower() in "aàâeéèêiîoôuy":
            ok = article in ("l'", "de l'")
        elif title.genre == "f":
            ok = article in ("la", "de la", "à la")
        else:
            ok = article in ("le", "du", "au")
        if not ok:
            found.append(match.group(0))
    return found


@cache
def _rhone_crussol() -> tuple[Any, dict[str, Any]]:
    territory = load_territory(EXAMPLE)
    context, _ = context_of(cia.DOCUMENT, territory, 2025)
    return territory, context


nouns = st.sampled_from(
    [(n, g, False) for n, g in GENRES.items()]
    + [(n + "s", g, True) for n, g in GENRES.items() if not n.endswith(("s", "x"))]
)
tails = st.sampled_from(["", " intercommunal d'attribution", " des attributions", " partagé"])


@settings(max_examples=25, deadline=None)
@given(nouns, tails)
def test_the_cia_agrees_with_a_title_of_any_gender_and_number(noun, tail):
    word, genre, plural = noun
    title = Nom(word.capitalize() + tail, genre, plural)
    territory, context = _rhone_crussol()
    context = {**context, "cia": {**context["cia"], "nom": title, "fusion": True}}
    markdown = plain(
        render_markdown(make_environment(search_paths(territory), FILTERS), cia.TEMPLATE, context)
    )
    assert str(title) in markdown
    assert _disagreements(markdown, title) == []


@pytest.mark.parametrize(
    ("atteints", "mesures", "expected"),
    [
        (0, 4, "aucun objectif chiffré sur quatre\nn'est atteint"),
        (1, 4, "un objectif chiffré sur quatre\nest atteint"),
        (3, 4, "trois objectifs chiffrés sur quatre\nsont atteints"),
    ],
)
def test_the_bilan_counts_its_objectives_in_words(atteints, mesures, expected):
    territory = load_territory(EXAMPLE)
    context, _ = context_of(bilan.DOCUMENT, territory, 2025)
    context = {**context, "atteints": atteints, "mesures": mesures}
    markdown = plain(
        render_markdown(make_environment(search_paths(territory), FILTERS), bilan.TEMPLATE, context)
    )
    assert expected in markdown
    assert "La Communauté de communes Rhône Crussol et ses" in markdown
