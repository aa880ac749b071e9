"""Located user errors: a user's mistake is reported with its place, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a value sits, as the user sees it: file, spreadsheet row (header is row 1), column."""

    file: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    key: str | None = None

    def sort_key(self) -> tuple[str, str, int, str, str]:
        return (self.file, self.sheet or "", self.row or 0, self.column or "", self.key or "")

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        if self.key:
            parts.append(f'setting "{self.key}"')
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}:\n  {self.message}"


@dataclass
class Problems:
    """Collects every problem of a run so that the user can fix them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataErrors(sorted(self.items, key=lambda p: p.location.sort_key()))


class DataErrors(Exception):
    """The territory's data cannot be used; nothing may be written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} error{'s' if count > 1 else ''}; nothing was written.")
        return "\n".join(lines)


class UsageError(Exception):
    """The command was called wrongly (unknown territory, document or format)."""


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
