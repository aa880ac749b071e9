"""Annexes of the PPGDID: guichets, social services, priority households, contingents,
qualification of the stock and first-quartile thresholds — updated every year on their own."""

from __future__ import annotations

from generator.documents.annex_tables import annex_context
from generator.documents.contract import DocumentType, Made, Options
from generator.indicators.facts import Facts
from generator.territory.schema import Territory

NAME = "annexes-ppgdid"
TITLE = "Annexes du plan partenarial de gestion de la demande et d'information des demandeurs"
TEMPLATE = "annexes-ppgdid/document.md.j2"


def make(territory: Territory, facts: Facts, year: int, options: Options) -> Made:
    return Made(*annex_context(territory, facts, year))


DOCUMENT = DocumentType(
    name=NAME, title=TITLE, template=TEMPLATE, make=make, rank=10, short_title="Annexes du PPGDID"
)
