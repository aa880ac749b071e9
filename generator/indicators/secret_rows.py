"""Rows wholly under statistical secrecy, added up into one row.

A row whose every count is « s » tells a reader nothing; added up, such rows can often be
shown, and the table says which members it groups. Communes, landlords, contingents, motives and
the categories of a profile are grouped this way, by one computation over the table's `Grid`
(or its grids, one a year), before secrecy is final: the grouped row is put under secrecy like
any other, and secondary secrecy still sees that no hidden count can be recomputed."""

from __future__ import annotations

from collections.abc import Sequence

from generator.formatting import liste
from generator.indicators.allocations import Grid, Note, RowLabel, note


def group_masked_rows(
    grids: Sequence[Grid], candidates: Sequence[object], key: str
) -> tuple[RowLabel | None, list[object]]:
    """The row (`key` of the labels block, with the number of its members) into which every
    grid adds up the candidate rows hidden whole in each grid that has them, and its members.

    A row hidden whole once others are grouped (secondary secrecy moves) joins the group too,
    until none is left. A single row hidden whole stays as it is, hidden: a group of one would
    show its member, and folding a shown row into it would hide what secrecy lets be seen."""
    label: RowLabel | None = None
    members: list[object] = []
    while True:
        free = [row for row in candidates if row not in members]
        joining = [row for row in free if _hidden_whole(grids, row)]
        if not joining:
            return label, members
        if not members and len(joining) == 1:
            return None, []
        members += joining
        grouped = RowLabel(key, nombre=len(members), seuil=grids[0].threshold)
        for grid in grids:
            present = grid.rows()
            parts = [row for row in [label, *joining] if row is not None and row in present]
            if parts:
                grid.group(grouped, parts)
        label = grouped


def _hidden_whole(grids: Sequence[Grid], row: object) -> bool:
    having = [grid for grid in grids if row in grid.rows()]
    return bool(having) and all(grid.masked_whole(row) for grid in having)


def placed(labels: Sequence[object], label: RowLabel | None, members: Sequence[object]) -> list:
    """The rows of a table once `members` are grouped: the group takes the place after the
    rows of the data, before the rows a computation adds (the remainder)."""
    kept = [row for row in labels if row not in members]
    if label is None:
        return kept
    first_added = next((i for i, row in enumerate(kept) if isinstance(row, RowLabel)), len(kept))
    return [*kept[:first_added], label, *kept[first_added:]]


def grouped_note(
    key: str, members: Sequence[object], threshold: int, **figures: str
) -> list[Note | str]:
    """The note naming the grouped members and why (`secret_…` of the labels block)."""
    if not members:
        return []
    names = liste([str(m) for m in members])
    name = f"secret_{key.removeprefix('autres_')}"
    return [note(name, membres=names, seuil=str(threshold), **figures)]
