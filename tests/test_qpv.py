"""QPV as data and both location objectives; partners' own targets and the quantified commitments.

Pure computations are tested directly; a fictional agglomeration of twenty QPV and ten landlords
(tests/fixtures/agglo-qpv, its allocations written by the fictional generator) builds a CIA and
a bilan whose DOCX measure both objectives by landlord; every bad input has its message."""

from __future__ import annotations

import math
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from generator.builds.build import build
from generator.commands import fictional
from generator.commands.diff import diff
from generator.documents import bilan, cia
from generator.documents.cia_commitments import commitment, commitments_table
from generator.errors import DataErrors
from generator.indicators.allocations import SECRET, AllocationFacts, Counts
from generator.indicators.results import (
    TOTAL,
    other_quartiles_in_qpv_by_scale,
    other_quartiles_in_qpv_by_year,
)
from generator.reference import epci
from generator.territory.allocations import CONTINGENT, EPCI, LANDLORD
from generator.territory.columns import CellError
from generator.territory.load import load_territory
from generator.territory.objectives import Objectives, PartnerTarget
from generator.territory.qpv import code_departement, qpv_code
from tests.making import context_of, evaluate

from .conftest import ROOT, replace_in
from .test_cia import plain, table_starting

AGGLO = ROOT / "tests" / "fixtures" / "agglo-qpv"
FICTIVE = ROOT / "tests" / "fixtures" / "cia-fictive"
TEN_LANDLORDS = {
    "Habitat du Val": 0.2,
    "Logis Exemple": 0.15,
    "SA HLM Modèle": 0.12,
    "Toit Fictif": 0.1,
    "Foyer Imaginaire": 0.1,
    "Cité Modèle": 0.08,
    "Habitat Témoin": 0.08,
    "Logement Essai": 0.07,
    "Résidences Fictives": 0.05,
    "OPH Exemple": 0.05,
}


def write_agglomeration(target: Path) -> Path:
    """The fixture with its fictional data: twenty QPV, ten landlords, six years of records."""
    shutil.copytree(AGGLO, target)
    communes = epci("200040459").communes
    for name, data in fictional.tables(communes, landlords=TEN_LANDLORDS, qpv_count=20).items():
        (target / "data" / name).write_bytes(data)
    return target


