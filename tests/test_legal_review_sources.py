"""The sources of the dated law re-read against their texts (issue 11, 2026-12-01): what a text
read changed in content/national/, each asserted on a document or a check of the right date."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import ValidationError

from generator.documents import ppgdid_reception
from generator.resources import CONTENT
from generator.territory import law
from generator.territory.content import DiscriminationCriterion
from generator.territory.load import load_territory

from .conftest import ROOT

FICTIF = ROOT / "territories" / "exemple-fictif"  # the package's guichet lists, no override


def _yaml(relative: str) -> dict:
    return yaml.safe_load((CONTENT / relative).read_text(encoding="utf-8"))


def _told(territory, on: dt.date) -> list[str]:
    return [
        line["texte"]
        for lines in ppgdid_reception.checklists(territory, on).values()
        for line in lines
        if line["genre"] == "loi"
    ]


def test_the_applicant_is_told_of_the_cotation_from_the_day_decree_2019_1378_took_effect():
    """The decree (JORF of 18 December 2019) « entre en vigueur le lendemain de sa publication »
    and rewrote the fourth paragraph of R441-2-17: the 19th, not the 20th as the data said."""
    territory = load_territory(FICTIF, 2020)
    cotation = next(
        i
        for i in _yaml("national/information-demandeur.yaml")["informations"]
        if i["code"] == "cotation"
    )
    assert cotation["verifie"] and "JORFTEXT000039631237" in cotation["source"]
    assert cotation["texte"] in _told(territory, dt.date(2019, 12, 19))
    assert cotation["texte"] not in _told(territory, dt.date(2019, 12, 18))


def test_the_points_of_l441_2_6_stay_flagged_and_say_what_was_read_instead():
    for item in _yaml("national/information-demandeur.yaml")["informations"]:
        if item["article"] == "L441-2-6":
            assert item["verifie"] is False
    depot = next(
        i
        for i in _yaml("national/information-demandeur.yaml")["informations"]
        if i["code"] == "depot"
    )
    assert "R441-2-17" in depot["raison"] and "L441-2-9" in depot["raison"]


def test_every_criterion_dated_from_an_unread_law_says_why():
    for criterion in _yaml("national/discrimination.yaml")["criteres"]:
        if not criterion.get("verifie", True):
            assert criterion.get("raison"), criterion["libelle"]
    with pytest.raises(ValidationError, match="needs its raison"):
        DiscriminationCriterion.model_validate({"libelle": "x", "verifie": False})


def test_the_precarity_criterion_applies_from_the_day_after_its_law_was_published():
    """Loi 2016-832: JO of 25 June 2016, in force on the 26th (AEF, Francis Lefebvre)."""
    territory = load_territory(FICTIF, 2020)
    before = ppgdid_reception.discrimination(territory, dt.date(2016, 6, 25))["criteres"]
    after = ppgdid_reception.discrimination(territory, dt.date(2016, 6, 26))["criteres"]
    vulnerable = [c for c in after if "vulnérabilité" in c]
    assert vulnerable and not any("vulnérabilité" in c for c in before)


def test_the_eight_month_delay_is_not_confirmed_and_its_article_not_asserted():
    rules = _yaml("national/regles.yaml")
    (code, article, reason), *_ = [
        u for u in law.unverified(rules, dt.date(2025, 1, 1)) if u[0] == "signature-cia"
    ]
    assert article != "L441-1-6" and "non lu" in article
    assert "deux ans" in reason and "secondaire" in reason


def test_the_cotation_item_of_the_plan_cites_the_decree_that_wrote_it():
    points = {p["code"]: p for p in _yaml("national/ppgdid-contenu.yaml")["points"]}
    assert "article 1er, 2°" in points["cotation-refus"]["source"]
    for code in ("examen-particulier", "mutations", "accompagnement"):
        assert "2019-1378" in points[code]["raison"]
