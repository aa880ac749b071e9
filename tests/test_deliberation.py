"""The Cornas deliberation from data, its EPCI variant, its consistency with the annexes."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import docx
import pytest

from generator.builds.build import build
from generator.documents import annexes_ppgdid, deliberation
from generator.render.docx_template import render_word_template
from generator.resources import TEMPLATES
from generator.territory.load import load_territory
from tests.making import context_of, files_of

from .conftest import EXAMPLE, replace_in

STEM = "deliberation-cornas-2025-03-17"
NBSP = "\u00a0"
NNBSP = "\u202f"


def text_of(data: bytes) -> str:
    """Every paragraph of the document, table cells included, in reading order."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter(docx.oxml.ns.qn("w:t"))))
        elif block.tag.endswith("}tbl"):
            for paragraph in block.iter(docx.oxml.ns.qn("w:p")):
                lines.append("".join(t.text or "" for t in paragraph.iter(docx.oxml.ns.qn("w:t"))))
    return "\n".join(lines)


def deliberations(folder: Path, year: int = 2025) -> dict[str, str]:
    files, _ = files_of(deliberation.DOCUMENT, load_territory(folder, year), year)
    return {stem: text_of(data) for stem, data in files.items()}


@pytest.fixture(scope="module")
def cornas() -> str:
    return deliberations(EXAMPLE)[STEM]


def test_the_header_carries_every_fact_of_the_sitting(cornas):
    for line in [
        "En exercice : 19",
        "Présents : 15",
        "Nombre de suffrages : 16",
        "Date de convocation : 11/03/2025",
        "Date d’affichage : 11/03/2025",
        "VOTE : Adoptée à l’unanimité",
        "Pour : 16",
        "Contre : 0",
        "Abstention : 0",
        "Numéro interne de l’acte : 2025-10",
        "Séance du 17/03/2025",
    ]:
        assert line.replace(" :", f"{NBSP}:") in cornas, line


def test_date_and_time_read_in_letters(cornas):
    assert "L’an deux mille vingt-cinq, le dix-sept mars, à vingt heures trente, le Conseil " in (
        cornas
    )
    assert "sous la présidence de M. LAFAGE Stéphane, Maire." in cornas


def test_who_sat_and_how(cornas):
    present = cornas.split(f"Étaient présents{NBSP}: ")[1].split("\n")[0]
    assert present.count(", ") == 14
    assert present.startswith("M. COLLOMBET Cyril, M. CORRAL Anjel")
    assert "Mme PIC Christiane donne pouvoir à Mme FOUREL Huguette" in cornas
    assert f"Absent(s){NBSP}: Mme ROSSI Bénédicte" in cornas
    excused = f"Excusé(s){NBSP}: Mme GARNIER VALLA Stéphanie, Mme PIC Christiane, Mme PORTE"
    assert excused in cornas
    assert f"Secrétaire de séance{NBSP}: Mme JUGE Olga" in cornas
    assert "La secrétaire de séance\nMme JUGE Olga" in cornas
    assert "Le Maire,\nM. LAFAGE Stéphane" in cornas


def test_the_decision_gives_an_opinion_in_articles_numbered_by_code(cornas):
    assert "Décide, à l’unanimité" in cornas
    articles = [line for line in cornas.splitlines() if line.startswith("Article ")]
    assert [a.split(NBSP)[0] for a in articles] == ["Article 1", "Article 2", "Article 3"]
    assert "de donner un avis favorable au plan partenarial" in articles[0]
    assert "établi pour une durée de six ans" in articles[0]
    assert "convention intercommunale d’attribution (CIA), réunis dans le Plan" in articles[1]
    # LEGAL-REVIEW 18: the plan is adopted by the EPCI, a commune signs the CIA
    assert (
        "d’autoriser Monsieur le Maire à signer la CIA, dont la commune est signataire"
        in (articles[2])
    )
    assert "Fait à Cornas, le 17 mars 2025." in cornas


