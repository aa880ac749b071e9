"""Council sittings (séances) and their members, as data, with the checks a prefecture would make.

One row per sitting in `seances`, one row per member and sitting in `seances_membres`; the two
meet on the columns conseil, commune and date. Counts are declared in `seances` as the act shows
them, names are listed in `seances_membres`, and the checks say where the two disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import process

from generator.errors import Problem, Problems
from generator.reference import Commune, normalize
from generator.territory import columns as c
from generator.territory.registry import EPCI_COMMUNE, Record, TableSpec, column, notes
from generator.territory.tables import Row

if TYPE_CHECKING:
    from generator.territory.schema import Territory

MUNICIPAL, COMMUNITY = "municipal", "communautaire"
PRESENT, ABSENT, EXCUSED = "présent", "absent", "excusé"
CHAIR, SECRETARY = "président", "secrétaire"
#: Clear days between convocation and sitting (CGCT L2121-11 and L2121-12).
CONVOCATION_DAYS, LARGE_COMMUNE, LARGE_CONVOCATION_DAYS = 3, 3500, 5


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeliberationSettings(_Settings):
    """What a deliberation says beyond the policy it approves (its orientations are the CIA's)."""

    objet: str = "Réforme des attributions des logements sociaux"
    duree_ppgdid_ans: int = Field(6, ge=1, le=20)
    engagements_commune: list[str] = Field(default_factory=list)
    engagements_epci: list[str] = Field(default_factory=list)
    visas: list[str] = Field(default_factory=list, description="local visas, after the laws")


def _word(options: dict[str, str], shown: str) -> c.Parser:
    """One word of a closed list, whatever its case, accents or feminine ending."""

    def parse(value: Any) -> str:
        raw = c.text(value)
        try:
            return options[normalize(raw)]
        except KeyError:
            raise c.CellError(f'expected {shown}, got "{raw}"') from None

    return parse


_CONSEIL = _word({MUNICIPAL: MUNICIPAL, COMMUNITY: COMMUNITY}, '"municipal" or "communautaire"')
_PRESENCE = _word(
    {"present": PRESENT, "presente": PRESENT, "absent": ABSENT, "absente": ABSENT}
    | {"excuse": EXCUSED, "excusee": EXCUSED},
    '"présent", "absent" or "excusé"',
)
_ROLE = _word(
    {"president": CHAIR, "presidente": CHAIR, "secretaire": SECRETARY},
    '"président" or "secrétaire" (or nothing)',
)
_CIVILITE = _word(
    {"m": "M.", "mr": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}, '"M." or "Mme"'
)


def time_of_day(value: Any) -> dt.time:
    """20:30, 20h30, 20 h or 20:30:00, or a time cell of a spreadsheet."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    raw = c.text(value)
    parts = raw.lower().replace(" ", "").replace("h", ":").rstrip(":").split(":")
    try:
        return dt.time(int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
    except ValueError:
        raise c.CellError(f'expected a time of day, got "{raw}" — write it as 20:30') from None


@dataclass(frozen=True, kw_only=True)
class _SittingKey(Record):
    """The columns by which a member's row names its sitting."""

    conseil: str = column(
        _CONSEIL,
        '"municipal" or "communautaire"',
        required=True,
        doc="`municipal` or `communautaire`",
    )
    commune: Commune | None = column(
        EPCI_COMMUNE,
        "commune of the council, or where it sat",
        doc=(
            "the commune of a municipal council (required then); for the community council, "
            "the commune where it sat (« Fait à »)"
        ),
    )
    date: dt.date = column(c.date, "date of the sitting", required=True, example="17/03/2025")

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.conseil, self.commune.insee if self.commune else "", self.date)


def _number(name: str, doc: str) -> Any:
    return column(c.count, f"number: {name}", needed=True, doc=doc)


@dataclass(frozen=True, kw_only=True)
class Sitting(_SittingKey):
    """One sitting of a council, as its deliberation's header shows it."""

    heure: dt.time | None = column(
        time_of_day,
        "time the sitting opened",
        needed=True,
        example="20:30",
        doc="time it opened: `20:30` (printed « à vingt heures trente »)",
    )
    lieu: str | None = column(
        c.text,
        "where it sat, if not its usual place",
        doc=(
            "where it sat, as it reads after « s'est réuni au nombre prescrit par la loi, »; "
            "empty: « dans le lieu habituel de ses séances »"
        ),
    )
    en_exercice: int | None = _number("en_exercice", "members in office")
    presents: int | None = _number("presents", "members present")
    suffrages: int | None = _number("suffrages", "votes cast (present + proxies)")
    pour: int | None = _number("pour", "votes for")
    contre: int | None = _number("contre", "votes against")
    abstention: int | None = _number("abstention", "abstentions")
    numero_acte: str | None = column(c.text, "internal number of the act", needed=True)
    convocation: dt.date | None = column(c.date, "date the convocation was sent", needed=True)
    affichage: dt.date | None = column(c.date, "date of display", needed=True)
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        if values["conseil"] == MUNICIPAL and values["commune"] is None:
            problems.add(row.at("commune"), "empty cell — a municipal council needs its commune")
            return None
        return values


