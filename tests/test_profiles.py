"""Profiles of applicants and beneficiaries (demand, transfers, first quartile): the computation,
every refusal of their data, and the CIA's diagnosis and the bilan that show them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.builds.build import build
from generator.documents import bilan, cia
from generator.errors import DataErrors
from generator.indicators.allocations import (
    SECRET,
    AllocationFacts,
    BreakdownFact,
    Counts,
    RowLabel,
)
from generator.indicators.facts import allocation_facts
from generator.indicators.profiles import (
    compared_categories,
    leading_categories,
    profile,
    profile_years,
)
from generator.territory.allocations import AGE_GROUPS, age_group
from generator.territory.load import load_territory

from .conftest import EXAMPLE, ROOT, replace_in
from .making import evaluate, made_alone

YEAR = 2023
BREAKDOWNS = "repartitions.csv"
HEADER = "annee,population,dimension,modalite,nombre,part,source,notes\n"
GRAND_PIC = ROOT / "territories" / "cc-grand-pic-saint-loup"


def _facts(
    breakdowns: dict[tuple[int, str, str, str], tuple[int | None, str | None]],
    applications: dict[str, int] | None = None,
    allocations: dict[str, int] | None = None,
) -> AllocationFacts:
    """Facts holding only these breakdowns and, for 2023, these wholes."""
    counts = {}
    if allocations is not None:
        counts[(YEAR, "EPCI", "")] = Counts(YEAR, "EPCI", "", allocations, {}, "SNE 2023")
    wholes: dict[int, Any] = {}
    if applications is not None:  # what a profile reads of demandes.csv
        wholes[YEAR] = SimpleNamespace(counts=applications, source="SNE 2023")
    return AllocationFacts(
        counts=counts,
        breakdowns={
            key: BreakdownFact(n, None if part is None else Decimal(part), "SNE (infocentre) 2023")
            for key, (n, part) in breakdowns.items()
        },
        applications=wholes,
        housing={},
        thresholds={},
    )


# --- Computation -----------------------------------------------------------------------------


def test_age_groups_bound_at_25_40_and_65():
    assert [age_group(a) for a in (18, 24, 25, 39, 40, 64, 65, 90)] == [
        AGE_GROUPS[0],
        AGE_GROUPS[0],
        AGE_GROUPS[1],
        AGE_GROUPS[1],
        AGE_GROUPS[2],
        AGE_GROUPS[2],
        AGE_GROUPS[3],
        AGE_GROUPS[3],
    ]


def test_the_demand_profile_of_rhone_crussol_keeps_the_published_shares():
    facts = allocation_facts(load_territory(EXAMPLE), "SNE")
    table = profile(facts, [2021, 2022, YEAR], "demandes", threshold=11)
    # shares published without counts: no column of counts (the note says it)
    assert [c.title for c in table.columns] == ["caracteristique", "modalite", "part"]
    rows = {row[1]: row for row in table.rows}
    assert rows["Famille avec enfants"][2:] == [Decimal("0.46")]
    assert rows["Personne seule"][0] == "Composition familiale"
    assert rows["Famille avec enfants"][0] == ""  # the dimension is named on its first row
    assert rows["40 à 64 ans"][2] == Decimal("0.43")
    assert rows["Actifs"][2] == Decimal("0.56")
    assert rows["Sous le plafond PLAI"][2] == Decimal("0.61")
    motives = [row[1] for row in table.rows if row[0] == "" or row[0] == "Motif de la demande"]
    assert motives[-4:] == [
        "Logement trop cher",
        "Logement trop petit",
        "Divorce ou séparation",
        "Logement inadapté au handicap",
    ]  # free categories: largest first
    assert table.sources == ["SNE (infocentre) 2023"]
    assert table.figures == {"annees": "2023"}
    assert [n.key for n in table.notes] == ["parts_publiees"]


def test_beneficiary_counts_are_masked_under_the_threshold_with_their_shares():
    facts = allocation_facts(load_territory(EXAMPLE), "SNE")
    public = profile(facts, [YEAR], "attributions au premier quartile", threshold=11)
    rows = {row[1]: row for row in public.rows}
    assert rows["Sous le plafond PLAI"][2:] == [11, Decimal(1)]
    # Two motives whose every count is masked: added up into one row, still under the threshold
    grouped = RowLabel("autres_motifs", nombre=2, seuil=11)
    assert rows[grouped][2:] == [SECRET, SECRET]
    assert "Logement trop cher" not in rows and "Divorce ou séparation" not in rows
    [said] = [dict(n.figures) for n in public.notes if n.key == "secret_motifs"]
    assert said["membres"] == "Logement trop cher et Divorce ou séparation"
    shown = profile(facts, [YEAR], "attributions au premier quartile", threshold=1)
    rows = {row[1]: row for row in shown.rows}
    assert rows["Logement trop cher"][2:] == [3, Decimal(3) / Decimal(11)]
    transfers = profile(facts, [YEAR], "attributions en mutation", threshold=1)
    rows = {row[1]: row for row in transfers.rows}
    assert rows["Famille avec enfants"][2:] == [6, Decimal(6) / Decimal(7)]
    assert rows["Mobilité professionnelle"][2] == 1


def test_a_hidden_category_hides_a_second_one_of_an_exclusive_dimension():
    """With the total and every other category public, one masked count could be redone."""
    facts = _facts(
        {
            (YEAR, "demandes en mutation", "âge", "Moins de 25 ans"): (3, None),
            (YEAR, "demandes en mutation", "âge", "25 à 39 ans"): (40, None),
            (YEAR, "demandes en mutation", "âge", "40 à 64 ans"): (50, None),
            (YEAR, "demandes en mutation", "âge", "65 ans et plus"): (7, None),
        },
        applications={"mutations": 100},
    )
    table = profile(facts, [YEAR], "demandes en mutation", threshold=5)
    counts = {row[1]: row[2] for row in table.rows}
    # The masked category and the one masked with it (secondary secrecy) are added up into one
    # row, which is over the threshold: shown, and neither member can be told from it.
    grouped = RowLabel("autres_modalites", nombre=2, seuil=5)
    assert counts == {"25 à 39 ans": 40, "40 à 64 ans": 50, grouped: 10}
    [said] = [dict(n.figures) for n in table.notes if n.key == "secret_modalites"]
    assert said["membres"] == "Moins de 25 ans et 65 ans et plus"


def test_a_category_of_the_data_named_like_an_added_row_keeps_its_own_count():
    """The whole and the remainder a profile adds are row labels, never a category of the data
    that happens to spell their words."""
    facts = _facts(
        {
            (YEAR, "demandes", "activité", "Actifs"): (30, None),
            (YEAR, "demandes", "activité", "Non renseigné"): (5, None),
            (YEAR, "demandes", "activité", "Total"): (4, None),
        },
        applications={"demandes": 50},
    )
    table = profile(facts, [YEAR], "demandes", threshold=1)
    rows = {row[1]: row[2:] for row in table.rows}
    assert rows["Non renseigné"] == [5, Decimal("0.1")]
    assert rows["Total"] == [4, Decimal("0.08")]
    assert rows["Actifs"] == [30, Decimal("0.6")]


def test_several_years_show_one_share_column_per_year():
    facts = _facts(
        {
            (2022, "demandes", "activité", "Actifs"): (None, "0.52"),
            (YEAR, "demandes", "activité", "Actifs"): (None, "0.56"),
        }
    )
    assert profile_years(facts, [2021, 2022, YEAR], "demandes") == [2022, YEAR]
    table = profile(facts, [2021, 2022, YEAR], "demandes", threshold=11)
    assert [c.title for c in table.columns] == ["caracteristique", "modalite", "2022", "2023"]
    assert table.rows == [["Activité", "Actifs", Decimal("0.52"), Decimal("0.56")]]
    assert table.figures == {"annees": "2022-2023"}


def test_a_group_without_figures_gives_an_empty_profile():
    facts = allocation_facts(load_territory(GRAND_PIC), "SNE")
    assert profile(facts, [2022, YEAR], "demandes", threshold=11).is_empty


def test_leading_categories_are_the_largest_known_shares_never_a_masked_one():
    facts = allocation_facts(load_territory(EXAMPLE), "SNE")
    found = leading_categories(facts, YEAR, "demandes", threshold=11)
    by_dimension = {lead.dimension: lead.categories for lead in found}
    assert by_dimension["composition familiale"] == [
        ("Famille avec enfants", Decimal("0.46")),
        ("Personne seule", Decimal("0.43")),
    ]
    assert list(by_dimension) == [
        "composition familiale",
        "âge",
        "activité",
        "ressources",
        "motif de la demande",
    ]
    masked = leading_categories(facts, YEAR, "attributions en mutation", threshold=11)
    assert masked == []


def test_a_group_is_compared_with_the_applicants_it_comes_from_on_known_shares_only():
    facts = allocation_facts(load_territory(EXAMPLE), "SNE")
    transfers = compared_categories(facts, YEAR, "demandes en mutation", threshold=11)
    assert [(c.category, c.share, c.reference) for c in transfers] == [
        ("Personne seule", Decimal("0.34"), Decimal("0.43")),
        ("Sous le plafond PLAI", Decimal("0.70"), Decimal("0.61")),
    ]
    assert transfers[0].points == Decimal(-9)
    beneficiaries = compared_categories(facts, YEAR, "attributions au premier quartile", 11)
    assert [(c.category, c.share, c.reference) for c in beneficiaries] == [
        ("Sous le plafond PLAI", Decimal(1), Decimal("0.82")),  # the motives' counts are masked
    ]
    assert len(compared_categories(facts, YEAR, "attributions au premier quartile", 1)) == 3
    assert compared_categories(facts, YEAR, "demandes", threshold=11) == []  # the reference


def test_records_give_the_beneficiary_profiles_with_age_groups(territory_copy):
    (territory_copy / "data" / "attributions.csv").write_text(
        "annee,commune,bailleur,contingent,mutation,premier_quartile,age,activite,ressources,"
        "motif_demande\n"
        "2024,Cornas,ADIS,État,oui,oui,23,Actif,Sous le plafond PLAI,Logement trop cher\n"
        "2024,Cornas,ADIS,État,oui,non,67,Retraité,Entre les plafonds PLAI et PLUS,\n"
        "2024,Cornas,ADIS,État,non,oui,45,Actif,Sous le plafond PLAI,Logement trop petit\n",
        encoding="utf-8",
    )
    facts = allocation_facts(load_territory(territory_copy), "SNE")
    transfers = profile(facts, [2024], "attributions en mutation", threshold=1)
    rows = {row[1]: row[2:] for row in transfers.rows}
    assert rows["Moins de 25 ans"] == [1, Decimal("0.5")]
    assert rows["65 ans et plus"] == [1, Decimal("0.5")]
    assert rows["Retraité"] == [1, Decimal("0.5")]
    assert rows["Entre les plafonds PLAI et PLUS"] == [1, Decimal("0.5")]
    first = profile(facts, [2024], "attributions au premier quartile", threshold=1)
    rows = {row[1]: row[2:] for row in first.rows}
    assert rows["Sous le plafond PLAI"] == [2, Decimal(1)]
    assert rows["Logement trop petit"] == [1, Decimal("0.5")]


# --- Refusals --------------------------------------------------------------------------------


def _breakdown_errors(folder: Path, rows: str) -> str:
    (folder / "data" / BREAKDOWNS).write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        load_territory(folder)
    return caught.value.report()


def test_shares_of_an_exclusive_dimension_above_100_are_refused(territory_copy):
    report = _breakdown_errors(
        territory_copy,
        "2023,demandes,composition familiale,Personne seule,,60,SNE 2023,\n"
        "2023,demandes,composition familiale,Famille monoparentale,,45,SNE 2023,\n",
    )
    assert f'{BREAKDOWNS}, row 3, column "part"' in report
    assert (
        "the shares of composition familiale add up to 105 % for demandes in 2023: more than "
        "100 % (each share may be rounded: 1 points of margin)"
    ) in report


def test_shares_within_rounding_of_100_are_accepted(territory_copy):
    (territory_copy / "data" / BREAKDOWNS).write_text(
        HEADER
        + "".join(
            f"2023,demandes,âge,{group},,{share},SNE 2023,\n"
            for group, share in zip(AGE_GROUPS, (13, 30, 43, 15), strict=True)
        ),
        encoding="utf-8",
    )
    facts = allocation_facts(load_territory(territory_copy), "SNE")  # 101 %: four rounded shares
    assert len(facts.breakdown(YEAR, "demandes", "âge")) == 4


def test_every_category_given_must_make_100(territory_copy):
    report = _breakdown_errors(
        territory_copy,
        "".join(
            f"2023,demandes en mutation,âge,{group},,{share},SNE 2023,\n"
            for group, share in zip(AGE_GROUPS, (10, 20, 30, 15), strict=True)
        ),
    )
    assert f'{BREAKDOWNS}, row 5, column "part"' in report
    assert (
        "the shares of âge add up to 75 % for demandes en mutation in 2023: every category is "
        "given, they should make 100 % (each share may be rounded: 2 points of margin)"
    ) in report


def test_a_group_of_compositions_and_one_of_its_parts_are_refused_together(territory_copy):
    report = _breakdown_errors(
        territory_copy,
        "2023,demandes,composition familiale,Famille avec enfants,,46,SNE 2023,\n"
        "2023,demandes,composition familiale,Famille monoparentale,,20,SNE 2023,\n",
    )
    assert f'{BREAKDOWNS}, row 3, column "modalite"' in report
    assert (
        '"Famille monoparentale" is also counted in "Famille avec enfants" for demandes in '
        "2023: give the group or its parts, not both"
    ) in report


def test_an_unknown_age_group_or_resource_band_is_refused(territory_copy):
    report = _breakdown_errors(
        territory_copy,
        "2023,demandes,âge,40-64 ans,,43,SNE 2023,\n"
        "2023,demandes,ressources,< PLAI,,61,SNE 2023,\n",
    )
    assert 'row 2, column "modalite"' in report
    assert 'expected one of "Moins de 25 ans", "25 à 39 ans", "40 à 64 ans"' in report
    assert 'expected one of "Sous le plafond PLAI"' in report


def test_first_quartile_beneficiaries_cannot_outnumber_the_allocations_they_are_part_of(
    territory_copy,
):
    report = _breakdown_errors(
        territory_copy,
        "2023,attributions au premier quartile,ressources,Sous le plafond PLAI,12,,SNE 2023,\n",
    )
    assert "12 attributions au premier quartile in one category, more than the 11 of 2023" in (
        report
    )
    assert "premier_quartile_hors_qpv" in report


def test_a_record_with_an_unknown_resource_band_is_refused(territory_copy):
    (territory_copy / "data" / "attributions.csv").write_text(
        "annee,commune,bailleur,contingent,mutation,ressources\n"
        "2024,Cornas,ADIS,État,non,sous PLAI\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as caught:
        load_territory(territory_copy)
    report = caught.value.report()
    assert 'attributions.csv, row 2, column "ressources"' in report
    assert 'got "sous PLAI"' in report


# --- The documents ---------------------------------------------------------------------------


def _text(path: Path) -> str:
    document = docx.Document(path)
    paragraphs = [p.text for p in document.paragraphs]
    cells = [
        " | ".join(c.text for c in row.cells) for table in document.tables for row in table.rows
    ]
    return "\n".join([*paragraphs, *cells]).replace("\u202f", " ").replace("\u00a0", " ")


def _plain(text: str) -> str:
    return str(text).replace("\u202f", " ").replace("\u00a0", " ")


def _plain_rows(rows: list[list[str]]) -> list[list[str]]:
    return [[_plain(cell) for cell in row] for row in rows]


def _headings(path: Path) -> list[str]:
    document = docx.Document(path)
    return [
        p.text.split("\t")[-1]  # without its number
        for p in document.paragraphs
        if p.style and "Heading" in p.style.name
    ]


@pytest.fixture(scope="module")
def crussol_docx(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("profiles")
    build("cc-rhone-crussol", ["cia", "bilan"], ["docx"], out, 2025)
    folder = out / "cc-rhone-crussol" / "2025"
    return {"cia": folder / "cia.docx", "bilan": folder / "bilan.docx"}


@pytest.mark.e2e
def test_the_cia_diagnosis_shows_the_seed_profiles(crussol_docx):
    headings = _headings(crussol_docx["cia"])
    assert "Le profil des demandeurs" in headings
    assert "Le profil des demandeurs et des attributaires du premier quartile" in headings
    assert "Le profil des demandeurs et des attributaires en mutation" in headings
    text = _text(crussol_docx["cia"])
    assert "Composition familiale : famille avec enfants (46,0 %), personne seule (43,0 %)" in text
    assert "Ressources : sous le plafond PLAI (61,0 %)" in text
    assert "Âge | 40 à 64 ans | 43,0 %" in text
    assert "Activité | Actifs | 56,0 %" in text
    assert "Logement trop cher | 15,0 %" in text
    # transfers: single people 34 %, single parents 33 %, couples with children 25 %, 70 % PLAI
    assert " | Couple avec enfants | 25,0 %" in text
    assert "Ressources | Sous le plafond PLAI | 70,0 %" in text
    assert "Âge | 65 ans et plus | 15,0 %" in text
    # beneficiaries: the 11 of the first quartile are all under the PLAI ceiling; the rest masked
    assert "Ressources | Sous le plafond PLAI | 11 | 100,0 %" in text
    assert "Sous le plafond PLAI : 100,0 % contre 82,0 % (+18,0 points)." in text
    assert "Sous le plafond PLAI : 70,0 % contre 61,0 % (+9,0 points)." in text
    assert " | Autres motifs (2) | s | s" in text
    assert "Les effectifs du profil des attributaires en mutation en 2023 sont trop faibles" in text
    assert "Profil des attributaires en mutation en 2023" not in text  # a table of « s » only
    assert "Source : SNE (infocentre) 2023." in text
    assert "[à renseigner]" not in text.split("Le profil des demandeurs")[1].split("Orientation")[0]


@pytest.mark.e2e
def test_the_bilan_shows_the_profiles_in_their_own_chapter(crussol_docx):
    headings = _headings(crussol_docx["bilan"])
    start = headings.index("Profils des demandeurs et des attributaires")
    assert headings[start + 1 : start + 7] == [
        "Profil des demandeurs",
        "Profil des demandeurs en mutation",
        "Profil des demandeurs du premier quartile",
        "Profil des demandeurs prioritaires",
        "Profil des attributaires du premier quartile",
        "Profil des attributaires en mutation",
    ]
    text = _text(crussol_docx["bilan"])
    assert "un effectif inférieur à 11 ménages est masqué" in text
    assert "Composition familiale | Famille monoparentale | 46,0 %" not in text  # 1st-quartile row
    assert " | Famille monoparentale | 46,0 %" in text
    assert "Ressources | Sous le plafond PLAI | 82,0 %" in text
    # one leading situation is not « les situations les plus fréquentes … sont »
    assert (
        "Parmi les attributaires du premier quartile, la situation la plus fréquente en 2023 est"
        " la suivante :" in text
    )
    assert "Parmi les demandeurs prioritaires, les situations les plus fréquentes" in text
    # only the gaps that set a group apart, not every category (« … 15,0 % contre 15,0 % »)
    assert "Logement trop petit : 15,0 % contre 15,0 %" not in text
    assert "Divorce ou séparation : 13,0 % contre 11,0 % (+2,0 points)" in text
    assert "Écarts d'au moins 2 points avec les demandeurs en 2023" in text.replace("’", "'")


@pytest.mark.e2e
def test_a_restricted_bilan_shows_the_beneficiary_counts_of_the_seed(territory_copy, tmp_path):
    replace_in(
        territory_copy / "territory.yaml",
        "secret_statistique: 11\n",
        "secret_statistique: 11\ndiffusion:\n  bilan: restreinte\n",
    )
    made = made_alone(bilan.DOCUMENT, load_territory(territory_copy), YEAR)
    profiles = made.context["profils"]
    first = _plain_rows(profiles["attributaires_premier_quartile"]["tableau"]["lignes"])
    assert ["Motif de la demande", "Logement trop cher", "3", "27,3 %"] in first
    assert ["", "Divorce ou séparation", "2", "18,2 %"] in first
    transfers = profiles["attributaires_mutations"]
    assert ["Composition familiale", "Famille avec enfants", "6", "85,7 %"] in (
        _plain_rows(transfers["tableau"]["lignes"])
    )
    shares = {_plain(m["part"]) for f in transfers["faits"] for m in f["modalites"]}
    assert shares >= {"85,7 %", "14,3 %"}
    assert made.context["profils_manquants"] == []


def _without_profiles(folder: Path) -> Path:
    (folder / "data" / BREAKDOWNS).write_text(HEADER, encoding="utf-8")
    return folder


def test_a_territory_without_profiles_builds_and_lists_the_gap(territory_copy):
    territory = load_territory(_without_profiles(territory_copy))
    made = made_alone(cia.DOCUMENT, territory, 2025)
    assert made.context["diagnostic"]["profils_manquants"] == [
        "demandes",
        "demandes en mutation",
        "demandes du premier quartile",
        "attributions au premier quartile",
        "attributions en mutation",
    ]
    gaps = [str(g) for g in made.gaps if BREAKDOWNS in str(g)]
    assert len(gaps) == 1
    assert 'column "population"' in gaps[0] and '"demandes en mutation"' in gaps[0]
    report = made_alone(bilan.DOCUMENT, territory, 2025)
    assert report.context["profils_manquants"] == made.context["diagnostic"]["profils_manquants"]
    assert any(BREAKDOWNS in str(g) for g in report.gaps)


@pytest.mark.e2e
def test_documents_without_profiles_say_each_missing_one_visibly(territory_copy, tmp_path):
    _without_profiles(territory_copy)
    build(str(territory_copy), ["cia", "bilan"], ["docx"], tmp_path, 2025)
    for name in ("cia", "bilan"):
        found = next(tmp_path.rglob(f"{name}.docx"))
        text = _text(found)
        assert (
            "Le profil des demandeurs en mutation (composition familiale, âge, activité, "
            "ressources, motifs de la demande) n’est pas fourni par les données du territoire : "
            "[à renseigner]"
        ) in text, name
        assert "Profil des demandeurs en 2023" not in text


def test_the_resources_chart_sets_the_groups_side_by_side_from_two_known_shares():
    from generator.documents.bilan_charts import resources_chart
    from generator.documents.common import load_content
    from generator.documents.presentation import LABELS

    territory = load_territory(EXAMPLE)
    found = evaluate(territory, YEAR)
    words = load_content(territory, LABELS)["graphiques"]
    chart = resources_chart("bilan-2023", found.profiles, words)
    assert chart is not None and chart.filename == "bilan-2023-profils-plai.png"
    alt = chart.alt.replace("\u202f", " ")
    assert "Demandeurs 61,0 %" in alt and "Demandeurs en mutation 70,0 %" in alt
    assert "Attributaires du premier quartile 100,0 %" in alt
    assert "Attributaires en mutation s" in alt  # masked, never drawn
    assert "objectif" not in alt and chart.collisions == ()
    assert chart.drawn == (Decimal("0.61"), Decimal("0.70"), Decimal("0.82"), Decimal(1))
    assert resources_chart("bilan-2023", found.profiles[:1], words) is None  # one share: no chart


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8))
def test_shares_rounded_from_any_counts_pass_the_sum_check(counts):
    """Shares a source rounds to the unit from real counts always pass: the margin is enough."""
    from generator.errors import Problems
    from generator.territory.allocation_checks import _shares_add_up

    total = sum(counts)
    if total == 0:
        return
    rows = [
        SimpleNamespace(
            annee=YEAR,
            population="demandes",
            dimension="âge",
            modalite=f"groupe {i}",
            part=Decimal(round(Decimal(100 * n) / total)) / 100,
            row=SimpleNamespace(at=lambda *_: "here"),
        )
        for i, n in enumerate(counts)
    ]
    problems = Problems()
    _shares_add_up(rows, problems)
    assert not len(problems)
