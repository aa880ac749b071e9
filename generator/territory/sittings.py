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
from generator.messages import N_, _, quoted
from generator.reference import Commune, normalize
from generator.territory import columns as c
from generator.territory.registry import EPCI_COMMUNE, Record, TableSpec, column, notes
from generator.territory.sitting_rules import QuorumRule, rule_on
from generator.territory.tables import Row

if TYPE_CHECKING:
    from generator.territory.schema import Territory

#: The bodies that deliberate: a commune's council, the EPCI's council, the EPCI's bureau acting
#: by delegation of its council (CGCT L5211-10).
MUNICIPAL, COMMUNITY, BUREAU = "municipal", "communautaire", "bureau"
PRESENT, ABSENT, EXCUSED = "présent", "absent", "excusé"
CHAIR, SECRETARY = "président", "secrétaire"
#: Clear days between convocation and sitting: 3 in communes under 3 500 inhabitants (CGCT
#: L2121-11), 5 from 3 500 (L2121-12); an EPCI follows the rule of 3 500 and more when one of its
#: communes has 3 500 inhabitants or more, the other otherwise (L5211-1).
CONVOCATION_DAYS, LARGE_COMMUNE, LARGE_CONVOCATION_DAYS = 3, 3500, 5
#: After a first sitting without quorum, the council is convened again at least three days later
#: and deliberates without quorum (CGCT L2121-17; L5211-1 for the EPCI).
SECOND_CONVOCATION_DAYS = 3
#: What a sitting may approve, in the order of the articles; empty cell: the PPGDID (with its
#: annexes), the document cadre and the CIA, as in the reform's first deliberations.
PPGDID, ANNEXES, FRAMEWORK, CIA, BILAN = "ppgdid", "annexes", "document-cadre", "cia", "bilan"
DOCUMENTS = (PPGDID, ANNEXES, FRAMEWORK, CIA, BILAN)
DEFAULT_DOCUMENTS = (PPGDID, FRAMEWORK, CIA)


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
    """One word of a closed list, whatever its case, accents or feminine ending (`shown`, a
    msgid, lists them in messages)."""

    def parse(value: Any) -> str:
        raw = c.text(value)
        try:
            return options[normalize(raw)]
        except KeyError:
            raise c.CellError(_('expected {shown}, got "{raw}"', shown=_(shown), raw=raw)) from None

    return parse


_CONSEIL = _word(
    {MUNICIPAL: MUNICIPAL, COMMUNITY: COMMUNITY, BUREAU: BUREAU, "bureau communautaire": BUREAU},
    N_('"municipal", "communautaire" or "bureau"'),
)
_DOCUMENT_WORDS = {normalize(d.replace("-", " ")): d for d in DOCUMENTS} | {
    "annexes ppgdid": ANNEXES,
    "annexes du ppgdid": ANNEXES,
    "cadre": FRAMEWORK,
}


def documents(value: Any) -> tuple[str, ...]:
    """« ppgdid; cia », « document cadre », « bilan »: what the sitting approves, in the order
    of the articles whatever the order written."""
    raw = c.text(value)
    chosen = set()
    for part in raw.replace(",", ";").replace("+", ";").split(";"):
        word = normalize(part.replace("-", " ").replace("_", " "))
        if not word:
            continue
        if word not in _DOCUMENT_WORDS:
            shown = ", ".join(quoted(d) for d in DOCUMENTS)
            raise c.CellError(
                _('expected {shown} separated by ";", got "{part}"', shown=shown, part=part.strip())
            )
        chosen.add(_DOCUMENT_WORDS[word])
    return tuple(d for d in DOCUMENTS if d in chosen)


_PRESENCE = _word(
    {"present": PRESENT, "presente": PRESENT, "absent": ABSENT, "absente": ABSENT}
    | {"excuse": EXCUSED, "excusee": EXCUSED},
    N_('"présent", "absent" or "excusé"'),
)
_ROLE = _word(
    {"president": CHAIR, "presidente": CHAIR, "secretaire": SECRETARY},
    N_('"président" or "secrétaire" (or nothing)'),
)
_CIVILITE = _word(
    {"m": "M.", "mr": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}, N_('"M." or "Mme"')
)


