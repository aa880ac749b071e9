"""Names a territory chooses take the article of their own noun, in the templates that say them."""

from __future__ import annotations

from decimal import Decimal

import jinja2
import pytest
import yaml

from generator.documents.common import CONTENT, TEMPLATES, territory_context
from generator.formatting import FILTERS
from generator.grammar import FILTERS as GRAMMAR
from generator.render import make_environment
from generator.territory.load import load_territory

from .conftest import EXAMPLE


@pytest.mark.parametrize(
    ("nom", "expected"),
    [
        ("Plan intercommunal d'attribution", "en un seul document, le Plan intercommunal"),
        ("Convention intercommunale d'attribution 2025", "en un seul document, la Convention"),
        ("Orientations et convention d'attribution", "en un seul document, les Orientations"),
    ],
)
def test_the_merged_cia_takes_the_article_of_its_name(nom, expected):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    cia = {"nom": nom, "sigle": "", "fusion": True, "duree": None}
    text = env.get_template("blocs/cia/champ.md.j2").render(cia=cia)
    assert expected in " ".join(text.split())


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("Plan intercommunal d'attribution (PIA)", "réunis dans le Plan intercommunal"),
        ("Convention intercommunale d'attribution (CIA)", "réunis dans la Convention"),
    ],
)
def test_deliberation_articles_name_the_merged_document_with_its_article(document, expected):
    texts = yaml.safe_load((CONTENT / "blocs" / "deliberation-textes.yaml").read_text())
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(GRAMMAR)
    words = {
        "duree_ppgdid": "six ans",
        "duree_cia": "six ans",
        "document_attributions": document,
        "signataire": "Monsieur le Maire",
    }
    for council in ("municipal", "communautaire"):
        article = env.from_string(texts["conseils"][council]["articles"][1]).render(words)
        assert expected in article


def test_a_name_of_unknown_gender_is_a_template_error_not_a_guess():
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    cia = {"nom": "Livre blanc des attributions", "sigle": "", "fusion": True, "duree": None}
    with pytest.raises(ValueError, match="gender of « Livre blanc"):
        env.get_template("blocs/cia/champ.md.j2").render(cia=cia)


def test_the_territory_is_named_with_the_article_of_its_nature():
    territory = load_territory(EXAMPLE)
    assert territory_context(territory)["nom_article"] == f"la {territory.name}"


@pytest.mark.parametrize(
    ("years", "words"), [(1, "Conclue pour un an,"), (6, "Conclue pour six ans,")]
)
def test_the_cia_duration_is_written_in_words_and_agrees(years, words):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    cia = {"nom": "Convention intercommunale d'attribution", "sigle": "CIA", "fusion": False}
    text = env.get_template("blocs/cia/champ.md.j2").render(cia={**cia, "duree": years})
    assert words in " ".join(text.split())


@pytest.mark.parametrize(
    ("mention", "words"),
    [
        # LEGAL-REVIEW 3: the 25 % is a rate the CIL orientations may adapt, not a minimum
        ({"minimum": None, "au_dela": False}, "la loi ne fixe pas de chiffre"),
        (
            {"minimum": Decimal("0.25"), "au_dela": False, "en_deca": False},
            "taux fixé par la loi Égalité et citoyenneté, que les orientations de la CIL",
        ),
        (
            {"minimum": Decimal("0.25"), "au_dela": True, "en_deca": False},
            "au-delà du taux de 25\u202f% fixé par la loi Égalité et citoyenneté",
        ),
        (
            {"minimum": Decimal("0.25"), "au_dela": False, "en_deca": True},
            "taux adapté par les orientations de la CIL",
        ),
    ],
)
def test_what_the_law_says_of_an_orientation_figure(mention, words):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    source = '{% from "cia/macros.md.j2" import mention_loi %}{{ mention_loi(m) }}'
    assert env.from_string(source).render(m=mention).startswith(words)
