"""The law as dated data, and one test per finding of the legal review (shared/LEGAL-REVIEW.md).

Each test names its finding; the sources read are stored next to the rule they support
(content/national/regles.yaml, cadre-legal.yaml, ppgdid-contenu.yaml, cia-contenu.yaml).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.documents import cia, deliberation_context, law_checks, law_in_force, ppgdid
from generator.resources import CONTENT, TEMPLATES
from generator.territory import law
from generator.territory.load import load_territory
from tests.making import context_of

from .conftest import EXAMPLE, ROOT, replace_in

FICTIF = ROOT / "territories" / "exemple-fictif"
PIC = ROOT / "territories" / "cc-grand-pic-saint-loup"
BEFORE_3DS = dt.date(2020, 2, 17)
IN_2025 = dt.date(2025, 3, 17)


def _yaml(relative: str) -> dict:
    return yaml.safe_load((CONTENT / relative).read_text(encoding="utf-8"))


def _block(relative: str) -> str:
    return (CONTENT / relative).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


RULES = _yaml("national/regles.yaml")
TEXTS = _yaml("national/cadre-legal.yaml")["textes"]


# --- the pure functions ---------------------------------------------------------------------


def test_a_text_applies_from_its_effective_day_to_its_last():
    text = {"vigueur": dt.date(2022, 2, 23), "fin": dt.date(2023, 11, 23)}
    assert not law.applies(text, dt.date(2022, 2, 22))
    assert law.applies(text, dt.date(2022, 2, 23))
    assert law.applies(text, dt.date(2023, 11, 23))
    assert not law.applies(text, dt.date(2023, 11, 24))


def test_texts_in_force_and_published_by_a_date():
    codes = {t["code"] for t in law.in_force(law.published_by(TEXTS, BEFORE_3DS), BEFORE_3DS)}
    assert {"alur", "egalite-citoyennete", "elan", "decret-2019-1378"} <= codes
    assert not codes & {"3ds", "circulaire-2023", "decret-2020-145"}


def test_a_rule_gives_its_value_on_a_date_and_says_when_it_changed():
    assert law.value_at(RULES, "reservation-etat", "assiette", dt.date(2023, 11, 23)) == "stock"
    assert law.value_at(RULES, "reservation-etat", "assiette", dt.date(2023, 11, 24)) == "flux"
    change = law.changes(
        RULES, "reservation-etat", "assiette", dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    )
    assert [(c.before, c.after, c.on) for c in change] == [("stock", "flux", dt.date(2023, 11, 24))]
    assert (
        law.changes(
            RULES, "reservation-etat", "assiette", dt.date(2024, 1, 1), dt.date(2024, 12, 31)
        )
        == []
    )
    assert law.version_at(RULES, "travailleurs-essentiels", BEFORE_3DS) is None
    with pytest.raises(law.NoVersion):
        law.value_at(RULES, "travailleurs-essentiels", "obligatoire", BEFORE_3DS)


def test_every_unverified_rule_says_why():
    found = law.unverified(RULES)
    assert found and all(reason.strip() for _, _, reason in found)


# --- done when: dated documents -------------------------------------------------------------


def test_a_2020_deliberation_cites_no_text_published_after_its_sitting():
    territory = load_territory(EXAMPLE, 2020)
    cited = deliberation_context.cited_texts(territory, BEFORE_3DS)
    visas = " ".join(cited["visas"])
    assert "2014-366" in visas and "2018-1021" in visas
    assert "2022-217" not in visas and "18 décembre 2023" not in visas
    assert "3DS" not in cited["reforme"]["lois"] and "ELAN (2018)" in cited["reforme"]["lois"]


def test_a_2025_deliberation_cites_the_texts_in_force_in_2025():
    territory = load_territory(EXAMPLE, 2025)
    cited = deliberation_context.cited_texts(territory, IN_2025)
    visas = " ".join(cited["visas"])
    assert "2022-217" in visas and "18 décembre 2023" in visas
    assert "3DS (2022)" in cited["reforme"]["lois"]


@pytest.mark.parametrize(("year", "cites_3ds"), [(2020, False), (2025, True)])
def test_a_cia_cites_only_the_texts_in_force_at_its_date(year, cites_3ds):
    context, _ = context_of(cia.DOCUMENT, load_territory(EXAMPLE, year), year)
    titles = " ".join(t["intitule"] for t in context["cadre"]["apports"])
    assert ("2022-217" in titles) is cites_3ds
    assert ("18 décembre 2023" in titles) is cites_3ds
    assert "2014-366" in titles


@pytest.mark.parametrize(("year", "cites_3ds"), [(2020, False), (2025, True)])
def test_a_ppgdid_cites_only_the_texts_in_force_at_its_date(year, cites_3ds):
    framework = ppgdid.legal_framework(load_territory(EXAMPLE, year), year)
    references = " ".join(framework["references"])
    assert ("2022-217" in references) is cites_3ds
    assert "2015-524" in references


def test_a_2020_cia_asks_no_key_worker_objective_and_a_2025_one_does():
    territory = load_territory(EXAMPLE, 2020)
    codes = {p["code"] for p in law_checks.cia_points(territory, dt.date(2020, 12, 31))}
    assert "travailleurs-essentiels" not in codes and "residences-enjeu-prioritaire" not in codes
    codes = {p["code"] for p in law_checks.cia_points(territory, dt.date(2025, 1, 15))}
    assert {"travailleurs-essentiels", "residences-enjeu-prioritaire"} <= codes


# --- the findings ---------------------------------------------------------------------------


def test_finding_1_state_reserves_at_most_30_percent_of_the_flow_after_november_2023():
    territory = load_territory(EXAMPLE, 2025)
    state = law_in_force.state_reservation(territory, dt.date(2025, 1, 15))
    assert (state["part_max"], state["part_agents_etat_max"]) == (0.30, 0.05)
    assert state["article"] == "R441-5-2" and state["flux"]
    before = law_in_force.state_reservation(territory, dt.date(2022, 6, 1))
    assert before["article"] == "R441-5" and not before["flux"]
    block = _block("blocs/cia/prioritaires.md.j2")
    assert "au plus {{ prioritaires.etat_max }} {% if prioritaires.flux %}du flux annuel" in (
        _flat(block)
    )


def test_finding_2_the_weighted_share_is_a_derived_target_not_a_legal_floor():
    text = _flat(_block("blocs/cia/prioritaires.md.j2"))
    assert "au moins" not in text and "non comme un minimum légal" in text


def test_finding_3_the_first_quartile_rate_may_be_adapted_by_the_cil():
    macros = _flat((TEMPLATES / "cia" / "macros.md.j2").read_text(encoding="utf-8"))
    assert "taux adapté par les orientations de la CIL" in macros
    assert "peuvent être adaptés par les orientations" in _flat(_block("blocs/cia/objectifs.md.j2"))


def _mention(note: dict) -> str:
    from generator.formatting import FILTERS
    from generator.render import make_environment

    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    source = '{% import "cia/macros.md.j2" as cia %}{{ cia.mention_loi(m) }}'
    return env.from_string(source).render(m=note)


def _orientation(kind: str):
    from generator.territory.cia_settings import Orientation

    return Orientation(titre="Orientation", cible=kind)


@pytest.mark.parametrize("on", [dt.date(2017, 6, 1), dt.date(2025, 1, 15)])
def test_finding_3_only_the_quartile_rates_are_adaptable_the_priority_share_is_a_floor(on):
    """L441-1: the CIL's orientations may set another first-quartile rate (and another QPV
    target); the 25 % of each contingent to DALO and priority households is not adaptable."""
    from decimal import Decimal

    from generator.documents import cia_orientations

    territory = load_territory(EXAMPLE, 2025)
    adaptable = cia_orientations.adaptable_targets(territory, on)
    assert adaptable == {
        "premier_quartile": True,
        "autres_quartiles_qpv": True,
        "prioritaires": False,
    }
    at = {"premier_quartile": Decimal("0.25"), "prioritaires": Decimal("0.25")}
    quartile = cia_orientations.legal_note(_orientation("premier_quartile"), at, adaptable)
    priority = cia_orientations.legal_note(_orientation("prioritaires"), at, adaptable)
    assert _mention(quartile) == (
        "taux fixé par la loi Égalité et citoyenneté, que les orientations de la CIL"
        " peuvent adapter"
    )
    assert _mention(priority) == "minimum fixé par la loi Égalité et citoyenneté"
    below = {"premier_quartile": Decimal("0.20"), "prioritaires": Decimal("0.20")}
    quartile = cia_orientations.legal_note(_orientation("premier_quartile"), below, adaptable)
    priority = cia_orientations.legal_note(_orientation("prioritaires"), below, adaptable)
    assert _mention(quartile).startswith("taux adapté par les orientations de la CIL")
    assert "adapt" not in _mention(priority).replace("ne peuvent pas abaisser", "")
    assert "en deçà du minimum de 25" in _mention(priority)
    above = {"prioritaires": Decimal("0.30")}
    priority = cia_orientations.legal_note(_orientation("prioritaires"), above, adaptable)
    assert _mention(priority).startswith("au-delà du minimum de 25")


def test_finding_3_the_cia_of_a_bundled_territory_words_each_target_by_its_rule():
    context, _ = context_of(cia.DOCUMENT, load_territory(EXAMPLE, 2025), 2025)
    notes = {o["cible"]: o["mention"] for o in context["orientations"] if o["cible"]}
    assert notes["premier_quartile"]["adaptable"] is True
    assert notes["prioritaires"]["adaptable"] is False
    assert _mention(notes["prioritaires"]) == "minimum fixé par la loi Égalité et citoyenneté"


def test_finding_2_a_priority_share_below_the_law_is_warned(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    yaml_file = folder / "territory.yaml"
    replace_in(yaml_file, "    autres: 25\n  mutations: 15", "    autres: 20\n  mutations: 15")
    on = dt.date(2025, 1, 15)
    warned = law_checks.priority_floor(load_territory(folder, 2025), on)
    assert warned and "objectifs.prioritaires.autres" in warned[0] and "not this share" in warned[0]
    assert law_checks.priority_floor(load_territory(folder, 2016), dt.date(2016, 12, 31)) == []
    for bundled in (EXAMPLE, PIC, FICTIF):
        territory = load_territory(bundled, 2025)
        on = law_in_force.document_day(territory, 2025)
        assert law_checks.priority_floor(territory, on) == []


def test_the_cia_warns_that_the_first_quartile_rule_is_unverified_after_january_2017():
    territory = load_territory(EXAMPLE, 2025)
    warned = law_checks.unverified_rules(territory, dt.date(2025, 1, 15), "cia")
    assert any("premier-quartile-hors-qpv" in w for w in warned)
    assert law_checks.unverified_rules(territory, dt.date(2017, 1, 28), "cia") == []
    assert any(
        "premier-quartile-hors-qpv" in w for w in law_checks.cia(territory, 2025, missing=[])
    )
    # a rule of the CIA's objectives, not of every document: the PPGDID does not repeat it
    assert not any("premier-quartile" in w for w in law_checks.ppgdid(territory, 2025))


def test_finding_3_a_first_quartile_rate_other_than_25_needs_the_cil_orientation(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    yaml_file = folder / "territory.yaml"
    replace_in(yaml_file, "premier_quartile_hors_qpv: 25", "premier_quartile_hors_qpv: 20")
    on = dt.date(2025, 1, 15)
    warned = law_checks.first_quartile(load_territory(folder, 2025), on)
    assert warned and "cia.cil.orientation_premier_quartile" in warned[0]
    replace_in(
        yaml_file, "\ncia:\n", "\ncia:\n  cil:\n    orientation_premier_quartile: CIL 2024\n"
    )
    assert law_checks.first_quartile(load_territory(folder, 2025), on) == []
    assert law_checks.first_quartile(load_territory(EXAMPLE, 2025), on) == []


def test_finding_4_a_cia_after_3ds_without_key_worker_objective_is_warned(tmp_path):
    on = dt.date(2025, 1, 15)
    territory = load_territory(EXAMPLE, 2025)  # no key-worker objective: the law is not met
    warned = law_checks.key_workers(territory, on)
    assert warned and "objectifs.travailleurs_essentiels" in warned[0]
    assert law_checks.key_workers(territory, dt.date(2021, 12, 31)) == []
    folder = _copy(EXAMPLE, tmp_path)
    replace_in(
        folder / "territory.yaml",
        "  mutations: 15\n",
        "  mutations: 15\n  travailleurs_essentiels: 5\n",
    )
    assert law_checks.key_workers(load_territory(folder, 2025), on) == []
    template = (TEMPLATES / "cia" / "travailleurs.md.j2").read_text(encoding="utf-8")
    assert "travailleurs.obligatoire" in template


def test_finding_5_quantified_commitments_are_per_landlord():
    text = _flat(_block("blocs/cia/champ.md.j2"))
    assert "pour chaque bailleur social, des engagements annuels quantifiés" in text
    assert "pour chaque partenaire, des engagements quantifiés" not in text
    points = {p["code"]: p for p in _yaml("national/cia-contenu.yaml")["points"]}
    assert points["autres-signataires"]["numero"] == "4°"


def test_finding_5_the_commitments_section_gives_reservation_holders_no_l441_1_6_number():
    """L441-1-6 1° and 2°: « pour chaque bailleur social »; the other signatories (4°) commit to
    their contribution, the holders' numbers applying their share under L441-1."""
    text = _flat(_block("blocs/cia/engagements-chiffres.md.j2"))
    assert "pour chaque bailleur et chaque réservataire" not in text
    assert "pour chaque bailleur, des engagements annuels" in text
    assert "contribution (4°)" in text and "L441-1 lui impose" in text


