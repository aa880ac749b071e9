"""The CIA's model: quantified commitments per landlord and reservation holder, objectives named
never typed, references between tables and settings, layouts chosen by configuration, and the
deliberations reading their orientations from the CIA."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from generator.builds.build import build
from generator.documents import cia
from generator.errors import DataErrors
from generator.territory.load import load_territory
from tests.making import context_of, files_of

from .conftest import ROOT, replace_in
from .test_cia import plain, table_starting
from .test_deliberation import STEM, deliberations

FICTIVE = ROOT / "tests" / "fixtures" / "cia-fictive"
RECORDS = ROOT / "territories" / "exemple-fictif"


@pytest.fixture
def fictive(tmp_path: Path) -> Path:
    target = tmp_path / "cia-fictive"
    shutil.copytree(FICTIVE, target)
    return target


def commitments(folder: Path) -> dict:
    context, _ = context_of(cia.DOCUMENT, load_territory(folder, 2025), 2025)
    return context["engagements_chiffres"]


def test_commitments_per_landlord_apply_each_rate_to_last_years_allocations():
    found = commitments(FICTIVE)
    assert found["annee"] == 2024
    table = found["bailleurs"]
    assert [plain(h) for h in table["entete"]] == [
        "Bailleur",
        "Attributions de référence",
        "dont hors QPV",
        "1er quartile hors QPV (25 %)",
        "dont en QPV",
        "Autres quartiles en QPV (50 %)",
        "dont non réservées",
        "DALO et prioritaires (25 % des non réservées)",
    ]
    # The priority share applies to a landlord's non-reserved flow, which published counts by
    # landlord do not give: unknown, shown « n.c. », never 0 nor 25 % of all its allocations;
    # all landlords' together is the « Non réservé » contingent's (40 allocations).
    assert table["lignes"] == [
        ["Habitat du Val", "60", "35", "9", "25", "13", "n.c.", "n.c."],
        ["Logis Exemple", "44", "29", "8", "15", "8", "n.c.", "n.c."],
        [
            "Autres bailleurs (2)",
            *["16", "16", "4", "0", "0", "n.c.", "n.c."],
        ],
        ["Ensemble", "120", "80", "20", "40", "20", "40", "10"],
    ]
    assert any("SA HLM Modèle et Toit Fictif" in note for note in table["notes"])


def test_commitments_per_reservation_holder_use_each_contingents_own_rate():
    rows = [[plain(c) for c in row] for row in commitments(FICTIVE)["contingents"]["lignes"]]
    assert rows == [
        ["État", "30", "18", "5", "12", "6", "100 %", "30"],
        ["Action Logement", "36", "24", "6", "12", "6", "25 %", "9"],
        ["Commune", "14", "14", "4", "0", "0", "30 %", "5"],
        ["Non réservé", "40", "24", "6", "16", "8", "25 %", "10"],
        ["Ensemble", "120", "80", "20", "40", "20", "45,0 %", "54"],
    ]


def test_the_commitments_table_is_in_the_docx(fictive, tmp_path):
    result = build(str(fictive), ["cia"], ["docx"], tmp_path / "out")
    document = docx.Document(next(p for p in result.written if p.suffix == ".docx"))
    table = table_starting(document, "Bailleur", "Attributions de référence")
    assert table[1] == ["Habitat du Val", "60", "35", "9", "25", "13", "n.c.", "n.c."]
    contingents = table_starting(document, "Contingent", "Attributions de référence")
    assert contingents[1][-2:] == ["100 %", "30"]
    text = plain("\n".join(p.text for p in document.paragraphs))
    assert "Année de référence : 2024." in text
    assert "compte 1 quartier prioritaire de la politique de la ville" in text
    assert "(Quartier fictif des Engagements, QN02601N, Pierrelatte)" in text
    assert "au moins 50 % des attributions en QPV aux ménages des autres quartiles" in text
    assert "(45 % au total)" not in text and "(42,5 % au total)" in text


def test_commitments_from_allocation_records_keep_the_bilans_secrecy():
    rows = commitments(RECORDS)["bailleurs"]["lignes"]
    for row in rows:
        hidden = [cell == "s" for cell in row[2:6]]
        # outside and inside QPV add up to the whole: one is never shown alone
        assert hidden[0] == hidden[2]


def test_a_typed_target_is_refused_with_the_place_to_change(territory_copy):
    replace_in(
        territory_copy / "territory.yaml",
        "attribuer au moins {cible} des logements aux ménages dont",
        "attribuer au moins 25 % des logements aux ménages dont",
    )
    with pytest.raises(DataErrors) as error:
        context_of(cia.DOCUMENT, load_territory(territory_copy, 2025), 2025)
    report = error.value.report()
    assert 'setting "cia.orientations[1]"' in report
    assert "write {cible}" in report


def test_an_unknown_placeholder_is_refused_where_it_is(territory_copy):
    replace_in(territory_copy / "territory.yaml", "au moins {cible} des logements", "au moins {q1}")
    with pytest.raises(DataErrors) as error:
        load_territory(territory_copy, 2025)
    assert "cia.orientations[1].objectif" in error.value.report()
    assert 'unknown placeholder "{q1}"' in error.value.report()


def test_cible_needs_the_orientations_target(fictive):
    replace_in(fictive / "territory.yaml", "      cible: premier_quartile\n", "")
    with pytest.raises(DataErrors) as error:
        load_territory(fictive, 2025)
    assert "{cible} needs the orientation's target" in error.value.report()


def test_rows_that_point_to_nothing_are_located(fictive):
    with (fictive / "data" / "engagements_partenaires.csv").open("a", encoding="utf-8") as file:
        file.write("4,Bailleurs,,Un engagement de trop.,\n1,Comunes,,Une faute de frappe.,\n")
    with pytest.raises(DataErrors) as error:
        context_of(cia.DOCUMENT, load_territory(fictive, 2025), 2025)
    report = error.value.report()
    assert 'row 4, column "engagement"' in report and "no commitment 4" in report
    assert 'row 5, column "groupe"' in report and 'did you mean "Communes"?' in report


def test_the_layout_and_its_sections_are_chosen_by_configuration(fictive):
    context, _ = context_of(cia.DOCUMENT, load_territory(fictive, 2025), 2025)
    assert context["sections"][0] == "preambule" and "indicateurs" in context["sections"]
    replace_in(
        fictive / "territory.yaml",
        "  presentation: engagements\n",
        "  presentation: engagements\n  sections: [orientations, signataires]\n",
    )
    context, gaps = context_of(cia.DOCUMENT, load_territory(fictive, 2025), 2025)
    assert context["sections"] == ("orientations", "signataires")
    assert context["engagements_chiffres"] is None
    assert not any("L441-1-6" in g.what for g in gaps)
    replace_in(fictive / "territory.yaml", "[orientations, signataires]", "[orientation]")
    with pytest.raises(DataErrors, match='unknown section "orientation"'):
        load_territory(fictive, 2025)


def test_a_territory_without_cia_section_builds_and_says_what_to_write(tmp_path):
    result = build(str(RECORDS), ["cia"], ["md"], tmp_path)
    text = (tmp_path / "exemple-fictif" / "2025" / "cia.md").read_text(encoding="utf-8")
    assert "Orientations\u00a0: **\\[à renseigner\\]**" in text
    assert any(g.location.key == "cia" for g in result.gaps)


def test_the_deliberation_states_the_cias_orientations(territory_copy):
    replace_in(
        territory_copy / "territory.yaml",
        "premier_quartile_hors_qpv: 25",
        "premier_quartile_hors_qpv: 30",
    )
    text = plain(deliberations(territory_copy)[STEM])
    assert (
        "Objectif : Attribuer au moins 30 % des logements aux ménages dont les ressources" in text
    )
    assert "(au-delà du taux de 25 % fixé par la loi Égalité et citoyenneté)" in text
    context, _ = context_of(cia.DOCUMENT, load_territory(territory_copy, 2025), 2025)
    assert context["orientations"][0]["objectif"].startswith("Attribuer au moins 30\u202f%")


def test_a_deliberation_without_cia_orientations_marks_them_missing(territory_copy):
    path = territory_copy / "territory.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\ncia:\n")] + "\n", encoding="utf-8")
    territory = load_territory(territory_copy, 2025)
    from generator.documents import deliberation

    _, gaps = files_of(deliberation.DOCUMENT, territory, 2025)
    assert any(g.location.key == "cia.orientations" for g in gaps)
