"""`cil lint`: each kind of defect made on purpose in a small DOCX (and its PDF), then caught."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from generator.cli import main
from generator.commands import proofing
from generator.commands.lint import lint_files
from generator.render import convert_with_libreoffice

FILLER = (
    "Les partenaires examinent chaque année les résultats obtenus et ajustent les orientations "
    "retenues au vu des attributions réalisées sur le territoire. "
)


def _document() -> docx.Document:
    document = docx.Document()
    document.add_heading("1\tIntroduction", level=1)
    return document


def _table(document: docx.Document, rows: list[list[str]], widths_cm: list[float]) -> None:
    table = document.add_table(rows=0, cols=len(widths_cm))
    table.autofit = False
    for values in rows:
        cells = table.add_row().cells
        for cell, value, width in zip(cells, values, widths_cm, strict=True):
            cell.text = value
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)


def _saved(document: docx.Document, folder: Path, name: str) -> Path:
    path = folder / f"{name}.docx"
    document.save(str(path))
    return path


def _kinds(findings: list[proofing.Finding]) -> set[str]:
    return {f.kind for f in findings}


# --- DOCX checks -------------------------------------------------------------------------------


def test_a_breakable_space_before_a_colon_is_found_but_not_a_no_break_one(tmp_path):
    document = _document()
    document.add_paragraph("Source : SNE.")
    document.add_paragraph("Part\u00a0: 12\u202f%.")
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    assert [f.text for f in findings if f.kind == proofing.SPACE_BEFORE_SIGN] == ["Source : SNE."]


def test_a_breakable_space_inside_a_table_cell_is_found(tmp_path):
    document = _document()
    _table(document, [["Taux", "Part"], ["a", "12 %"]], [4, 4])
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    assert [f.text for f in findings if f.kind == proofing.SPACE_BEFORE_SIGN] == ["12 %"]


def test_a_word_wider_than_its_cell_is_found(tmp_path):
    document = _document()
    _table(document, [["Commune", "Nombre"], ["Saint-Georges-les-Bains", "12"]], [2.2, 2])
    _table(document, [["Commune", "Libellé"], ["Cornas", "commercialisation"]], [6, 1.5])
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    wide = [f.text for f in findings if f.kind == proofing.WIDE_WORD]
    # A hyphenated name may wrap at its hyphens; a long word cannot.
    assert wide == ["table 2: commercialisation"]


def test_an_empty_column_is_found_but_not_a_signature_column(tmp_path):
    document = _document()
    _table(document, [["Année", "Demandeurs"], ["2023", ""], ["2024", " "]], [4, 4])
    _table(document, [["Nom", "Signature"], ["Le maire", ""]], [4, 4])
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    assert [f.text for f in findings if f.kind == proofing.EMPTY_COLUMN] == ["table 1: Demandeurs"]


def test_a_column_whose_every_value_is_masked_is_found_but_not_a_row(tmp_path):
    document = _document()
    rows = [
        ["Caractéristique", "Modalité", "2023", "2024"],
        ["Âge", "Moins de 25 ans", "s", "s"],  # a small category, masked as tables mask it
        ["", "25 à 39 ans", "s", "31,0 %"],
    ]
    _table(document, rows, [4, 4, 2, 2])
    _table(
        document, [["Année", "Mutations", "Part"], ["2023", "s", "s"], ["2024", "s", ""]], [4, 4, 4]
    )
    _table(document, [["Année", "Part"], ["2023", "s"], ["2024", "12,0 %"]], [4, 4])
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    masked = [f.text for f in findings if f.kind == proofing.MASKED]
    assert masked == ["table 1: 2023", "table 2: Mutations"]


def test_a_repeated_sentence_is_found_once_with_its_count(tmp_path):
    document = _document()
    sentence = "Les parts publiées sans effectif sont reprises telles quelles de leur source."
    document.add_paragraph(f"Premier tableau. {sentence}")
    document.add_paragraph(sentence)
    document.add_paragraph("Objectif atteint.")
    document.add_paragraph("Objectif atteint.")  # too short to be a repetition worth a finding
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    repeated = [f.text for f in findings if f.kind == proofing.REPEATED_SENTENCE]
    assert repeated == [f"{sentence[:70]} (×2)"]


def test_a_placeholder_counts_only_when_the_document_has_no_known_gap(tmp_path):
    document = _document()
    document.add_paragraph("Horaires\u00a0: [à renseigner]")
    document.add_paragraph("Adresse\u00a0: A compléter")
    path = _saved(document, tmp_path, "d")
    assert len([f for f in lint_files(path, None, 0) if f.kind == proofing.PLACEHOLDER]) == 2
    assert proofing.PLACEHOLDER not in _kinds(lint_files(path, None, known_gaps=3))


def test_markup_printed_as_text_is_found_but_not_a_number_sign_in_prose(tmp_path):
    document = _document()
    document.add_paragraph("Les effectifs sont remplacés par « s ». ## Le parc social")
    document.add_paragraph("Le tableau {width=16cm} reste.")
    document.add_paragraph("Le logement n° 12 # bis et le C# restent du texte.")
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    found = [f.text for f in findings if f.kind == proofing.MARKUP_AS_TEXT]
    assert len(found) == 2, found
    assert found[0].endswith("par « s ». ## Le parc social") and "{width=16cm}" in found[1]


def test_a_straight_apostrophe_inside_a_word_is_found_in_text_and_cells(tmp_path):
    document = _document()
    document.add_paragraph("Le bailleur propriétaire de chaque adresse de l'enquête OPS.")
    document.add_paragraph("Une citation 'entre guillemets' reste au rédacteur.")
    _table(document, [["Point", "Réponse"], ["L441-1", "[à renseigner] (l'objectif)"]], [4, 6])
    findings = lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0)
    found = [f.text for f in findings if f.kind == proofing.STRAIGHT_APOSTROPHE]
    assert len(found) == 2, found
    assert "de l'enquête" in found[0] and "(l'objectif)" in found[1]


def test_a_clean_document_has_no_finding(tmp_path):
    document = _document()
    document.add_paragraph("Source\u00a0: SNE, l’infocentre.")
    _table(document, [["Commune", "Part"], ["Cornas", "12\u202f%"]], [6, 3])
    assert lint_files(_saved(document, tmp_path, "d"), None, known_gaps=0) == []


# --- PDF checks (LibreOffice lays the fixtures out) --------------------------------------------


def _short_page() -> docx.Document:
    """Page 2 holds two lines and the next page opens no chapter."""
    document = _document()
    for _ in range(6):
        document.add_paragraph(FILLER * 3)
    document.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE)
    document.add_paragraph("Une ligne seule sur sa page.")
    document.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE)
    for _ in range(6):
        document.add_paragraph(FILLER * 3)
    return document


def _split_row() -> docx.Document:
    """A row whose one cell is taller than a page: it has to be cut."""
    document = _document()
    lines = " ".join(f"engagement{n}" for n in range(1, 400))
    _table(document, [["Partenaire", "Engagements"], ["Bailleur", lines]], [4, 12])
    document.add_paragraph(FILLER)
    return document


def _orphan_heading() -> docx.Document:
    """A heading as the last line of a full page, its text on the next."""
    document = _document()
    for _ in range(5):
        document.add_paragraph(FILLER * 3)
    heading = document.add_heading("2\tSuivi des engagements", level=1)
    heading.paragraph_format.keep_with_next = False
    follow = document.add_paragraph(FILLER)
    follow.paragraph_format.page_break_before = True
    document.add_paragraph(FILLER * 3)
    return document


def _chapter_end() -> docx.Document:
    """A chapter's short last page, the next chapter on a new page: nothing to say."""
    document = _document()
    for _ in range(6):
        document.add_paragraph(FILLER * 3)
    document.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE)
    document.add_paragraph("Fin du chapitre.")
    heading = document.add_heading("2\tSuite", level=1)
    heading.paragraph_format.page_break_before = True
    for _ in range(6):
        document.add_paragraph(FILLER * 3)
    return document


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("lint")
    made = {
        "short": _short_page(),
        "split": _split_row(),
        "orphan": _orphan_heading(),
        "chapter": _chapter_end(),
    }
    paths = {name: _saved(document, folder, name) for name, document in made.items()}
    converted = convert_with_libreoffice(list(paths.values()), folder / "pdf", ["pdf"])
    return {name: (path, converted[path]["pdf"]) for name, path in paths.items()}