def person(value: Any) -> str:
    """« M. DURAND Paul », « Mme Claire MARTIN »: a civility, then the name as it is printed."""
    raw = c.text(value)
    first, _space, rest = raw.partition(" ")
    if not rest.strip():
        raise c.CellError(_('expected "M." or "Mme" then the name, got "{raw}"', raw=raw))
    return f"{_CIVILITE(first)} {rest.strip()}"


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
        raise c.CellError(
            _('expected a time of day, got "{raw}" — write it as 20:30', raw=raw)
        ) from None


@dataclass(frozen=True, kw_only=True)
class _SittingKey(Record):
    """The columns by which a member's row names its sitting."""

    conseil: str = column(
        _CONSEIL,
        N_('"municipal", "communautaire" or "bureau"'),
        required=True,
        doc=(
            "`municipal` (a commune's council), `communautaire` (the EPCI's council) or `bureau` "
            "(the EPCI's bureau, acting by delegation of its council)"
        ),
    )
    commune: Commune | None = column(
        EPCI_COMMUNE,
        N_("commune of the council, or where it sat"),
        doc=(
            "the commune of a municipal council (required then); for the community council or "
            "the bureau, the commune where it sat (« Fait à »)"
        ),
    )
    date: dt.date = column(c.date, N_("date of the sitting"), required=True, example="17/03/2025")

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.conseil, self.commune.insee if self.commune else "", self.date)


def _number(description: str) -> Any:
    return column(c.count, description, needed=True)


@dataclass(frozen=True, kw_only=True)
class Sitting(_SittingKey):
    """One sitting of a council, as its deliberation's header shows it."""

    heure: dt.time | None = column(
        time_of_day,
        N_("time the sitting opened"),
        needed=True,
        example="20:30",
        doc="time it opened: `20:30` (printed « à vingt heures trente »)",
    )
    lieu: str | None = column(
        c.text,
        N_("where it sat, if not its usual place"),
        doc=(
            "where it sat, as it reads after « s'est réuni au nombre prescrit par la loi, »; "
            "empty: « dans le lieu habituel de ses séances »"
        ),
    )
    en_exercice: int | None = _number(N_("members in office"))
    presents: int | None = _number(N_("members present (suppléants sitting included)"))
    suffrages: int | None = _number(
        N_("votes cast: for + against + abstentions, at most present + represented")
    )
    pour: int | None = _number(N_("votes for"))
    contre: int | None = _number(N_("votes against"))
    abstention: int | None = _number(N_("abstentions"))
    numero_acte: str | None = column(c.text, N_("internal number of the act"), needed=True)
    convocation: dt.date | None = column(c.date, N_("date the convocation was sent"), needed=True)
    affichage: dt.date | None = column(c.date, N_("date of display"), needed=True)
    representes: int | None = column(
        c.count,
        N_("number: members represented (proxies given)"),
        doc=(
            "members absent who gave a proxy; counted from seances_membres when the members are "
            "listed, required when only counts are given"
        ),
    )
    suppleants: int | None = column(
        c.count,
        N_("number: suppléants sitting, among the present"),
        doc="community council: suppléants sitting for their titular member, counted in presents",
    )
    seconde_convocation: dt.date | None = column(
        c.date,
        N_("date of the first sitting, without quorum"),
        doc=(
            "when the council sits again after a first sitting without quorum (CGCT L2121-17): "
            "the date of that first sitting; it then deliberates without quorum, and the act "
            "says so"
        ),
    )
    documents: tuple[str, ...] | None = column(
        documents,
        N_("documents approved, separated by ;"),
        example="ppgdid; document-cadre; cia",
        doc=(
            "what the sitting approves, among `ppgdid`, `annexes` (their update), `document-cadre`,"
            " `cia`, `bilan`, separated by `;`; empty: `ppgdid; document-cadre; cia`"
        ),
    )
    objet: str | None = column(
        c.text,
        N_("objet of the act"),
        doc="the act's « Objet », when not the one of territory.yaml or made from the documents",
    )
    delegation_numero: str | None = column(
        c.text,
        N_("number of the council's act delegating to the bureau"),
        doc="for a bureau: the number of the council's deliberation that delegated this power",
    )
    delegation_date: dt.date | None = column(
        c.date,
        N_("date of the council's act delegating to the bureau"),
        doc="for a bureau: the date of that deliberation (required for a bureau)",
    )
    president: str | None = column(
        person,
        N_('"M." or "Mme" then the name of the chair'),
        example="M. DURAND Paul",
        doc="counts only: who chaired, `M. DURAND Paul` (a member list says it in its role column)",
    )
    secretaire: str | None = column(
        person,
        N_('"M." or "Mme" then the name of the secretary'),
        example="Mme MARTIN Claire",
        doc="counts only: the secretary of the sitting, `Mme MARTIN Claire`",
    )
    notes: str | None = notes()

    @classmethod
    def prepare(cls, values: dict[str, Any], row: Row, problems: Problems) -> dict[str, Any] | None:
        if values["conseil"] == MUNICIPAL and values["commune"] is None:
            problems.add(row.at("commune"), _("empty cell — a municipal council needs its commune"))
            return None
        if values["conseil"] == BUREAU and values["delegation_date"] is None:
            problems.add(
                row.at("delegation_date"),
                _(
                    "empty cell — a bureau deliberates by delegation of the council (CGCT"
                    " L5211-10): give the date of the council's deliberation that delegated this"
                    " power"
                ),
            )
            return None
        if values["conseil"] != BUREAU and (
            values["delegation_date"] or values["delegation_numero"]
        ):
            problems.add(
                row.at("delegation_date" if values["delegation_date"] else "delegation_numero"),
                _(
                    "only a bureau acts by delegation, not a {conseil} council — empty it",
                    conseil=values["conseil"],
                ),
            )
            return None
        return values

    @property
    def approves(self) -> tuple[str, ...]:
        """What the sitting approves, in the order of the articles."""
        return self.documents or DEFAULT_DOCUMENTS


