"""The quantified objectives of the allocation policy (territory.yaml, section `objectifs`).

The CIA states them, the bilan measures results against them, the deliberations cite them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.messages import _, quoted
from generator.territory.allocations import CONTINGENTS

#: The objectives a partner may have its own target for, and the base each target applies to.
PARTNER_OBJECTIVES = {
    "premier_quartile_hors_qpv": "its allocations outside QPV (all of them without QPV)",
    "autres_quartiles_en_qpv": "its allocations in QPV",
    "prioritaires": "a reservation holder's allocations; a landlord's non-reserved allocations",
}
#: The key of a mapping that gives the EPCI's own rate beside the partners'.
WHOLE = "ensemble"


class PartnerTarget(BaseModel):
    """One partner's own target: a rate of its base, or a number of allocations a year."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    #: The short form a target may take instead of its fields: a bare rate (30 for {taux: 30}).
    SHORTHAND: ClassVar[type] = Decimal

    taux: Decimal | None = Field(None, ge=0, le=100, description="rate of its base, in %")
    nombre: int | None = Field(None, ge=0, description="allocations a year")

    @model_validator(mode="before")
    @classmethod
    def number_is_a_rate(cls, data: Any) -> Any:
        if isinstance(data, int | float | Decimal | str) and not isinstance(data, bool):
            return {"taux": data}
        return data

    @model_validator(mode="after")
    def one_of_two(self) -> PartnerTarget:
        if (self.taux is None) == (self.nombre is None):
            raise ValueError(
                _(
                    "give a rate in % (30, or taux: 30) or a number of allocations a year (nombre:"
                    " 12), one of the two"
                )
            )
        return self

    def rate(self, base: int | None) -> Decimal | None:
        """The target as a ratio of `base`; a number's rate is unknown while its base is."""
        if self.taux is not None:
            return self.taux / 100
        if base is None or not base:
            return None
        return Decimal(self.nombre or 0) / base

    def commitment(self, base: int | None) -> int | None:
        """Allocations this target asks for on `base` (rounded up); None when unknown."""
        if self.nombre is not None:
            return self.nombre
        if base is None or self.taux is None:
            return None
        return math.ceil(base * self.taux / 100)


class Objectives(BaseModel):
    """The quantified objectives of the allocation policy (CIA), in %; the law's by default.

    `premier_quartile_hors_qpv` and `autres_quartiles_en_qpv` are a rate for the whole EPCI, or
    a mapping: `ensemble` (the EPCI's rate, the law's by default) and one target per landlord or
    reservation holder (a rate, `{taux: 30}` or `{nombre: 12}`); `prioritaires` maps
    contingents and landlords to their rates. The partners' targets end up in `partenaires`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    qpv: bool | None = Field(
        None,
        description="false: the territory has no QPV; with QPV, list them in data/qpv.csv",
    )
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
    partenaires: dict[str, dict[str, PartnerTarget]] = Field(
        default_factory=dict,
        description="objective → partner → its own target (filled from the mapping forms)",
    )

    @model_validator(mode="before")
    @classmethod
    def partner_targets(cls, data: Any) -> Any:
        """The mapping forms: the EPCI's rate stays in place, the partners' go to `partenaires`."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        own: dict[str, dict[str, Any]] = {
            k: dict(v) for k, v in (data.get("partenaires") or {}).items()
        }
        for key in ("premier_quartile_hors_qpv", "autres_quartiles_en_qpv"):
            value = data.get(key)
            if isinstance(value, dict):
                rest = dict(value)
                whole = next((k for k in rest if str(k).casefold() == WHOLE), None)
                if whole is not None:
                    data[key] = rest.pop(whole)
                else:
                    data.pop(key)
                own.setdefault(key, {}).update(rest)
        rates = data.get("prioritaires")
        if isinstance(rates, dict):
            allowed = {k.casefold() for k in (*CONTINGENTS, "autres")}
            landlords = {k: v for k, v in rates.items() if str(k).casefold() not in allowed}
            if landlords:
                data["prioritaires"] = {k: v for k, v in rates.items() if k not in landlords}
                own.setdefault("prioritaires", {}).update(landlords)
        if own:
            data["partenaires"] = own
        return data

    @field_validator("partenaires")
    @classmethod
    def known_objectives(
        cls, targets: dict[str, dict[str, PartnerTarget]]
    ) -> dict[str, dict[str, PartnerTarget]]:
        for key in targets:
            if key not in PARTNER_OBJECTIVES:
                names = ", ".join(PARTNER_OBJECTIVES)
                raise ValueError(
                    _('no partner targets for "{key}" — use one of {names}', key=key, names=names)
                )
        return targets

    @field_validator("prioritaires")
    @classmethod
    def known_contingents(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        allowed = {k.casefold(): k for k in (*CONTINGENTS, "autres")}
        result = {"État": Decimal(100), "autres": Decimal(25)}
        for key, rate in rates.items():
            if key.casefold() not in allowed:
                names = ", ".join(quoted(k) for k in allowed.values())
                raise ValueError(
                    _('unknown contingent "{key}" — use one of {names}', key=key, names=names)
                )
            if not 0 <= Decimal(rate) <= 100:
                raise ValueError(
                    _('the rate of "{key}" must be a percentage between 0 and 100', key=key)
                )
            result[allowed[key.casefold()]] = Decimal(rate)
        return result

    def priority_target(self, contingent: str) -> Decimal:
        """Target share (ratio) of a contingent's allocations to DALO and priority households."""
        return self.prioritaires.get(contingent, self.prioritaires["autres"]) / 100

    @property
    def has_qpv(self) -> bool:
        return self.qpv is True

    def whole_rate(self, objective: str) -> Decimal | None:
        """The EPCI's target of a location objective, as a ratio (None: not measured)."""
        if objective == "premier_quartile_hors_qpv":
            return self.premier_quartile_hors_qpv / 100
        if objective == "autres_quartiles_en_qpv":
            return self.autres_quartiles_en_qpv / 100 if self.has_qpv else None
        raise KeyError(objective)

    def own_target(self, objective: str, partner: str) -> PartnerTarget | None:
        """A landlord's or reservation holder's own target for an objective, if it has one."""
        return self.partenaires.get(objective, {}).get(partner)

    def target_of(self, objective: str, partner: str, base: int | None) -> Decimal | None:
        """The ratio a partner must reach on `base`: its own target, else the EPCI's."""
        own = self.own_target(objective, partner)
        return own.rate(base) if own is not None else self.whole_rate(objective)

    def commitment_of(self, objective: str, partner: str, base: int | None) -> int | None:
        """Allocations a partner commits to on `base` a year: its own target, else the EPCI's
        rate applied to it (rounded up); None when the base is unknown."""
        own = self.own_target(objective, partner)
        if own is not None:
            return own.commitment(base)
        rate = self.whole_rate(objective)
        if rate is None or base is None:
            return None
        return math.ceil(base * rate)


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
        "autres_quartiles_qpv": goals.autres_quartiles_en_qpv / 100 if goals.has_qpv else None,
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
