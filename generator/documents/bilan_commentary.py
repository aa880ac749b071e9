"""Sentences generated from the figures: one commentary per objective, and its status word."""

from __future__ import annotations

from decimal import Decimal

from generator.formatting import nombre, points, pourcent
from generator.indicators.allocations import SECRET, is_known
from generator.indicators.results import Result

REACHED, NOT_REACHED = "Atteint", "Non atteint"
SECRET_STATUS, UNKNOWN_STATUS, FOLLOWED = "Secret statistique", "Non mesurable", "Suivi sans cible"


def status(result: Result) -> str:
    """The summary's one word for an objective."""
    if result.part is SECRET:
        return SECRET_STATUS
    if not is_known(result.part):
        return UNKNOWN_STATUS
    if result.cible is None:
        return FOLLOWED
    return REACHED if result.atteint else NOT_REACHED


def target(value: Decimal) -> str:
    """25 % or 42,5 %: a target shows its decimal only when it has one."""
    return pourcent(value, 0 if (value * 100) == (value * 100).to_integral_value() else 1)


def _since(result: Result) -> str:
    if result.annee_precedente == result.annee - 1:
        return "par rapport à l'année précédente"
    return f"par rapport à {result.annee_precedente}"


def _evolution(result: Result) -> str:
    change = result.evolution
    if change is SECRET:
        return ", évolution non publiée (secret statistique)"
    if is_known(change):
        return f", {points(change)} {_since(result)}"
    return ""


def _missing(result: Result) -> str:
    if is_known(result.manque) and result.manque > 0:
        noun = "attribution" if result.manque == 1 else "attributions"
        return f" ; il aurait fallu {nombre(result.manque)} {noun} de plus pour l'atteindre"
    return ""


def commentary(result: Result) -> str:
    """« Objectif non atteint : 19,6 % pour 25 %, +1,8 point par rapport à l'année précédente. »"""
    if result.part is SECRET:
        return (
            f"Résultat {result.annee} non publié : les effectifs sont sous le seuil du secret "
            "statistique."
        )
    if not is_known(result.part):
        return f"Résultat {result.annee} non disponible : les données manquent."
    published = " (taux publié par la source)" if result.publie else ""
    if result.cible is None:
        return (
            f"Sans objectif chiffré : {pourcent(result.part)} des attributions en "
            f"{result.annee}{published}{_evolution(result)}."
        )
    word = "Objectif atteint" if result.atteint else "Objectif non atteint"
    return (
        f"{word} : {pourcent(result.part)} pour {target(result.cible)}{published}"
        f"{_evolution(result)}{'' if result.atteint else _missing(result)}."
    )
