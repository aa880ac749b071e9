"""Statistical secrecy: no small count shown, and no hidden cell a reader could recompute."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.indicators.core import secret_cells

T = 11


def test_small_counts_are_hidden_but_zero_is_not():
    hidden = secret_cells({"a": 0, "b": 5, "c": 11, "d": None}, [], T)
    assert hidden == {"b"}


def test_a_single_hidden_part_of_a_shown_total_hides_the_smallest_other_part():
    values = {"a": 5, "b": 30, "c": 12, "total": 47}
    assert secret_cells(values, [(["a", "b", "c"], "total")], T) == {"a", "c"}


def test_two_hidden_parts_that_add_up_to_less_than_the_threshold_hide_one_more():
    values = {"a": 1, "b": 1, "c": 40, "d": 15, "total": 57}
    assert secret_cells(values, [(["a", "b", "c", "d"], "total")], T) == {"a", "b", "d"}


def test_a_hidden_part_with_nothing_else_to_hide_hides_the_total():
    values = {"a": 8, "b": 0, "total": 8}
    assert secret_cells(values, [(["a", "b"], "total")], T) == {"a", "total"}


def test_rhone_crussol_priority_motives_keep_the_largest_and_hide_the_rest():
    values = {"tiers": 15, "handicap": 6, "sans": 2, "expulsion": 1, "temporaire": 1, "autre": 2}
    values["total"] = 27
    hidden = secret_cells(values, [(list(values)[:-1], "total")], T)
    assert hidden == {"handicap", "sans", "expulsion", "temporaire", "autre"}


def _possible_values(
    values: dict, sums: list[tuple[list, object]], hidden: set, limit: int
) -> dict[object, set[int]]:
    """Values each hidden cell can take given the shown cells and the sums, as a reader would
    search them (hidden cells are whole numbers from 1 to `limit`); stops once each has two."""
    seen: dict[object, set[int]] = {c: set() for c in hidden}

    def solve(known: dict) -> bool:
        for parts, total in sums:
            cells = [*parts, total]
            missing = [c for c in cells if c not in known]
            if not missing:
                if sum(known[p] for p in parts) != known[total]:
                    return False
            elif len(missing) == 1:
                cell = missing[0]
                rest = sum(known[p] for p in parts if p != cell)
                value = known[total] - rest if cell != total else rest
                if not 1 <= value <= limit:
                    return False
                return solve({**known, cell: value})
        free = sorted((c for c in hidden if c not in known), key=str)
        if not free:
            for cell in hidden:
                seen[cell].add(known[cell])
            return all(len(v) > 1 for v in seen.values())
        return any(solve({**known, free[0]: v}) for v in range(1, limit + 1))

    solve({k: v for k, v in values.items() if k not in hidden})
    return seen


counts = st.integers(min_value=0, max_value=24)


@settings(max_examples=120, deadline=None)
@given(st.lists(counts, min_size=2, max_size=5))
def test_no_hidden_part_of_a_column_can_be_recomputed(parts):
    values = {i: v for i, v in enumerate(parts)} | {"total": sum(parts)}
    sums = [(list(range(len(parts))), "total")]
    hidden = secret_cells(values, sums, T)
    assert all(values[k] == 0 or values[k] >= T for k in values if k not in hidden)
    if hidden and len(hidden) <= 7:
        possible = _possible_values(values, sums, hidden, max(values.values()) + T)
        assert all(len(options) > 1 for options in possible.values()), (values, hidden)


cells = st.one_of(st.integers(min_value=0, max_value=14), st.sampled_from([12, 20, 25, 40]))
tables = st.integers(min_value=2, max_value=3).flatmap(
    lambda n: st.lists(
        st.lists(cells, min_size=n, max_size=n),
        min_size=2,
        max_size=3,
    )
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_cell_of_a_table_with_row_and_column_totals_can_be_recomputed(grid):
    values: dict = {}
    sums: list = []
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            values[(r, c)] = value
        values[(r, "total")] = sum(row)
        sums.append(([(r, c) for c in range(len(row))], (r, "total")))
    width = len(grid[0])
    for c in range(width):
        values[("total", c)] = sum(row[c] for row in grid)
        sums.append(([(r, c) for r in range(len(grid))], ("total", c)))
    values[("total", "total")] = sum(map(sum, grid))
    sums.append(([("total", c) for c in range(width)], ("total", "total")))
    sums.append(([(r, "total") for r in range(len(grid))], ("total", "total")))
    hidden = secret_cells(values, sums, T)
    assert all(values[k] == 0 or values[k] >= T for k in values if k not in hidden)
    if hidden and len(hidden) <= 7:
        possible = _possible_values(values, sums, hidden, max(values.values()) + T)
        assert all(len(options) > 1 for options in possible.values()), (grid, hidden)
