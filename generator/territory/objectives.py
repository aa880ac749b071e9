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
