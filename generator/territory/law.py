"""The law as dated data: which texts and rules apply on a date, and how a rule changed.

Texts (content/national/cadre-legal.yaml) and rules (content/national/regles.yaml) carry the day
they took effect and, where they stopped, their last day. These functions are pure: they take
the loaded blocks (plain mappings) and a date, and are tested directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


def applies(item: Mapping[str, Any], on: dt.date) -> bool:
    """In force on `on`: taken effect (« vigueur » or « debut ») and not yet ended (« fin »)."""
    start = item.get("vigueur", item.get("debut"))
    end = item.get("fin")
    return (start is None or start <= on) and (end is None or on <= end)


def in_force(texts: Iterable[Mapping[str, Any]], on: dt.date) -> list[Mapping[str, Any]]:
    """The texts in force on `on`, in their order."""
    return [text for text in texts if applies(text, on)]


def published_by(texts: Iterable[Mapping[str, Any]], on: dt.date) -> list[Mapping[str, Any]]:
    """The texts published on or before `on` (a document cites none published after it)."""
    return [text for text in texts if text["publication"] <= on]


class NoVersion(LookupError):
    """A rule asked for on a date none of its versions covers."""


def rule(rules: Mapping[str, Any], code: str) -> Mapping[str, Any]:
    for item in rules["regles"]:
        if item["code"] == code:
            return item
    raise KeyError(f'no rule "{code}" in content/national/regles.yaml')


def version_at(rules: Mapping[str, Any], code: str, on: dt.date) -> Mapping[str, Any] | None:
    """The version of rule `code` in force on `on`; None before the rule existed."""
    found = [v for v in rule(rules, code)["versions"] if applies(v, on)]
    return found[0] if found else None


def value_at(rules: Mapping[str, Any], code: str, key: str, on: dt.date) -> Any:
    version = version_at(rules, code, on)
    if version is None:
        raise NoVersion(f'rule "{code}" does not apply on {on.isoformat()}')
    return version["valeurs"][key]


@dataclass(frozen=True)
class Change:
    """A rule's value before and after a day within a period."""

    code: str
    key: str
    before: Any
    after: Any
    on: dt.date


def changes(
    rules: Mapping[str, Any], code: str, key: str, start: dt.date, end: dt.date
) -> list[Change]:
    """Each change of `key` of rule `code` taking effect within [start, end]."""
    found = []
    for version in rule(rules, code)["versions"]:
        begins = version.get("debut")
        if begins is None or not start < begins <= end:
            continue
        before = version_at(rules, code, begins - dt.timedelta(days=1))
        old = before["valeurs"].get(key) if before else None
        new = version["valeurs"].get(key)
        if old != new:
            found.append(Change(code, key, old, new, begins))
    return found


def unverified(
    rules: Mapping[str, Any], on: dt.date | None = None, domain: str = "documents"
) -> list[tuple[str, str, str]]:
    """(rule code, article, reason) of each version not checked against its article's text,
    among the rules `domain` applies (and, given `on`, the versions in force that day)."""
    return [
        (item["code"], version["article"], version.get("raison", ""))
        for item in rules["regles"]
        if item.get("domaine", "documents") == domain
        for version in item["versions"]
        if not version.get("verifie", True) and (on is None or applies(version, on))
    ]
