"""Qualification of the social housing stock from the occupancy survey (OPS): the class of each
surveyed address, dwellings by class and the residences at stake for social mix.

Shown by the PPGDID's annexes, the PPGDID itself and the CIA: computed once, in `Facts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.indicators.core import (
    ClassCount,
    QualificationClass,
    at_stake,
    qualification_classes,
    qualification_summary,
)
from generator.territory.config import Qualification
from generator.territory.housing_stock import ANALYSED, SurveyedAddress


@dataclass(frozen=True)
class StockQualification:
    """The latest survey up to a year: classes, summary by class, addresses and those at stake."""

    survey: int
    classes: list[QualificationClass]
    summary: list[ClassCount]
    total: int  #: dwellings of every surveyed address, analysed or not
    analysed: list[SurveyedAddress]  #: by commune, then address
    at_stake: list[SurveyedAddress]  #: highest share first

    @property
    def analysed_dwellings(self) -> int:
        return sum(a.logements for a in self.analysed)


def analysed_share(address: SurveyedAddress) -> Decimal:
    """An analysed address always has its share (the survey table requires it)."""
    return address.part_sous_40_plus if address.part_sous_40_plus is not None else Decimal(0)


def qualify_stock(
    addresses: Sequence[SurveyedAddress], settings: Qualification, year: int
) -> StockQualification | None:
    """The qualification from the latest survey not after `year`; None without any survey."""
    surveys = sorted({a.annee for a in addresses if a.annee <= year})
    if not surveys:
        return None
    survey = surveys[-1]
    classes = qualification_classes(
        [c.libelle for c in settings.classes], [c.a_partir_de for c in settings.classes]
    )
    surveyed = [a for a in addresses if a.annee == survey]
    analysed = [a for a in surveyed if a.statut == ANALYSED]
    others: dict[str, int] = {}
    for a in surveyed:
        if a.statut != ANALYSED:
            others[a.statut] = others.get(a.statut, 0) + a.logements
    summary, total = qualification_summary(
        [(analysed_share(a), a.logements) for a in analysed], classes, list(others.items())
    )
    rule = settings.residences_enjeu
    stake = sorted(
        (
            a
            for a in analysed
            if at_stake(analysed_share(a), a.logements, rule.part_minimale, rule.logements_minimum)
        ),
        key=lambda a: (-analysed_share(a), a.adresse),
    )
    ordered = sorted(analysed, key=lambda a: (a.commune.nom if a.commune else "", a.adresse))
    return StockQualification(survey, classes, summary, total, ordered, stake)
