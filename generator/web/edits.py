"""Changes to a territory's files made through the web: planned, previewed, validated as
`cil check` would, applied only when confirmed and only if nobody changed the same files in the
meantime, recorded with the content they replace so that they can be undone."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.builds.outputs import write_atomic
from generator.commands.table_diff import key_columns
from generator.commands.table_writer import as_text, csv_bytes, trimmed, xlsx_bytes
from generator.commands.workbook import plan_import
from generator.errors import CilError, DataErrors, Location, Problem, display_path
from generator.messages import _
from generator.territory.load import load_territory, table_file, table_specs
from generator.territory.schema import Territory
from generator.territory.tables import read_rows
from generator.web.store import Store

Changes = dict[str, bytes | None]  # path relative to the territory folder → new content
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class Conflict(Exception):
    """Somebody changed the same files since the form or preview was shown."""


@dataclass
class TablePreview:
    name: str
    header: list[str]
    added: list[list[str]] = field(default_factory=list)
    removed: list[list[str]] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)


def _lock(folder: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(str(folder), threading.Lock())


def version(folder: Path, paths: list[str]) -> str:
    """A fingerprint of the current content of `paths` (relative to the territory folder)."""
    digest = hashlib.sha256()
    for relative in sorted(paths):
        path = folder / relative
        digest.update(relative.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<absent>")
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def data_files(folder: Path) -> list[str]:
    data = folder / "data"
    if not data.is_dir():
        return []
    return sorted(
        p.relative_to(folder).as_posix()
        for p in data.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".xlsx")
    )


@contextmanager
def scratch_copy(folder: Path, changes: Changes | None = None) -> Iterator[Path]:
    """A copy of the territory's configuration and data, with `changes` written in it."""
    with tempfile.TemporaryDirectory(prefix="cil-web-") as scratch:
        copy = Path(scratch) / folder.name
        copy.mkdir()
        shutil.copy2(folder / "territory.yaml", copy / "territory.yaml")
        for name in ("data", "overrides"):
            if (folder / name).is_dir():
                shutil.copytree(folder / name, copy / name)
        for relative, content in (changes or {}).items():
            target = copy / relative
            if content is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        yield copy


def _relative_problems(error: DataErrors, copy: Path, shown: dict[str, str]) -> DataErrors:
    """Problems found in a scratch copy, named as the user knows the files."""
    moved = []
    for problem in error.problems:
        where = problem.location
        name = where.file
        for prefix in (str(copy.resolve()), str(copy), display_path(copy)):
            if name.startswith(prefix + "/"):
                name = name[len(prefix) + 1 :]
                break
        moved.append(Problem(replace(where, file=shown.get(name, name)), problem.message))
    return DataErrors(moved)


def validate(
    folder: Path, changes: Changes, year: int | None, shown: dict[str, str] | None = None
) -> Territory:
    """The territory loaded with `changes`, as `cil check` loads it; DataErrors otherwise."""
    with scratch_copy(folder, changes) as copy:
        try:
            return load_territory(copy, year)
        except DataErrors as error:
            raise _relative_problems(error, copy, shown or {}) from None


def plan_workbook(folder: Path, upload: Path, year: int | None, shown: str) -> tuple[Changes, int]:
    """What importing the workbook would write, validated with the whole territory (the path of
    `cil workbook import`, which reads the territory in place and validates in its one scratch
    copy)."""
    try:
        plan = plan_import(folder, upload, year, shown)
    except DataErrors as error:
        raise _relative_problems(error, folder, {}) from None
    changes: Changes = {
        path.relative_to(folder).as_posix(): data for path, data in plan.changes.items()
    }
    return changes, plan.year


def plan_table(folder: Path, table: str, upload: Path, year: int) -> Changes:
    """One table replaced by an uploaded CSV or XLSX, written in the format of the current file."""
    specs = {s.name: s for s in table_specs()}
    if table not in specs:
        raise CilError(_('unknown table "{table}"', table=table))
    rows = [trimmed(r) for r in read_rows(upload)]
    while rows and not rows[-1]:
        rows.pop()
    if not rows or not rows[0]:
        raise DataErrors(
            [Problem(Location(upload.name, 1), _("the first row must name the columns"))]
        )
    current = table_file(folder / "data", table, year)
    target = current or folder / "data" / f"{table}.csv"
    relative = target.relative_to(folder).as_posix()
    if target.suffix == ".xlsx":
        return {relative: xlsx_bytes(rows, table, year)}
    return {relative: csv_bytes(rows, current)}