@dataclass(frozen=True, kw_only=True)
class Member(_SittingKey):
    """A member of the council at one sitting: presence, proxy given, role."""

    civilite: str = column(_CIVILITE, '"M." or "Mme"', required=True, doc="`M.` or `Mme`")
    nom: str = column(c.text, "surname", required=True, doc="surname (printed in capitals)")
    prenom: str = column(c.text, "first name", required=True)
    presence: str = column(
        _PRESENCE,
        '"présent", "absent" or "excusé"',
        required=True,
        doc="`présent`, `absent` or `excusé` (feminine forms accepted)",
    )
    pouvoir_a: str | None = column(
        c.text,
        "member present who holds this member's proxy",
        doc="for a member not present who gave a proxy: the member who holds it, `FOUREL Huguette`",
    )
    role: str | None = column(
        _ROLE,
        '"président" or "secrétaire" of the sitting',
        doc="`président` (the chair) or `secrétaire` (secretary of the sitting), else empty",
    )
    notes: str | None = notes()

    @property
    def name(self) -> str:
        """« M. LAFAGE Stéphane »: civility, surname in capitals, first name."""
        return f"{self.civilite} {self.nom.upper()} {self.prenom}"

    @property
    def match_keys(self) -> tuple[str, str]:
        return normalize(f"{self.nom} {self.prenom}"), normalize(f"{self.prenom} {self.nom}")


TABLES = (
    TableSpec(
        "seances",
        "council sittings",
        Sitting,
        order=lambda s: (s.date, s.commune.nom if s.commune else "", s.conseil),
    ),
    TableSpec("seances_membres", "members at each sitting", Member),
)


def members_of(territory: Territory, sitting: Sitting) -> list[Member]:
    return [m for m in territory.seances_membres if m.key == sitting.key]


def proxy_holder(member: Member, members: Iterable[Member]) -> Member | None:
    """The member named in `pouvoir_a`, written « NOM Prénom » or « Prénom NOM »."""
    words = [w for w in normalize(member.pouvoir_a or "").split() if w not in {"m", "mme"}]
    wanted = " ".join(words)
    return next((m for m in members if wanted in m.match_keys), None)


def clear_days(sent: dt.date, sitting: dt.date) -> int:
    """Whole days between the sending and the sitting, neither counted."""
    return (sitting - sent).days - 1


def required_clear_days(population: int) -> int:
    return LARGE_CONVOCATION_DAYS if population >= LARGE_COMMUNE else CONVOCATION_DAYS


def population(territory: Territory, sitting: Sitting) -> int:
    """The commune's, or for the community council the EPCI's (the rules of 3 500 and more)."""
    if sitting.conseil == MUNICIPAL and sitting.commune:
        return sitting.commune.population
    return sum(commune.population for commune in territory.communes)


def check_sittings(territory: Territory) -> tuple[Problems, list[Problem]]:
    """Errors (the act would be wrong) and warnings (it may be challenged) of every sitting."""
    errors, warnings = Problems(), Problems()
    sittings = territory.seances
    seen: dict[tuple[str, str, dt.date], Sitting] = {}
    for sitting in sittings:
        if sitting.key in seen:
            where = f"row {seen[sitting.key].row.line}"
            errors.add(sitting.row.at("date"), f"this sitting is already given in {where}")
            continue
        seen[sitting.key] = sitting
        members = members_of(territory, sitting)
        _check_members(members, errors)
        _check_counts(sitting, members, errors)
        _check_rules(sitting, population(territory, sitting), errors, warnings)
    for member in territory.seances_membres:
        if member.key not in seen:
            errors.add(
                member.row.at("date"),
                "no sitting with this conseil, commune and date in seances — copy them from "
                "the sitting's row",
            )
    return errors, warnings.items


def _suggest(text: str, members: Iterable[Member]) -> str:
    names = {m.name: m.match_keys[0] for m in members}
    found = process.extractOne(normalize(text), names, score_cutoff=70)
    return f' — did you mean "{found[2]}"?' if found else ""