@pytest.mark.libreoffice
def test_a_page_under_a_third_full_is_found_with_its_number(laid_out):
    findings = lint_files(*laid_out["short"], known_gaps=0)
    short = [f for f in findings if f.kind == proofing.SHORT_PAGE]
    assert [(f.document, f.page, f.text) for f in short] == [
        ("short.pdf", 2, "Une ligne seule sur sa page.")
    ]


@pytest.mark.libreoffice
def test_a_chapter_last_page_may_be_short(laid_out):
    assert proofing.SHORT_PAGE not in _kinds(lint_files(*laid_out["chapter"], known_gaps=0))


@pytest.mark.libreoffice
def test_a_table_row_cut_by_a_page_break_is_found(laid_out):
    findings = lint_files(*laid_out["split"], known_gaps=0)
    split = [f for f in findings if f.kind == proofing.SPLIT_ROW]
    assert split and split[0].page == 1 and split[0].text.startswith("engagement1 engagement2")


@pytest.mark.libreoffice
def test_a_heading_alone_at_a_page_foot_is_found(laid_out):
    findings = lint_files(*laid_out["orphan"], known_gaps=0)
    orphans = [f for f in findings if f.kind == proofing.ORPHAN_HEADING]
    assert [(f.page, f.text) for f in orphans] == [(1, "2 Suivi des engagements")]
    assert proofing.SPLIT_ROW not in _kinds(findings)


# --- the command -------------------------------------------------------------------------------


@pytest.mark.e2e
def test_cil_lint_prints_each_finding_and_exits_1(territory_copy, tmp_path):
    sentence = "Cette phrase de contrôle revient deux fois dans le même document."
    override = territory_copy / "overrides" / "blocs" / "bilan-avertissement.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(f"{sentence}\n\n{sentence}\n", encoding="utf-8")
    arguments = ["--doc", "bilan", "--format", "docx", "--out", str(tmp_path / "b")]
    result = CliRunner().invoke(main, ["lint", str(territory_copy), *arguments])
    assert result.exit_code == 1, result.output
    assert f"bilan.docx: repeated sentence: « {sentence} (×2) »" in result.output
    assert "cc-rhone-crussol 2025: 1 files read, " in result.output


def test_cil_lint_refuses_an_unknown_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["lint", "--format", "odt", "--out", "b"])
    assert result.exit_code == 2
    assert 'unknown format "odt" — choose among docx, pdf' in result.output
