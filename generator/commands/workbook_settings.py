"""The settings of territory.yaml as sheets of the workbook, and back, so that no one writes YAML.

Each setting is one row: its path as `cil check` names it (« documents.auteur »,
« cia.orientations[2].titre », « partenaires.bailleurs[3] »), its value as text, a note. The
rows come from the file and from the pydantic models of territory.yaml, walked field by field:
a setting another module adds to the models appears here without this module changing. Rows
are grouped into sheets by the start of their path (SHEETS); the rest is « Paramètres ».

On import the rows are nested back into settings and validated by the same models as the
YAML, each problem placed at its sheet, row and column. A workbook that changes no setting
leaves territory.yaml untouched, byte for byte; one that does is patched key by key, keeping
the file's comments.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from generator.commands.settings_paths import (
    NAME,
    NO,
    YES,
    Key,
    inner_kinds,
    is_model,
    is_scalar,
    options,
    parsed,
    shown,
    typed,
)
from generator.errors import Location, Problems
from generator.messages import _
from generator.resources import CONTENT
from generator.territory.config import TerritoryConfig
from generator.territory.content import WorkbookWords
from generator.territory.content_check import known_keys
from generator.territory.validation_messages import explained

WORDS = "blocs/classeur.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PARAMETERS = "Paramètres"
#: Sheets of settings by the start of their path, the first that matches wins.
SHEETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Objectifs", ("objectifs",)),
    ("Partenaires", ("partenaires",)),
    ("Orientations", ("cia", "orientations")),
    ("Signataires", ("cia", "signataires")),
    ("CIA", ("cia",)),
    ("PPGDID", ("ppgdid",)),
    ("Délibérations", ("deliberations",)),
)
SETTING, VALUE, NOTE = "Réglage", "Valeur", "Note"
HEADER = (SETTING, VALUE, NOTE)


def sheet_names() -> list[str]:
    return [PARAMETERS, *(name for name, _ in SHEETS)]


def sheet_of(path: Key) -> str:
    for name, start in SHEETS:
        if path[: len(start)] == start:
            return name
    return PARAMETERS


@functools.cache
def words() -> WorkbookWords:
    """The French words of the workbook (content/blocs/classeur.yaml)."""
    text = (CONTENT / WORDS).read_text(encoding="utf-8")
    return WorkbookWords.model_validate(yaml.load(text, Loader=_LOADER))  # noqa: S506 - safe


def note_of(path: Key) -> str:
    """The French note of a setting: of its field, else of the nearest group that has one
    (a dict key such as objectifs.prioritaires.État takes the note of objectifs.prioritaires)."""
    names = [p for p in path if isinstance(p, str)]
    notes = words().reglages
    for end in range(len(names), 0, -1):
        found = notes.get(".".join(names[:end]))
        if found is not None:
            return found
    return ""


def _blank_rows(model: type[BaseModel], path: Key, given: set[Key]) -> Iterator[Key]:
    """Rows for the settings a model knows and the file does not give, so that they show."""
    for name, info in model.model_fields.items():
        key = (*path, name)
        if any(g[: len(key)] == key for g in given):
            yield from _next_items(key, info.annotation, given)
            continue
        yield from _empty(key, info.annotation, given)


def _empty(key: Key, annotation: Any, given: set[Key]) -> Iterator[Key]:
    """The rows of a setting the file does not give: a value, a group's fields or a first item
    (both forms where a text or a group would do)."""
    kinds = options(annotation)
    models = [k for k in kinds if is_model(k)]
    lists = [k for k in kinds if get_origin(k) is list]
    dicts = [k for k in kinds if get_origin(k) is dict and get_args(k)]
    if any(is_scalar(k) for k in kinds):
        yield key
    if models:  # a text or a group (a commitment and its details): both forms are shown
        yield from _blank_rows(models[0], key, given)
    elif lists and get_args(lists[0]):
        yield from _empty((*key, 0), get_args(lists[0])[0], given)
    elif dicts:  # one setting by name (a contingent, a landlord): its name is to write
        yield from _empty((*key, NAME), get_args(dicts[0])[1], given)


def _next_items(key: Key, annotation: Any, given: set[Key]) -> Iterator[Key]:
    """Inside a setting the file gives: the fields it leaves out, and one more list item."""
    kinds = options(annotation)
    models = [k for k in kinds if is_model(k)]
    lists = [k for k in kinds if get_origin(k) is list]
    dicts = [k for k in kinds if get_origin(k) is dict and get_args(k)]
    if models:
        yield from _blank_rows(models[0], key, given)
    elif dicts:
        yield from _empty((*key, NAME), get_args(dicts[0])[1], given)
    elif lists and get_args(lists[0]):
        item = get_args(lists[0])[0]
        inside = [g[len(key)] for g in given if g[: len(key)] == key and len(g) > len(key)]
        count = 1 + max((p for p in inside if isinstance(p, int)), default=-1)
        for position in range(count):
            inner = (*key, position)
            if any(is_model(k) for k in options(item)) and (*key, position) not in given:
                yield from _next_items(inner, item, given)
        yield from _empty((*key, count), item, given)


# --- export ----------------------------------------------------------------------------------


def leaves(value: Any, path: Key = ()) -> Iterator[tuple[Key, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, (*path, str(key)))
    elif isinstance(value, list):
        for position, inner in enumerate(value):
            yield from leaves(inner, (*path, position))
    elif value is not None:
        yield path, value


def as_cell(value: Any) -> str:
    """A YAML value as the text a person would type: « oui », « 23,5 », « 15/01/2025 »."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".").replace(".", ",") or "0"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@dataclass(frozen=True)
