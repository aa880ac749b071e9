"""What the commentary on an objective needs: its state and its figures, no words.

The sentences themselves are macros in content/blocs/bilan-commentaire.md.j2, so that a territory
can reword them through overrides/; this module only decides which case applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from generator.formatting import pourcent_cible
from generator.indicators.allocations import SECRET, is_known
from generator.indicators.results import Result

#: A target as shown beside a result; the CIA modules import it under this name.
target = pourcent_cible

State = Literal["secret", "inconnu", "suivi", "atteint", "non_atteint"]


@dataclass(frozen=True)
class Verdict:
    """One objective against its result, in the terms the commentary macros test and format.

    `evolution` and `manque` are None when unknown or hidden; `evolution_secrete` tells the
    hidden case apart, because the reader is told why the change is not published. When the
    counts are masked (`masque`) but the target is known, the state is still « atteint » or
    « non_atteint », with the gap in points (`ecart`) and the allocations still needed
    (`manque`): the verdict is never hidden, only the counts and the share.
    """

    objectif: str
    echelle: str
    etat: State
    annee: int
    part: Decimal | None
    cible: Decimal | None
    publie: bool
    evolution: Decimal | None
    evolution_secrete: bool
    annee_precedente: int | None
    sur_un_an: bool
    manque: int | None
    masque: bool = False
    ecart: Decimal | None = None


def _state(result: Result) -> State:
    reached = result.atteint
    if reached is not None:
        return "atteint" if reached else "non_atteint"
    if result.masque:
        return "secret"
    if not is_known(result.part):
        return "inconnu"
    return "suivi"


def _known(value: object) -> object:
    return value if is_known(value) else None


def verdict(result: Result) -> Verdict:
    """The state of an objective and the figures its sentence shows."""
    change = result.evolution
    return Verdict(
        objectif=result.objectif,
        echelle=result.echelle,
        etat=_state(result),
        annee=result.annee,
        part=_known(result.part),  # type: ignore[arg-type]
        cible=result.cible,
        publie=result.publie,
        evolution=_known(change),  # type: ignore[arg-type]
        evolution_secrete=change is SECRET,
        annee_precedente=result.annee_precedente,
        sur_un_an=result.annee_precedente == result.annee - 1,
        manque=result.a_rattraper,
        masque=result.masque,
        ecart=result.ecart,
    )
