"""`cil diff`: data tables and documents compared between two years, report and Word redline."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from generator import render
from generator.cli import main
from generator.commands.redline import redline_docx
from generator.commands.table_diff import key_columns, table_changes
from generator.commands.tracked import text_of
from generator.reference import CommuneIndex
from generator.render.ooxml import w
from generator.render.typography import typeset_markdown
from generator.render.zipfix import read_entry
from generator.resources import TEMPLATES
from generator.territory.load import load_territory, table_specs

from .conftest import EXAMPLE, replace_in

pytestmark = pytest.mark.e2e  # every test here builds documents with pandoc

DATE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
META = render.DocumentMeta("Annexes", "CC Test", 2025, "Projet", "cil", "janvier 2025")


def body(data: bytes) -> etree._Element:
    return etree.fromstring(read_entry(data, "word/document.xml")).find(w("body"))


def resolved(data: bytes, accept: bool) -> list[str]:
    """The paragraphs' text once every change is accepted (or rejected), as Word would."""
    root = body(data)
    dropped, kept = ("del", "ins") if accept else ("ins", "del")
    for row in [r for r in root.iter(w("tr")) if r.find(f"{w('trPr')}/{w(dropped)}") is not None]:
        row.getparent().remove(row)
    for paragraph in list(root.iter(w("p"))):
        if paragraph.find(f"{w('pPr')}/{w('rPr')}/{w(dropped)}") is not None:
            paragraph.getparent().remove(paragraph)
    for mark in list(root.iter(w(dropped))):
        if mark.getparent().tag != w("rPr") and mark.getparent().tag != w("trPr"):
            mark.getparent().remove(mark)
    for node in root.iter(w("delText")):
        node.tag = w("t")
    return [text_of(p) for p in root.iter(w("p")) if next(p.iterancestors(w("sdt")), None) is None]


def rendered(markdown: str) -> bytes:
    return render.markdown_to_docx(markdown, META)


OLD = """# Guichets

Guichets ouverts : Cornas, Saint-Péray, Soyons et Toulaud.

| Guichet | Adresse | Statut |
|---|---|---|
| Cornas | **\\[à renseigner\\]** | Ouvert |
| Soyons | Place de la Mairie | Ouvert |
| Toulaud | **\\[à renseigner\\]** | Ouvert |

Un paragraphe qui disparaît entièrement de la nouvelle version.

# Seuils

Le seuil 2023 est de 9 638 €.
"""

NEW = """# Guichets

Guichets ouverts : Cornas, Saint-Péray, Soyons, Toulaud et CCAS de Cornas.

| Guichet | Adresse | Statut |
|---|---|---|
| Cornas | **\\[à renseigner\\]** | Ouvert |
| Toulaud | 1 place de la Mairie | Ouvert |
| CCAS de Cornas | 2 rue Neuve | Prévu |

# Seuils

Le seuil 2023 est de 9 639 €.

Un tout nouveau paragraphe sur les seuils de 2024.
"""


def test_accepting_every_change_gives_the_new_version_and_rejecting_the_old():
    old, new = rendered(OLD), rendered(NEW)
    redline = redline_docx(old, new, DATE)
    assert resolved(redline, accept=True) == resolved(new, accept=True)
    assert resolved(redline, accept=False) == resolved(old, accept=True)


def test_changes_are_marked_where_they_are_with_one_author_and_date():
    redline = body(redline_docx(rendered(OLD), rendered(NEW), DATE))
    inserted = ["".join(t.text for t in m.iter(w("t"))) for m in redline.iter(w("ins"))]
    deleted = ["".join(t.text for t in m.iter(w("delText"))) for m in redline.iter(w("del"))]
    assert "1 place de la Mairie" in inserted and "[à renseigner]" in deleted
    assert "9 639" not in inserted and "639" in inserted and "638" in deleted
    assert "Un paragraphe qui disparaît entièrement de la nouvelle version." in deleted
    added_rows = [r for r in redline.iter(w("tr")) if r.find(f"{w('trPr')}/{w('ins')}") is not None]
    removed_rows = [
        r for r in redline.iter(w("tr")) if r.find(f"{w('trPr')}/{w('del')}") is not None
    ]
    assert [text_of(r) for r in added_rows] == ["CCAS de Cornas2 rue NeuvePrévu"]
    assert [text_of(r) for r in removed_rows] == ["SoyonsPlace de la MairieOuvert"]
    marks = [m for m in redline.iter(w("ins"), w("del"))]
    assert {(m.get(w("author")), m.get(w("date"))) for m in marks} == {
        ("cil", "2025-01-01T00:00:00Z")
    }
    ids = [m.get(w("id")) for m in marks]
    assert len(ids) == len(set(ids))


def test_a_redline_is_a_valid_document_and_the_same_inputs_give_the_same_bytes():
    old, new = rendered(OLD), rendered(NEW)
    redline = redline_docx(old, new, DATE)
    assert redline == redline_docx(old, new, DATE)
    assert "Toulaud" in [
        c.text for c in docx.Document(io.BytesIO(redline)).tables[0].column_cells(0)
    ]


def test_identical_versions_give_no_mark():
    document = rendered(OLD)
    redline = body(redline_docx(document, document, DATE))
    assert redline.find(f".//{w('ins')}") is None and redline.find(f".//{w('del')}") is None


def test_rows_are_followed_by_the_columns_that_name_them():
    index = CommuneIndex(load_territory(EXAMPLE).communes)
    keys = {s.name: key_columns(s, [c.name for c in s.columns(index)]) for s in table_specs()}
    assert keys["guichets"] == ("organisme", "commune")
    assert keys["seuils_quartile"] == ("annee",)
    assert keys["parc_ops"] == ("annee", "commune", "adresse")
    assert keys["services_sociaux"] == ("nom", "commune")


