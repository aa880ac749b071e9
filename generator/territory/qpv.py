"""The quartiers prioritaires de la politique de la ville (QPV) of a territory (data/qpv.csv).

A territory either lists its QPV here or says in territory.yaml that it has none
(`objectifs.qpv: false`); the two location objectives of the CIA depend on it (art. L441-1 CCH:
first-quartile households outside QPV, households of the other quartiles inside QPV).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.errors import Location, Problems, display_path
from generator.messages import N_, _
from generator.reference import Commune, CommuneIndex
from generator.territory import columns as c
from generator.territory.registry import (
    ByTerritory,
    Record,
    TableSpec,
    column,
    commune_column,
    notes,
)
from generator.territory.tables import Row

#: QPV codes: « QN » + département on three characters + order number + letter (2024 décret
#: n° 2023-1314), or « QP » + département + three digits (2015 décret n° 2014-1750).
_CODE = re.compile(r"^(?:QN(?P<dn>\d{3}|02[AB])\d{2}[A-Z]|QP(?P<dp>\d{3}|02[AB])\d{3})$")
_SEPARATORS = re.compile(r"\s*[;|]\s*")


def qpv_code(value: Any) -> str:
    """An official QPV code, written in capitals: QN00701M (2024) or QP007001 (2015)."""
    raw = c.text(value).upper().replace(" ", "")
    if not _CODE.match(raw):
        raise c.CellError(
            _(
                'expected an official QPV code such as "QN03401M" (2024) or "QP034001" (2015), got'
                ' "{value}"',
                value=c.text(value),
            )
        )
    return raw


def code_departement(code: str) -> str:
    """The département a QPV code names, as INSEE writes it (07, 2A, 971)."""
    found = _CODE.match(code)
    assert found is not None
    digits = found.group("dn") or found.group("dp")
    return digits[1:] if digits.startswith("0") else digits


def communes_column(index: CommuneIndex) -> c.Parser:
    """One or several communes of the EPCI, separated by « ; »."""
    one = commune_column(index)

    def parse(value: Any) -> tuple[Commune, ...]:
        names = [n for n in _SEPARATORS.split(c.text(value)) if n]
        found: list[Commune] = []
        for name in names:
            commune = one(name)
            if commune not in found:
                found.append(commune)
        return tuple(found)

    return parse


@dataclass(frozen=True, kw_only=True)
class Qpv(Record):
    """A quartier prioritaire de la politique de la ville lying in the EPCI."""

    code: str = column(
        qpv_code,
        N_("official code of the QPV"),
        required=True,
        example="QN03401M",
        doc="official code: `QN` + département + number + letter since 2024 (`QN03401M`), "
        "`QP` + département + three digits for the 2015 list (`QP034001`)",
    )
    nom: str = column(c.text, N_("name of the QPV"), required=True, example="Les Cévennes")
    communes: tuple[Commune, ...] = column(
        ByTerritory(communes_column),
        N_("commune(s) of the QPV, separated by « ; »"),
        required=True,
        doc="official name or INSEE code of each commune the QPV lies in, separated by `;`",
    )
    source: str | None = column(
        c.text, N_("where the list comes from"), example="décret n° 2023-1314 du 28 décembre 2023"
    )
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        departement = code_departement(values["code"])
        others = [m for m in values["communes"] if m.departement != departement]
        if others:
            names = ", ".join(f"{m.nom} ({m.departement})" for m in others)
            problems.add(
                row.at("code"),
                _(
                    "{code} is a QPV of département {departement}, but {names} is not in it: check"
                    " the code",
                    code=values["code"],
                    departement=departement,
                    names=names,
                ),
            )
            return None
        return values


TABLES = (TableSpec("qpv", N_("quartiers prioritaires (QPV)"), Qpv, unique=("code",)),)


def qpv_problems(qpv: list[Qpv], declared: bool | None, folder: Any) -> Problems:
    """The QPV list against `objectifs.qpv`: a list and « no QPV » at once is a contradiction."""
    problems = Problems()
    where = Location(display_path(folder / "territory.yaml"), key="objectifs.qpv")
    if declared is False and qpv:
        problems.add(
            where,
            _(
                "false (no QPV) but data/qpv lists {count} QPV: remove the setting or the list",
                count=len(qpv),
            ),
        )
    return problems


def qpv_missing(qpv: list[Qpv], declared: bool | None, folder: Any) -> Location | None:
    """Where to say whether the territory has QPV, when it says neither (None: it does)."""
    if qpv or declared is False:
        return None
    return Location(display_path(folder / "territory.yaml"), key="objectifs.qpv")