class SettingRow:
    path: Key
    value: str
    note: str


def setting_rows(data: dict[str, Any]) -> dict[str, list[SettingRow]]:
    """The rows of each settings sheet: what the file gives, then what it could give."""
    given = dict(leaves(data))
    rows: dict[str, list[SettingRow]] = {name: [] for name in sheet_names()}
    paths = list(given)
    for path in _blank_rows(TerritoryConfig, (), set(given)):
        if path not in given:
            paths.append(path)
    for path in sorted(paths, key=_order):
        value = as_cell(given[path]) if path in given else ""
        rows[sheet_of(path)].append(SettingRow(path, value, note_of(path)))
    return rows


def _order(path: Key) -> tuple[Any, ...]:
    """Settings in the order of the models' fields, list items in their order."""
    positions: list[Any] = []
    kinds: list[Any] = [TerritoryConfig]
    for part in path:
        if isinstance(part, int):
            positions.append((0, part, ""))
        else:
            fields = [list(k.model_fields) for k in kinds if is_model(k)]
            rank = fields[0].index(part) if fields and part in fields[0] else len(fields or [[]])
            positions.append((1, rank, part))
        kinds = [k for kind in kinds for k in inner_kinds(kind, part)]
    return tuple(positions)


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A setting read from the workbook, with where it was read."""

    path: Key
    value: Any
    where: Location


def read_setting_rows(
    sheets: dict[str, list[list[Any]]], shown_file: str, problems: Problems
) -> list[Cell]:
    """The filled rows of every settings sheet; a path written wrongly or twice is a problem."""
    cells: list[Cell] = []
    seen: dict[Key, Location] = {}
    for sheet in sheet_names():
        rows = sheets.get(sheet)
        if not rows:
            continue
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        if header[:2] != [SETTING, VALUE]:
            problems.add(
                Location(shown_file, 1, sheet=sheet),
                _(
                    "the first row must name the columns « {setting} » and « {value} »",
                    setting=SETTING,
                    value=VALUE,
                ),
            )
            continue
        for line, row in enumerate(rows[1:], start=2):
            name = row[0] if row else None
            value = row[1] if len(row) > 1 else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            where = Location(shown_file, line, VALUE, sheet=sheet)
            path = parsed(str(name)) if name is not None else None
            if path is None:
                problems.add(
                    Location(shown_file, line, SETTING, sheet=sheet),
                    _(
                        "« {name} » does not name a setting: write it as « documents.auteur » or"
                        " « partenaires.bailleurs[2] »",
                        name=name or "",
                    ),
                )
                continue
            if NAME in path:
                problems.add(
                    Location(shown_file, line, SETTING, sheet=sheet),
                    _(
                        "« {setting} »: replace « {name} » with a name (contingent, landlord…)",
                        setting=shown(path),
                        name=NAME,
                    ),
                )
                continue
            if path in seen:
                problems.add(
                    Location(shown_file, line, SETTING, sheet=sheet),
                    _(
                        "the setting « {setting} » is already given in row {row} of the sheet"
                        " « {sheet} »: keep one line",
                        setting=shown(path),
                        row=seen[path].row,
                        sheet=seen[path].sheet,
                    ),
                )
                continue
            seen[path] = where
            cells.append(Cell(path, typed(path, value), where))
    return cells


class _Items(dict):  # type: ignore[type-arg]
    """A list being rebuilt: items by the position the workbook gives them."""


def nested(cells: list[Cell], problems: Problems) -> tuple[dict[str, Any], dict[Key, Location]]:
    """The settings the rows give, lists renumbered from 1 (an emptied item goes), and where
    each setting of the result was read."""
    root: dict[Any, Any] = {}
    for cell in cells:
        node: Any = root
        for part, after in zip(cell.path, (*cell.path[1:], None), strict=True):
            wanted = dict if after is None or isinstance(after, str) else _Items
            if after is None:
                if isinstance(node.get(part), dict):
                    problems.add(cell.where, _conflict(cell.path))
                    break
                node[part] = cell
                break
            child = node.setdefault(part, _Items() if isinstance(after, int) else {})
            if isinstance(child, Cell) or (wanted is _Items) != isinstance(child, _Items):
                problems.add(cell.where, _conflict(cell.path))
                break
            node = child
    places: dict[Key, Location] = {}
    return _finished(root, (), places), places


def _conflict(path: Key) -> str:
    return (
        f"« {shown(path)} » est à la fois une valeur et un groupe de réglages : "
        "gardez l'un ou l'autre"
    )


def _finished(node: Any, path: Key, places: dict[Key, Location]) -> Any:
    if isinstance(node, Cell):
        places[path] = node.where
        return node.value
    if isinstance(node, _Items):
        return [_finished(node[k], (*path, n), places) for n, k in enumerate(sorted(node))]
    return {k: _finished(v, (*path, k), places) for k, v in node.items()}


def validated(
    data: dict[str, Any], places: dict[Key, Location], shown_file: str, problems: Problems
) -> TerritoryConfig | None:
    """The settings through territory.yaml's own models; problems placed in the workbook."""
    try:
        return TerritoryConfig.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            path = tuple(p for p in item["loc"] if isinstance(p, str | int))
            problems.add(
                place_of(path, places, shown_file), explained(item, known_keys(TerritoryConfig))
            )
        return None


def place_of(path: Key, places: dict[Key, Location], shown_file: str) -> Location:
    """Where a setting was read; for a group, its first row; for a missing one, its sheet."""
    if path in places:
        return places[path]
    inside = [where for key, where in places.items() if key[: len(path)] == path]
    if inside:
        return min(inside, key=lambda w: (w.sheet or "", w.row or 0))
    return Location(shown_file, sheet=sheet_of(path), key=shown(path))


def settings_sheets_rows(data: dict[str, Any]) -> dict[str, list[list[str]]]:
    """Every settings sheet as rows of text, header first."""
    return {
        name: [list(HEADER), *([shown(r.path), r.value, r.note] for r in rows)]
        for name, rows in setting_rows(data).items()
    }
