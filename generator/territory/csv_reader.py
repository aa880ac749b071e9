"""Reading a CSV table strictly: what the csv module would silently repair is refused, located.

A stray quote makes a lenient reader swallow the rows that follow into one cell (972 dwellings
become 960, with no error); a strict reader stops where the quoted cell fails to close, and a
quoted cell spanning lines that read like rows is reported where it opens. The text is read in
the encodings Excel saves French text in, and the separator is the header's (comma, semicolon
or tab).
"""

from __future__ import annotations

import csv
import io
import re

from generator.messages import _
from generator.territory.table_files import MAX_CELL_CHARS, MAX_ROWS, ReadError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _quote_hint() -> str:
    return _(
        'a quote (") opens a cell here and is not closed where the cell ends, so the next rows '
        'would be read into it: remove the stray quote, or write a quote inside a cell as two ("")'
    )


_BOM = "\ufeff"
#: What a French text saved in Windows-1252 (Excel's « CSV (séparateur: point-virgule) ») holds
#: beyond ASCII. A file whose other bytes decode to none of these (Mac Roman's é is Windows-1252's
#: Ž) is not guessed: its letters would silently read as others.
_FRENCH = frozenset("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»‘’“”–—…€°²³×\u00a0")


def decoded(raw: bytes, advice: str | None = None) -> str:
    """The text of a file as the user typed it: UTF-8 (with or without a BOM, even doubled),
    UTF-16 with its BOM (Excel's « Texte Unicode »), or Windows-1252 holding French letters only.
    Anything else is refused at the row of the first byte that reads as no letter."""
    advice = advice or _("in Excel, save it as « CSV UTF-8 »")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16").lstrip(_BOM)
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8").lstrip(_BOM)
    except UnicodeDecodeError as error:
        first_bad = error.start
    if b"\x00" not in raw:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = ""
        if text and all(ch in _FRENCH for ch in text if ord(ch) > 127):
            return text
    row = raw[:first_bad].count(b"\n") + 1
    raise ReadError(
        _(
            "the file is not UTF-8 text: a character here reads as no letter — {advice}",
            advice=advice,
        ),
        row=row,
    )


def _delimiter(content: str) -> str:
    """The separator of the header line: tab (pasted from a spreadsheet), semicolon or comma."""
    first_line = _LINE_BREAK.split(content, maxsplit=1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


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
    content = decoded(raw)
    delimiter = _delimiter(content)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ReadError(
                    _(
                        "the table has more than {limit} rows, over the limit: keep only the "
                        "rows the documents need, or split the table by year",
                        limit=MAX_ROWS,
                    ),
                    row=len(rows),
                )
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