def plan_cells(folder: Path, values: list[tuple[str, int, str, str]]) -> Changes:
    """Values typed in the form of what is left to fill, each into its CSV cell."""
    by_file: dict[str, list[tuple[int, str, str]]] = {}
    for relative, row, column, value in values:
        if value:
            by_file.setdefault(relative, []).append((row, column, value))
    changes: Changes = {}
    for relative, cells in by_file.items():
        path = (folder / relative).resolve()
        if folder.resolve() not in path.parents or path.suffix != ".csv" or not path.is_file():
            raise CilError(_("{relative}: not a table of this territory", relative=relative))
        rows = [[as_text(v) for v in r] for r in read_rows(path)]
        header = rows[0]
        for row, column, value in cells:
            if column not in header or not 2 <= row <= len(rows):
                raise CilError(
                    _(
                        '{relative}: no row {row} or column "{column}"',
                        relative=relative,
                        row=row,
                        column=column,
                    )
                )
            line = rows[row - 1]
            line.extend([""] * (len(header) - len(line)))
            line[header.index(column)] = value
        changes[relative] = csv_bytes(rows, path)
    return changes


def _rows_of(content: bytes | None, suffix: str) -> list[list[str]]:
    if content is None:
        return []
    with tempfile.TemporaryDirectory(prefix="cil-web-") as scratch:
        path = Path(scratch) / f"table{suffix}"
        path.write_bytes(content)
        rows = [[as_text(v) for v in trimmed(r)] for r in read_rows(path)]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _keyed(
    rows: list[list[str]], header: list[str], key: list[str]
) -> dict[tuple[str, ...], list[str]]:
    """Rows by the values of their key columns, their cells in the order of `header`."""
    found: dict[tuple[str, ...], list[str]] = {}
    columns = rows[0] if rows else []
    for row in rows[1:]:
        cells = {c: (row[i] if i < len(row) else "") for i, c in enumerate(columns)}
        found[tuple(cells.get(k, "") for k in key)] = [cells.get(c, "") for c in header]
    return found


def preview(folder: Path, changes: Changes) -> list[TablePreview]:
    """Rows added, removed and changed in each table, matched by the columns that name a row."""
    specs = {s.name: s for s in table_specs()}
    previews = []
    for relative, content in sorted(changes.items()):
        path = folder / relative
        before = _rows_of(path.read_bytes() if path.is_file() else None, path.suffix)
        after = _rows_of(content, path.suffix)
        header = after[0] if after else (before[0] if before else [])
        item = TablePreview(path.stem, header)
        spec = specs.get(path.stem)
        key = key_columns(spec, header) if spec else tuple(header)
        names = [k for k in key if k in header] or header
        old = _keyed(before, header, names)
        new = _keyed(after, header, names)
        for name, cells in new.items():
            if name not in old:
                item.added.append(cells)
            elif old[name] != cells:
                edits = [
                    (column, a, b)
                    for column, a, b in zip(header, old[name], cells, strict=True)
                    if a != b
                ]
                item.changed.append((" · ".join(v for v in name if v), edits))
        item.removed = [cells for name, cells in old.items() if name not in new]
        previews.append(item)
    return previews


def apply(
    store: Store,
    folder: Path,
    user: str,
    summary: str,
    changes: Changes,
    base: str,
    watched: list[str] | None = None,
) -> int:
    """Write `changes` if the files (`watched`, default those changed) are still as they were
    when `base` was taken."""
    with _lock(folder):
        if version(folder, watched if watched is not None else list(changes)) != base:
            raise Conflict(summary)
        before: Changes = {
            r: (folder / r).read_bytes() if (folder / r).is_file() else None for r in changes
        }
        _write(folder, changes)
        return store.record_change(folder.name, user, summary, before, changes)


def undo(store: Store, folder: Path, change: dict[str, Any], user: str) -> int:
    """Put back what a change replaced, if its files are still as it left them."""
    after: Changes = change["after"]
    with _lock(folder):
        current = {r: (folder / r).read_bytes() if (folder / r).is_file() else None for r in after}
        if current != after or change["undone_by"]:
            raise Conflict(change["summary"])
        _write(folder, change["before"])
        undone = store.record_change(
            folder.name,
            user,
            _("Undoing of change no. {number}", number=change["id"]),
            after,
            change["before"],
        )
        store.mark_undone(change["id"], undone)
        return undone


def _write(folder: Path, changes: Changes) -> None:
    for relative, content in changes.items():
        target = (folder / relative).resolve()
        if folder.resolve() not in target.parents:
            raise CilError(_("{relative}: outside the territory", relative=relative))
        if content is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, content)
