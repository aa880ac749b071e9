"""Secrecy by audience: a public document masks small counts, a restricted one shows them and
says its audience on every page; either way the verdict of each objective is stated."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.builds.build import build
from generator.cli import main
from generator.documents import cia
from generator.documents.bilan_commentary import verdict
from generator.documents.common import facts_of
from generator.indicators.allocations import SECRET
from generator.indicators.results import Result
from generator.territory.config import NO_SECRECY
from generator.territory.load import load_territory

from .conftest import EXAMPLE, replace_in
from .making import made_alone

YEAR = 2023
SETTING = "secret_statistique: 11\n"
MENTION = "Diffusion restreinte : membres de la conférence intercommunale du logement"


def _restricted(folder: Path, document: str = "bilan") -> Path:
    replace_in(
        folder / "territory.yaml", SETTING, f"{SETTING}diffusion:\n  {document}: restreinte\n"
    )
    return folder


def _plain(text: str) -> str:
    """Words separated by one space: no-break spaces and line ends of a PDF page read alike."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# --- The verdict with masked counts (pure) ---------------------------------------------------


def test_a_masked_result_keeps_its_verdict_gap_and_missing_allocations():
    masked = Result(
        "Attributions aux ménages en mutation",
        Decimal("0.15"),
        SECRET,
        YEAR,
        manque=SECRET,
        reelle=Decimal(7) / Decimal(56),
        manque_reel=2,
    )
    assert masked.masque and masked.atteint is False
    assert masked.ecart == Decimal("-2.5")
    found = verdict(masked)
    assert (found.etat, found.masque, found.manque) == ("non_atteint", True, 2)
    assert found.part is None  # the share itself stays unpublished
    assert found.ecart == Decimal("-2.5")


def test_a_masked_result_over_its_target_is_reached():
    masked = Result("x", Decimal("0.10"), SECRET, YEAR, reelle=Decimal("0.125"), manque_reel=0)
    found = verdict(masked)
    assert (found.etat, found.ecart, found.manque) == ("atteint", Decimal("2.5"), 0)


def test_a_masked_result_without_target_stays_secret():
    assert verdict(Result("x", None, SECRET, YEAR, reelle=Decimal("0.2"))).etat == "secret"


def test_a_shown_result_is_judged_as_before():
    shown = verdict(Result("x", Decimal("0.25"), Decimal("0.196"), YEAR, manque=3))
    assert (shown.etat, shown.masque, shown.part, shown.manque) == (
        "non_atteint",
        False,
        Decimal("0.196"),
        3,
    )


def test_the_seed_mutations_are_masked_in_public_but_judged_on_7_of_56():
    found = facts_of(load_territory(EXAMPLE, YEAR)).evaluation(YEAR)
    result = found.results["mutations"][0]
    assert result.part is SECRET
    assert result.reelle == Decimal(7) / Decimal(56)
    assert (result.atteint, result.ecart, result.a_rattraper) == (False, Decimal("-2.5"), 2)
    assert found.tables["mutations"].rows[-1][1:] == [56, SECRET, SECRET, SECRET, SECRET]


def test_without_secrecy_the_seed_mutations_show_7_of_56():
    found = facts_of(load_territory(EXAMPLE, YEAR)).evaluation(YEAR, None, NO_SECRECY)
    row = found.tables["mutations"].rows[-1]
    assert row[1:3] == [56, 7]
    assert row[3] == Decimal(7) / Decimal(56)
    assert found.results["mutations"][0].part == Decimal(7) / Decimal(56)


# --- The setting ------------------------------------------------------------------------------


def test_the_audience_is_public_by_default_and_set_per_document(territory_copy):
    public = load_territory(EXAMPLE, YEAR).config
    assert (public.audience("bilan"), public.audience("cia")) == ("publique", "publique")
    assert public.secrecy_threshold("bilan") == 11
    restricted = load_territory(_restricted(territory_copy), YEAR).config
    assert (restricted.audience("bilan"), restricted.audience("cia")) == ("restreinte", "publique")
    assert (restricted.secrecy_threshold("bilan"), restricted.secrecy_threshold("cia")) == (1, 11)


def test_an_unknown_audience_is_refused_with_its_place(territory_copy):
    replace_in(
        territory_copy / "territory.yaml", SETTING, f"{SETTING}diffusion:\n  bilan: interne\n"
    )
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert 'territory.yaml, setting "diffusion.bilan":' in result.output
    assert "expected one of 'publique' or 'restreinte', got \"interne\"" in result.output


def test_an_unknown_document_under_diffusion_is_refused(territory_copy):
    replace_in(
        territory_copy / "territory.yaml", SETTING, f"{SETTING}diffusion:\n  ppgdid: publique\n"
    )
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert 'setting "diffusion.ppgdid":\n  unknown setting' in result.output


# --- Built bilans -----------------------------------------------------------------------------


