"""What a consultant would strike out of the bundled documents before handing them over (issue
13): sections and tables that say nothing, sentences that read as machine output or say twice."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from generator.builds.build import build


@pytest.fixture(scope="module")
def bilan_text(tmp_path_factory) -> tuple[list[str], str]:
    out = tmp_path_factory.mktemp("bilan-craft")
    build("cc-rhone-crussol", ["bilan"], ["docx"], out, 2025)
    document = docx.Document(Path(out, "cc-rhone-crussol", "2025", "bilan.docx"))
    headings = [
        p.text.split("\t")[-1].replace("\u00a0", " ")
        for p in document.paragraphs
        if p.style and "Heading" in p.style.name
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    return headings, text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.e2e
def test_a_one_year_evolution_of_priority_households_is_not_a_section_of_its_own(bilan_text):
    headings, _ = bilan_text
    start = headings.index("Droit au logement : les ménages DALO et prioritaires")
    end = headings.index("Parcours résidentiels : les mutations")
    assert "Évolution sur la période" not in headings[start:end]


@pytest.mark.e2e
def test_a_chapter_without_breakdowns_has_no_lone_subsection(bilan_text):
    headings, _ = bilan_text
    start = headings.index("Mixité sociale : les ménages du premier quartile")
    assert headings[start + 1] == "Droit au logement : les ménages DALO et prioritaires"


@pytest.mark.e2e
def test_no_key_worker_table_without_key_worker_figures(bilan_text):
    _, text = bilan_text
    assert "Tableau" not in text.split("Travailleurs essentiels")[-1].split("Demandes et")[0]


@pytest.mark.e2e
def test_a_contingent_verdict_has_one_colon(bilan_text):
    _, text = bilan_text
    assert "des contingents — objectif atteint : 48,2 % pour 42,5 %." in text
    assert "des contingents : objectif" not in text


@pytest.mark.e2e
def test_the_columns_a_table_leaves_out_are_named_in_a_sentence(bilan_text):
    _, text = bilan_text
    assert "faute de données connues :" not in text
    assert (
        "Le tableau « Parc social et production » ne reprend pas les colonnes « Logements PLAI »,"
        in text
    )


def test_the_contingent_targets_name_each_contingent_and_end_with_all_the_others():
    from generator.documents import bilan
    from generator.territory.load import load_territory

    from .conftest import ROOT
    from .making import context_of

    territory = load_territory(ROOT / "territories" / "exemple-fictif", 2024)
    context, _ = context_of(bilan.DOCUMENT, territory, 2024)
    names = [c["nom"] for c in context["cibles_prioritaires"]]
    # was « contingent État : 100 % ; tous les autres contingents : 25 % ; contingent Commune »
    assert names == ["contingent de l'État", "contingent des communes", None]


@pytest.mark.parametrize(
    ("constant", "said"),
    [
        (
            [{"titre": "Attributions manquantes", "valeur": "0"}],
            "Le tableau « T » ne reprend pas la colonne « Attributions manquantes » : elle vaut 0"
            " sur toutes les lignes.",
        ),
        (
            [{"titre": "Année", "valeur": "2023"}, {"titre": "Source", "valeur": "SNE"}],
            "Le tableau « T » ne reprend pas les colonnes « Année » et « Source » : elles valent"
            " respectivement 2023 et SNE sur toutes les lignes.",
        ),
    ],
)
def test_a_constant_column_left_out_is_said_in_a_sentence(constant, said):
    from generator.formatting import FILTERS
    from generator.render import make_environment
    from generator.resources import CONTENT, TEMPLATES

    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    source = (
        '{% from "blocs/colonnes-retirees.md.j2" import colonnes_retirees %}'
        "{{ colonnes_retirees(t) }}"
    )
    text = env.from_string(source).render(t={"titre": "T", "constantes": constant, "inconnues": []})
    assert " ".join(text.split()) == said  # was « Toutes les lignes … ont la même valeur — … »


def test_the_cia_says_once_that_the_territory_has_no_qpv(tmp_path):
    from generator.builds.build import build as build_documents

    result = build_documents("cc-rhone-crussol", ["cia"], ["md"], tmp_path, 2025)
    [text] = [p.read_text(encoding="utf-8") for p in result.written if p.suffix == ".md"]
    # said in the legal frame; the diagnosis said it again in other words
    assert " ".join(text.split()).count("ne compte aucun quartier prioritaire") == 1
