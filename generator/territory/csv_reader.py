"""Reading a CSV table strictly: what the csv module would silently repair is refused, located.

A stray quote makes a lenient reader swallow the rows that follow into one cell (972 dwellings
become 960, with no error); a strict reader stops where the quoted cell fails to close, and a
quoted cell spanning lines that read like rows is reported where it opens.
"""

from __future__ import annotations

import csv
import io
import re

from generator.messages import _
from generator.territory.table_files import MAX_CELL_CHARS, ReadError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _quote_hint() -> str:
    return _(
        'a quote (") opens a cell here and is not closed where the cell ends, so the next rows '
        'would be read into it: remove the stray quote, or write a quote inside a cell as two ("")'
    )


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError(
            _("the file is not UTF-8 text — in Excel, save it as « CSV UTF-8 »")
        ) from None


def _delimiter(content: str) -> str:
    first_line = _LINE_BREAK.split(content, maxsplit=1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _swallowed_rows(row: list[str], delimiter: str, width: int) -> bool:
    """A cell spanning lines, one of which holds nearly as many separators as a whole row.

    A row swallowed by a stray quote keeps its separators but the last (the quote closes just
    before one of them); a line of a true multi-line cell seldom holds that many.
    """
    least = max(2, width - 2)
    return width > 3 and any(
        any(line.count(delimiter) >= least for line in _LINE_BREAK.split(cell)[1:]) for cell in row
    )


def read_csv(raw: bytes) -> list[list[str]]:
    """The rows of a CSV file; ReadError located at the row (as a spreadsheet counts them)."""
    content = _text(raw)
    delimiter = _delimiter(content)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        where = len(rows) + 1
        if "field larger than field limit" in str(error):
            raise ReadError(
                _(
                    "a cell holds more than {limit} characters: shorten it (a stray quote can"
                    " also run a cell over many rows)",
                    limit=f"{MAX_CELL_CHARS:,}".replace(",", " "),
                ),
                row=where,
            ) from None
        raise ReadError(_quote_hint(), row=where) from None
    width = len(rows[0]) if rows else 0
    for number, row in enumerate(rows[1:], start=2):
        if _swallowed_rows(row, delimiter, width):
            raise ReadError(_quote_hint(), row=number)
    return rows