@pytest.fixture(scope="module")
def agglomeration(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_agglomeration(tmp_path_factory.mktemp("agglo") / "agglo-qpv")


@pytest.fixture
def agglo_copy(tmp_path: Path, agglomeration: Path) -> Path:
    target = tmp_path / "agglo-qpv"
    shutil.copytree(agglomeration, target)
    return target


@pytest.fixture
def fictive(tmp_path: Path) -> Path:
    target = tmp_path / "cia-fictive"
    shutil.copytree(FICTIVE, target)
    return target


def errors_of(folder: Path, document=None) -> str:
    with pytest.raises(DataErrors) as caught:
        territory = load_territory(folder, 2025)
        if document is not None:
            context_of(document, territory, 2025)
    return caught.value.report()


# --- QPV codes and the QPV table ---------------------------------------------------------------

departements = st.one_of(
    st.integers(1, 95).filter(lambda n: n != 20).map(lambda n: f"{n:03d}"),
    st.sampled_from(["02A", "02B", "971", "974"]),
)


@given(departements, st.integers(1, 99), st.sampled_from("NMI"))
def test_every_2024_code_reads_and_names_its_departement(departement, number, letter):
    code = f"QN{departement}{number:02d}{letter}"
    assert qpv_code(code.lower()) == code
    assert code_departement(code).rjust(3, "0") == departement


@given(departements, st.integers(1, 999))
def test_every_2015_code_reads(departement, number):
    assert qpv_code(f"QP{departement}{number:03d}") == f"QP{departement}{number:03d}"


@given(st.text(max_size=12))
def test_anything_else_is_refused_with_an_example(text):
    if text.strip().upper().replace(" ", "")[:2] not in ("QN", "QP"):
        with pytest.raises(CellError, match="QN03401M"):
            qpv_code(text)


def test_the_agglomeration_lists_twenty_qpv_over_its_largest_communes(agglomeration):
    territory = load_territory(agglomeration, 2025)
    assert len(territory.qpv) == 20
    assert territory.config.objectifs.qpv is True  # the list says so, no setting needed
    assert territory.qpv[0].code == "QN02601N"
    assert {c.nom for q in territory.qpv for c in q.communes} >= {"Montélimar"}


def test_qpv_rows_are_checked_where_they_are(agglo_copy):
    (agglo_copy / "data" / "qpv.csv").write_text(
        "code,nom,communes\n"
        "QN02601N,Le Plateau,Montélimar\n"
        "QX1,Mauvais code,Montélimar\n"
        "QN02602N,Faute,Montelimr\n"
        "QN03401M,Autre département,Montélimar\n"
        "QN02601N,Doublon,Montélimar\n"
        "QN02603N,Deux communes,Montélimar ; Ancône\n",
        encoding="utf-8",
    )
    report = errors_of(agglo_copy)
    assert 'qpv.csv, row 3, column "code"' in report and 'got "QX1"' in report
    assert 'row 4, column "communes"' in report and 'did you mean "Montélimar"' in report
    assert 'row 5, column "code"' in report
    assert "QN03401M is a QPV of département 34, but Montélimar (26) is not in it" in report
    assert 'row 6, column "code"' in report and "already given in row 2" in report
    assert "row 7" not in report  # a QPV over two communes is one row


def test_a_list_and_no_qpv_at_once_is_refused(agglo_copy):
    replace_in(agglo_copy / "territory.yaml", "objectifs:\n", "objectifs:\n  qpv: false\n")
    report = errors_of(agglo_copy)
    assert 'territory.yaml, setting "objectifs.qpv"' in report
    assert "false (no QPV) but data/qpv lists 20 QPV" in report


def test_a_cia_or_bilan_without_qpv_list_nor_no_qpv_is_refused(agglo_copy):
    (agglo_copy / "data" / "qpv.csv").unlink()
    for document in (cia.DOCUMENT, bilan.DOCUMENT):
        report = errors_of(agglo_copy, document)
        assert 'territory.yaml, setting "objectifs.qpv"' in report
        assert "list them in data/qpv.csv" in report and "« qpv: false »" in report


def test_qpv_true_without_its_list_is_refused_too(fictive):
    (fictive / "data" / "qpv.csv").unlink()
    report = errors_of(fictive, cia.DOCUMENT)
    assert "(qpv: true, but data/qpv.csv lists none)" in report


def test_the_qpv_table_is_a_workbook_sheet_that_comes_back_unchanged(agglo_copy, tmp_path):
    from generator.commands.workbook import export_workbook, import_workbook

    before = (agglo_copy / "data" / "qpv.csv").read_bytes()
    book = tmp_path / "classeur.xlsx"
    export_workbook(str(agglo_copy), out=book)
    import openpyxl

    sheet = openpyxl.load_workbook(book)["qpv"]
    assert [c.value for c in sheet[1]] == ["code", "nom", "communes", "source"]
    assert sheet.max_row == 21
    import_workbook(str(agglo_copy), book)
    assert (agglo_copy / "data" / "qpv.csv").read_bytes() == before


# --- Targets of partners: the objectives' mapping form -----------------------------------------


def test_a_landlords_rate_in_the_mapping_form_is_valid():
    goals = Objectives.model_validate({"premier_quartile_hors_qpv": {"Habitat du Val": 30}})
    assert goals.premier_quartile_hors_qpv == 25  # the law's for the EPCI
    assert goals.own_target("premier_quartile_hors_qpv", "Habitat du Val") == PartnerTarget(
        taux=Decimal(30)
    )


def test_the_mapping_form_keeps_the_epcis_own_rate_and_counts():
    goals = Objectives.model_validate(
        {
            "premier_quartile_hors_qpv": {"ensemble": 27, "Toit Fictif": {"nombre": 12}},
            "prioritaires": {"État": 100, "Toit Fictif": 30},
        }
    )
    assert goals.premier_quartile_hors_qpv == 27
    assert goals.commitment_of("premier_quartile_hors_qpv", "Toit Fictif", 40) == 12
    assert goals.target_of("premier_quartile_hors_qpv", "Toit Fictif", 40) == Decimal("0.3")
    assert goals.target_of("premier_quartile_hors_qpv", "Toit Fictif", None) is None
    assert goals.own_target("prioritaires", "Toit Fictif") == PartnerTarget(taux=Decimal(30))
    assert goals.priority_target("État") == 1


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"taux": 30, "nombre": 4}, "one of the two"),
        ({}, "one of the two"),
        ({"taux": 130}, "less than or equal to 100"),
        ({"nombre": -1}, "greater than or equal to 0"),
        ({"part": 30}, "Extra inputs are not permitted"),
    ],
)
def test_a_bad_target_says_what_to_write(target, message):
    with pytest.raises(ValidationError, match=message):
        Objectives.model_validate({"premier_quartile_hors_qpv": {"Habitat du Val": target}})


