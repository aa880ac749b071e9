"""Pure computations behind every figure of the documents: one rule each, used everywhere."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal | float, digits: int = 0) -> Decimal:
    """The one rounding rule of the documents: 0.5 goes up, as a reader expects."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def share(part: int | Decimal, total: int | Decimal) -> Decimal | None:
    """part / total as an exact ratio, or None when there is nothing to divide."""
    if total == 0:
        return None
    return Decimal(part) / Decimal(total)


def monthly_threshold(yearly: Decimal | int) -> int:
    """First-quartile threshold per month and consumption unit, rounded to the euro."""
    return int(round_half_up(Decimal(yearly) / 12))


def extra_allocations_needed(
    total: int, first_quartile: int, target: Decimal | float = 0.25
) -> int:
    """Allocations to first-quartile households still missing to reach the target share."""
    needed = math.ceil(round_half_up(Decimal(total) * Decimal(str(target)), 6))
    return max(0, needed - first_quartile)


def tension(applications: int, allocations: int) -> Decimal | None:
    """Applications per allocation, to one decimal."""
    if allocations == 0:
        return None
    return round_half_up(Decimal(applications) / Decimal(allocations), 1)


@dataclass(frozen=True)
class QualificationClass:
    label: str
    lower: Decimal
    upper: Decimal | None

    def contains(self, value: Decimal) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)


def qualification_classes(
    labels: Sequence[str], lowers: Sequence[Decimal]
) -> list[QualificationClass]:
    """Contiguous classes from their lower bounds: no gap, no overlap, by construction."""
    uppers = [*lowers[1:], None]
    return [
        QualificationClass(lab, lo, up) for lab, lo, up in zip(labels, lowers, uppers, strict=True)
    ]


def classify(value: Decimal, classes: Sequence[QualificationClass]) -> QualificationClass:
    for item in classes:
        if item.contains(value):
            return item
    raise ValueError(f"{value} is below the first class")


@dataclass(frozen=True)
class ClassCount:
    label: str
    dwellings: int
    share: Decimal | None


def qualification_summary(
    analysed: Sequence[tuple[Decimal, int]],
    classes: Sequence[QualificationClass],
    others: Sequence[tuple[str, int]] = (),
) -> tuple[list[ClassCount], int]:
    """Dwellings and share of the whole stock by class, then the rows of non-analysed dwellings.

    `analysed` holds (share under 40 % PLUS, dwellings) per address; `others` (label, dwellings).
    """
    per_class = {c.label: 0 for c in classes}
    for value, dwellings in analysed:
        per_class[classify(value, classes).label] += dwellings
    rows = [*per_class.items(), *others]
    total = sum(n for _, n in rows)
    return [ClassCount(label, n, share(n, total)) for label, n in rows], total


def at_stake(
    value: Decimal, dwellings: int, minimum_share: Decimal, minimum_dwellings: int = 0
) -> bool:
    """The rule listing a residence among those at stake for social mix."""
    return value >= minimum_share and dwellings >= minimum_dwellings


def _still_recoverable(hidden_values: Sequence[int], threshold: int) -> bool:
    """Hidden parts of a shown total give themselves away when there is one of them, or when
    together they are small (two hidden 1 out of a known 2 are both 1)."""
    return len(hidden_values) == 1 or sum(hidden_values) < max(threshold, len(hidden_values) + 1)


def _reader_bounds(
    values: dict[object, int | None],
    sums: Sequence[tuple[Sequence[object], object]],
    hidden: set[object],
) -> dict[object, tuple[float, float]]:
    """What a reader can infer of each cell: a shown one exactly, a hidden one from 1 up, an
    unknown one from 0 up, each range narrowed by every sum until nothing moves."""
    low: dict[object, float] = {}
    high: dict[object, float] = {}
    for key, value in values.items():
        if key not in hidden and value is not None:
            low[key] = high[key] = value
        else:
            low[key], high[key] = (1 if key in hidden else 0), math.inf
    for _ in range(20 * len(sums) + 1):
        moved = False
        for parts, total in sums:
            low_sum, high_sum = sum(low[p] for p in parts), sum(high[p] for p in parts)
            narrowed = {total: (max(low[total], low_sum), min(high[total], high_sum))}
            for p in parts:
                others_low, others_high = low_sum - low[p], high_sum - high[p]
                narrowed[p] = (
                    max(low[p], low[total] - others_high),
                    min(high[p], high[total] - others_low),
                )
            for key, (lo, hi) in narrowed.items():
                if (lo, hi) != (low[key], high[key]):
                    low[key], high[key], moved = lo, hi, True
        if not moved:
            break
    return {key: (low[key], high[key]) for key in values}


def secret_cells(
    values: dict[object, int | None],
    sums: Sequence[tuple[Sequence[object], object]],
    threshold: int,
    also: Iterable[object] = (),
) -> set[object]:
    """Cells to hide in a published table: statistical secrecy, primary then secondary.

    `values` holds every published count by cell key (None when unknown), `sums` each relation
    "these cells add up to that one" that a reader can use. Counts from 1 to threshold - 1 are
    hidden; then, wherever the hidden parts of a shown total could be recomputed, the smallest
    shown part is hidden too; last, the ranges a reader can infer from all the sums together
    are checked, and a hidden cell they pin down gets a neighbour hidden, until none is pinned
    down. Zero is never secret. Cells of `also` are hidden from the start, whatever their count.

    The result depends only on the order of `values` and `sums`, never on how a set of keys
    happens to iterate (string hashes change between processes): a pinned cell is looked at in
    the order of `values`.
    """
    hidden = {key for key, value in values.items() if value is not None and 0 < value < threshold}
    hidden |= {key for key in also if values.get(key)}

    def smallest_shown(cells: Sequence[object]) -> object | None:
        shown = [k for k in cells if k not in hidden and (values.get(k) or 0) > 0]
        return min(shown, key=lambda k: values[k] or 0, default=None)

    while True:
        changed = True
        while changed:
            changed = False
            for parts, total in sums:
                hidden_parts = [p for p in parts if p in hidden]
                if total in hidden or values.get(total) is None:
                    # A hidden total is recomputed from its parts when they are all shown.
                    recoverable = total in hidden and not hidden_parts
                    recoverable = recoverable and all(values.get(p) is not None for p in parts)
                else:
                    recoverable = bool(hidden_parts) and _still_recoverable(
                        [values[p] or 0 for p in hidden_parts], threshold
                    )
                if not recoverable:
                    continue
                extra = smallest_shown(parts)
                if extra is None and total not in hidden and values.get(total):
                    extra = total
                if extra is not None:
                    hidden.add(extra)
                    changed = True
        bounds = _reader_bounds(values, sums, hidden)
        pinned = [k for k in values if k in hidden and bounds[k][0] == bounds[k][1]]
        if not pinned:
            return hidden
        related = [[*parts, total] for parts, total in sums if pinned[0] in (*parts, total)]
        extra = smallest_shown([cell for cells in related for cell in cells])
        if extra is None:
            return hidden
        hidden.add(extra)
