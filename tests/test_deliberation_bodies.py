"""Deliberations of any body (commune council, EPCI council, bureau by delegation), each sitting
approving the documents it chooses, sittings given by counts only checked as strictly as listed
ones. Fixture: tests/fixtures/seances-fictives (fictional counts, not a bundled territory)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.commands.bundle import attachments
from generator.documents import deliberation
from generator.errors import DataErrors
from generator.territory.load import load_territory
from generator.territory.sittings import check_sittings
from tests.making import files_of

from .conftest import replace_in
from .test_cia import plain
from .test_deliberation import NBSP, text_of

FIXTURE = Path(__file__).parent / "fixtures" / "seances-fictives"
EPCI = "deliberation-seances-fictives-2020-09-24"
BUREAU = "deliberation-seances-fictives-bureau-2020-11-05"
COMMUNE = "deliberation-la-garde-adhemar-2020-10-12"
#: The rows of the fixture's seances.csv, as they start
EPCI_ROW = "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,8,3,72,70,0,2,"
BUREAU_ROW = "bureau,Pierrelatte,05/11/2020,17:00,"
COMMUNE_ROW = "municipal,La Garde-Adhémar,12/10/2020,20:00,,15,11,2,,13,13,0,0,"


@pytest.fixture
def sittings(tmp_path: Path) -> Path:
    target = tmp_path / "seances-fictives"
    shutil.copytree(FIXTURE, target)
    return target


def table(folder: Path) -> Path:
    return folder / "data" / "seances.csv"


def deliberations(folder: Path) -> dict[str, str]:
    files, _ = files_of(deliberation.DOCUMENT, load_territory(folder, 2020), 2020)
    return {stem: plain(text_of(data)) for stem, data in files.items()}


def errors_of(folder: Path) -> str:
    with pytest.raises(DataErrors) as caught:
        load_territory(folder, 2020)
    return caught.value.report()


@pytest.fixture(scope="module")
def acts() -> dict[str, str]:
    return deliberations(FIXTURE)


# --- the EPCI's council, counts only ------------------------------------------------------------


def test_an_epci_council_given_by_counts_prints_its_counts_and_quorum(acts):
    act = acts[EPCI]
    for line in [
        "Délibération du Conseil communautaire",
        "En exercice : 80",
        "Présents : 64",
        "dont suppléants : 3",
        "Représentés : 8",
        "Présents ou représentés : 72",
        "Quorum : 41",
        "Nombre de suffrages : 72",
        "Pour : 70",
        "Abstention : 2",
    ]:
        assert f"\n{line}\n" in act, line


def test_the_attendance_block_agrees_with_the_header(acts):
    """8 represented in the header: never « Procuration(s) : Néant » below it."""
    act = acts[EPCI]
    assert "Procuration(s) :\n8 membres représentés\n" in act
    assert "Néant" not in act
    assert "Absent(s) : [à renseigner]" in act


def test_a_lawful_sitting_says_so(acts):
    assert "régulièrement convoqué, s'est réuni au nombre prescrit par la loi" in acts[EPCI]


def test_the_epci_council_approves_only_the_document_cadre(acts):
    act = acts[EPCI]
    articles = [line for line in act.splitlines() if line.startswith("Article ")]
    assert articles == [
        "Article 1 : d'approuver le document cadre des orientations en matière d'attribution ;",
        "Article 2 : d'autoriser Madame la Présidente à signer tout document se rapportant à la "
        "mise en "
        "œuvre de la présente délibération.",
    ]
    assert "Objet : Document cadre des orientations en matière d'attribution : approbation" in act
    assert "PPGDID" not in act
    assert "niveaux de guichets" not in act


def test_the_objet_of_a_sitting_wins(sittings):
    replace_in(table(sittings), ",document-cadre,,", ",document-cadre,Orientations 2020,")
    assert "Objet : Orientations 2020\n" in deliberations(sittings)[EPCI]


# --- the bureau, by delegation -------------------------------------------------------------------


def test_the_bureau_acts_by_delegation_with_its_visas(acts):
    act = acts[BUREAU]
    assert "Délibération du Bureau communautaire" in act
    assert (
        "le Bureau communautaire de la Communauté de communes fictive des Séances (données "
        "fictives), agissant par délégation du Conseil communautaire (délibération n° D-2020-45 "
        "du 16/07/2020), régulièrement convoqué"
    ) in act
    assert (
        "VU le code général des collectivités territoriales, notamment son article L5211-10 ;"
        in act
    )
    assert (
        "VU la délibération n° D-2020-45 du Conseil communautaire du 16/07/2020 portant "
        "délégation d'attributions au Bureau communautaire ;"
    ) in act
    assert "Il est proposé au Bureau communautaire :" in act
    assert "Le Bureau communautaire, Madame la Présidente entendue, après" in act
    assert "sous la présidence de Mme BERTRAND Hélène, Présidente." in act
    assert "La secrétaire de séance\nMme ROUX Agnès\n" in act
    assert "La Présidente,\nMme BERTRAND Hélène\n" in act


def test_the_bureau_approves_the_annexes_and_takes_note_of_the_bilan(acts):
    act = acts[BUREAU]
    articles = [line for line in act.splitlines() if line.startswith("Article ")]
    assert [a.split(" : ", 1)[1][:40] for a in articles] == [
        "d'approuver la mise à jour des annexes d",
        "de prendre acte du bilan annuel de la po",
        "d'autoriser Madame la Présidente à signe",
    ]
    assert "Objet : Mise à jour des annexes du PPGDID et bilan annuel" in act
    assert "Chaque année, la Communauté de communes fictive des Séances" in act
    assert "Pour les attributions, la réforme repose" not in act


def test_a_bureau_needs_the_council_deliberation_that_delegated(sittings):
    replace_in(table(sittings), ",D-2020-45,16/07/2020,", ",D-2020-45,,")
    report = errors_of(sittings)
    assert 'seances.csv, row 3, column "delegation_date":\n  empty cell — a bureau' in report
    assert "CGCT L5211-10" in report


def test_only_a_bureau_acts_by_delegation(sittings):
    replace_in(table(sittings), ",document-cadre,,,,", ",document-cadre,,D-1,,")
    report = errors_of(sittings)
    assert 'row 2, column "delegation_numero":\n  only a bureau acts by delegation' in report


# --- the commune's council ---------------------------------------------------------------------


def test_a_commune_council_gives_its_opinion_on_the_default_documents(acts):
    act = acts[COMMUNE]
    assert "Commune de la Garde-Adhémar" in act
    articles = [line for line in act.splitlines() if line.startswith("Article ")]
    assert len(articles) == 3
    assert "de donner un avis favorable au plan partenarial" in articles[0]
    assert (
        "au document cadre des orientations en matière d'attribution et à la convention"
        in (articles[1])
    )
    # LEGAL-REVIEW 18: a commune signs the CIA it is party to, not the PPGDID
    assert (
        "d'autoriser Monsieur le Maire à signer la CIA, dont la commune est signataire, ainsi que"
        " tout document se rapportant à la mise en œuvre de la CIA et du PPGDID." in articles[2]
    )
    assert "Objet : Réforme des attributions des logements sociaux" in act
    assert "Quorum : 8" in act


def test_the_same_fixture_gives_three_acts_and_no_error():
    territory = load_territory(FIXTURE, 2020)
    errors, warnings = check_sittings(territory)
    assert not errors.items and not warnings
    assert len(territory.seances) == 3


def test_counts_only_sittings_name_their_officers_on_their_row(acts):
    act = acts[EPCI]
    assert "sous la présidence de Mme BERTRAND Hélène, Présidente." in act
    assert "Secrétaire de séance : M. FAURE Julien" in act
    assert "Le secrétaire de séance\nM. FAURE Julien\n" in act
    assert "Madame la Présidente expose :" in act


def test_a_missing_officer_is_a_gap_not_a_guess():
    _, gaps = files_of(deliberation.DOCUMENT, load_territory(FIXTURE, 2020), 2020)
    assert (4, "secretaire") in {(g.location.row, g.location.column) for g in gaps}


def test_a_counts_only_sitting_never_blames_its_filled_date():
    """The issue: « the only message blames a filled "date" column »."""
    _, gaps = files_of(deliberation.DOCUMENT, load_territory(FIXTURE, 2020), 2020)
    assert not [g for g in gaps if g.location.column == "date"]
    members = [g for g in gaps if g.location.file.endswith("seances_membres.csv")]
    assert [g.location.row for g in members] == [None, None, None]
    assert "names of the members at the sitting communautaire 24/09/2020" in members[0].what


def test_an_officer_needs_a_civility(sittings):
    replace_in(table(sittings), ",M. GIRAUD Marc,", ",GIRAUD Marc,")
    report = errors_of(sittings)
    assert 'row 4, column "president":\n  expected "M." or "Mme"' in report


def test_with_a_member_list_the_officers_come_from_their_roles(territory_copy):
    path = territory_copy / "data" / "seances.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",president", *(line + ",M. LAFAGE Stéphane" for line in lines[1:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy, 2025)
    assert 'row 2, column "president":\n  seances_membres lists this sitting' in (
        caught.value.report()
    )


# --- impossible counts: each refused with its located message ------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,20,3,72,70,0,2,",
            "representes",
            "64 present + 20 represented = 84, more than the 80 members in office",
        ),
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,85,8,3,72,70,0,2,",
            "presents",
            "more present than the 80 members in office",
        ),
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,8,3,75,73,0,2,",
            "suffrages",
            "75 votes cast, more than 64 present + 8 represented = 72",
        ),
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,8,3,72,90,0,2,",
            "pour",
            "for 90 + against 0 + abstention 2 = 92, more than the 72 votes cast",
        ),
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,8,3,72,60,0,2,",
            "pour",
            "for 60 + against 0 + abstention 2 = 62, fewer than the 72 votes cast",
        ),
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,8,70,72,70,0,2,",
            "suppleants",
            "70 suppléants, more than the 64 present",
        ),
        (
            COMMUNE_ROW,
            "municipal,La Garde-Adhémar,12/10/2020,20:00,,15,11,2,1,13,13,0,0,",
            "suppleants",
            "only the community council has suppléants",
        ),
        (
            COMMUNE_ROW,
            "municipal,La Garde-Adhémar,12/10/2020,20:00,,15,4,6,,10,10,0,0,",
            "representes",
            "6 represented but 4 present: a member present holds one proxy at most",
        ),
        (
            EPCI_ROW,
            "communautaire,Pierrelatte,24/09/2020,18:30,,80,40,8,3,48,46,0,2,",
            "presents",
            "quorum not reached: 40 present of 80 in office, 41 needed",
        ),
    ],
)
def test_impossible_counts_are_refused_where_they_are(sittings, old, new, column, message):
    replace_in(table(sittings), old, new)
    report = errors_of(sittings)
    assert f"seances-fictives/data/seances.csv, row {2 if 'Pierrelatte' in old else 4}, " in report
    assert f'column "{column}":\n  {message}' in report


def test_an_unknown_document_is_refused_with_the_choices(sittings):
    replace_in(table(sittings), ",document-cadre,", ",document cadre; PLH,")
    report = errors_of(sittings)
    assert 'row 2, column "documents":\n  expected "ppgdid", "annexes", "document-cadre"' in report
    assert 'got "PLH"' in report


def test_documents_are_read_whatever_their_order_and_spelling(sittings):
    replace_in(table(sittings), ",document-cadre,", ",CIA + Document cadre,")
    territory = load_territory(sittings, 2020)
    assert territory.seances[0].approves == ("document-cadre", "cia")


# --- quorum after a second convocation, convocation delays --------------------------------------


def test_without_quorum_a_second_convocation_is_stated_in_the_act(sittings):
    replace_in(
        table(sittings),
        EPCI_ROW,
        "communautaire,Pierrelatte,24/09/2020,18:30,,80,30,8,3,38,36,0,2,",
    )
    assert "quorum not reached" in errors_of(sittings)
    replace_in(table(sittings), ",document-cadre,,,,,", ",document-cadre,,,,10/09/2020,")
    act = deliberations(sittings)[EPCI]
    assert "Quorum : non requis (seconde convocation)" in act
    assert (
        "Le quorum n'ayant pas été atteint à la séance du 10/09/2020, le Conseil communautaire a "
        "été convoqué à nouveau ; il délibère valablement sans condition de quorum (article "
        "L2121-17 du code général des collectivités territoriales, applicable par l'article "
        "L5211-1 du même code)."
    ) in act
    assert "au nombre prescrit par la loi" not in act


def test_a_second_convocation_comes_after_the_first_sitting(sittings):
    replace_in(table(sittings), ",document-cadre,,,,,", ",document-cadre,,,,25/09/2020,")
    report = errors_of(sittings)
    assert 'row 2, column "seconde_convocation":\n  the first sitting without quorum' in report


def test_an_epci_with_a_commune_of_3500_needs_five_clear_days(sittings):
    """CGCT L5211-1: the EPCI follows the rules of communes of 3 500 and more when one of its
    communes has 3 500 inhabitants (Pierrelatte); the act then does not say « régulièrement »."""
    replace_in(table(sittings), ",D-2020-112,17/09/2020,", ",D-2020-112,20/09/2020,")
    _, warnings = check_sittings(load_territory(sittings, 2020))
    shown = "\n".join(str(w) for w in warnings)
    assert 'row 2, column "convocation"' in shown
    assert "3 clear days between convocation and sitting, 5 required for 13756 inhabitants" in (
        shown
    )
    assert "in its largest commune, CGCT L5211-1" in shown
    act = deliberations(sittings)[EPCI]
    assert "régulièrement" not in act
    assert "convoqué le 20/09/2020, s'est réuni au nombre prescrit par la loi" in act


def test_a_small_commune_needs_three_clear_days(sittings):
    replace_in(table(sittings), ",2020-58,08/10/2020,", ",2020-58,09/10/2020,")
    _, warnings = check_sittings(load_territory(sittings, 2020))
    assert "2 clear days between convocation and sitting, 3 required for 1144 inhabitants" in (
        "\n".join(str(w) for w in warnings)
    )


# --- cil build: refused with the located error, or built with its warnings -----------------------


def test_cil_build_refuses_impossible_counts_with_the_located_error(sittings, tmp_path):
    replace_in(
        table(sittings),
        EPCI_ROW,
        "communautaire,Pierrelatte,24/09/2020,18:30,,80,64,8,3,72,80,0,2,",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(sittings), "--doc", "deliberations", "--format", "docx", "--out", str(out)],
    )
    assert result.exit_code == 1, result.output
    assert 'seances.csv, row 2, column "pour":' in result.output
    assert "more than the 72 votes cast" in result.output
    assert "Traceback" not in result.output
    assert not list(out.rglob("*.docx"))


def test_cil_build_prints_the_warnings(sittings, tmp_path):
    replace_in(table(sittings), ",D-2020-112,17/09/2020,", ",D-2020-112,20/09/2020,")
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(sittings),
            "--doc",
            "deliberations",
            "--format",
            "docx",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output
    assert "3 clear days between convocation and sitting, 5 required" in result.output


# --- the bundle follows each sitting's choice ---------------------------------------------------


def test_each_sitting_attaches_only_what_it_approves():
    territory = load_territory(FIXTURE, 2020)
    plans = {s.conseil: attachments(territory, s) for s in territory.seances}
    # no CIA stating the document cadre in this territory: cil does not produce it
    assert plans["communautaire"] == ([], ["document-cadre"])
    assert plans["bureau"] == (["annexes-ppgdid", "bilan"], [])
    assert plans["municipal"] == (["ppgdid", "annexes-ppgdid", "cia"], ["document-cadre"])


def test_a_cia_stating_the_document_cadre_travels_for_it(territory_copy):
    territory = load_territory(territory_copy, 2025)
    (cornas,) = territory.seances
    assert attachments(territory, cornas) == (["ppgdid", "annexes-ppgdid", "cia"], [])


@pytest.mark.libreoffice
def test_the_bundle_attaches_only_the_documents_chosen(territory_copy, tmp_path):
    path = territory_copy / "data" / "seances.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",documents", *(line + ",cia" for line in lines[1:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["bundle", str(territory_copy), "--sitting", "cornas-2025-03-17", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "cc-rhone-crussol" / "2025"
    joined = folder / "transmission-cornas-2025-03-17.pdf"
    assert f"wrote {joined}: the deliberation, then cia" in result.output

    def pages(path: Path) -> int:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        return int(info.split("Pages:")[1].split()[0])

    parts = [folder / "deliberation-cornas-2025-03-17.pdf", folder / "cia.pdf"]
    assert pages(joined) == sum(pages(part) for part in parts)
    assert not (folder / "ppgdid.pdf").exists()
    act = subprocess.run(
        ["pdftotext", str(parts[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    act = plain(" ".join(act.split()))
    assert "Article 1 : de donner un avis favorable à la convention intercommunale" in act
    # LEGAL-REVIEW 18: a commune signs the CIA it is party to, not the PPGDID
    assert "d'autoriser Monsieur le Maire à signer la CIA, dont la commune est signataire" in act
    assert "Article 3" not in act


# --- suppléants in a member list -----------------------------------------------------------------

EPCI_SITTING = "communautaire,Guilherand-Granges,03/04/2025,18:00,,4,4,4,4,0,0,D-2025-41,,,\n"
EPCI_MEMBERS = [
    "M.,DURAND,Paul,présent,,président,",
    "Mme,MARTIN,Claire,présent,,secrétaire,",
    "M.,PETIT,Louis,présent,,,",
    "Mme,ROCHE,Anne,excusé,,,",
    "M.,BLANC,Yves,présent,,,ROCHE Anne",
]


def with_substitutes(folder: Path, members: list[str], sitting: str = EPCI_SITTING) -> None:
    """The EPCI council of 4 members in office, one excused and replaced by her suppléant."""
    with (folder / "data" / "seances.csv").open("a", encoding="utf-8") as file:
        file.write(sitting)
    path = folder / "data" / "seances_membres.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",suppleant_de", *(line + "," for line in lines[1:])]
    key = "communautaire,Guilherand-Granges,03/04/2025"
    # a member's row: civilite … role, then notes (empty), then suppleant_de
    lines += [f"{key},{row.rsplit(',', 1)[0]},,{row.rsplit(',', 1)[1]}" for row in members]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_suppleant_sits_for_a_member_not_present(territory_copy):
    with_substitutes(territory_copy, EPCI_MEMBERS)
    files, _ = files_of(deliberation.DOCUMENT, load_territory(territory_copy, 2025), 2025)
    act = text_of(files["deliberation-cc-rhone-crussol-2025-04-03"]).replace(NBSP, " ")
    assert "En exercice : 4\nPrésents : 4\ndont suppléants : 1\nReprésentés : 0\n" in act
    assert "M. BLANC Yves (suppléant de Mme ROCHE Anne)" in act
    assert "Excusé(s) : Mme ROCHE Anne" in act


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("Mme,ROCHE,Anne,excusé,,,", "Mme,ROCHE,Anne,présent,,,"), "is present: a suppléant"),
        (
            ("Mme,ROCHE,Anne,excusé,,,", "Mme,ROCHE,Anne,excusé,PETIT Louis,,"),
            "gave a proxy: a titular member gives one only when the suppléant cannot sit",
        ),
        (("M.,BLANC,Yves,présent,,,ROCHE Anne", "M.,BLANC,Yves,présent,,,ROCH Anne"), "no member"),
    ],
)
def test_a_wrong_suppleant_is_located(territory_copy, change, message):
    members = [row.replace(*change) for row in EPCI_MEMBERS]
    with_substitutes(territory_copy, members)
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy, 2025)
    assert "seances_membres.csv, row " in caught.value.report()
    assert 'column "suppleant_de"' in caught.value.report()
    assert message in caught.value.report()
