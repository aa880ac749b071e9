"""The sitting form of a commune's secretariat: read from and written to the tables `seances`
and `seances_membres`, checked with the same rules as the files (quorum, convocation delay,
counts), the problems placed on the fields they name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.commands.table_writer import as_text, csv_bytes, trimmed
from generator.errors import DataErrors, Problem
from generator.messages import _
from generator.reference import Commune
from generator.territory.sittings import check_sittings
from generator.territory.tables import read_rows
from generator.web import edits
from generator.web.territories import parse_day

SITTINGS, MEMBERS = "data/seances.csv", "data/seances_membres.csv"
FILES = (SITTINGS, MEMBERS)
SITTING_FIELDS = (
    "heure",
    "lieu",
    "en_exercice",
    "presents",
    "suffrages",
    "pour",
    "contre",
    "abstention",
    "numero_acte",
    "convocation",
    "affichage",
)
MEMBER_FIELDS = ("civilite", "nom", "prenom", "presence", "pouvoir_a", "role")
DATE_FIELDS = ("convocation", "affichage")
EXTRA_ROWS = 3
MAX_MEMBERS = 80


@dataclass
class SittingForm:
    date: str = ""
    values: dict[str, str] = field(default_factory=dict)
    members: list[dict[str, str]] = field(default_factory=list)

    @property
    def day(self) -> dt.date | None:
        return parse_day(self.date)

    @property
    def date_shown(self) -> str:
        return self.day.strftime("%d/%m/%Y") if self.day else self.date

    @classmethod
    def parse(cls, form: Any) -> SittingForm:
        values = {name: str(form.get(name, "")).strip()[:500] for name in SITTING_FIELDS}
        members = []
        for index in range(MAX_MEMBERS):
            member = {f: str(form.get(f"m{index}_{f}", "")).strip()[:200] for f in MEMBER_FIELDS}
            if member["nom"] or member["prenom"]:
                members.append(member)
        return cls(str(form.get("date", "")).strip(), values, members)

    def rows(self) -> list[dict[str, str]]:
        """The members and a few empty rows to add more."""
        return self.members + [dict.fromkeys(MEMBER_FIELDS, "") for _row in range(EXTRA_ROWS)]


@dataclass
class Checks:
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field label, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    changes: edits.Changes | None = None


def _table(folder: Path, relative: str) -> list[list[str]]:
    path = folder / relative
    if not path.is_file():
        return []
    return [[as_text(v) for v in trimmed(r)] for r in read_rows(path)]


def _as_dict(header: list[str], row: list[str]) -> dict[str, str]:
    return {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)}


def _ours(record: dict[str, str], commune: Commune, day: dt.date | None) -> bool:
    same_commune = record.get("commune", "").strip() in (commune.nom, commune.insee)
    return (
        record.get("conseil", "").strip() == "municipal"
        and same_commune
        and (day is None or parse_day(record.get("date", "")) == day)
    )


def form_of(folder: Path, commune: Commune, date: str | None) -> SittingForm:
    """The commune's sitting of `date`, else its latest, as the form shows it."""
    sittings = _table(folder, SITTINGS)
    if not sittings:
        return SittingForm()
    header = sittings[0]
    records = [_as_dict(header, r) for r in sittings[1:]]
    ours = [r for r in records if _ours(r, commune, parse_day(date) if date else None)]
    if not ours:
        return SittingForm()
    latest = max(ours, key=lambda r: parse_day(r.get("date", "")) or dt.date.min)
    day = parse_day(latest["date"])
    values = {name: latest.get(name, "") for name in SITTING_FIELDS}
    members_table = _table(folder, MEMBERS)
    members = []
    if members_table:
        for row in members_table[1:]:
            record = _as_dict(members_table[0], row)
            if _ours(record, commune, day):
                members.append({f: record.get(f, "") for f in MEMBER_FIELDS})
    return SittingForm(day.isoformat() if day else "", values, members)


def _rewritten(
    folder: Path, relative: str, commune: Commune, day: dt.date, new: list[dict[str, str]]
) -> tuple[bytes, list[int]]:
    """The table without the commune's rows of that day, then the new ones; their row numbers."""
    rows = _table(folder, relative)
    header = rows[0]
    kept = [r for r in rows[1:] if not _ours(_as_dict(header, r), commune, day)]
    base = {"conseil": "municipal", "commune": commune.nom, "date": day.strftime("%d/%m/%Y")}
    added = [[{**record, **base}.get(name, "") for name in header] for record in new]
    lines = list(range(len(kept) + 2, len(kept) + 2 + len(added)))
    return csv_bytes([header, *kept, *added], folder / relative), lines


def _warnings_without_members(
    folder: Path, commune: Commune, day: dt.date, sitting_bytes: bytes, place: Any
) -> list[tuple[str, str]]:
    """The quorum and convocation warnings of the sitting's own figures, while its list of
    members still disagrees with them (an error shown beside)."""
    members_bytes, _lines = _rewritten(folder, MEMBERS, commune, day, [])
    try:
        territory = edits.validate(
            folder, {SITTINGS: sitting_bytes, MEMBERS: members_bytes}, day.year
        )
    except DataErrors:
        return []
    return [p for p in (place(w) for w in check_sittings(territory)[1]) if p]


def checked(folder: Path, commune: Commune, form: SittingForm) -> Checks:
    """The sitting validated with the whole territory; errors and warnings on its rows."""
    checks = Checks()
    day = form.day
    if day is None:
        checks.errors.append(("date", _("date of the sitting missing or unreadable (dd/mm/yyyy)")))
        return checks
    values = dict(form.values)
    for name in DATE_FIELDS:
        if values.get(name) and (parsed := parse_day(values[name])):
            values[name] = parsed.strftime("%d/%m/%Y")
    sitting_bytes, sitting_lines = _rewritten(folder, SITTINGS, commune, day, [values])
    members_bytes, member_lines = _rewritten(folder, MEMBERS, commune, day, form.members)
    changes: edits.Changes = {SITTINGS: sitting_bytes, MEMBERS: members_bytes}
    ours = {SITTINGS: set(sitting_lines), MEMBERS: set(member_lines)}

    def place(problem: Problem) -> tuple[str, str] | None:
        where = problem.location
        for relative, lines in ours.items():
            if where.file.endswith(Path(relative).name) and where.row in lines:
                label = where.column or ""
                if relative == MEMBERS and where.row is not None:
                    label = _(
                        "member {number}, {column}",
                        number=sorted(lines).index(where.row) + 1,
                        column=label,
                    )
                return (label, problem.message)
        return None

    try:
        territory = edits.validate(folder, changes, day.year)
    except DataErrors as error:
        placed = [place(p) for p in error.problems]
        checks.errors = [p for p in placed if p] or [
            (str(p.location), p.message) for p in error.problems
        ]
        checks.warnings = _warnings_without_members(folder, commune, day, sitting_bytes, place)
        return checks
    errors, warnings = check_sittings(territory)
    checks.errors = [p for p in (place(e) for e in errors.items) if p]
    checks.warnings = [p for p in (place(w) for w in warnings) if p]
    checks.changes = changes
    return checks
