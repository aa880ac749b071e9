"""The PPGDID's context: law coverage, glossary, cotation grid, elaboration, from real folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.documents import annexes_ppgdid, ppgdid, ppgdid_law
from generator.documents.common import CONTENT, MISSING, search_paths
from generator.errors import DataErrors
from generator.formatting import FILTERS
from generator.render import make_environment, render_markdown
from generator.render.typography import typeset_markdown
from generator.territory.load import load_territory
from tests.making import context_of, made_alone

from .conftest import EXAMPLE, ROOT, replace_in

FICTIONAL_GRID = ROOT / "tests" / "fixtures" / "cotation-fictive" / "cotation.csv"
NBSP = "\u00a0"
NNBSP = "\u202f"


def with_fictional_grid(folder: Path) -> Path:
    shutil.copy(FICTIONAL_GRID, folder / "data" / "cotation.csv")
    return folder


@pytest.fixture(scope="module")
def example():
    territory = load_territory(EXAMPLE)
    return territory, *context_of(ppgdid.DOCUMENT, territory, 2025)


def test_every_point_names_its_article_and_whether_it_was_verified():
    points = yaml.safe_load((CONTENT / "national" / "ppgdid-contenu.yaml").read_text())["points"]
    # LEGAL-REVIEW 9 and 12: the final evaluation (R441-2-14) and the refusals of 11° were added
    assert {p["article"] for p in points} == {"L441-2-8", "R441-2-10", "R441-2-14"}
    assert all(isinstance(p["verifie"], bool) for p in points)
    numbers = [p["numero"] for p in points if p["article"] == "R441-2-10" and "numero" in p]
    assert numbers == [f"{n}°" for n in range(1, 12)]
    assert len({p["code"] for p in points}) == len(points)


def test_chapters_cover_only_known_points_under_known_conditions():
    data = yaml.safe_load((CONTENT / "national" / "ppgdid-contenu.yaml").read_text())
    codes = {p["code"] for p in data["points"]}
    for chapter in data["chapitres"]:
        for item in chapter["couvre"]:
            assert item["point"] in codes
            assert item.get("si") is None or item["si"] in ppgdid_law.CONDITIONS


def test_rhone_crussol_covers_every_mandatory_point(example):
    territory, _, _ = example
    warnings = ppgdid_law.warnings(territory)
    # its seed gives no refusal case (R441-2-10 11°, LEGAL-REVIEW 12): the one point left open
    assert [w for w in warnings if "is not covered" in w] == [
        "R441-2-10 11° (cotation-refus) is not covered by the plan — fill territory.yaml, "
        "ppgdid.cotation.refus"
    ]
    assert any("verifie: false" in w and "R441-2-10 9° (mutations)" in w for w in warnings)


def test_a_plan_without_mutation_targets_leaves_point_9_uncovered(territory_copy):
    text = (territory_copy / "territory.yaml").read_text(encoding="utf-8")
    start = text.index("  mutations:\n")
    end = text.index("  cotation:\n")
    (territory_copy / "territory.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    territory = load_territory(territory_copy)
    warnings = ppgdid_law.warnings(territory)
    assert [w for w in warnings if "is not covered" in w] == [
        "R441-2-10 9° (mutations) is not covered by the plan — fill territory.yaml, "
        "ppgdid.mutations",
        "R441-2-10 11° (cotation-refus) is not covered by the plan — fill territory.yaml, "
        "ppgdid.cotation.refus",
    ]
    context, gaps = context_of(ppgdid.DOCUMENT, territory, 2025)
    row = [r for r in context["ppgdid"]["couverture"] if r[0] == "R441-2-10 9°"][0]
    assert row[2] is MISSING
    assert any(g.location.key == "ppgdid.mutations" for g in gaps)


def test_chapters_say_which_points_they_answer(example):
    territory, context, _ = example
    chapters = context["chapitres"]
    assert chapters["accueil"]["points"] == [
        {"article": "R441-2-10", "numeros": ["1°", "2°", "5°", "6°", "7°"]},
        {"article": "L441-2-8", "numeros": []},
    ]
    assert chapters["mutations"]["points"] == [{"article": "R441-2-10", "numeros": ["9°"]}]
    markdown = render_markdown(
        make_environment(search_paths(territory), FILTERS), ppgdid.TEMPLATE, context
    )
    assert (
        typeset_markdown(
            "*Ce chapitre répond aux points 1°, 2°, 5°, 6° et 7° de l'article R441-2-10 et à "
            "l'article L441-2-8 du CCH.*"
        )
        in markdown
    )
    assert typeset_markdown("*Ce chapitre répond au point 9° de l'article R441-2-10 du CCH.*") in (
        markdown
    )


def test_glossary_defines_each_abbreviation_once():
    items = yaml.safe_load((CONTENT / "national" / "glossaire.yaml").read_text())["sigles"]
    sigles = [item["sigle"] for item in items]
    assert len(sigles) == len(set(sigles))


def test_abbreviations_are_whole_words_and_their_meanings_count(example):
    territory, _, _ = example
    entries = ppgdid_law.glossary_entries(territory)
    assert ppgdid_law.abbreviations_used("COMDALO et CILs", entries) == []
    # FUL is defined with FSL, so a text that uses FUL needs FSL in its glossary too.
    assert ppgdid_law.abbreviations_used("le FUL aide", entries) == ["FSL", "FUL"]
    assert ppgdid_law.abbreviations_used("seuil en €/an/UC", entries) == ["UC"]
    assert entries["ALUR"] == (
        "Loi n° 2014-366 du 24 mars 2014 pour l'accès au logement et un urbanisme rénové"
    )


def test_legal_cotation_criteria_follow_the_l441_1_list_one_by_one():
    criteria = yaml.safe_load((CONTENT / "national" / "cotation-criteres-legaux.yaml").read_text())[
        "criteres"
    ]
    publics = yaml.safe_load(
        (CONTENT / "national" / "publics-prioritaires-l441-1.yaml").read_text()
    )["publics"]
    linked = sorted(c["public_l441_1"] for c in criteria if "public_l441_1" in c)
    assert linked == list(range(1, len(publics) + 1))


def test_guichet_lists_are_the_annexes_own(example):
    territory, context, _ = example
    annex, _ = context_of(annexes_ppgdid.DOCUMENT, territory, 2025)
    assert context["guichets"] == annex["guichets"]
    assert context["qualification"] == annex["qualification"]


def test_rhone_crussol_grid_lists_the_legal_criteria_with_blank_points(example):
    _, context, gaps = example
    cotation = context["ppgdid"]["cotation"]
    assert cotation["nombre"] == 15
    assert cotation["sans_points"] == 15
    assert cotation["legaux_absents"] == []
    assert cotation["points"] is None
    rows = [g.location.row for g in gaps if g.location.column == "points"]
    assert rows == list(range(2, 17))
    assert cotation["manuels"] == [
        "Viol ou agression sexuelle au domicile ou à ses abords",
        "Traite des êtres humains ou proxénétisme",
        "Parcours de sortie de la prostitution et d'insertion",
    ]


def test_fictional_grid_is_summarised_with_its_range_and_missing_criterion(territory_copy):
    territory = load_territory(with_fictional_grid(territory_copy))
    context, gaps = context_of(ppgdid.DOCUMENT, territory, 2025)
    cotation = context["ppgdid"]["cotation"]
    assert (cotation["nombre"], cotation["obligatoires"], cotation["facultatifs"]) == (18, 13, 5)
    assert cotation["points"] == {"minimum": "\u221210", "maximum": "100", "plafond_max": "24"}
    assert cotation["legaux_absents"] == [
        "Jeune de moins de 21 ans pris en charge par l'aide sociale à l'enfance"
    ]
    table = cotation["tableaux"][0]
    assert table["entete"][-1] == "Demandes"
    assert not [g for g in gaps if "cotation" in g.location.file]


def test_two_grids_split_first_applications_and_transfers(territory_copy):
    with_fictional_grid(territory_copy)
    replace_in(territory_copy / "territory.yaml", "grilles: une", "grilles: deux")
    context, _ = context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2025)
    first, transfers = context["ppgdid"]["cotation"]["tableaux"]
    names = {t["titre"]: [row[0] for row in t["lignes"] if row[4]] for t in (first, transfers)}
    assert "Travailleur essentiel du territoire" in names["Grille des premières demandes"]
    assert "Travailleur essentiel du territoire" not in names["Grille des demandes de mutation"]
    assert "Sous-occupation d'un logement social" in names["Grille des demandes de mutation"]
    assert len(names["Grille des premières demandes"]) == 17
    assert len(names["Grille des demandes de mutation"]) == 17
    assert first["lignes"][0] == ["**Droit au logement opposable**", "", "", "", "", ""]


def test_a_legal_criterion_on_an_optional_line_is_refused(territory_copy):
    replace_in(
        territory_copy / "data" / "cotation.csv",
        ",obligatoire,automatique,toutes,ase,",
        ",facultatif,automatique,toutes,ase,",
    )
    with pytest.raises(DataErrors) as error:
        load_territory(territory_copy)
    report = error.value.report()
    assert 'cotation.csv, row 16, column "nature"' in report
    assert 'is mandatory: write "obligatoire"' in report


def test_an_unknown_legal_code_lists_the_known_ones(territory_copy):
    replace_in(territory_copy / "data" / "cotation.csv", "toutes,ase,", "toutes,jeunes,")
    with pytest.raises(DataErrors) as error:
        load_territory(territory_copy)
    assert 'unknown legal criterion "jeunes" — use the codes of' in error.value.report()


def test_the_common_place_must_be_a_guichet(territory_copy):
    replace_in(
        territory_copy / "territory.yaml",
        "lieu_accueil_commun: Maison de l'Habitat de la CC Rhône Crussol",
        "lieu_accueil_commun: Maison de l'Habitat",
    )
    with pytest.raises(DataErrors) as error:
        context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2025)
    report = error.value.report()
    assert 'setting "ppgdid.lieu_accueil_commun"' in report
    assert '"Maison de l\'Habitat" is not a guichet of data/guichets.csv' in report


def test_elaboration_steps_keep_the_precision_of_their_dates(example):
    _, context, _ = example
    dates = [row[0] for row in context["ppgdid"]["elaboration"]["etapes"]]
    assert dates == ["2017", "septembre 2024", "octobre 2024", "janvier 2025"]


def test_legal_framework_gives_each_law_its_number_and_date(example):
    territory, context, _ = example
    apports = context["ppgdid"]["cadre"]["apports"]
    assert apports[2]["intitule"] == (
        "Loi n° 2014-366 du 24 mars 2014 pour l'accès au logement et un urbanisme rénové (ALUR)"
    )
    markdown = render_markdown(
        make_environment(search_paths(territory), FILTERS), ppgdid.TEMPLATE, context
    )
    assert (
        typeset_markdown(
            "- La loi n° 2014-366 du 24 mars 2014 pour l'accès au logement et un urbanisme rénové "
            "(ALUR) confie"
        )
        in markdown
    )
    references = context["ppgdid"]["cadre"]["references"]
    assert "Circulaire du 18 décembre 2023 relative à la mixité sociale" in references[-1]


def test_delays_come_from_the_settings_and_the_departement(example):
    _, context, _ = example
    reception = context["ppgdid"]["accueil"]
    assert (reception["delai_entretien"], reception["delai_attente"]) == ("30", "10")
    assert reception["delai_anormalement_long"] == 13
    assert context["ppgdid"]["mutations"]["objectif"] == f"15{NNBSP}%"


def test_an_abbreviation_defined_twice_is_a_located_error(territory_copy):
    glossary = territory_copy / "overrides" / "national" / "glossaire.yaml"
    glossary.parent.mkdir(parents=True)
    glossary.write_text(
        "sigles:\n  - {sigle: CIL, definition: a}\n  - {sigle: CIL, definition: b}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors, match="CIL is defined twice"):
        context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2025)


# Issue 13 item 7: what the seed's PPGDID says and ours lacked, from dated data with its source.


def test_each_guichet_level_has_its_checklist_from_the_territory_block(example):
    _, context, _ = example
    levels = context["ppgdid"]["accueil"]["informations"]
    assert sorted(levels) == [1, 2, 3]
    assert levels[1][0] == {
        "genre": "texte",
        "texte": "ce qu'est un logement social et ce qui le distingue d'un logement du parc privé",
    }
    assert {"genre": "delai-attente"} in levels[2]
    assert context["ppgdid"]["accueil"]["demandes_attributions"] == {
        "annee": 2023,
        "demandes": "979",
        "attributions": "56",
    }
    assert {line["article"] for line in levels[3]} == {"R441-2-17"}


def test_without_a_territory_block_the_checklists_are_the_law(territory_copy):
    (territory_copy / "overrides" / "blocs" / "ppgdid" / "guichets-informations.yaml").unlink()
    context, _ = context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2025)
    levels = context["ppgdid"]["accueil"]["informations"]
    assert [line["article"] for line in levels[1]] == ["L441-2-6"]
    assert all(
        line["genre"] in ("loi", "delai-attente") for lines in levels.values() for line in lines
    )


def test_a_checklist_point_before_its_law_is_left_out():
    territory = load_territory(EXAMPLE)
    context, _ = context_of(ppgdid.DOCUMENT, territory, 2018)  # dated 31/12/2018
    texts = [line.get("texte", "") for line in context["ppgdid"]["accueil"]["informations"][3]]
    assert not any("critères de cotation" in t for t in texts)  # décret 2019-1378, 20/12/2019
    context, _ = context_of(ppgdid.DOCUMENT, territory, 2020)
    texts = [line.get("texte", "") for line in context["ppgdid"]["accueil"]["informations"][3]]
    assert any("critères de cotation" in t for t in texts)


def test_an_unknown_point_in_a_checklist_is_a_located_error(territory_copy):
    block = territory_copy / "overrides" / "blocs" / "ppgdid" / "guichets-informations.yaml"
    replace_in(block, "      - loi: parc\n", "      - loi: parcs\n")
    with pytest.raises(DataErrors) as raised:
        load_territory(territory_copy)
    report = raised.value.report()
    assert "guichets-informations.yaml" in report
    assert (
        'no point "parcs" in national/information-demandeur.yaml — did you mean "parc"?' in report
    )


def test_a_checklist_line_says_one_thing(territory_copy):
    block = territory_copy / "overrides" / "blocs" / "ppgdid" / "guichets-informations.yaml"
    replace_in(block, "      - loi: parc\n", "      - {loi: parc, texte: le parc}\n")
    with pytest.raises(DataErrors) as raised:
        load_territory(territory_copy)
    assert "give one of loi, texte or donnee" in raised.value.report()


def test_the_departement_waiting_time_comes_with_its_year_and_source(example):
    _, context, _ = example
    assert context["ppgdid"]["accueil"]["delai_attente_departement"] == {
        "mois": "8",
        "annee": 2023,
        "source": "système national d'enregistrement (SNE), attributions de 2023",
    }


def test_an_unknown_departement_waiting_time_is_a_listed_gap(territory_copy):
    context, gaps = context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2022)
    assert context["ppgdid"]["accueil"]["delai_attente_departement"] is None
    [gap] = [g for g in gaps if "waiting time of the département" in g.what]
    assert "departements/07/delai-attente.yaml" in str(gap.location)


def test_a_2020_plan_cites_the_criteria_of_discrimination_in_force_in_2020(example):
    _, context, _ = example
    now = context["discrimination"]
    territory = load_territory(EXAMPLE)
    then = context_of(ppgdid.DOCUMENT, territory, 2020)[0]["discrimination"]
    whistle = next(c for c in now["criteres"] if c.startswith("la qualité de lanceur d'alerte"))
    assert whistle in now["criteres"] and whistle not in then["criteres"]  # loi 2022-401
    assert (now["nombre"], then["nombre"]) == (24, 23)
    assert (
        "l'identité de genre" in then["criteres"] and "l'identité sexuelle" not in then["criteres"]
    )
    old = context_of(ppgdid.DOCUMENT, territory, 2014)[0]["discrimination"]
    assert (
        "l'identité sexuelle" in old["criteres"] and "la perte d'autonomie" not in old["criteres"]
    )
    assert now["peines"]["personnes_morales_amende"] == f"225{NNBSP}000{NBSP}€"


def test_the_caleol_examines_three_applications_but_for_its_exceptions(example):
    _, context, _ = example
    assert context["ppgdid"]["caleol"] == {
        "candidats": 3,
        "article": "R441-3",
        "dalo": True,
        "plai_adapte": True,
    }


def test_the_intercommunal_contingent_comes_from_the_settings(example, territory_copy):
    _, context, _ = example
    assert context["contingent_intercommunal"]["depuis"] == "2023"
    assert context["contingent_intercommunal"]["droit_de_reservation"] is False
    replace_in(territory_copy / "territory.yaml", "  contingent_intercommunal:\n", "  autre:\n")
    with pytest.raises(DataErrors):
        load_territory(territory_copy)  # a misspelt section is refused, not ignored


def test_a_grid_said_to_have_no_optional_criterion_must_list_none(territory_copy):
    with_fictional_grid(territory_copy)
    replace_in(
        territory_copy / "territory.yaml", "    facultatifs: true\n", "    facultatifs: false\n"
    )
    with pytest.raises(DataErrors) as raised:
        context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2025)
    report = raised.value.report()
    assert "ppgdid.cotation.facultatifs" in report
    assert "says the grid has no optional criterion, but data/cotation.csv lists" in report


def test_optional_criteria_said_but_not_listed_are_a_gap(example, territory_copy):
    _, context, gaps = example
    assert context["ppgdid"]["cotation"]["facultatifs_adoptes"] is True
    assert any("optional criteria of the adopted grid" in g.what for g in gaps)
    replace_in(
        territory_copy / "territory.yaml", "    facultatifs: true\n", "    facultatifs: false\n"
    )
    context, gaps = context_of(ppgdid.DOCUMENT, load_territory(territory_copy), 2025)
    assert context["ppgdid"]["cotation"]["facultatifs_adoptes"] is False
    assert not any("optional criteria" in g.what for g in gaps)


def test_check_warns_of_the_dates_and_points_not_read_in_their_article():
    made = made_alone(ppgdid.DOCUMENT, load_territory(EXAMPLE), 2025)
    assert any(
        w.startswith("content/national/discrimination.yaml: the dates of 7 criteria")
        for w in made.warnings
    )
    assert any("satisfaction (L441-2-6)" in w for w in made.warnings)
