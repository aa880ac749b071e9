"""The Rhône Crussol annexes built end to end, opened and read back in every format."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from generator.builds.build import build
from generator.render import typeset

from .conftest import replace_in

pytestmark = pytest.mark.e2e  # every test here builds documents with pandoc

NNBSP, NBSP = "\u202f", "\u00a0"
HOSTILE = (
    "AT&T <SA> *gras* _x_ a|b # titre C:\\dossier 😀 "
    "Intercommunalitéréglementairementdéconcentralisée"
)


ANNEXES = ["annexes-ppgdid"]


def outputs_of(result) -> dict[str, Path]:
    """The annexes' files by format."""
    return {p.suffix.lstrip("."): p for p in result.written if p.stem == "annexes-ppgdid"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    return outputs_of(build(documents=ANNEXES, out=out))


def table_rows(document: docx.document.Document, first_header: str) -> list[list[str]]:
    for table in document.tables:
        cells = [[c.text for c in row.cells] for row in table.rows]
        if cells and cells[0][0] == first_header:
            return cells
    raise AssertionError(f"no table starting with {first_header!r}")


@pytest.mark.libreoffice
def test_every_format_is_built(built):
    assert set(built) == {"docx", "odt", "pdf", "html", "md"}


def test_docx_has_the_numbered_chapters(built):
    document = docx.Document(built["docx"])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(maxsplit=1)[1] for h in headings] == [
        "Service d’accueil et d’information des demandeurs",
        "Services sociaux du territoire",
        "Publics prioritaires",
        "Éligibilité aux contingents de réservation",
        "Qualification du parc social",
        "Seuils de ressources du premier quartile",
    ]
    assert headings[0].startswith("1")


def test_docx_qualification_summary_is_computed_from_the_addresses(built):
    header = typeset("Part des ménages sous 40 % des plafonds PLUS")
    rows = table_rows(docx.Document(built["docx"]), header)
    assert [r[2] for r in rows[1:]] == ["22", "326", "95", "34", "20", "475", "972"]
    assert rows[1][0] == f"Moins de 15{NNBSP}%"


def test_docx_thresholds_with_monthly_figures(built):
    rows = table_rows(docx.Document(built["docx"]), "Année")
    assert rows[2] == ["2020", f"9{NNBSP}369{NBSP}€", f"781{NBSP}€"]
    assert len(rows) == 1 + 6


def test_docx_guichet_tables_follow_the_data_and_mark_gaps(built):
    document = docx.Document(built["docx"])
    level_2 = [t for t in document.tables if [c.text for c in t.rows[1].cells][0] == "Cornas"][0]
    names = [row.cells[0].text for row in level_2.rows[1:]]
    assert names == ["Cornas", "Saint-Péray", "Soyons", "Toulaud"]
    assert level_2.rows[1].cells[1].text == "[à renseigner]"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "A compléter" not in text
    assert typeset("Guichets ouverts : Cornas, Saint-Péray, Soyons et Toulaud.") in text


def test_docx_cover_shows_organisation_year_and_status(built):
    document = docx.Document(built["docx"])
    first = [p.text for p in document.paragraphs[:8]]
    assert "Communauté de communes Rhône Crussol" in first
    assert "2025" in first
    assert any(t.lower() == "projet" for t in first)


@pytest.mark.libreoffice
def test_pdf_has_a_table_of_contents_with_page_numbers(built):
    text = subprocess.run(
        ["pdftotext", "-layout", str(built["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    sommaire = text.split("Sommaire", 1)[1].split("\f", 1)[0]
    assert "Qualification du parc social" in sommaire
    assert any(line.rstrip()[-1:].isdigit() for line in sommaire.splitlines() if "Seuils" in line)
    assert "Résidences à enjeu de mixité sociale" in text


@pytest.mark.libreoffice
def test_two_builds_are_byte_identical(built, tmp_path):
    again = outputs_of(build(documents=ANNEXES, out=tmp_path))
    for fmt in ("docx", "odt", "pdf", "html", "md"):
        assert again[fmt].read_bytes() == built[fmt].read_bytes(), fmt


def test_manifest_lists_outputs_and_the_inputs_they_were_made_from(built):
    import json

    manifest = json.loads((built["docx"].parent / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["documents"]["annexes-ppgdid"]
    assert "annexes-ppgdid.docx" in entry["outputs"]
    assert entry["inputs"]["table:parc_ops"].startswith("data/parc_ops.csv ")
    assert entry["inputs"]["template:annexes-ppgdid/document.md.j2"].startswith(
        "templates/annexes-ppgdid/document.md.j2 "
    )
    assert entry["inputs"]["content:national/contingents.yaml"].startswith("content/")
    assert {"config", "tool"} <= set(entry["inputs"])


@pytest.mark.libreoffice
def test_hostile_values_render_literally_in_every_format(territory_copy, tmp_path):
    replace_in(
        territory_copy / "data" / "services_sociaux.csv",
        "Saint-Georges-les-Bains,,",
        f'Saint-Georges-les-Bains,"{HOSTILE.replace(chr(34), "")}\nsur rendez-vous",',
    )
    files = outputs_of(build(str(territory_copy), ANNEXES, out=tmp_path))
    document = docx.Document(files["docx"])
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(HOSTILE in c and "sur rendez-vous" in c for c in cells)
    html_text = files["html"].read_text(encoding="utf-8")
    assert "AT&amp;T &lt;SA&gt; *gras* _x_ a|b # titre C:\\dossier 😀" in html_text
    with zipfile.ZipFile(files["odt"]) as odt:
        content = odt.read("content.xml").decode()
    assert "AT&amp;T &lt;SA&gt; *gras* _x_ a|b # titre C:\\dossier" in content
    pdf_text = subprocess.run(
        ["pdftotext", str(files["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    assert "".join(HOSTILE.split()) in "".join(pdf_text.split())


def test_without_libreoffice_every_format_but_pdf_is_built(monkeypatch, tmp_path):
    monkeypatch.setattr("generator.render.libreoffice_available", lambda: False)
    result = build(documents=ANNEXES, out=tmp_path)
    assert result.skipped_formats == ["pdf"]
    assert set(outputs_of(result)) == {"docx", "odt", "html", "md"}


def test_explicit_pdf_without_libreoffice_is_a_usage_error(monkeypatch, tmp_path):
    from generator.errors import UsageError

    monkeypatch.setattr("generator.render.libreoffice_available", lambda: False)
    with pytest.raises(UsageError, match="PDF needs LibreOffice"):
        build(documents=ANNEXES, formats=["pdf"], out=tmp_path)
    assert not any(tmp_path.iterdir())


def test_an_earlier_year_shows_the_thresholds_known_then(tmp_path):
    result = build(documents=ANNEXES, formats=["md"], out=tmp_path, year=2023)
    text = outputs_of(result)["md"].read_text(encoding="utf-8")
    assert "| 2022 |" in text
    assert "| 2023 |" not in text
    assert result.written[0].parts[-2] == "2023"