def test_partner_names_in_targets_are_checked_with_a_suggestion(agglo_copy):
    replace_in(
        agglo_copy / "territory.yaml", "    Habitat du Val: 30\n", "    Habitat du Vol: 30\n"
    )
    replace_in(agglo_copy / "territory.yaml", "    Toit Fictif: 30\n", "    Toit Fictf: 30\n")
    report = errors_of(agglo_copy)
    assert 'setting "objectifs.premier_quartile_hors_qpv.Habitat du Vol"' in report
    assert 'unknown landlord "Habitat du Vol" — did you mean "Habitat du Val"?' in report
    assert 'unknown contingent or landlord "Toit Fictf" — did you mean "Toit Fictif"?' in report


def test_landlords_of_the_allocation_data_are_checked_against_the_partners(agglo_copy):
    path = agglo_copy / "data" / "attributions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",Logis Exemple,", ",Logis Exemlpe,", 1), encoding="utf-8")
    report = errors_of(agglo_copy)
    assert 'column "bailleur"' in report
    assert 'unknown landlord "Logis Exemlpe" — did you mean "Logis Exemple"?' in report


# --- Pure computations -------------------------------------------------------------------------


@given(st.integers(0, 5000), st.decimals(0, 100, places=1))
def test_a_rate_commitment_is_the_smallest_count_reaching_the_rate(base, percent):
    found = commitment(base, percent / 100)
    assert found >= base * percent / 100
    assert found - 1 < base * percent / 100
    assert found == math.ceil(base * percent / 100)


@given(st.integers(0, 500), st.integers(0, 5000))
def test_a_count_target_is_its_own_commitment_whatever_the_base(count, base):
    own = PartnerTarget(nombre=count)
    assert commitment(base, Decimal("0.25"), own) == count
    assert commitment(None, Decimal("0.25"), own) == count


def test_an_unknown_or_hidden_base_is_never_zero():
    assert commitment(None, Decimal("0.25")) is None
    assert commitment(SECRET, Decimal("0.25")) is SECRET
    assert commitment(40, None) is None


def _facts(*counts: Counts) -> AllocationFacts:
    return AllocationFacts({(c.annee, c.echelle, c.entite): c for c in counts}, {}, {}, {}, {})


def _counts(scale: str, entity: str, **values: int) -> Counts:
    return Counts(2024, scale, entity, values, {}, "essai")


def test_the_second_objective_counts_other_quartiles_among_allocations_in_qpv():
    """The issue's agglomeration: 520 of 1 150 allocations in QPV to other quartiles."""
    facts = _facts(
        _counts(EPCI, "", attributions=3000, attributions_qpv=1150, autres_quartiles_qpv=520)
    )
    goals = Objectives(qpv=True)
    table, result = other_quartiles_in_qpv_by_year(facts, goals, [2024], 11)
    assert table.rows == [["2024", 1150, 520, Decimal(520) / 1150, table.rows[0][4], None, 55]]
    assert result.cible == Decimal("0.5") and result.atteint is False and result.manque == 55


def test_a_landlords_own_target_replaces_the_epcis_in_its_row():
    facts = _facts(
        _counts(EPCI, "", attributions=200, attributions_qpv=100, autres_quartiles_qpv=55),
        _counts(LANDLORD, "A", attributions=120, attributions_qpv=60, autres_quartiles_qpv=33),
        _counts(LANDLORD, "B", attributions=80, attributions_qpv=40, autres_quartiles_qpv=22),
    )
    goals = Objectives.model_validate({"qpv": True, "autres_quartiles_en_qpv": {"A": 60}})
    table = other_quartiles_in_qpv_by_scale(facts, goals, 2024, LANDLORD, 11)
    keys = [c.title for c in table.columns]
    assert keys == [
        "entite",
        "attributions_qpv",
        "autres_quartiles",
        "part",
        "objectif",
        "ecart_objectif",
        "manquantes",
    ]
    assert table.row("A")[4] == Decimal("0.6") and table.row("A")[-1] == 3  # 36 - 33
    assert table.row("B")[4] == Decimal("0.5") and table.row("B")[-1] == 0
    assert table.row(TOTAL)[4] == Decimal("0.5")


