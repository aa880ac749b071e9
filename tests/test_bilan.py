"""The bilan built end to end: charts with alt text, commentary, summary, secrecy, workbook."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator.builds.build import build
from generator.cli import main
from generator.render import typeset

pytestmark = pytest.mark.e2e  # every test here builds documents with pandoc

NBSP = "\u00a0"
NNBSP = "\u202f"
DESCR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
COMMENTARY = (
    f"Objectif non atteint : 19,6{NNBSP}% pour 25{NNBSP}%, +1,8 point par rapport à l'année "
    "précédente ; il aurait fallu 3 attributions de plus pour l'atteindre."
)


def outputs_of(result) -> dict[str, Path]:
    return {p.suffix.lstrip("."): p for p in result.written if p.stem.startswith("bilan")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("bilan")
    return outputs_of(build("cc-rhone-crussol", ["bilan"], None, out, 2023))


def _table(document, first_header: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    raise AssertionError(first_header)


@pytest.mark.libreoffice
def test_every_format_and_the_workbook_are_built(built):
    assert {"docx", "odt", "pdf", "html", "md", "xlsx", "png"} == set(built)


def test_docx_has_the_charts_with_their_alternative_text(built):
    document = docx.Document(built["docx"])
    shapes = document.inline_shapes
    # The seed's demand has one year: its row of the table says it, no bar chart of one year;
    # the profiles' chart sets the groups' shares under the PLAI ceiling side by side.
    assert len(shapes) == 2
    alts = [shape._inline.find(DESCR).get("descr") for shape in shapes]
    assert alts[0].startswith("Courbe : part des attributions hors QPV")
    assert f"19,6{NNBSP}% en 2023" in alts[0]
    assert alts[1].startswith("Barres : part des ménages aux ressources sous le plafond PLAI")
    assert f"Demandeurs du premier quartile 82,0{NNBSP}%" in alts[1]


def test_docx_has_the_commentary_and_the_summary_of_objectives(built):
    document = docx.Document(built["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert typeset(COMMENTARY) in text
    summary = _table(document, "Objectif")
    assert summary[1] == [
        "Attributions hors QPV aux ménages du premier quartile",
        f"25{NNBSP}%",
        f"19,6{NNBSP}%",
        f"+1,8{NBSP}point",
        "Non atteint",
    ]
    assert summary[2][1:] == [f"42,5{NNBSP}%", f"48,2{NNBSP}%", "", "Atteint"]
    # The mutation counts (7 of 56) are masked, but the verdict is not: the target was missed.
    assert summary[3][1:] == [f"15{NNBSP}%", "s", "s", "Non atteint"]


def test_docx_hides_the_small_counts_of_the_seed(built):
    document = docx.Document(built["docx"])
    motives = _table(document, "Motif")
    # The four motives whose every count is « s » are one row, still under the threshold (10)
    assert [row[:2] for row in motives[1:]] == [
        ["Hébergé chez un tiers", "15"],
        ["Autres motifs (4)", "s"],
        ["Autre motif ou non renseigné", "s"],
        ["Ensemble", "27"],
    ]
    demand = _table(document, "Année")
    text = "\n".join(
        "|".join(r) for t in document.tables for r in [[c.text for c in t.rows[0].cells]]
    )
    assert "Attributions en mutation" in text
    mutations = [
        t
        for t in document.tables
        if len(t.columns) > 2 and t.rows[0].cells[2].text.startswith("dont ménages en")
    ]
    assert [c.text for c in mutations[0].rows[1].cells][2:4] == ["s", "s"]
    assert demand


def test_workbook_has_one_sheet_per_table(built):
    workbook = load_workbook(built["xlsx"])
    names = workbook.sheetnames
    assert names[0] == "Lisez-moi"
    assert names[1:] == [
        "1er quartile",
        "Prioritaires par contingent",
        "Motifs de priorité",
        "Prioritaires",
        "Mutations",
        "Travailleurs essentiels",
        "Demandes et attributions",
        "Parc social",
        "Profil demandeurs",
        "Profil mutations",
        "Profil 1er quartile",
        "Profil prioritaires",
        "Attributaires 1er quartile",
        "Attributaires mutation",
    ]
    sheet = workbook["1er quartile"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["2023"][2:5] == (56, 11, pytest.approx(11 / 56))
    mutations = workbook["Mutations"]
    assert "s" in [c for row in mutations.iter_rows(values_only=True) for c in row]


@pytest.mark.libreoffice
def test_pdf_shows_the_summary_and_the_charts(built):
    text = subprocess.run(["pdftotext", str(built["pdf"]), "-"], capture_output=True, text=True)
    assert "Synthèse des objectifs" in text.stdout
    assert "19,6" in text.stdout
    images = subprocess.run(
        ["pdfimages", "-list", str(built["pdf"])], capture_output=True, text=True
    )
    assert len(images.stdout.strip().splitlines()) - 2 >= 2


def test_html_images_carry_their_alternative_text(built):
    html = built["html"].read_text(encoding="utf-8")
    assert html.count("<img") == 2  # one year of demand: no chart; the profiles' chart
    assert 'alt="Courbe : part des attributions hors QPV' in html


def test_two_builds_are_byte_identical(built, tmp_path):
    again = outputs_of(build("cc-rhone-crussol", ["bilan"], None, tmp_path, 2023))
    for fmt in built:
        assert again[fmt].read_bytes() == built[fmt].read_bytes(), fmt


def test_the_triennial_bilan_has_its_own_files_and_complementary_indicators(tmp_path):
    runner = CliRunner()
    args = ["build", "exemple-fictif", "--doc", "bilan", "--year", "2024", "--format", "docx"]
    annual = runner.invoke(main, [*args, "--out", str(tmp_path)])
    triennial = runner.invoke(main, [*args, "--out", str(tmp_path), "--period", "triennial"])
    assert annual.exit_code == 0 and triennial.exit_code == 0, triennial.output
    folder = tmp_path / "exemple-fictif" / "2024"
    assert (folder / "bilan.docx").is_file() and (folder / "bilan-triennal.xlsx").is_file()
    document = docx.Document(folder / "bilan-triennal.docx")
    headings = [p.text for p in document.paragraphs if p.style and "Heading" in p.style.name]
    assert any("Indicateurs complémentaires du bilan triennal" in h for h in headings)
    assert any("Profil des demandeurs du premier quartile" in h for h in headings)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "bilan triennal 2022-2024" in text
    unchanged = runner.invoke(main, [*args, "--out", str(tmp_path), "--period", "triennial"])
    assert "up to date: bilan" in unchanged.output


def test_the_period_option_leaves_other_documents_alone(tmp_path):
    result = build(
        "cc-rhone-crussol", ["annexes-ppgdid"], ["md"], tmp_path, 2025, False, {"period": "final"}
    )
    assert [p.name for p in result.written] == ["annexes-ppgdid.md", "manifest.json"]


def test_the_cover_names_the_evaluated_year_not_only_the_publication_year(tmp_path):
    """Built in 2025 from the 2023 allocations: the cover says « Bilan annuel 2023 » over the
    year 2023 in large, and the publication date under it (issue 13: the cover said 2025 while
    the body evaluated 2023)."""
    result = build("cc-rhone-crussol", ["bilan"], ["docx", "html"], tmp_path, 2025)
    document = docx.Document(next(p for p in result.written if p.suffix == ".docx"))
    assert document.core_properties.title == typeset(
        "Bilan annuel 2023 de la politique intercommunale d'attribution"
    )
    cover = {p.style.name: p.text for p in document.paragraphs[:6]}
    assert cover["Cover Year"] == "2023" and cover["Date"] == "janvier 2025"
    html = next(p for p in result.written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Projet · 2023 · janvier 2025" in html
