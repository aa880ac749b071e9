"""Opening a table file safely: a regular file inside the territory, of a bounded size.

Data files are untrusted: a FIFO or a device named like a table would hang the reader, a
symlink could make a message print a file from elsewhere, and a huge file would exhaust memory.
Every such file is refused before a byte of it is read, with a message saying what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import display_path
from generator.messages import N_, _
from generator.territory.columns import CellError

#: Bounds of what a table may hold; docs/territory-format.md ("Limits") states them.
MAX_TABLE_BYTES = 10_000_000
MAX_CELL_CHARS = 10_000
MAX_ROWS = 100_000


class ReadError(CellError):
    """A table that cannot be read, located as precisely as the reader knows."""

    def __init__(
        self,
        message: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        file: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.row, self.column, self.sheet, self.file = row, column, sheet, file


def shown_path(path: Path) -> str:
    """The file as the user named it: a symbolic link is shown as itself, never its target."""
    return str(Path(display_path(path.parent)) / path.name)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def checked_entry(path: Path, root: Path) -> Path | None:
    """`path` if a table stands there, None if nothing does; ReadError if it may not be read.

    A symlink is followed only to a regular file inside `root`, the territory folder; a
    dangling one is an error, not an absent table.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ReadError(
            _("the file cannot be examined ({strerror})", strerror=error.strerror), file=path
        ) from None
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise ReadError(
                _("this symbolic link points to no file: remove it or put the file itself here"),
                file=path,
            ) from None
        if not target.is_relative_to(root.resolve()):
            raise ReadError(
                _(
                    "this symbolic link leads outside the territory folder: put the file itself"
                    " here"
                ),
                file=path,
            )
    return path


_TABLE_ADVICE = N_("per table: keep only the rows the documents need, or split the table by year")


def read_bytes(path: Path, limit: int = MAX_TABLE_BYTES, advice: str = _TABLE_ADVICE) -> bytes:
    """The content of a regular file of at most `limit` bytes; never blocks on a FIFO."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise ReadError(
            _("the file cannot be read ({strerror})", strerror=error.strerror)
        ) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(
                _("this is not a regular file (a pipe, a device?): save the table as a file")
            )
        if info.st_size > limit:
            raise ReadError(
                _(
                    "the file weighs {size}, over the limit of {limit} {advice}",
                    size=_megabytes(info.st_size),
                    limit=_megabytes(limit),
                    advice=_(advice),
                )
            )
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise ReadError(
            _("the file cannot be read ({strerror})", strerror=error.strerror)
        ) from None
    finally:
        os.close(handle)
    if len(data) > limit:
        raise ReadError(
            _(
                "the file is over the limit of {limit} {advice}",
                limit=_megabytes(limit),
                advice=_(advice),
            )
        )
    return data
