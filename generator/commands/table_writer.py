"""Writing a table file back in the format it was written in, so that a diff shows only edits.

A row that is found unchanged in the file keeps its exact bytes (quoting, line ends); a new or
edited row follows the file's delimiter and line ends; an Excel table stays an Excel table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from generator.render import normalise_zip
from generator.territory.columns import is_blank

Cells = list[Any]


def trimmed(row: Iterable[Any]) -> Cells:
    cells = ["" if v is None else v for v in row]
    while cells and is_blank(cells[-1]):
        cells.pop()
    return cells


def as_text(value: Any) -> str:
    """A cell as a CSV field: what the user typed, dates written the French way."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_key(row: Cells) -> tuple[str, ...]:
    return tuple(as_text(v) for v in trimmed(row))


def same_rows(rows: list[Cells], others: list[Cells]) -> bool:
    return [row_key(r) for r in rows] == [row_key(r) for r in others]


def _records(content: str, delimiter: str) -> list[tuple[str, Cells]]:
    """Each CSV record with the exact text it was written as (a quoted cell may span lines)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(content, newline=""):
            consumed.append(line)
            yield line

    records = []
    for cells in csv.reader(lines(), delimiter=delimiter):
        records.append(("".join(consumed), cells))
        consumed.clear()
    return records


def csv_bytes(rows: list[Cells], like: Path | None) -> bytes:
    """Rows in the format of the file they replace; a row found there keeps its exact bytes."""
    raw = like.read_bytes() if like and like.suffix == ".csv" else b""
    content = raw.decode("utf-8-sig", errors="replace")
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    ending = "\r\n" if "\r\n" in content else "\n"
    written: dict[tuple[str, ...], list[str]] = {}
    for text, cells in _records(content, delimiter):
        written.setdefault(row_key(cells), []).append(text)
    width = len(rows[0])
    out: list[str] = []
    for row in rows:
        if written.get(row_key(row)):
            text = written[row_key(row)].pop(0)
        else:
            stream = io.StringIO()
            csv.writer(stream, delimiter=delimiter, lineterminator=ending).writerow(
                [as_text(v) for v in row] + [""] * (width - len(row))
            )
            text = stream.getvalue()
        if out and not out[-1].endswith("\n"):
            out[-1] += ending
        out.append(text)
    prefix = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    return (prefix + "".join(out)).encode("utf-8")


def xlsx_bytes(rows: list[Cells], title: str, year: int) -> bytes:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.properties.created = book.properties.modified = dt.datetime(year, 1, 1)
    book.properties.creator = "cil"
    stream = io.BytesIO()
    book.save(stream)
    return normalise_zip(stream.getvalue())