def test_priority_share_on_each_reservation_holders_own_flow():
    facts = _facts(
        _counts(EPCI, "", attributions=100),
        _counts(CONTINGENT, "État", attributions=30),
        _counts(CONTINGENT, "Action Logement", attributions=30),
        _counts(CONTINGENT, "Non réservé", attributions=40),
    )
    table = commitments_table(facts, Objectives(qpv=False), 2024, CONTINGENT, 11)
    assert [row[-1] for row in table.rows] == [30, 8, 10, 48]  # 100 %, 25 %, 25 %; summed


def test_priority_share_on_each_landlords_non_reserved_flow():
    facts = _facts(
        _counts(EPCI, "", attributions=100, non_reserves=50),
        _counts(LANDLORD, "A", attributions=60, non_reserves=30),
        _counts(LANDLORD, "B", attributions=40, non_reserves=20),
    )
    goals = Objectives.model_validate({"qpv": False, "prioritaires": {"État": 100, "B": 50}})
    table = commitments_table(facts, goals, 2024, LANDLORD, 11)
    keys = [c.title for c in table.columns]
    base, own, committed = (
        keys.index(k) for k in ("non_reserves", "cible_prioritaires", "engagement_prioritaires")
    )
    assert table.row("A")[base] == 30 and table.row("A")[committed] == 8  # 25 % of 30, not of 60
    assert plain(table.row("B")[own]) == "50 %" and table.row("B")[committed] == 10


def test_a_landlords_unknown_non_reserved_flow_stays_unknown():
    facts = _facts(_counts(EPCI, "", attributions=100), _counts(LANDLORD, "A", attributions=100))
    table = commitments_table(facts, Objectives(qpv=False), 2024, LANDLORD, 11)
    assert table.row("A")[-2:] == [None, None]
    assert "unknown" in table.notes


def test_records_count_each_landlords_non_reserved_allocations(agglomeration):
    facts = evaluate(load_territory(agglomeration, 2025), 2025).facts
    landlords = facts.scale(2024, LANDLORD)
    non_reserved = facts.scale(2024, CONTINGENT)
    own = next(c for c in non_reserved if c.entite == "Non réservé").get("attributions")
    assert sum(c.get("non_reserves") for c in landlords) == own


# --- The agglomeration's documents ------------------------------------------------------------


