"""Every error a user can cause is a `CilError`: a message, a place when known, an exit status.

The kinds (data, usage, template, missing tool, conversion) are caught in one place for the CLI
(`generator.cli`) and one for batch workers (`generator.builds.batch`); anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.messages import _


@dataclass(frozen=True)
class Location:
    """Where a value sits, as the user sees it: file, spreadsheet row (header is row 1), column."""

    file: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    key: str | None = None
    line: int | None = None  # a line of a text file (a template), where `row` is a table's

    def sort_key(self) -> tuple[str, str, int, str, str]:
        return (self.file, self.sheet or "", self.row or 0, self.column or "", self.key or "")

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(_('sheet "{sheet}"', sheet=self.sheet))
        if self.row is not None:
            parts.append(_("row {row}", row=self.row))
        if self.column:
            parts.append(_('column "{column}"', column=self.column))
        if self.key:
            parts.append(_('setting "{key}"', key=self.key))
        if self.line is not None:
            parts.append(_("line {line}", line=self.line))
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return _("{location}:\n  {message}", location=self.location, message=self.message)


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


class CilError(Exception):
    """Base of every error a user can cause: a message, where it comes from when known.

    `str(error)` is one line ("place: message"); `report()` is what the terminal shows;
    `exit_status` is what `cil` exits with (1 for a problem in the data or tools, 2 for a
    command called wrongly).
    """

    exit_status = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(message)

    def __str__(self) -> str:
        if self.location:
            return _("{location}: {message}", location=self.location, message=self.message)
        return self.message

    def report(self) -> str:
        return _("error: {error}", error=self)


class DataErrors(CilError):
    """The territory's data cannot be used; nothing may be written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0] if problems else Problem(Location(""), "")
        super().__init__(first.message, first.location)

    def __str__(self) -> str:
        return self.report()

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        if count > 1:
            lines.append(_("{count} errors; nothing was written.", count=count))
        else:
            lines.append(_("{count} error; nothing was written.", count=count))
        return "\n".join(lines)


class UsageError(CilError):
    """The command was called wrongly (unknown territory, document or format)."""

    exit_status = 2


class OutputError(CilError):
    """The output folder cannot be written (read-only, full disk); the previous outputs stay."""


class TemplateError(CilError):
    """A template (a default one or a territory's override) cannot be rendered."""

    def report(self) -> str:
        return _("template error: {error}\nnothing was written.", error=self)


class MissingToolError(CilError):
    """A program cil needs (pandoc, LibreOffice) is not installed."""


class ConversionError(CilError):
    """pandoc or LibreOffice ran but failed; the message carries what it said."""


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere; a loop of symbolic links
        return str(path)
