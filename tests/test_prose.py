"""Prose that reads as written: no sentence said twice in a document, sources naming the real
origin of the figures (once each, with their years), no claim the data does not support."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.builds.build import build
from generator.documents import ppgdid
from generator.documents.common import search_paths
from generator.documents.presentation import merged_sources
from generator.formatting import FILTERS
from generator.render import make_environment, render_markdown
from generator.territory.load import load_territory
from tests.making import context_of

from .conftest import ROOT
from .test_cia import plain

TERRITORIES = ["cc-rhone-crussol", "cc-grand-pic-saint-loup", "exemple-fictif"]
#: The CIA's quantified commitments repeat one sentence under two tables: another lane's module
#: (documents/cia_commitments.py); the CIA is checked once that is fixed.
DOCUMENTS = ["bilan", "ppgdid", "annexes-ppgdid"]


def sentences(markdown: str) -> list[str]:
    """The sentences of the text outside tables, images and headings, long enough to matter."""
    prose = " ".join(
        line
        for line in markdown.splitlines()
        if not line.lstrip().startswith(("|", "!", "#", "Table:", "Source :"))
    )
    found = re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", prose))
    return [s.strip() for s in found if len(s.strip()) > 40]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prose")
    for name in TERRITORIES:
        build(name, DOCUMENTS, ["md"], out)
    return out


@pytest.mark.parametrize("territory", TERRITORIES)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_sentence_is_said_twice_in_a_document(built, territory, document):
    [path] = list((built / territory).glob(f"*/{document}.md"))
    repeated = [
        s for s, n in Counter(sentences(plain(path.read_text(encoding="utf-8")))).items() if n > 1
    ]
    assert repeated == []


@pytest.mark.parametrize("territory", TERRITORIES)
def test_no_source_cites_a_document_of_the_policy(built, territory):
    """A figure's source is where it comes from (SNE, RPLS, OPS, an arrêté, records), never the
    plan or convention that quoted it."""
    for path in (built / territory).glob("*/*.md"):
        for line in plain(path.read_text(encoding="utf-8")).splitlines():
            if line.startswith("Source :"):
                assert not re.search(r"\b(PIA|CIA|PPGDID|PLH)\b", line), (path.name, line)


def test_sources_name_each_origin_once_with_its_years():
    assert merged_sources(
        [
            "SNE (infocentre) 2023",
            "SNE (infocentre) 2020",
            "SNE (infocentre) 2023",
            "RPLS 2023",
            "Données du territoire",
            "SNE (infocentre) 2021",
        ]
    ) == ["SNE (infocentre) 2020, 2021 et 2023", "RPLS 2023", "Données du territoire"]
    assert merged_sources(["Enquête OPS", "Enquête OPS"]) == ["Enquête OPS"]


def test_the_bilan_defines_the_tension_once(built):
    [path] = list((built / "exemple-fictif").glob("*/bilan.md"))
    assert plain(path.read_text(encoding="utf-8")).count("La tension rapporte") == 1


def test_a_grid_listing_mandatory_criteria_does_not_claim_there_are_no_others(built):
    [path] = list((built / "cc-rhone-crussol").glob("*/ppgdid.md"))
    text = plain(path.read_text(encoding="utf-8"))
    assert "tous obligatoires" not in text
    # Its grid also has optional criteria, lost with the seed's image (ppgdid.cotation.facultatifs):
    # the plan lists the mandatory ones it holds and leaves the optional ones as a gap.
    assert "La grille compte 15 critères" not in text
    assert "Ce plan reprend 15 critères obligatoires de la grille" in text
    assert "La grille adoptée compte aussi des critères facultatifs" in text
    assert "15 des 15" not in text
    assert "Elle les prend tous en compte" not in text
    assert "Elle prend en compte chacun des 15 critères de priorité" in text
    # families named as names, not run into the sentence (« Santé et handicap et Violences… »)
    assert "regroupés en 6 familles : « Droit au logement opposable », « Jeunes »," in text
    assert "« Santé et handicap » et « Violences et protection »." in text
    assert "Les points de chaque critère restent à reporter" in text
    assert "de la grille (article R441-2-10))" not in text  # no parenthesis inside another
    # every legal criterion is a grid criterion of the same words: no table of twin columns
    assert "figure sous son intitulé légal" in text
    assert "Critères de priorité légaux dans la grille" not in text


@pytest.mark.parametrize(
    ("covered", "expected"),
    [
        (14, "Elle prend en compte 14 des 15 critères de\npriorité que la loi impose"),
        (
            0,
            "Aucun critère de la grille n'est rattaché aux 15 critères de\npriorité que la loi"
            " impose",
        ),
    ],
)
def test_a_grid_missing_legal_criteria_says_which(covered, expected):
    territory = load_territory(ROOT / "territories" / "cc-rhone-crussol")
    context, _ = context_of(ppgdid.DOCUMENT, territory, 2025)
    cotation = dict(context["ppgdid"]["cotation"])
    legal = cotation["legaux_couverts"]
    cotation["legaux_couverts"], cotation["legaux_absents"] = legal[:covered], legal[covered:]
    context = {**context, "ppgdid": {**context["ppgdid"], "cotation": cotation}}
    markdown = plain(
        render_markdown(
            make_environment(search_paths(territory), FILTERS), ppgdid.TEMPLATE, context
        )
    )
    assert expected in markdown
    assert "Elle les prend tous en compte" not in markdown


def test_the_bilan_names_the_epci_with_its_article_and_no_contingent_in_capitals(built):
    [path] = list((built / "exemple-fictif").glob("*/bilan.md"))
    text = plain(path.read_text(encoding="utf-8"))
    assert "La Communauté de communes fictive du Val d'Exemple (données fictives) et ses" in text
    assert "contingent Non réservé" not in text
    assert "Ménages DALO et prioritaires, logements non réservés des bailleurs" in text
    assert "- Contingent de l'État — objectif" in text  # one colon per line