def test_the_body_comes_from_the_policy_and_the_legal_texts(cornas):
    assert "retenir quatre orientations" in cornas
    assert f"Objectif{NBSP}: Attribuer au moins 25{NNBSP}% des logements" in cornas
    assert "Ces documents engagent la commune de Cornas à" in cornas
    assert "VU la loi n°\u00a02014-366 du 24 mars 2014 pour l’accès au logement" in cornas
    assert f"dite loi ALUR{NNBSP};" in cornas
    assert "Les lois ALUR (2014), Égalité et citoyenneté (2017), ELAN (2018) et 3DS (2022)" in (
        cornas
    )


def test_the_guichets_follow_the_data_not_the_seed(cornas):
    level_2 = next(line for line in cornas.splitlines() if line.startswith("Niveau 2"))
    assert level_2.endswith(f"demande{NBSP}: Cornas, Saint-Péray, Soyons et Toulaud.")
    level_3 = next(line for line in cornas.splitlines() if line.startswith("Niveau 3"))
    assert f"Action Logement Services{NNBSP}; en projet{NBSP}: Guilherand-Granges" in level_3
    assert "Guilhaud" not in cornas


def test_changing_a_guichet_level_changes_the_deliberation_and_the_annexes(territory_copy):
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "1,Toulaud,")
    text = deliberations(territory_copy)[STEM]
    level_1 = next(line for line in text.splitlines() if line.startswith("Niveau 1"))
    level_2 = next(line for line in text.splitlines() if line.startswith("Niveau 2"))
    assert "Saint-Sylvestre et Toulaud." in level_1
    assert level_2.endswith("Cornas, Saint-Péray et Soyons.")
    context, _ = context_of(annexes_ppgdid.DOCUMENT, load_territory(territory_copy, 2025), 2025)
    annex = {level["numero"]: level["noms"] for level in context["guichets"]}
    assert "Toulaud" in annex[1] and "Toulaud" not in annex[2]


def test_the_council_of_the_epci_approves(territory_copy):
    with (territory_copy / "data" / "seances.csv").open("a", encoding="utf-8") as file:
        file.write("communautaire,Guilherand-Granges,03/04/2025,18:00,,3,3,3,2,0,1,D-2025-41,,,\n")
    rows = [
        "M.,DURAND,Paul,présent,,président",
        "Mme,MARTIN,Claire,présent,,secrétaire",
        "M.,PETIT,Louis,présent,,",
    ]
    with (territory_copy / "data" / "seances_membres.csv").open("a", encoding="utf-8") as file:
        for row in rows:
            file.write(f"communautaire,Guilherand-Granges,03/04/2025,{row},\n")
    produced = deliberations(territory_copy)
    epci = produced["deliberation-cc-rhone-crussol-2025-04-03"]
    assert "Délibération du Conseil communautaire" in epci
    assert "le Conseil communautaire de la Communauté de communes Rhône Crussol" in epci
    assert "d’approuver le plan partenarial de gestion" in epci
    assert "avis favorable" not in epci
    assert "d’autoriser Monsieur le Président à signer" in epci
    assert "Adoptée à l’unanimité des suffrages exprimés" in epci
    assert "Ces documents engagent la Communauté de communes Rhône Crussol à" in epci
    assert "Fait à Guilherand-Granges, le 3 avril 2025." in epci
    assert STEM in produced


def test_missing_values_are_marked_and_listed(territory_copy):
    replace_in(territory_copy / "data" / "seances.csv", ",20:30,", ",,")
    replace_in(territory_copy / "data" / "seances.csv", ",16,16,0,0,", ",16,,,,")
    territory = load_territory(territory_copy, 2025)
    files, gaps = files_of(deliberation.DOCUMENT, territory, 2025)
    text = text_of(files[STEM])
    assert "le dix-sept mars, à [à renseigner]" in text
    assert "VOTE\u00a0: [à renseigner]" in text
    where = {(g.location.row, g.location.column) for g in gaps}
    assert {(2, "heure"), (2, "pour"), (2, "contre"), (2, "abstention")} <= where


def test_values_are_escaped_for_word(territory_copy):
    replace_in(
        territory_copy / "data" / "seances_membres.csv", "COURBIS,Joël", "COURBIS,Jo<ë>l & Cie"
    )
    text = deliberations(territory_copy)[STEM]
    assert "M. COURBIS Jo<ë>l & Cie" in text


