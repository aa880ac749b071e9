"""The quorum of a deliberating body on a given day, from the dated rules of content/national/.

The ordinary rule (more than half of the members in office present, one proxy per member: CGCT
L2121-17 and L2121-20) was set aside three times during the covid-19 health emergency (a third
of the members in office, two proxies per member). A sitting is checked, and its act worded,
under the rule in force on its date.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.resources import CONTENT
from generator.territory import law
from generator.territory.yaml_files import read_yaml

if TYPE_CHECKING:
    from generator.territory.schema import Territory

RULES, QUORUM = "national/regles.yaml", "quorum-organe-deliberant"
THIRD = "tiers"
PRESENT_OR_REPRESENTED = "presents-ou-representes"
BUREAU = "bureau"  #: the EPCI's bureau (generator/territory/sittings.py, column « conseil »)


@dataclass(frozen=True)
class QuorumRule:
    """What the quorum of a sitting is on its date, and the text the act cites for it."""

    third: bool  #: a third of the members in office, instead of more than half
    counts_represented: bool  #: members represented count towards the quorum
    proxies_max: int  #: proxies a member present may hold
    citation: str  #: « article L2121-17 du code général des collectivités territoriales »
    article: str  #: the article as the rule names it, for messages
    derogation: bool  #: not the ordinary rule of the CGCT
    unverified: str | None = None  #: why the version was not read in its text, if it was not

    def quorum(self, in_office: int) -> int:
        """Members needed: a third at least, or more than half, of the members in office."""
        return math.ceil(in_office / 3) if self.third else in_office // 2 + 1

    def counted(self, present: int, represented: int | None) -> int | None:
        """The members that count towards the quorum (None when the proxies are not known)."""
        if not self.counts_represented:
            return present
        return None if represented is None else present + represented


#: The ordinary rule, for a sitting whose territory's rules cannot be read (never in practice:
#: the national block ships with the package and is validated when the territory loads).
ORDINARY = QuorumRule(
    third=False,
    counts_represented=False,
    proxies_max=1,
    citation="article L2121-17 du code général des collectivités territoriales",
    article="CGCT L2121-17",
    derogation=False,
)


@functools.lru_cache(maxsize=8)
def _read(path: Path, stamp: float) -> dict[str, Any]:
    return read_yaml(path)  # validated with the other blocks when the territory loads


def national_rules(territory: Territory) -> dict[str, Any]:
    """The rules block in effect: the territory's override, else the package's."""
    override = territory.folder / "overrides" / RULES
    path = override if override.is_file() else Path(CONTENT) / RULES
    return _read(path, path.stat().st_mtime)


def quorum_rule(rules: dict[str, Any], on: dt.date, body: str | None = None) -> QuorumRule:
    """The quorum rule in force on `on` for `body` (« municipal », « communautaire » or
    « bureau »; pure: `rules` is the loaded block). A version that does not cover the EPCI's
    bureau (« bureau_exclu ») leaves it under the rule of the day before that version."""
    version = law.version_at(rules, QUORUM, on)
    if version is None:
        return ORDINARY
    values = version["valeurs"]
    if body == BUREAU and values.get("bureau_exclu") and version.get("debut"):
        return quorum_rule(rules, version["debut"] - dt.timedelta(days=1), body)
    return QuorumRule(
        third=values["fraction"] == THIRD,
        counts_represented=values["compte"] == PRESENT_OR_REPRESENTED,
        proxies_max=int(values["pouvoirs_max"]),
        citation=" ".join(str(values["citation"]).split()),
        article=" ".join(str(version["article"]).split()),
        derogation=values["fraction"] == THIRD,
        unverified=None if version.get("verifie", True) else " ".join(version["raison"].split()),
    )


def rule_on(territory: Territory, on: dt.date, body: str | None = None) -> QuorumRule:
    return quorum_rule(national_rules(territory), on, body)