def _check_members(members: list[Member], errors: Problems) -> None:
    """Each member once; proxies from an absent member to a present one; officers present."""
    first: dict[str, Member] = {}
    held: dict[str, Member] = {}
    for member in members:
        other = first.setdefault(member.match_keys[0], member)
        if other is not member:
            errors.add(member.row.at("nom"), f"{member.name} is already in row {other.row.line}")
        if member.role and member.presence != PRESENT:
            message = f"{member.name} is {member.presence}: the {member.role} must be present"
            errors.add(member.row.at("role"), message)
        if member.pouvoir_a:
            _check_proxy(member, members, held, errors)
    for role in (CHAIR, SECRETARY):
        officers = [m for m in members if m.role == role]
        for extra in officers[1:]:
            message = f"{officers[0].name} (row {officers[0].row.line}) is already the {role}"
            errors.add(extra.row.at("role"), message)


def _check_proxy(
    member: Member, members: list[Member], held: dict[str, Member], errors: Problems
) -> None:
    where = member.row.at("pouvoir_a")
    holder = proxy_holder(member, members)
    if member.presence == PRESENT:
        errors.add(where, f"{member.name} is present: only a member not present gives a proxy")
    elif holder is None:
        names = {m.name: m.match_keys[0] for m in members}
        found = process.extractOne(normalize(member.pouvoir_a or ""), names, score_cutoff=70)
        hint = f' — did you mean "{found[2]}"?' if found else ""
        errors.add(where, f'no member "{member.pouvoir_a}" at this sitting{hint}')
    elif holder.presence != PRESENT:
        message = f"{holder.name} (row {holder.row.line}) is {holder.presence}"
        errors.add(where, f"{message}: a proxy goes to a member present")
    elif holder.name in held:
        giver = held[holder.name]
        message = f"{holder.name} already holds the proxy of {giver.name} (row {giver.row.line})"
        errors.add(where, f"{message}: one proxy per member at most")
    else:
        held[holder.name] = member


def _all_given(values: tuple[int | None, ...]) -> TypeGuard[tuple[int, ...]]:
    """Whether every count is given (none left blank)."""
    return all(value is not None for value in values)


def _check_counts(sitting: Sitting, members: list[Member], errors: Problems) -> None:
    """The header's counts against the names listed, and the votes against the votes cast."""
    at, in_office, present = sitting.row.at, sitting.en_exercice, sitting.presents
    counted = Counter(m.presence for m in members)
    proxies = sum(1 for m in members if m.pouvoir_a and m.presence != PRESENT)
    if members and in_office is not None and len(members) != in_office:
        listed = (
            f"{counted[PRESENT]} present + {counted[ABSENT]} absent + {counted[EXCUSED]} excused"
        )
        message = f"{in_office} members in office, but seances_membres lists {listed}"
        errors.add(at("en_exercice"), f"{message} = {len(members)} for this sitting")
    if members and present is not None and counted[PRESENT] != present:
        message = f"{present} present, but seances_membres lists {counted[PRESENT]} present"
        errors.add(at("presents"), message)
    if in_office is not None and present is not None and present > in_office:
        errors.add(at("presents"), f"more present than the {in_office} members in office")
    cast = sitting.suffrages
    if members and cast is not None and present is not None and cast != present + proxies:
        given = f"{present} present + {proxies} prox{'ies' if proxies > 1 else 'y'}"
        errors.add(at("suffrages"), f"{cast} votes cast, but {given} = {present + proxies}")
    votes = (sitting.pour, sitting.contre, sitting.abstention)
    if cast is not None and _all_given(votes) and sum(votes) > cast:
        added = f"for {votes[0]} + against {votes[1]} + abstention {votes[2]} = {sum(votes)}"
        errors.add(at("pour"), f"{added}, more than the {cast} votes cast")


def _check_rules(sitting: Sitting, inhabitants: int, errors: Problems, warnings: Problems) -> None:
    """Quorum and convocation delay: warnings, since a second convocation may lift them."""
    at, in_office, present = sitting.row.at, sitting.en_exercice, sitting.presents
    if in_office is not None and present is not None and present * 2 <= in_office:
        needed = f"{in_office // 2 + 1} needed"
        message = f"quorum not reached: {present} present of {in_office} in office, {needed}"
        warnings.add(at("presents"), f"{message} — valid only after a second convocation")
    if sitting.convocation is None:
        return
    days = clear_days(sitting.convocation, sitting.date)
    if days < 0:
        errors.add(at("convocation"), "the convocation is dated on or after the sitting")
    elif days < (needed_days := required_clear_days(inhabitants)):
        rule = f"{'from' if needed_days > CONVOCATION_DAYS else 'below'} {LARGE_COMMUNE}"
        plural = "s" if days > 1 else ""
        message = (
            f"{days} clear day{plural} between convocation and sitting, {needed_days} required"
        )
        warnings.add(at("convocation"), f"{message} for {inhabitants} inhabitants ({rule})")