@dataclass(frozen=True, kw_only=True)
class Member(_SittingKey):
    """A member of the council at one sitting: presence, proxy given, role."""

    civilite: str = column(_CIVILITE, N_('"M." or "Mme"'), required=True, doc="`M.` or `Mme`")
    nom: str = column(c.text, N_("surname"), required=True, doc="surname (printed in capitals)")
    prenom: str = column(c.text, N_("first name"), required=True)
    presence: str = column(
        _PRESENCE,
        N_('"présent", "absent" or "excusé"'),
        required=True,
        doc="`présent`, `absent` or `excusé` (feminine forms accepted)",
    )
    pouvoir_a: str | None = column(
        c.text,
        N_("member present who holds this member's proxy"),
        doc="for a member not present who gave a proxy: the member who holds it, `FOUREL Huguette`",
    )
    suppleant_de: str | None = column(
        c.text,
        N_("titular member this suppléant sits for"),
        doc=(
            "community council: for a suppléant sitting for the titular member of a commune with "
            "one seat, that member (listed absent or excused, without proxy), `DURAND Paul`; the "
            "suppléant is counted present, not in office"
        ),
    )
    role: str | None = column(
        _ROLE,
        N_('"président" or "secrétaire" of the sitting'),
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
        N_("council sittings"),
        Sitting,
        order=lambda s: (s.date, s.commune.nom if s.commune else "", s.conseil),
    ),
    TableSpec("seances_membres", N_("members at each sitting"), Member),
)


def members_of(territory: Territory, sitting: Sitting) -> list[Member]:
    return [m for m in territory.seances_membres if m.key == sitting.key]


def named(text: str | None, members: Iterable[Member]) -> Member | None:
    """The member written « NOM Prénom » or « Prénom NOM » (civility allowed)."""
    words = [w for w in normalize(text or "").split() if w not in {"m", "mme"}]
    wanted = " ".join(words)
    return next((m for m in members if wanted in m.match_keys), None)


def proxy_holder(member: Member, members: Iterable[Member]) -> Member | None:
    """The member named in `pouvoir_a`."""
    return named(member.pouvoir_a, members)


def substitutes_of(members: Iterable[Member]) -> list[Member]:
    """The suppléants sitting for a titular member: present, not in office."""
    return [m for m in members if m.suppleant_de]


def clear_days(sent: dt.date, sitting: dt.date) -> int:
    """Whole days between the sending and the sitting, neither counted."""
    return (sitting - sent).days - 1


def required_clear_days(population: int) -> int:
    return LARGE_CONVOCATION_DAYS if population >= LARGE_COMMUNE else CONVOCATION_DAYS