@pytest.fixture(scope="module")
def built(agglomeration: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("agglo-out")
    result = build(str(agglomeration), ["cia", "bilan"], ["docx"], out, 2025)
    return {p.stem: p for p in result.written if p.suffix == ".docx"}


def _text(document: docx.Document) -> str:
    return plain("\n".join(p.text for p in document.paragraphs))


@pytest.mark.e2e
def test_the_bilan_measures_both_objectives_by_landlord(built):
    document = docx.Document(built["bilan"])
    text = _text(document)
    assert "Mixité sociale en QPV : les ménages des autres quartiles" in text
    assert "Les 20 quartiers prioritaires du territoire" in text
    summary = table_starting(document, "Objectif", "Cible")
    objectives = [row[0] for row in summary]
    assert "Attributions en QPV aux ménages des trois autres quartiles" in objectives
    first = table_starting(document, "Bailleur", "Attributions", "dont hors QPV")
    assert first[0][4:6] == ["Part", "Objectif"]  # landlords with their own targets
    val = next(row for row in first if row[0] == "Habitat du Val")
    assert val[5] == "30,0 %"
    second = table_starting(document, "Bailleur", "Attributions en QPV")
    assert [row[0] for row in second][-1] == "Ensemble"
    assert next(row for row in second if row[0] == "Habitat du Val")[4] == "60,0 %"
    assert len(second) >= 4


@pytest.mark.e2e
def test_the_cia_states_and_measures_both_objectives_by_landlord(built):
    document = docx.Document(built["cia"])
    text = _text(document)
    assert "compte 20 quartiers prioritaires de la politique de la ville" in text
    assert "Habitat du Val : 30 % de ses attributions hors QPV aux ménages du premier" in text
    assert "Logis Exemple : 12 attributions par an hors QPV" in text
    assert "Toit Fictif : 30 % de ses attributions sur ses logements non réservés" in text
    assert "Les attributions dans les quartiers prioritaires" in text
    diagnosis = table_starting(document, "Bailleur", "Attributions en QPV")
    assert diagnosis[-1][0] == "Ensemble"
    commitments = table_starting(document, "Bailleur", "Attributions de référence")
    header = commitments[0]
    assert "Objectif 1er quartile" in header and "dont non réservées" in header
    logis = next(row for row in commitments if row[0] == "Logis Exemple")
    assert logis[header.index("Objectif 1er quartile")] == "12 / an"
    assert logis[header.index("1er quartile hors QPV (25 %)")] == "12"
    assert all("n.c." not in row for row in commitments)  # records give every base


def test_a_territory_without_qpv_shows_the_first_objective_only_and_says_why(fictive):
    replace_in(fictive / "territory.yaml", "  qpv: true\n", "  qpv: false\n")
    (fictive / "data" / "qpv.csv").unlink()
    aggregates = fictive / "data" / "attributions_agregees.csv"
    lines = aggregates.read_text(encoding="utf-8").splitlines()
    cleared = []
    for line in lines[1:]:
        cells = line.split(",")
        cells[5] = cells[7] = ""  # no allocation in QPV
        cleared.append(",".join(cells))
    aggregates.write_text("\n".join([lines[0], *cleared]) + "\n", encoding="utf-8")
    territory = load_territory(fictive, 2025)
    replace_in(
        fictive / "territory.yaml",
        "  presentation: engagements\n",
        "  presentation: engagements\n  sections: [preambule, diagnostic]\n",
    )
    territory = load_territory(fictive, 2025)
    context, _ = context_of(cia.DOCUMENT, territory, 2025)
    assert context["diagnostic"]["autres_quartiles_qpv"] is None
    assert context["diagnostic"]["tableaux"].get("qpv_bailleur") is None
    found = evaluate(territory, 2025)
    assert found.results["autres_quartiles_qpv"] == []
    assert "autres_quartiles_qpv" not in found.tables
    context, _ = context_of(bilan.DOCUMENT, territory, 2025)
    assert context["resultats"]["autres_quartiles_qpv"] is None
    result = build(str(fictive), ["cia", "bilan"], ["md"], fictive.parent / "out", 2025)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in result.written if p.suffix == ".md"}
    why = "ménages des autres quartiles est sans objet"
    for stem in ("cia", "bilan"):
        assert why in " ".join(texts[stem].split())
    assert "Mixité sociale en QPV" not in texts["bilan"]


def test_the_year_diff_compares_both_objectives_by_landlord(agglomeration, tmp_path):
    result = diff(str(agglomeration), 2023, 2024, tmp_path / "diff", ["bilan"])
    report = plain((tmp_path / "diff" / "changements.md").read_text(encoding="utf-8"))
    assert [c.objectif for c in result.objectives] == [
        "Attributions hors QPV aux ménages du premier quartile",
        "Attributions en QPV aux ménages des trois autres quartiles",
    ]
    assert "# Objectifs de localisation des attributions" in report
    assert "- Habitat du Val : " in report


def test_a_bad_partner_target_is_located_where_it_is_written(agglo_copy):
    replace_in(
        agglo_copy / "territory.yaml",
        "    Logis Exemple: {nombre: 12}\n",
        "    Logis Exemple: {nombre: 12, taux: 30}\n    SA HLM Modèle: trente\n",
    )
    report = errors_of(agglo_copy)
    assert 'setting "objectifs.premier_quartile_hors_qpv.Logis Exemple":' in report
    assert "give a rate in % (30, or taux: 30) or a number of allocations a year" in report
    assert 'setting "objectifs.premier_quartile_hors_qpv.SA HLM Modèle":' in report
    assert 'got "trente"' in report and "partenaires" not in report


def test_the_second_objective_keeps_its_unmasked_rate_for_the_verdict(agglomeration):
    """As the first objective does (issue 13 item 5): the verdict is stated even when the
    counts it rests on are masked, so the result carries the rate before masking."""
    found = evaluate(load_territory(agglomeration, 2024), 2024)
    [result] = found.results["autres_quartiles_qpv"]
    assert result.reelle is not None
    assert result.manque_reel is not None