def kept_by_year(folder: Path, table: str) -> None:
    data = folder / "data"
    for year in ("2024", "2025"):
        (data / year).mkdir(exist_ok=True)
        shutil.copy(data / f"{table}.csv", data / year / f"{table}.csv")
    (data / f"{table}.csv").unlink()


def test_a_figure_that_moved_is_shown_with_its_difference(territory_copy):
    kept_by_year(territory_copy, "seuils_quartile")
    replace_in(territory_copy / "data" / "2025" / "seuils_quartile.csv", "2024,10719", "2024,10720")
    replace_in(
        territory_copy / "data" / "2025" / "seuils_quartile.csv",
        "2019,8978,Arrêté annuel des seuils du premier quartile 2019,\n",
        "",
    )
    spec = next(s for s in table_specs() if s.name == "seuils_quartile")
    index = CommuneIndex(load_territory(territory_copy).communes)
    changes = table_changes(territory_copy, spec, index, 2024, 2025)
    [(label, [cell])] = changes.changed
    assert label == "2024"
    assert (cell.column, cell.old, cell.new, cell.difference) == (
        "seuil_annuel",
        "10\u202f719",
        "10\u202f720",
        "+1",
    )
    assert changes.removed == [
        "2019 — seuil_annuel 8\u202f978, source Arrêté annuel des seuils du premier quartile 2019"
    ]
    assert changes.added == []


@pytest.fixture
def two_years(territory_copy: Path) -> Path:
    """The example with its guichets kept by year, Toulaud's changed in 2025, a 2025 threshold."""
    kept_by_year(territory_copy, "guichets")
    replace_in(
        territory_copy / "data" / "2025" / "guichets.csv",
        "2,Toulaud,,,,,ouvert,,",
        "2,Toulaud,,1 place de la Mairie,04 75 40 00 00,,ouvert,,",
    )
    with (territory_copy / "data" / "seuils_quartile.csv").open("a", encoding="utf-8") as table:
        table.write("2025,10950,Arrêté préfectoral,\n")
    return territory_copy


def test_diff_shows_a_changed_guichet_and_a_new_threshold_as_report_and_redline(
    two_years, tmp_path
):
    out = tmp_path / "diff"
    args = ["diff", str(two_years), "--from", "2024", "--to", "2025", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--doc", "annexes-ppgdid"])
    assert result.exit_code == 0, result.output
    assert "2 data tables changed: guichets, seuils_quartile." in result.output
    report = (out / "changements.md").read_text(encoding="utf-8")
    assert (
        typeset_markdown(
            "- **Modifié** Toulaud — adresse : \\(vide) → 1 place de la Mairie; "
            "contact : \\(vide) → 04 75 40 00 00"
        )
        in report
    )
    assert "- **Ajouté** 2025 — seuil\\_annuel 10\u202f950, source Arrêté préfectoral" in report
    assert "- **Après**\u00a0: 2024 · 10\u202f719\u00a0€ · 893\u00a0€" in report
    html = (out / "changements.html").read_text(encoding="utf-8")
    assert "1 place de la Mairie" in html and "10\u202f950" in html
    redline = body((out / "annexes-ppgdid.redline.docx").read_bytes())
    inserted = " ".join(text_of(m) for m in redline.iter(w("ins")))
    deleted = " ".join(text_of(m) for m in redline.iter(w("del")))
    assert "1 place de la Mairie" in inserted and "04 75 40 00 00" in inserted
    assert "[à renseigner]" in deleted
    new_rows = [r for r in redline.iter(w("tr")) if r.find(f"{w('trPr')}/{w('ins')}") is not None]
    assert [text_of(r) for r in new_rows] == ["202410\u202f719\u00a0€893\u00a0€"]


def test_the_report_is_worded_by_its_template_and_labels_which_a_territory_may_override(
    two_years, tmp_path
):
    labels = two_years / "overrides" / "blocs" / "libelles.yaml"
    labels.parent.mkdir(parents=True, exist_ok=True)
    labels.write_text(
        "comparaison:\n  titre: Évolutions {avant}-{apres}\n  statut: Pour la CIL\n",
        encoding="utf-8",
    )
    template = two_years / "overrides" / "diff" / "changements.md.j2"
    template.parent.mkdir(parents=True)
    default = (TEMPLATES / "diff" / "changements.md.j2").read_text(encoding="utf-8")
    template.write_text(
        default.replace("Ce rapport compare", "Cette note compare", 1), encoding="utf-8"
    )
    out = tmp_path / "diff"
    args = ["diff", str(two_years), "--from", "2024", "--to", "2025", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--doc", "annexes-ppgdid"])
    assert result.exit_code == 0, result.output
    report = (out / "changements.md").read_text(encoding="utf-8")
    assert report.startswith("Cette note compare, pour la Communauté de communes Rhône Crussol,")
    html = (out / "changements.html").read_text(encoding="utf-8")
    assert "Évolutions 2024-2025" in html and "Pour la CIL" in html


def test_years_in_the_wrong_order_are_a_usage_error(territory_copy):
    result = CliRunner().invoke(
        main, ["diff", str(territory_copy), "--from", "2025", "--to", "2024"]
    )
    assert result.exit_code == 2
    assert "--from 2025 must come before --to 2024" in result.output


def test_invalid_data_of_either_year_is_reported_before_anything_is_compared(two_years, tmp_path):
    replace_in(two_years / "data" / "2024" / "guichets.csv", "2,Toulaud,", "2,Touloud,")
    out = tmp_path / "diff"
    result = CliRunner().invoke(
        main, ["diff", str(two_years), "--from", "2024", "--to", "2025", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert 'guichets.csv, row 12, column "commune":' in result.output
    assert not out.exists()