def population(territory: Territory, sitting: Sitting) -> int:
    """The inhabitants that set the convocation delay: the commune's for its council; for the
    EPCI's council and bureau, its largest commune's (CGCT L5211-1: the rules of 3 500 and more
    when one commune has 3 500 inhabitants or more)."""
    if sitting.conseil == MUNICIPAL and sitting.commune:
        return sitting.commune.population
    return max((commune.population for commune in territory.communes), default=0)


@dataclass(frozen=True)
class Attendance:
    """The counts of a sitting as its act prints them, from the header or the member list."""

    in_office: int | None
    present: int | None
    represented: int | None  #: proxies given; from the member list when there is one
    substitutes: int | None
    cast: int | None
    quorum: int | None
    quorum_reached: bool | None  #: None while the counts do not tell
    second_convocation: dt.date | None
    convened_in_time: bool | None  #: None without a convocation date
    rule: QuorumRule  #: the quorum rule in force on the sitting's date

    @property
    def present_or_represented(self) -> int | None:
        if self.present is None or self.represented is None:
            return None
        return self.present + self.represented

    @property
    def lawful(self) -> bool:
        """Whether the act may say « s'est réuni au nombre prescrit par la loi »."""
        return bool(self.quorum_reached) or self.second_convocation is not None


def proxies_listed(members: Iterable[Member]) -> int:
    return sum(1 for m in members if m.pouvoir_a and m.presence != PRESENT)


def attendance(territory: Territory, sitting: Sitting, members: list[Member]) -> Attendance:
    in_office, present = sitting.en_exercice, sitting.presents
    represented = proxies_listed(members) if members else sitting.representes
    in_time = None
    if sitting.convocation is not None:
        days = clear_days(sitting.convocation, sitting.date)
        in_time = days >= required_clear_days(population(territory, sitting))
    rule = rule_on(territory, sitting.date, sitting.conseil)
    counted = rule.counted(present, represented) if present is not None else None
    return Attendance(
        in_office=in_office,
        present=present,
        represented=represented,
        substitutes=len(substitutes_of(members)) if members else sitting.suppleants,
        cast=sitting.suffrages,
        quorum=rule.quorum(in_office) if in_office is not None else None,
        quorum_reached=(
            counted >= rule.quorum(in_office)
            if in_office is not None and counted is not None
            else None
        ),
        second_convocation=sitting.seconde_convocation,
        convened_in_time=in_time,
        rule=rule,
    )


def check_sittings(territory: Territory) -> tuple[Problems, list[Problem]]:
    """Errors (the act would be wrong or void: it is not built) and warnings (it may be
    challenged) of every sitting, whether its members are listed or only counted."""
    errors, warnings = Problems(), Problems()
    sittings = territory.seances
    seen: dict[tuple[str, str, dt.date], Sitting] = {}
    for sitting in sittings:
        if sitting.key in seen:
            errors.add(
                sitting.row.at("date"),
                _("this sitting is already given in row {line}", line=seen[sitting.key].row.line),
            )
            continue
        seen[sitting.key] = sitting
        members = members_of(territory, sitting)
        rule = rule_on(territory, sitting.date, sitting.conseil)
        _check_members(members, rule, errors)
        _check_list(sitting, members, errors)
        _check_counts(sitting, members, rule, errors)
        represented = proxies_listed(members) if members else sitting.representes
        _check_rules(sitting, population(territory, sitting), (rule, represented), errors, warnings)
    for member in territory.seances_membres:
        if member.key not in seen:
            errors.add(
                member.row.at("date"),
                _(
                    "no sitting with this conseil, commune and date in seances — copy them from"
                    " the sitting's row"
                ),
            )
    return errors, warnings.items


def _suggest(text: str, members: Iterable[Member]) -> str:
    names = {m.name: m.match_keys[0] for m in members}
    found = process.extractOne(normalize(text), names, score_cutoff=70)
    return _(' — did you mean "{guess}"?', guess=found[2]) if found else ""


