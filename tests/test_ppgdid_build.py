"""The PPGDID built end to end and read back from the DOCX: chapters, guichets, cotation."""

from __future__ import annotations

import csv
import re
import subprocess

import docx
import pytest
from click.testing import CliRunner

from generator.builds.build import build
from generator.cli import main
from generator.documents import ppgdid_law
from generator.render import typeset
from generator.territory.load import load_territory

from .conftest import EXAMPLE
from .test_ppgdid import with_fictional_grid

pytestmark = pytest.mark.e2e  # every test here builds documents with pandoc

CHAPTERS = [
    "Introduction",
    "Accueil et information des demandeurs",
    "Gestion partagée de la demande",
    "Qualification de l’offre de logements sociaux",
    "Demandeurs nécessitant un examen particulier",
    "Mutations au sein du parc social",
    "Cotation de la demande",
    "Location choisie",
    "Annexes",
]


def outputs(result) -> dict[str, object]:
    return {p.suffix.lstrip("."): p for p in result.written if p.stem == "ppgdid"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return outputs(build(documents=["ppgdid"], out=tmp_path_factory.mktemp("build")))


@pytest.fixture(scope="module")
def document(built):
    return docx.Document(built["docx"])


def table_starting(document, first_header: str) -> list[list[str]]:
    found = [
        [[c.text for c in row.cells] for row in t.rows]
        for t in document.tables
        if t.rows[0].cells[0].text == first_header
    ]
    assert found, f"no table starting with {first_header!r}"
    return found[0]


def headings(document, level: int) -> list[str]:
    """Heading texts without their number (« 7 Cotation… » reads « Cotation… »)."""
    style = f"Heading {level}"
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.libreoffice
def test_every_format_is_built(built):
    assert set(built) == {"docx", "odt", "pdf", "html", "md"}


def test_docx_has_the_chapters_of_a_ppgdid(document):
    assert [h.split(maxsplit=1)[1] for h in headings(document, 1)] == CHAPTERS


def test_guichet_lists_of_the_plan_come_from_the_guichets_table(document):
    with (EXAMPLE / "data" / "guichets.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    level_2 = [r["commune"] for r in rows if r["niveau"] == "2"]
    sentence = "Guichets ouverts : " + ", ".join(level_2[:-1]) + " et " + level_2[-1] + "."
    # Once, in the chapter: the included annex lists the same guichets in its table, without
    # repeating the chapter's sentences (issue 13 item 4: no sentence said twice).
    text = text_of(document)
    assert text.count(typeset(sentence)) == 1
    tables = [
        [c.text for c in t.rows[r].cells] for t in document.tables for r in range(len(t.rows))
    ]
    assert all(any(row[0] == name for row in tables) for name in level_2)
    planned = [r["commune"] or r["organisme"] for r in rows if r["statut"] == "prévu"]
    assert text.count(typeset("Guichets en projet : " + ", ".join(planned[:-1]))) == 1


def test_cotation_table_lists_the_legal_criteria_with_their_points_to_fill(document):
    grid = table_starting(document, "Critère")
    # No criterion of the seed has a ceiling: the empty « Plafond » column is dropped and said.
    assert grid[0] == ["Critère", "Pondération", "Points", "Nature", "Saisie"]
    said = re.search(
        r"Le tableau «\s*(.+?)\s*» ne reprend pas la colonne «\s*Plafond\s*», faute de données",
        (text_of(document)),
    )
    assert said and "grille" in said.group(1).lower()
    criteria = [row for row in grid[1:] if row[3]]
    families = [row[0] for row in grid[1:] if not row[3]]
    assert len(criteria) == 15
    assert families[:2] == ["Droit au logement opposable", "Santé et handicap"]
    assert {row[2] for row in criteria} == {"[à renseigner]"}
    assert [row[0] for row in criteria if row[4] == "manuelle"] == [
        "Viol ou agression sexuelle au domicile ou à ses abords",
        "Traite des êtres humains ou proxénétisme",
        "Parcours de sortie de la prostitution et d’insertion",
    ]
    text = text_of(document)
    # The data lists the mandatory criteria only, and the grid has optional ones still to report
    # (ppgdid.cotation.facultatifs): no claim that the grid has no other.
    assert "Ce plan reprend 15 critères obligatoires de la grille" in text
    assert "La grille adoptée compte aussi des critères facultatifs" in text
    assert "tous obligatoires" not in text
    assert "Elle prend en compte chacun des 15 critères de priorité que la loi impose" in text


def test_glossary_lists_exactly_the_abbreviations_the_document_uses(document):
    glossary = table_starting(document, "Sigle")
    listed = [row[0] for row in glossary[1:]]
    entries = ppgdid_law.glossary_entries(load_territory(EXAMPLE))
    everything = [text_of(document)] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    everything = [text for text in everything if text not in listed]  # the glossary's own column
    found = "\n".join(everything)
    used = {s for s in entries if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", found)}
    assert set(listed) == used
    assert listed == sorted(listed, key=str.lower)


def test_coverage_table_names_a_chapter_for_each_mandatory_point(document):
    rows = table_starting(document, "Article")[1:]
    chapter_of = {(row[0], row[1].split()[1]): row[2] for row in rows}
    assert chapter_of[("R441-2-10 9°", "moyens")] == "Mutations au sein du parc social"
    assert chapter_of[("L441-2-8", "orientations")] == "Introduction"
    # LEGAL-REVIEW 15: the available-supply point is L441-2-8 (professionals, loi 70-9)
    assert chapter_of[("L441-2-8", "titre")] == "—"
    # LEGAL-REVIEW 12: refusal cases are mandatory (R441-2-10 11°) and the seed gives none
    missing = [key for key, chapter in chapter_of.items() if chapter == "[à renseigner]"]
    assert missing == [("R441-2-10 11°", "cas")]


def test_annexes_are_included_one_level_down(document):
    annexes = [h.split(maxsplit=1)[1] for h in headings(document, 2) if h.startswith("9.")]
    assert annexes[:3] == ["Glossaire", "Références réglementaires", "Contenu d’un PPGDID"]
    assert annexes[-1] == "Seuils de ressources du premier quartile"


@pytest.mark.libreoffice
def test_pdf_has_a_sommaire_with_the_chapters(built):
    text = subprocess.run(
        ["pdftotext", "-layout", str(built["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    sommaire = text.split("Sommaire", 1)[1].split("\f", 1)[0]
    for chapter in CHAPTERS:
        assert chapter in sommaire
    assert any(line.rstrip()[-1:].isdigit() for line in sommaire.splitlines() if "Cotation" in line)


def test_fictional_grid_builds_with_its_points(territory_copy, tmp_path):
    with_fictional_grid(territory_copy)
    files = outputs(build(str(territory_copy), ["ppgdid"], ["docx"], out=tmp_path))
    document = docx.Document(files["docx"])
    grid = table_starting(document, "Critère")
    points = {row[0]: row[2] for row in grid[1:] if row[4]}
    assert points["Ménage reconnu prioritaire et urgent au titre du DALO"] == "100"
    assert points["Refus d’une proposition adaptée sans motif légitime"] == "\u221210"
    legal = dict(table_starting(document, "Critère de priorité légal")[1:])
    young = typeset("Jeune de moins de 21 ans pris en charge par l'aide sociale à l'enfance")
    assert legal[young] == "Non pris en compte"
    assert legal["Menace d’expulsion sans relogement"] == (
        "Habitat indigne ou menace d’expulsion sans relogement"
    )
    assert "Les points d’un critère vont de \u221210 à 100" in text_of(document)


def test_check_lists_missing_points_and_warns_on_the_law(territory_copy):
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 0, result.output
    assert 'cotation.csv, column "points": empty in rows 2-16' in result.output
    assert "warning: " in result.output
    assert "points were not checked against the text of their article" in result.output


def test_editing_the_grid_rebuilds_the_plan_and_not_the_annexes(territory_copy, tmp_path):
    documents, formats = ["annexes-ppgdid", "ppgdid"], ["md"]
    build(str(territory_copy), documents, formats, out=tmp_path)
    with_fictional_grid(territory_copy)
    assert build(str(territory_copy), documents, formats, out=tmp_path).rebuilt == ["ppgdid"]


# Issue 13 item 7: the seed's PPGDID items, found in the DOCX with their figures.


def _said(document) -> str:
    """The document's paragraphs, spaces made plain (typography puts no-break ones)."""
    return re.sub(r"[\u00a0\u202f]", " ", text_of(document))


def test_each_guichet_level_says_what_it_tells_applicants(document):
    text = _said(document)
    assert "Au minimum, un guichet de niveau 1 dit au demandeur :" in text
    assert "En plus de ce que disent les guichets de niveau 1, un guichet de niveau 2" in text
    assert "En plus de ce que disent les guichets de niveau 2, un guichet de niveau 3" in text
    assert (
        "le délai moyen d’attente d’un logement social : 10 mois sur le territoire en 2023 et "
        "8 mois dans le département en 2023" in text
    )
    assert (
        "le nombre de demandes et d’attributions de la dernière année connue : 979 demandes en "
        "cours et 56 attributions sur le territoire en 2023" in text
    )
    assert "(article R441-2-17 du CCH)" in text
    level_3 = text.split("un guichet de niveau 3 lui dit au minimum")[1][:2000]
    assert "la décision de la commission d’attribution" in level_3


def test_the_departement_waiting_time_is_given_with_its_source(document):
    text = _said(document)
    assert "dans le département, il était de 8 mois en 2023" in text
    assert "(source : système national d’enregistrement (SNE), attributions de 2023)" in text


def test_the_criteria_of_discrimination_and_their_penalties_are_listed(document):
    text = _said(document)
    assert "l’un des vingt-quatre critères que la loi prohibe (article 225-1 du code pénal)" in text
    for criterion in ("le lieu de résidence", "la perte d’autonomie", "l’identité de genre"):
        assert criterion in text
    assert (
        "trois ans d’emprisonnement et de 45 000 € d’amende (article 225-2 du code pénal)" in text
    )
    assert "cinq ans et 75 000 €" in text
    assert "soit 225 000 € (articles 225-4 et 131-38 du code pénal)" in text


def test_the_intercommunal_contingent_has_its_paragraph(document):
    text = _said(document)
    assert "Depuis 2023, la Communauté de communes Rhône Crussol dispose aussi d’un" in text
    assert "il ne donne pas de droit de réservation" in text


def test_the_caleol_rule_of_three_applications_is_stated_with_its_exceptions(document):
    text = _said(document)
    assert "la CALEOL examine au moins trois demandes" in text
    assert "(article R441-3 du CCH)" in text
    assert "droit au logement opposable, ni aux logements financés" in text