def test_finding_6_the_cil_and_the_pdalhpd_committee_give_an_opinion():
    text = _flat(_block("blocs/cia/champ.md.j2"))
    assert "soumise à l'avis de la conférence" in text and "validée" not in text


def test_finding_7_the_cia_is_article_l441_1_6():
    text = _flat(_block("blocs/cia/cadre.md.j2"))
    assert "L441-1-1" not in text
    assert "L441-1-6, qui prévoit la convention intercommunale d'attribution" in text


def test_finding_8_residences_at_stake_are_listed_per_landlord_and_annexed_to_the_cia():
    text = _flat(_block("blocs/qualification-methode.md.j2"))
    assert "article 84" not in text and "peut refuser" not in text
    assert "résidences à enjeu prioritaire de mixité sociale" in text and "3° bis" in text
    assert "residences_par_bailleur" in (TEMPLATES / "cia" / "annexes.md.j2").read_text(
        encoding="utf-8"
    )


def test_finding_8_without_a_landlord_per_address_the_cia_lists_the_gap():
    territory = load_territory(EXAMPLE, 2025)
    context, gaps = context_of(cia.DOCUMENT, territory, 2025)
    assert context["residences_prioritaires"]
    assert any("proprietaire" in g.what and "parc_ops" in str(g.location) for g in gaps)
    context, _ = context_of(cia.DOCUMENT, load_territory(EXAMPLE, 2020), 2020)
    assert not context["residences_prioritaires"]


