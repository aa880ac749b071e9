"""Where a table lives: its file in data/ or in a year folder, in CSV or XLSX.

Kept apart from the readers (pydantic models, rapidfuzz, the XLSX reader) because the
up-to-date check of a build resolves table files without reading them: a no-op rebuild
imports this module and nothing heavier (see docs/performance.md).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import display_path
from generator.messages import _
from generator.territory.columns import CellError
from generator.territory.table_files import ReadError, checked_entry

SUFFIXES = (".csv", ".xlsx")


def _spelt_as_saved(folder: Path, file_name: str) -> Path:
    """`folder/file_name`, or the entry named so but for case (PARC_OPS.CSV, saved on Windows)."""
    exact = folder / file_name
    if os.path.lexists(exact):
        return exact
    try:
        entries = os.listdir(folder)
    except OSError:
        return exact
    same = [entry for entry in entries if entry.casefold() == file_name.casefold()]
    return folder / same[0] if len(same) == 1 else exact


def find_table(folder: Path, name: str, root: Path | None = None) -> Path | None:
    """The file holding table `name` in `folder`, whichever format the user chose.

    `root` is the territory folder, which no symbolic link may leave (default: `folder`'s
    parent); a dangling link or one leading out raises ReadError, naming the file.
    """
    root = root or folder.parent
    found = []
    for suffix in SUFFIXES:
        candidate = _spelt_as_saved(folder, f"{name}{suffix}")
        if checked_entry(candidate, root):
            found.append(candidate)
    if len(found) > 1:
        raise CellError(
            _(
                "{name} exists as both CSV and XLSX in {folder}: keep one",
                name=name,
                folder=display_path(folder),
            )
        )
    return found[0] if found else None


def year_folders(data: Path) -> list[int]:
    """Years that have their own data folder (data/2024/, data/2025/...)."""
    if not data.is_dir():
        return []
    try:
        return sorted(int(p.name) for p in data.iterdir() if p.is_dir() and p.name.isdigit())
    except OSError as error:  # an unreadable folder: located, not a traceback
        raise ReadError(
            _("the folder cannot be read ({strerror})", strerror=error.strerror), file=data
        ) from None


def table_file(data: Path, name: str, year: int) -> Path | None:
    """The table as it stood in `year`.

    A table kept by year lives in data/<year>/ and holds from that year on, until a later
    folder replaces it; any other table lives in data/ itself. Both at once is ambiguous.
    """
    root = data.parent
    by_year = {y: f for y in year_folders(data) if (f := find_table(data / str(y), name, root))}
    base = find_table(data, name, root)
    if base and by_year:
        raise CellError(
            _(
                "{name} is both in {data} and in year folders ({years}): keep it in year folders"
                " only",
                name=name,
                data=display_path(data),
                years=", ".join(map(str, by_year)),
            )
        )
    earlier = [y for y in by_year if y <= year]
    return by_year[max(earlier)] if earlier else base