def _check_members(members: list[Member], rule: QuorumRule, errors: Problems) -> None:
    """Each member once; proxies from an absent member to a present one, as many per member as
    the rule of the day allows; officers present."""
    first: dict[str, Member] = {}
    held: dict[str, list[Member]] = {}
    for member in members:
        other = first.setdefault(member.match_keys[0], member)
        if other is not member:
            errors.add(
                member.row.at("nom"),
                _("{name} is already in row {line}", name=member.name, line=other.row.line),
            )
        if member.role and member.presence != PRESENT:
            message = _(
                "{name} is {presence}: the {role} must be present",
                name=member.name,
                presence=member.presence,
                role=member.role,
            )
            errors.add(member.row.at("role"), message)
        if member.pouvoir_a:
            _check_proxy(member, members, held, rule, errors)
        if member.suppleant_de:
            _check_substitute(member, members, errors)
    for role in (CHAIR, SECRETARY):
        officers = [m for m in members if m.role == role]
        for extra in officers[1:]:
            message = _(
                "{name} (row {line}) is already the {role}",
                name=officers[0].name,
                line=officers[0].row.line,
                role=role,
            )
            errors.add(extra.row.at("role"), message)


def _check_proxy(
    member: Member,
    members: list[Member],
    held: dict[str, list[Member]],
    rule: QuorumRule,
    errors: Problems,
) -> None:
    where = member.row.at("pouvoir_a")
    holder = proxy_holder(member, members)
    if member.presence == PRESENT:
        errors.add(
            where, _("{name} is present: only a member not present gives a proxy", name=member.name)
        )
    elif holder is None:
        names = {m.name: m.match_keys[0] for m in members}
        found = process.extractOne(normalize(member.pouvoir_a or ""), names, score_cutoff=70)
        hint = _(' — did you mean "{guess}"?', guess=found[2]) if found else ""
        errors.add(
            where,
            _(
                'no member "{pouvoir_a}" at this sitting{hint}',
                pouvoir_a=member.pouvoir_a,
                hint=hint,
            ),
        )
    elif holder.presence != PRESENT:
        message = _(
            "{name} (row {line}) is {presence}: a proxy goes to a member present",
            name=holder.name,
            line=holder.row.line,
            presence=holder.presence,
        )
        errors.add(where, message)
    elif len(givers := held.setdefault(holder.name, [])) >= rule.proxies_max:
        given = ", ".join(_("{name} (row {line})", name=g.name, line=g.row.line) for g in givers)
        errors.add(
            where,
            _(
                "{name} already holds the proxy of {given}: {most} per member at most ({article})",
                name=holder.name,
                given=given,
                most=_at_most(rule.proxies_max),
                article=rule.article,
            ),
        )
    else:
        givers.append(member)


def _check_substitute(member: Member, members: list[Member], errors: Problems) -> None:
    where = member.row.at("suppleant_de")
    titular = named(member.suppleant_de, members)
    if member.conseil != COMMUNITY:
        errors.add(where, _("only the community council has suppléants — empty it"))
    elif member.presence != PRESENT:
        errors.add(
            where,
            _(
                "{name} is {presence}: list a suppléant only when present",
                name=member.name,
                presence=member.presence,
            ),
        )
    elif titular is None or titular is member:
        errors.add(
            where,
            _(
                'no member "{name}" at this sitting{suggestion}',
                name=member.suppleant_de,
                suggestion=_suggest(member.suppleant_de or "", members),
            ),
        )
    elif titular.presence == PRESENT:
        errors.add(
            where,
            _(
                "{name} (row {line}) is present: a suppléant sits only for a member not present",
                name=titular.name,
                line=titular.row.line,
            ),
        )
    elif titular.pouvoir_a:
        errors.add(
            where,
            _(
                "{name} (row {line}) gave a proxy: a titular member gives one only when the"
                " suppléant cannot sit (CGCT L5211-6)",
                name=titular.name,
                line=titular.row.line,
            ),
        )


def _all_given(values: tuple[int | None, ...]) -> TypeGuard[tuple[int, ...]]:
    """Whether every count is given (none left blank)."""
    return all(value is not None for value in values)


def _at_most(count: int) -> str:
    """« one proxy » or « 2 proxies »: how many a member present may hold."""
    return _("one proxy") if count == 1 else _("{count} proxies", count=count)


def _proxies(count: int) -> str:
    return _("{count} proxy", count=count) if count == 1 else _("{count} proxies", count=count)


def _substitutes(count: int) -> str:
    if count == 1:
        return _("{count} suppléant", count=count)
    return _("{count} suppléants", count=count)