def test_finding_9_a_plan_duration_other_than_six_years_is_warned(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    replace_in(folder / "territory.yaml", "duree_ppgdid_ans: 6", "duree_ppgdid_ans: 5")
    warned = law_checks.plan_duration(load_territory(folder, 2025), dt.date(2025, 1, 15))
    assert warned and "R441-2-13" in warned[0]
    assert law_checks.plan_duration(load_territory(EXAMPLE, 2025), dt.date(2025, 1, 15)) == []


def test_finding_9_a_plan_ending_within_six_months_needs_its_final_evaluation(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    replace_in(folder / "territory.yaml", "ppgdid:\n", "ppgdid:\n  debut: 2019-03-01\n")
    territory = load_territory(folder, 2025)
    warned = law_checks.final_evaluation(territory, dt.date(2024, 10, 1))
    assert warned and "R441-2-14" in warned[0]
    assert law_checks.final_evaluation(territory, dt.date(2024, 6, 1)) == []
    replace_in(
        folder / "territory.yaml",
        "  debut: 2019-03-01\n",
        "  debut: 2019-03-01\n  evaluation_finale: Évaluation menée en septembre 2024.\n",
    )
    assert law_checks.final_evaluation(load_territory(folder, 2025), dt.date(2024, 10, 1)) == []
    assert "Six mois avant son terme" in _block("blocs/ppgdid/duree.md.j2")


def test_finding_10_the_launching_deliberation_and_the_prefect():
    text = _flat(_block("blocs/ppgdid/consultation.md.j2"))
    assert "engagée par une délibération" in text and "trois mois" in text
    assert "L441-2-8 II" in text


def test_finding_11_an_interview_delay_over_one_month_is_warned(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    replace_in(folder / "territory.yaml", "delai_entretien_jours: 30", "delai_entretien_jours: 45")
    warned = law_checks.interview_delay(load_territory(folder, 2025), dt.date(2025, 1, 15))
    assert warned and "accueil.delai_entretien_jours" in warned[0]
    assert "1-month maximum" in warned[0]
    replace_in(
        folder / "territory.yaml",
        "delai_entretien_jours: 45",
        "delai_entretien_jours: 45\n  zone_232_cgi: true",
    )
    assert law_checks.interview_delay(load_territory(folder, 2025), dt.date(2025, 1, 15)) == []
    assert law_checks.interview_delay(load_territory(EXAMPLE, 2025), dt.date(2025, 1, 15)) == []


def test_finding_12_refusals_and_what_the_applicant_is_told(tmp_path):
    info = _flat(_block("blocs/ppgdid/cotation-information.md.j2"))
    assert "position de leur demande" in info and "délai d'attente moyen" in info
    folder = _copy(EXAMPLE, tmp_path)
    replace_in(
        folder / "territory.yaml",
        "    grilles:",
        "    refus:\n      - {cas: Deuxième refus, effet: moins 20 points}\n    grilles:",
    )
    context, gaps = context_of(ppgdid.DOCUMENT, load_territory(folder, 2025), 2025)
    assert context["ppgdid"]["cotation"]["refus"] == [["Deuxième refus", "moins 20 points"]]
    assert not any("refusing" in g.what for g in gaps)
    _, gaps = context_of(ppgdid.DOCUMENT, load_territory(EXAMPLE, 2025), 2025)
    assert any("refusing a suitable offer" in g.what for g in gaps)


def test_finding_13_every_reservation_holder_applies_the_cotation_alike():
    text = _flat(_block("blocs/ppgdid/cotation-application.md.j2"))
    assert "après les dispositifs propres" not in text and "de la même façon" in text


def test_finding_14_grouped_criteria_are_lawful_and_the_article_is_right():
    criteria = _yaml("national/cotation-criteres-legaux.yaml")
    assert "L441-2-8" not in criteria["reference"] and "R441-2-10" in criteria["reference"]
    chapter = (TEMPLATES / "ppgdid" / "cotation.md.j2").read_text(encoding="utf-8")
    assert "Elle ne prend pas en compte" not in chapter and "ensemble de critères" in chapter


def test_finding_15_the_available_supply_point_is_l441_2_8():
    points = {p["code"]: p for p in _yaml("national/ppgdid-contenu.yaml")["points"]}
    assert points["offre-disponible"]["article"] == "L441-2-8"
    assert "70-9" in points["offre-disponible"]["objet"] and points["offre-disponible"]["verifie"]


def test_finding_16_communes_get_a_share_of_the_flow_after_november_2023():
    text = _flat(_block("blocs/contingent-collectivites.md.j2"))
    assert "{% if etat.flux %}Depuis le 24 novembre 2023" in text


def test_finding_17_the_cia_duration_has_no_default(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    replace_in(folder / "territory.yaml", "  duree_ans: 6\n", "")
    gaps: list = []
    territory = load_territory(folder, 2025)
    assert deliberation_context._cia_years(territory, gaps) == "[à renseigner]"
    assert gaps and gaps[0].location.key == "cia.duree_ans"
    assert deliberation_context._cia_years(load_territory(EXAMPLE, 2025), []) == "six ans"


def test_finding_18_a_commune_signs_the_cia_not_the_plan():
    texts = _yaml("blocs/deliberation-textes.yaml")
    for council in ("municipal", "communautaire"):
        assert "signer le PPGDID" not in " ".join(texts["conseils"][council]["articles"])


def test_finding_19_unconfirmed_item_numbers_stay_flagged_with_their_reason():
    points = {p["code"]: p for p in _yaml("national/ppgdid-contenu.yaml")["points"]}
    for code in ("examen-particulier", "mutations", "accompagnement"):
        assert points[code]["verifie"] is False and "7°" in points[code]["raison"]
    for code in ("delai-entretien", "gestion-partagee", "qualification", "information"):
        assert points[code]["verifie"] is True and "R441-2-10" in points[code]["source"]


def test_finding_20_the_eight_month_signature_delay_is_flagged_as_unverified():
    found = {code: reason for code, _, reason in law.unverified(RULES)}
    assert "signature-cia" in found and "secondaire" in found["signature-cia"]


def test_no_unverified_point_is_left_without_a_reason():
    for point in _yaml("national/ppgdid-contenu.yaml")["points"]:
        assert point["verifie"] or point.get("raison"), point["code"]


def _unverified(node, where: str):
    """Every mapping with verifie: false in a loaded YAML tree, with where it is."""
    if isinstance(node, dict):
        if node.get("verifie") is False:
            yield where, node
        for key, value in node.items():
            yield from _unverified(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _unverified(value, f"{where}[{index}]")


def test_no_verifie_false_in_the_national_content_lacks_its_reason():
    """Issue 11: no « verifie: false » is left without a stated reason, in any file of
    content/national/, on an item or on a whole file (cotation-criteres-legaux.yaml)."""
    found = 0
    for path in sorted((CONTENT / "national").glob("*.yaml")):
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, node in _unverified(tree, path.name):
            found += 1
            assert str(node.get("raison") or "").strip(), where
    assert found >= 20


def test_the_bundled_territories_meeting_the_law_raise_no_legal_warning():
    territory = load_territory(FICTIF, 2025)
    on = law_in_force.document_day(territory, 2025)
    assert law_checks.key_workers(territory, on) == []
    assert law_checks.first_quartile(territory, on) == []
    assert law_checks.plan_duration(territory, on) == []
    assert law_checks.interview_delay(territory, on) == []
    for folder in (EXAMPLE, PIC, FICTIF):
        for year in (2020, 2025):
            territory = load_territory(folder, year)
            on = law_in_force.document_day(territory, year)
            assert law_checks.first_quartile(territory, on) == []
            assert law_checks.priority_floor(territory, on) == []
            assert law_checks.interview_delay(territory, on) == []
            assert law_checks.plan_duration(territory, on) == []
            assert law_checks.final_evaluation(territory, on) == []
        # before the 3DS law no CIA is asked for a key-worker objective; after it, Rhône
        # Crussol's and Pic Saint-Loup's CIAs set none, and are rightly warned
        assert law_checks.key_workers(load_territory(folder, 2020), dt.date(2020, 12, 31)) == []


def _copy(source: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "territories" / source.name
    shutil.copytree(source, target)
    return target


def test_a_2020_bilan_does_not_evaluate_a_key_worker_objective_and_a_2025_one_does():
    from generator.documents import bilan

    context, _ = context_of(bilan.DOCUMENT, load_territory(FICTIF, 2020), 2020)
    assert context["droit"]["travailleurs"] is False
    assert not any("travailleurs" in v.objectif.lower() for v in context["verdicts"])
    context, _ = context_of(bilan.DOCUMENT, load_territory(FICTIF, 2025), 2025)
    assert context["droit"]["travailleurs"] is True
    assert any("travailleurs" in v.objectif.lower() for v in context["verdicts"])


def test_a_bilan_shows_a_rule_that_changed_within_its_period_with_both_values():
    territory = load_territory(FICTIF, 2023)
    changes = law_in_force.evaluated_law(territory, 2023, [2022, 2023])["changements"]
    flow = next(c for c in changes if c["code"] == "reservation-etat")
    assert flow["avant"] == "stock"
    assert flow["etapes"] == [{"apres": "flux", "date": "24 novembre 2023"}]
    assert law_in_force.evaluated_law(territory, 2025, [2024, 2025])["changements"] == []


def test_a_rule_that_changed_twice_in_the_period_is_one_item_of_the_bilan_with_both_steps():
    from generator.documents import bilan
    from generator.formatting import FILTERS
    from generator.render import make_environment

    territory = load_territory(FICTIF, 2023)
    changes = law_in_force.evaluated_law(territory, 2023, [2020, 2021, 2022, 2023])["changements"]
    assert len({c["code"] for c in changes}) == len(changes)
    scoring = next(c for c in changes if c["code"] == "cotation-obligatoire")
    assert scoring["avant"] == "1er septembre 2021"
    assert [e["apres"] for e in scoring["etapes"]] == ["31 décembre 2021", "31 décembre 2023"]
    context, _ = context_of(bilan.DOCUMENT, territory, 2023)
    context["droit"]["changements"] = changes
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    text = env.get_template("blocs/bilan-cadre.md.j2").render(context)
    assert text.count("cotation de la demande :") == 1
    assert "31 décembre 2021 à compter du 2 août 2021, puis 31 décembre 2023" in text
    assert "en stock, puis en flux à compter du 24 novembre 2023 ;" in text
    assert "La loi a changé pendant la période évaluée :\n\n- gestion des logements" in text
    assert "31 décembre 2023 à compter du 23 février 2022." in text


def test_the_cia_completeness_table_follows_l441_1_6_at_its_date():
    context, _ = context_of(cia.DOCUMENT, load_territory(EXAMPLE, 2025), 2025)
    rows = {row[0]: row[2] for row in context["couverture"]}
    assert rows["L441-1-6 1°"] == "Engagements chiffrés"
    # what is missing in the reader's words; the file and column are cil check's, not the CIA's
    assert "à renseigner" in rows["L441-1-6 3° bis"]
    assert "le bailleur propriétaire de chaque adresse" in rows["L441-1-6 3° bis"]
    assert not any(".csv" in row or ".yaml" in row or "_" in row for row in rows.values())
    assert "L441-1" in rows
    context, _ = context_of(cia.DOCUMENT, load_territory(EXAMPLE, 2020), 2020)
    rows = {row[0]: row[2] for row in context["couverture"]}
    assert "L441-1-6 3° bis" not in rows and "L441-1" not in rows and "L441-1-6 4°" in rows


def test_a_landlord_per_address_gives_the_list_annexed_to_the_cia(tmp_path):
    folder = _copy(EXAMPLE, tmp_path)
    path = folder / "data" / "parc_ops.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
    lines = [lines[0] + sep + "proprietaire"] + [
        line + sep + "Ardèche Habitat" for line in lines[1:]
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context, gaps = context_of(cia.DOCUMENT, load_territory(folder, 2025), 2025)
    listed = context["annexes"]["qualification"]["residences_par_bailleur"]
    assert [entry["bailleur"] for entry in listed] == ["Ardèche Habitat"]
    assert not any("proprietaire" in g.what for g in gaps)
    rows = {row[0]: row[2] for row in context["couverture"]}
    assert rows["L441-1-6 3° bis"] == "Annexes"


def test_the_body_of_2020_documents_names_no_later_text(tmp_path):
    """Not only the visas and references: no passage of a 2020 CIA, PPGDID or annex names the
    3DS law or the 2023 circular, nor applies the 2023 flux deadline."""
    from click.testing import CliRunner

    from generator.cli import main

    args = ["build", str(EXAMPLE), "--year", "2020", "--format", "md", "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    for name in ("cia.md", "ppgdid.md", "annexes-ppgdid.md", "bilan.md"):
        text = next(tmp_path.rglob(name)).read_text(encoding="utf-8")
        for later in ("3DS", "2022-217", "décembre 2023", "24 novembre 2023"):
            assert later not in text, f"{name} names {later}"
    assert "quorum-organe-deliberant" not in result.output  # a rule of sittings, not documents


def test_a_2020_deliberation_names_no_later_text_in_its_whole_act(tmp_path):
    """The act as built (visas, exposé, articles): a council sitting in September 2020 names
    neither the 3DS law nor the 2023 circular; the same sitting moved to 2025 names both."""
    import shutil

    from generator.documents import deliberation
    from tests.making import files_of

    from .test_cia import plain
    from .test_deliberation import text_of
    from .test_deliberation_bodies import EPCI_ROW, FIXTURE, table

    folder = tmp_path / "seances-fictives"
    shutil.copytree(FIXTURE, folder)
    files, _ = files_of(deliberation.DOCUMENT, load_territory(folder, 2020), 2020)
    act = plain(text_of(files["deliberation-seances-fictives-2020-09-24"]))
    assert "2018-1021" in act
    for later in ("3DS", "2022-217", "18 décembre 2023"):
        assert later not in act, later
    row = EPCI_ROW.replace("24/09/2020", "17/03/2025")
    replace_in(table(folder), EPCI_ROW, row)
    replace_in(table(folder), "17/09/2020", "10/03/2025")
    files, _ = files_of(deliberation.DOCUMENT, load_territory(folder, 2025), 2025)
    act = plain(text_of(files["deliberation-seances-fictives-2025-03-17"]))
    assert "2022-217" in act and "18 décembre 2023" in act


def test_finding_3_the_bilan_names_the_qpv_target_as_the_territory_s_not_the_law_s():
    text = _flat(_block("blocs/bilan-autres-quartiles-qpv.md.j2"))
    assert "La loi demande aussi qu'au moins" not in text
    assert "peuvent l'adapter" in text and "La cible du territoire" in text
