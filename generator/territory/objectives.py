"""The quantified objectives of the allocation policy (territory.yaml, section `objectifs`).

The CIA states them, the bilan measures results against them, the deliberations cite them.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator.territory.allocations import CONTINGENTS


class Objectives(BaseModel):
    """The quantified objectives of the allocation policy (CIA), in %; the law's by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    qpv: bool = Field(False, description="the territory has quartiers prioritaires (QPV)")
    premier_quartile_hors_qpv: Decimal = Field(Decimal(25), ge=0, le=100)
    autres_quartiles_en_qpv: Decimal = Field(Decimal(50), ge=0, le=100)
    prioritaires: dict[str, Decimal] = Field(
        default_factory=dict,
        validate_default=True,
        description="per contingent, % to DALO and priority households (État 100, autres 25)",
    )
    mutations: Decimal | None = Field(None, ge=0, le=100)
    travailleurs_essentiels: Decimal | None = Field(None, ge=0, le=100)
    source: str | None = None
    notes: str | None = None

    @field_validator("prioritaires")
    @classmethod
    def known_contingents(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        allowed = {k.casefold(): k for k in (*CONTINGENTS, "autres")}
        result = {"État": Decimal(100), "autres": Decimal(25)}
        for key, rate in rates.items():
            if key.casefold() not in allowed:
                names = ", ".join(f'"{k}"' for k in allowed.values())
                raise ValueError(f'unknown contingent "{key}" — use one of {names}')
            if not 0 <= Decimal(rate) <= 100:
                raise ValueError(f'the rate of "{key}" must be a percentage between 0 and 100')
            result[allowed[key.casefold()]] = Decimal(rate)
        return result

    def priority_target(self, contingent: str) -> Decimal:
        """Target share (ratio) of a contingent's allocations to DALO and priority households."""
        return self.prioritaires.get(contingent, self.prioritaires["autres"]) / 100


def legal_priority_share(
    objectives: Objectives, state_max: Decimal, agents_max: Decimal
) -> Decimal:
    """Share of allocations to priority households if every contingent met its target, with
    the theoretical split of contingents (the State's 30 % at most, of which 5 % at most for its
    agents: 25 % + 25 % of the other 70 % = 42,5 %). A derived target, not a legal floor: the law
    sets one share per contingent (L441-1)."""
    state_share = state_max - agents_max
    others = 1 - state_max
    return state_share * objectives.priority_target("État") + others * objectives.priority_target(
        "autres"
    )


def targets(objectives: Objectives, priority_share: Decimal) -> dict[str, Decimal | None]:
    """Every quantified objective a text may name, as a ratio (None: the territory sets none)."""
    goals = objectives
    return {
        "premier_quartile": goals.premier_quartile_hors_qpv / 100,
        "autres_quartiles_qpv": goals.autres_quartiles_en_qpv / 100 if goals.qpv else None,
        "prioritaires": goals.priority_target("autres"),
        "prioritaires_etat": goals.priority_target("État"),
        "prioritaires_ensemble": priority_share,
        "mutations": goals.mutations / 100 if goals.mutations is not None else None,
        "travailleurs_essentiels": (
            goals.travailleurs_essentiels / 100
            if goals.travailleurs_essentiels is not None
            else None
        ),
    }
