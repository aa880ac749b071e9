"""Grammar filters: articles with elision, gender from data, plurals, « aucun », capitals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from generator.grammar import (
    GENRES,
    H_ASPIRE,
    a_lieu,
    accorde,
    au,
    compte,
    de_lieu,
    du,
    elision,
    genre_de,
    le,
    majuscule,
    minuscule,
    pluriel,
)
from generator.render import make_environment


@pytest.mark.parametrize(
    ("mot", "expected"),
    [
        ("loi", "la loi"),
        ("décret", "le décret"),
        ("circulaire", "la circulaire"),
        ("arrêté", "l'arrêté"),
        ("ordonnance", "l'ordonnance"),
        ("habitat", "l'habitat"),
        ("handicap", "le handicap"),
        ("Convention intercommunale d'attribution", "la Convention intercommunale d'attribution"),
        ("Plan partenarial de gestion", "le Plan partenarial de gestion"),
    ],
)
def test_definite_article_agrees_and_elides(mot, expected):
    assert le(mot) == expected


def test_contracted_articles_follow_gender_elision_and_number():
    assert [du("loi"), du("décret"), du("arrêté"), du("lois", pluriel=True)] == [
        "de la loi",
        "du décret",
        "de l'arrêté",
        "des lois",
    ]
    assert [au("loi"), au("décret"), au("ordonnance"), au("décrets", pluriel=True)] == [
        "à la loi",
        "au décret",
        "à l'ordonnance",
        "aux décrets",
    ]


def test_a_gender_given_by_the_territory_wins_over_the_lexicon():
    assert le("Livre blanc", genre="m") == "le Livre blanc"
    assert le("Stratégie locale", genre="f") == "la Stratégie locale"


def test_an_unknown_noun_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="genre='m' or genre='f'"):
        le("Livre blanc")


def test_a_known_noun_in_the_plural_takes_les_des_aux():
    assert le("Orientations et convention") == "les Orientations et convention"
    assert du("arrêtés du préfet") == "des arrêtés du préfet"
    assert au("lois") == "aux lois"


def test_feminine_and_masculine_titles_come_from_their_first_word():
    assert genre_de("Convention intercommunale d'attribution") == "f"
    assert genre_de("Plan intercommunal d'attribution") == "m"
    assert genre_de("Communauté de communes Rhône Crussol") == "f"


@pytest.mark.parametrize(
    ("nombre", "expected"),
    [(0, "aucun objectif chiffré"), (1, "1 objectif chiffré"), (2, "2 objectifs chiffrés")],
)
def test_count_says_aucun_for_zero_and_agrees_from_two(nombre, expected):
    assert compte(nombre, "objectif chiffré") == expected


def test_count_of_a_feminine_noun_says_aucune_and_formats_thousands():
    assert compte(0, "attribution") == "aucune attribution"
    assert compte(1014, "attribution") == "1\u202f014 attributions"
    assert compte(2, "travail", forme="travaux", genre="m") == "2 travaux"


def test_count_in_words_for_durations():
    assert compte(6, "an", en_lettres=True) == "six ans"
    assert compte(1, "an", en_lettres=True) == "un an"
    assert compte(0, "an", en_lettres=True) == "aucun an"


def test_participles_agree_in_gender_and_number():
    assert accorde("atteint") == "atteint"
    assert accorde("atteint", nombre=3) == "atteints"
    assert accorde("atteint", genre="f") == "atteinte"
    assert accorde("atteint", genre="f", nombre=2) == "atteintes"


def test_place_names_contract_their_own_article():
    assert [de_lieu("Cornas"), de_lieu("Alboussière"), de_lieu("Le Pouzin")] == [
        "de Cornas",
        "d'Alboussière",
        "du Pouzin",
    ]
    assert [de_lieu("Les Ollières-sur-Eyrieux"), de_lieu("La Voulte"), de_lieu("L'Étrat")] == [
        "des Ollières-sur-Eyrieux",
        "de la Voulte",
        "de L'Étrat",
    ]
    assert [a_lieu("Cornas"), a_lieu("Le Pouzin"), a_lieu("Les Ollières")] == [
        "à Cornas",
        "au Pouzin",
        "aux Ollières",
    ]


def test_capitals_touch_only_the_first_letter():
    assert majuscule("la loi ALUR") == "La loi ALUR"
    assert minuscule("Objectif atteint : ALUR") == "objectif atteint : ALUR"
    assert majuscule("") == ""


def test_markup_stays_markup_and_plain_text_stays_plain():
    assert isinstance(le(Markup("loi")), Markup)
    assert not isinstance(le("loi"), Markup)
    assert isinstance(majuscule(Markup("*x*")), Markup)


def test_filters_are_in_every_template_environment(tmp_path):
    (tmp_path / "t.md.j2").write_text(
        "{{ 'loi' | le | majuscule }} ; {{ n | compte('objectif chiffré') }}", encoding="utf-8"
    )
    env = make_environment([tmp_path])
    assert env.get_template("t.md.j2").render(n=0) == "La loi ; aucun objectif chiffré"


def test_a_value_phrased_by_a_filter_is_still_escaped(tmp_path):
    (tmp_path / "t.md.j2").write_text("{{ nom | le }}", encoding="utf-8")
    env = make_environment([tmp_path])
    assert env.get_template("t.md.j2").render(nom="loi *n° 1*") == "la loi \\*n° 1\\*"


words = st.text(alphabet="abcdefghéèêàôîu", min_size=1, max_size=12)


@given(words, st.sampled_from(sorted(GENRES)))
def test_an_article_is_a_prefix_and_keeps_the_noun_intact(tail, head):
    noun = f"{head} {tail}"
    for phrase in (le(noun), du(noun), au(noun)):
        assert phrase.endswith(noun)
        assert phrase[: -len(noun)] in {
            "le ",
            "la ",
            "l'",
            "du ",
            "de la ",
            "de l'",
            "au ",
            "à la ",
            "à l'",
        }


@given(st.sampled_from(sorted(GENRES)))
def test_elision_happens_exactly_before_a_vowel_or_mute_h(noun):
    expected = noun[0] in "aàâeéèêiîoôuy" or (noun[0] == "h" and noun not in H_ASPIRE)
    assert elision(noun) == expected
    assert le(noun).startswith("l'") == expected


@given(st.integers(min_value=-(10**6), max_value=10**6), words)
def test_plural_from_two_on_singular_below(count, noun):
    text = pluriel(noun, count)
    assert (text == noun) == (abs(count) < 2 or noun.endswith(("s", "x", "z")))


@given(st.integers(min_value=0, max_value=10**6))
def test_count_never_writes_zero_and_agrees(count):
    text = compte(count, "objectif chiffré")
    assert not text.startswith("0")
    assert text.endswith("objectifs chiffrés" if count >= 2 else "objectif chiffré")


@given(st.text(alphabet="abcéèàôçœABCÉÀ '-:", max_size=20))
def test_capitals_change_only_the_first_letter(text):
    if text[:1] == text[:1].lower():
        assert minuscule(majuscule(text)) == text
    assert majuscule(text)[1:] == text[1:] == minuscule(text)[1:]


def test_words_in_eau_take_an_x_in_the_plural() -> None:
    from generator.grammar import compte, pluriel

    assert pluriel("niveau", 3) == "niveaux" and pluriel("bureau communautaire", 2) == (
        "bureaux communautaires"
    )
    assert compte(2, "niveau", genre="m", en_lettres=True) == "deux niveaux"