def _check_list(sitting: Sitting, members: list[Member], errors: Problems) -> None:
    """The header's counts against the names listed."""
    if not members:
        return
    at, in_office, present = sitting.row.at, sitting.en_exercice, sitting.presents
    for officer, role in (("president", CHAIR), ("secretaire", SECRETARY)):
        if getattr(sitting, officer):
            errors.add(
                at(officer),
                _(
                    "seances_membres lists this sitting's members: write « {role} » in the role"
                    " column of the member's row, and empty this cell",
                    role=role,
                ),
            )
    counted = Counter(m.presence for m in members)
    proxies = proxies_listed(members)
    substitutes = len(substitutes_of(members))
    titular = len(members) - substitutes
    if in_office is not None and titular != in_office:
        message = _(
            "{in_office} members in office, but seances_membres lists {present} present +"
            " {absent} absent + {excused} excused = {titular} for this sitting",
            in_office=in_office,
            present=counted[PRESENT] - substitutes,
            absent=counted[ABSENT],
            excused=counted[EXCUSED],
            titular=titular,
        )
        errors.add(at("en_exercice"), message)
    if sitting.suppleants is not None and sitting.suppleants != substitutes:
        message = _(
            "{count} suppléants, but seances_membres lists {listed}",
            count=sitting.suppleants,
            listed=_substitutes(substitutes),
        )
        errors.add(at("suppleants"), message)
    if present is not None and counted[PRESENT] != present:
        message = _(
            "{present} present, but seances_membres lists {listed} present",
            present=present,
            listed=counted[PRESENT],
        )
        errors.add(at("presents"), message)
    if sitting.representes is not None and sitting.representes != proxies:
        message = _(
            "{represented} represented, but seances_membres lists {listed}",
            represented=sitting.representes,
            listed=_proxies(proxies),
        )
        errors.add(at("representes"), message)
    cast = sitting.suffrages
    if cast is not None and present is not None and cast != present + proxies:
        message = _(
            "{cast} votes cast, but {present} present + {proxies} = {total}",
            cast=cast,
            present=present,
            proxies=_proxies(proxies),
            total=present + proxies,
        )
        errors.add(at("suffrages"), message)


def _check_counts(
    sitting: Sitting, members: list[Member], rule: QuorumRule, errors: Problems
) -> None:
    """The counts against each other, as strictly without a member list as with one."""
    at, in_office, present = sitting.row.at, sitting.en_exercice, sitting.presents
    represented = proxies_listed(members) if members else sitting.representes
    if in_office is not None and present is not None and present > in_office:
        errors.add(
            at("presents"),
            _("more present than the {in_office} members in office", in_office=in_office),
        )
    elif (
        in_office is not None
        and present is not None
        and represented is not None
        and present + represented > in_office
    ):
        message = _(
            "{present} present + {represented} represented = {total}, more than the {in_office}"
            " members in office",
            present=present,
            represented=represented,
            total=present + represented,
            in_office=in_office,
        )
        errors.add(at("representes"), message)
    if present is not None and represented is not None and represented > rule.proxies_max * present:
        errors.add(
            at("representes"),
            _(
                "{represented} represented but {present} present: a member present holds {most}"
                " at most on {date} ({article})",
                represented=represented,
                present=present,
                most=_at_most(rule.proxies_max),
                date=sitting.date,
                article=rule.article,
            ),
        )
    substitutes = sitting.suppleants
    if substitutes:
        if sitting.conseil != COMMUNITY:
            errors.add(at("suppleants"), _("only the community council has suppléants — empty it"))
        elif present is not None and substitutes > present:
            errors.add(
                at("suppleants"),
                _(
                    "{substitutes} suppléants, more than the {present} present",
                    substitutes=substitutes,
                    present=present,
                ),
            )
    cast = sitting.suffrages
    if cast is not None and not members:
        if present is not None and represented is not None and cast > present + represented:
            message = _(
                "{cast} votes cast, more than {present} present + {represented} represented ="
                " {total}",
                cast=cast,
                present=present,
                represented=represented,
                total=present + represented,
            )
            errors.add(at("suffrages"), message)
        elif in_office is not None and cast > in_office:
            errors.add(
                at("suffrages"),
                _(
                    "{cast} votes cast, more than the {in_office} in office",
                    cast=cast,
                    in_office=in_office,
                ),
            )
    votes = (sitting.pour, sitting.contre, sitting.abstention)
    if cast is not None and _all_given(votes) and sum(votes) != cast:
        if sum(votes) > cast:
            message = _(
                "for {for_} + against {against} + abstention {abstention} = {total}, more than"
                " the {cast} votes cast",
                for_=votes[0],
                against=votes[1],
                abstention=votes[2],
                total=sum(votes),
                cast=cast,
            )
        else:
            message = _(
                "for {for_} + against {against} + abstention {abstention} = {total}, fewer than"
                " the {cast} votes cast: each vote cast is for, against or an abstention (a"
                " member who does not vote is not counted in suffrages)",
                for_=votes[0],
                against=votes[1],
                abstention=votes[2],
                total=sum(votes),
                cast=cast,
            )
        errors.add(at("pour"), message)


