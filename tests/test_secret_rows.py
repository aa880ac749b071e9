"""Rows whose every count is secret are added up into one row, and secrecy stays whole: no hidden
count can be recomputed, a group never shows a single member, the result never depends on the
process (string hashes)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.indicators.allocations import SECRET, Grid, RowLabel
from generator.indicators.core import _reader_bounds
from generator.indicators.secret_rows import group_masked_rows, placed

from .conftest import ROOT

T = 11
COLUMNS = ("att", "q1")


def _grid(rows: dict[str, list[int]], row_totals: bool = True) -> Grid:
    """Counts by row and column, each row's total, the table's total: every sum a reader redoes."""
    grid = Grid(T)
    total = RowLabel("ensemble")
    for name, counts in rows.items():
        for column, value in zip(COLUMNS, counts, strict=True):
            grid.put(name, column, value)
        if row_totals:
            grid.put(name, "tout", sum(counts))
            grid.row_sum(name, list(COLUMNS), "tout")
    for column in (*COLUMNS, "tout") if row_totals else COLUMNS:
        grid.put(total, column, sum(grid.values[(name, column)] or 0 for name in rows))
        grid.column_sum(list(rows), total, column)
    if row_totals:
        grid.row_sum(total, list(COLUMNS), "tout")
    return grid


def test_communes_whose_every_count_is_hidden_are_added_up_and_shown_when_large_enough():
    grid = _grid({"Annonay": [40, 12], "Cornas": [6, 0], "Toulaud": [7, 0], "Soyons": [30, 15]})
    label, members = group_masked_rows([grid], ["Annonay", "Cornas", "Toulaud", "Soyons"], "x")
    assert members == ["Cornas", "Toulaud"]
    assert label == RowLabel("x", nombre=2, seuil=T)
    assert [grid.count(label, c) for c in ("att", "q1", "tout")] == [13, 0, 13]
    assert grid.members[label] == ["Cornas", "Toulaud"]
    assert placed(["Annonay", "Cornas", "Toulaud", "Soyons"], label, members) == [
        "Annonay",
        "Soyons",
        label,
    ]


def test_a_single_row_hidden_whole_stays_as_it_is():
    """Grouped alone it would show its counts; folded with a shown row it would hide that one."""
    rows = {"Annonay": [40, 12], "Cornas": [6, 0], "Soyons": [30, 15], "Guilherand": [25, 11]}
    grid = _grid(rows, row_totals=False)
    assert group_masked_rows([grid], list(rows), "x") == (None, [])
    assert grid.masked_whole("Cornas") and grid.count("Guilherand", "att") is SECRET
    assert not grid.members


def test_a_lone_hidden_row_with_nothing_to_fold_it_with_stays_hidden():
    grid = _grid({"Cornas": [6, 2]})
    assert group_masked_rows([grid], ["Cornas"], "x") == (None, [])
    assert grid.masked_whole("Cornas")


def test_a_group_standing_for_one_member_of_a_grid_is_hidden_whole():
    grid = _grid({"Annonay": [40, 12], "Soyons": [30, 15]})
    grid.group(RowLabel("x", nombre=1), ["Soyons"])
    assert grid.masked_whole(RowLabel("x", nombre=1))
    assert grid.raw_count("Soyons", "att") == 30


def test_a_group_over_years_hides_the_years_it_stands_for_one_member():
    first = _grid({"Annonay": [40, 12], "Cornas": [6, 2], "Toulaud": [7, 1]})
    second = _grid({"Annonay": [40, 12], "Cornas": [5, 0]})
    label, members = group_masked_rows([first, second], ["Annonay", "Cornas", "Toulaud"], "x")
    assert members == ["Cornas", "Toulaud"]
    assert first.members[label] == ["Cornas", "Toulaud"] and second.members[label] == ["Cornas"]
    assert second.masked_whole(label)
    assert first.raw_count(label, "att") == 13


def _recoverable(grid: Grid) -> list[object]:
    """Hidden cells a reader pins down from the shown cells and the sums."""
    bounds = _reader_bounds(grid.values, grid.sums, grid.hidden)
    return [k for k in grid.hidden if bounds[k][0] == bounds[k][1]]


counts = st.one_of(st.integers(min_value=0, max_value=14), st.sampled_from([11, 20, 35]))
tables = st.lists(st.lists(counts, min_size=2, max_size=2), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(tables, st.booleans())
def test_after_grouping_no_hidden_count_can_be_recomputed_and_members_add_up(rows, row_totals):
    names = [f"commune {i}" for i in range(len(rows))]
    original = dict(zip(names, rows, strict=True))
    grid = _grid(original, row_totals)
    label, members = group_masked_rows([grid], names, "autres_communes")
    # no small count shown
    assert all(v in (0, None) or v >= T for k, v in grid.values.items() if k not in grid.hidden)
    # no sum gives one hidden cell away, and no hidden cell is pinned by the sums together
    for parts, total in grid.sums:
        hidden = [p for p in [*parts, total] if p in grid.hidden]
        assert len(hidden) != 1, (rows, parts, total)
    assert not _recoverable(grid), rows
    # the group adds its members up exactly, and stands for two of them at least
    if label is not None:
        assert len(members) >= 2 and grid.members[label] == members
        for index, column in enumerate(COLUMNS):
            assert grid.raw_count(label, column) == sum(original[m][index] for m in members)
    kept = [n for n in names if n not in members]
    assert sorted([*kept, *members]) == sorted(names)
    # no row left is hidden whole, but a lone one (grouped alone, it would show itself)
    hidden_whole = [n for n in kept if grid.masked_whole(n)]
    assert len(hidden_whole) <= (0 if label else 1), rows


_SCRIPT = textwrap.dedent(
    """
    from generator.indicators.core import secret_cells
    grid = [[20, 20, 12], [12, 1, 12], [8, 0, 1]]
    names, columns = ["Annonay", "Cornas", "Toulaud"], ["att", "q1", "qpv"]
    values, sums = {}, []
    for name, row in zip(names, grid):
        values |= {f"{name}|{c}": v for c, v in zip(columns, row)}
        values[f"{name}|tout"] = sum(row)
        sums.append(([f"{name}|{c}" for c in columns], f"{name}|tout"))
    for i, c in enumerate(columns):
        values[f"ensemble|{c}"] = sum(row[i] for row in grid)
        sums.append(([f"{n}|{c}" for n in names], f"ensemble|{c}"))
    values["ensemble|tout"] = sum(map(sum, grid))
    sums.append(([f"ensemble|{c}" for c in columns], "ensemble|tout"))
    sums.append(([f"{n}|tout" for n in names], "ensemble|tout"))
    print(sorted(secret_cells(values, sums, 11)))
    """
)


def test_secrecy_is_the_same_in_every_process_whatever_the_string_hashes():
    """A table where several hidden cells are pinned at once: which is looked at first decided
    the cells hidden, and it followed the hashes of strings (PYTHONHASHSEED)."""
    found = {
        subprocess.run(
            [sys.executable, "-c", _SCRIPT],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(found) == 1, found