def test_the_same_data_gives_the_same_bytes():
    territory = load_territory(EXAMPLE, 2025)
    first, _ = files_of(deliberation.DOCUMENT, territory, 2025)
    second, _ = files_of(deliberation.DOCUMENT, territory, 2025)
    assert first == second
    properties = docx.Document(io.BytesIO(first[STEM])).core_properties
    assert properties.author == "Commune de Cornas"
    assert properties.created.year == 2025


@pytest.mark.libreoffice
def test_build_writes_one_deliberation_per_sitting(tmp_path):
    formats = ["docx", "pdf"]
    result = build(documents=["deliberations"], formats=formats, out=tmp_path)
    folder = tmp_path / "cc-rhone-crussol" / "2025"
    assert {p.name for p in result.written} == {f"{STEM}.{f}" for f in formats} | {"manifest.json"}
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(folder / f"{STEM}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "L’an deux mille vingt-cinq, le dix-sept mars, à vingt heures trente" in " ".join(
        pdf.split()
    )


@pytest.mark.libreoffice
def test_bundle_puts_the_deliberation_before_the_documents_it_approves(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(
        main, ["bundle", "--sitting", "cornas-2025-03-17", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "cc-rhone-crussol" / "2025"
    joined = folder / "transmission-cornas-2025-03-17.pdf"
    assert f"wrote {joined}" in result.output

    def pages(path: Path) -> int:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        return int(info.split("Pages:")[1].split()[0])

    parts = [f"{STEM}.pdf", *(f"{n}.pdf" for n in ("ppgdid", "annexes-ppgdid", "cia"))]
    assert all((folder / part).exists() for part in parts)
    assert pages(joined) == sum(pages(folder / part) for part in parts)
    assert "not produced by cil yet" not in result.output
    first_page = subprocess.run(
        ["pdftotext", "-l", "1", str(joined), "-"], capture_output=True, text=True
    ).stdout
    assert "DÉLIBÉRATION DU CONSEIL MUNICIPAL" in first_page.upper()
    before = joined.read_bytes()
    CliRunner().invoke(main, ["bundle", "--sitting", "cornas-2025-03-17", "--out", str(tmp_path)])
    assert joined.read_bytes() == before


def test_a_rebuild_follows_the_sittings_and_the_guichets(territory_copy, tmp_path):
    def rebuilt() -> list[str]:
        return build(str(territory_copy), ["deliberations"], ["docx"], tmp_path).rebuilt

    assert rebuilt() == ["deliberations"]
    assert rebuilt() == []
    replace_in(territory_copy / "data" / "guichets.csv", "2,Toulaud,", "1,Toulaud,")
    assert rebuilt() == ["deliberations"]
    replace_in(territory_copy / "data" / "seances.csv", ",2025-10,", ",2025-11,")
    assert rebuilt() == ["deliberations"]


@pytest.mark.parametrize(
    ("votes", "outcome", "decision", "articles"),
    [
        (",16,10,5,1,", "Adoptée à la majorité", "Décide, à la majorité", 3),
        (",16,6,10,0,", "Rejetée", "Rejette les propositions ci-dessus", 0),
    ],
)
def test_the_outcome_follows_the_vote(territory_copy, votes, outcome, decision, articles):
    replace_in(territory_copy / "data" / "seances.csv", ",16,16,0,0,", votes)
    text = deliberations(territory_copy)[STEM]
    assert f"VOTE{NBSP}: {outcome}\n" in text
    assert decision in text
    assert sum(line.startswith("Article ") for line in text.splitlines()) == articles


def test_a_sitting_without_proxies_or_secretary_reads_neant_and_le_secretaire():
    territory = load_territory(EXAMPLE, 2025)
    context = deliberation._sample_context(territory, 2025)
    data = render_word_template(
        TEMPLATES / deliberation.TEMPLATE,
        context,
        deliberation.WORD_FILTERS,
        deliberation.meta(context, dt.date(2025, 1, 1)),
    )
    text = text_of(data)
    assert "Procuration(s) :\nNéant".replace(" :", f"{NBSP}:") in text
    assert "Le secrétaire de séance" in text