def _check_rules(
    sitting: Sitting,
    inhabitants: int,
    quorum_of_day: tuple[QuorumRule, int | None],
    errors: Problems,
    warnings: Problems,
) -> None:
    """Quorum (an error: the act would be void, unless after a second convocation) and the
    convocation delay (a warning: urgency may shorten it, the act is then not « régulièrement
    convoqué » without more)."""
    at, in_office, present = sitting.row.at, sitting.en_exercice, sitting.presents
    first = sitting.seconde_convocation
    rule, represented = quorum_of_day
    if rule.unverified:
        warnings.add(
            at("date"),
            _(
                "the quorum rule of this date ({article}) was not checked against its text — "
                "{reason}",
                article=rule.article,
                reason=rule.unverified,
            ),
        )
    counted = rule.counted(present, represented) if present is not None else None
    if in_office is not None and counted is not None and counted < rule.quorum(in_office):
        fields = {
            "counted": counted,
            "in_office": in_office,
            "needed": rule.quorum(in_office),
            "date": sitting.date,
            "article": rule.article,
        }
        if first is None:
            message = (
                _(
                    "quorum not reached: {counted} present or represented of {in_office} in "
                    "office, {needed} needed on {date} ({article}) — the deliberation would be "
                    "void; if the council sat again after a first sitting without quorum, give "
                    "that sitting's date in seconde_convocation",
                    **fields,
                )
                if rule.counts_represented
                else _(
                    "quorum not reached: {counted} present of {in_office} in office, {needed} "
                    "needed on {date} ({article}) — the deliberation would be void; if the "
                    "council sat again after a first sitting without quorum, give that "
                    "sitting's date in seconde_convocation",
                    **fields,
                )
            )
            errors.add(at("presents"), message)
    if first is not None:
        if first >= sitting.date:
            errors.add(
                at("seconde_convocation"),
                _("the first sitting without quorum must come before this one"),
            )
        elif (sitting.date - first).days < SECOND_CONVOCATION_DAYS:
            warnings.add(
                at("seconde_convocation"),
                _(
                    "{days} days after the first sitting: a second convocation is made at least"
                    " {second_convocation_days} days apart (CGCT L2121-17)",
                    days=(sitting.date - first).days,
                    second_convocation_days=SECOND_CONVOCATION_DAYS,
                ),
            )
    if sitting.convocation is None:
        return
    days = clear_days(sitting.convocation, sitting.date)
    if days < 0:
        errors.add(at("convocation"), _("the convocation is dated on or after the sitting"))
    elif days < (needed_days := required_clear_days(inhabitants)):
        large = needed_days > CONVOCATION_DAYS
        if sitting.conseil == MUNICIPAL:
            delay = (
                _("from {size}", size=LARGE_COMMUNE)
                if large
                else _("below {size}", size=LARGE_COMMUNE)
            )
        elif large:
            delay = _("from {size} in its largest commune, CGCT L5211-1", size=LARGE_COMMUNE)
        else:
            delay = _("below {size} in its largest commune, CGCT L5211-1", size=LARGE_COMMUNE)
        if days == 1:
            message = _(
                "{days} clear day between convocation and sitting, {needed} required for"
                " {inhabitants} inhabitants ({rule})",
                days=days,
                needed=needed_days,
                inhabitants=inhabitants,
                rule=delay,
            )
        else:
            message = _(
                "{days} clear days between convocation and sitting, {needed} required for"
                " {inhabitants} inhabitants ({rule})",
                days=days,
                needed=needed_days,
                inhabitants=inhabitants,
                rule=delay,
            )
        warnings.add(at("convocation"), message)