def _mutations_row(document) -> list[str]:
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if len(rows[0]) > 2 and rows[0][2] == "dont ménages en mutation":
            return rows[-1]
    raise AssertionError("no table of mutations")


def _text(document) -> str:
    return _plain("\n".join(p.text for p in document.paragraphs))


@pytest.mark.e2e
def test_a_public_bilan_masks_the_small_counts_yet_states_the_verdict(tmp_path):
    out = build("cc-rhone-crussol", ["bilan"], ["docx"], tmp_path, YEAR)
    path = next(p for p in out.written if p.name == "bilan.docx")
    document = docx.Document(path)
    assert _mutations_row(document)[1:3] == ["56", "s"]
    text = _text(document)
    assert (
        "Objectif non atteint en 2023 : écart de −2,5 points à la cible de 15 % ; il aurait "
        "fallu 2 attributions de plus pour l’atteindre ; ses effectifs, sous le seuil du secret "
        "statistique, ne sont pas publiés."
    ) in text
    assert "un objectif chiffré sur trois est atteint" in text  # counts in words (issue 12)
    assert "Diffusion restreinte" not in text
    with zipfile.ZipFile(path) as zf:
        footers = [n for n in zf.namelist() if n.startswith("word/footer")]
        assert footers and all("Diffusion" not in zf.read(n).decode() for n in footers)


@pytest.fixture(scope="module")
def restricted_bilan(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("restricted")
    folder = root / "territories" / "cc-rhone-crussol"
    shutil.copytree(EXAMPLE, folder)
    _restricted(folder)
    formats = ["docx", "pdf"] if shutil.which("pdftotext") else ["docx"]
    out = build(str(folder), ["bilan"], formats, root / "out", YEAR)
    return {p.suffix.lstrip("."): p for p in out.written if p.stem == "bilan"}


@pytest.mark.e2e
def test_a_restricted_bilan_shows_7_of_56_and_its_verdict(restricted_bilan):
    document = docx.Document(restricted_bilan["docx"])
    assert [_plain(cell) for cell in _mutations_row(document)[1:4]] == ["56", "7", "12,5 %"]
    text = _text(document)
    assert "Objectif non atteint : 12,5 % pour 15 %" in text
    assert "il aurait fallu 2 attributions de plus pour l’atteindre" in text
    assert "« s »" not in text and "sous le seuil du secret statistique" not in text


@pytest.mark.e2e
def test_a_restricted_bilan_carries_its_audience_in_every_footer_and_on_the_cover(
    restricted_bilan,
):
    with zipfile.ZipFile(restricted_bilan["docx"]) as zf:
        body = zf.read("word/document.xml").decode()
        references = re.findall(r"<w:footerReference [^>]*>", body)
        rels = zf.read("word/_rels/document.xml.rels").decode()
        assert references
        for reference in references:
            rid = re.search(r'r:id="(\w+)"', reference).group(1)
            relation = next(r for r in re.findall(r"<Relationship [^>]*>", rels) if rid in r)
            target = re.search(r'Target="([^"]+)"', relation).group(1)
            footer = zf.read(f"word/{target}").decode()
            assert MENTION in _plain(re.sub(r"<[^>]+>", "", footer))
    cover = [_plain(p.text) for p in docx.Document(restricted_bilan["docx"]).paragraphs[:8]]
    assert any(MENTION.upper() in p.upper() for p in cover)  # the cover's status is in capitals


@pytest.mark.e2e
@pytest.mark.libreoffice
def test_every_page_of_the_restricted_pdf_says_its_audience(restricted_bilan):
    pdf = restricted_bilan["pdf"]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 3
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", pdf, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "DIFFUSION RESTREINTE" in _plain(text).upper(), f"page {page}"


@pytest.mark.e2e
def test_the_restricted_html_says_its_audience_in_its_title_block(restricted_bilan, tmp_path):
    folder = restricted_bilan["docx"].parents[3] / "territories" / "cc-rhone-crussol"
    out = build(str(folder), ["bilan"], ["html"], tmp_path, YEAR)
    html = next(p for p in out.written if p.suffix == ".html").read_text(encoding="utf-8")
    title_block = html[html.index("<header") : html.index("</header>")]
    assert MENTION in _plain(title_block)


def test_a_restricted_cia_shows_its_counts_and_names_its_audience(territory_copy):
    public = made_alone(cia.DOCUMENT, load_territory(territory_copy, YEAR), YEAR)
    assert public.notice == ""
    assert public.context["diagnostic"]["attributions"]["mutations"] == "s"
    restricted = load_territory(_restricted(territory_copy, "cia"), YEAR)
    made = made_alone(cia.DOCUMENT, restricted, YEAR)
    assert made.notice.startswith("Diffusion restreinte : partenaires signataires")
    assert made.context["diagnostic"]["restreinte"] is True
    assert made.context["diagnostic"]["attributions"]["mutations"] == "7"
