"""Where a chart's words go: data labels and legends never cover the data or a target line.

Measured on the drawn figure with matplotlib's renderer (`get_window_extent`), in pixels: a
label is tried at a few places around its point and keeps the first that touches nothing;
`collisions` lists what still overlaps (a chart is checked with it before it is saved)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

_TOLERANCE = 1.0  # pixels: touching edges are not an overlap
_CLEARANCE = 3.0  # pixels around a label (at 100 dpi, 2 points) that a line must keep clear of
#: Offsets (points) tried for a label around its point: above, below, right, left.
AROUND = (
    (0, 6, "center", "bottom"),
    (0, -7, "center", "top"),
    (7, 0, "left", "center"),
    (-7, 0, "right", "center"),
)


def _boxes_meet(a: Any, b: Any) -> bool:
    return (
        a.x0 < b.x1 - _TOLERANCE
        and b.x0 < a.x1 - _TOLERANCE
        and a.y0 < b.y1 - _TOLERANCE
        and b.y0 < a.y1 - _TOLERANCE
    )


def _segment_meets_box(p: Sequence[float], q: Sequence[float], box: Any) -> bool:
    """Whether the segment p-q crosses the box (sampled finely: charts are small)."""
    steps = max(2, int(max(abs(q[0] - p[0]), abs(q[1] - p[1])) // 2))
    for i in range(steps + 1):
        t = i / steps
        x, y = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        if box.x0 + _TOLERANCE < x < box.x1 - _TOLERANCE and (
            box.y0 + _TOLERANCE < y < box.y1 - _TOLERANCE
        ):
            return True
    return False


def _line_meets_box(line: Any, box: Any) -> bool:
    points = line.get_transform().transform(line.get_xydata())
    if len(points) == 1:
        return _segment_meets_box(points[0], points[0], box)
    return any(_segment_meets_box(a, b, box) for a, b in zip(points[:-1], points[1:], strict=True))


def _label_box(text: Any, renderer: Any) -> Any:
    """A label's box with room around it: a line grazing the glyphs reads as crossing them."""
    return text.get_window_extent(renderer).expanded(1, 1).padded(_CLEARANCE)


def _labels(axes: Any) -> list[Any]:
    return [t for t in axes.texts if t.get_visible() and t.get_text()]


def _legends(figure: Any) -> Iterator[Any]:
    for axes in figure.axes:
        if axes.get_legend() is not None:
            yield axes.get_legend()
    yield from figure.legends


def collisions(figure: Any) -> list[str]:
    """What overlaps on the drawn figure: a label over a line (data or target), over another
    label or under a legend; a legend over a bar or a line. A label on a white box inside its
    own bar (a split bar's share) is meant to be there."""
    renderer = figure.canvas.get_renderer()
    found = []
    for axes in figure.axes:
        lines = [line for line in axes.lines if len(line.get_xydata())]
        bars = [patch.get_window_extent(renderer) for patch in axes.patches]
        labels = [(t, _label_box(t, renderer)) for t in _labels(axes)]
        spines = [s.get_window_extent(renderer) for s in axes.spines.values() if s.get_visible()]
        for index, (text, box) in enumerate(labels):
            if any(_line_meets_box(line, box) for line in lines):
                found.append(f"label « {text.get_text()} » over a line")
            if any(_boxes_meet(text.get_window_extent(renderer), spine) for spine in spines):
                found.append(f"label « {text.get_text()} » over an axis")
            for other, other_box in labels[index + 1 :]:
                if _boxes_meet(box, other_box):
                    found.append(f"label « {text.get_text()} » over « {other.get_text()} »")
            if text.get_bbox_patch() is None and any(_boxes_meet(box, bar) for bar in bars):
                found.append(f"label « {text.get_text()} » over a bar")
        for legend in _legends(figure):
            box = legend.get_window_extent(renderer)
            if any(_line_meets_box(line, box) for line in lines) or any(
                _boxes_meet(box, bar) for bar in bars
            ):
                found.append("legend over the data")
            found.extend(
                f"label « {text.get_text()} » under the legend"
                for text, label_box in labels
                if _boxes_meet(box, label_box)
            )
    for legend in _legends(figure):
        box = legend.get_window_extent(renderer)
        found.extend(
            f"legend over « {text.get_text()} »"
            for text in figure.texts
            if _boxes_meet(box, text.get_window_extent(renderer))
        )
    return found


def place_labels(figure: Any, axes: Any, labels: Sequence[Any]) -> None:
    """Move each annotation (offset in points from its point) to the first place around its
    point where it touches no line, no bar and no label placed before it."""
    renderer = figure.canvas.get_renderer()
    figure.draw_without_rendering()
    lines = [line for line in axes.lines if len(line.get_xydata())]
    bars = [patch.get_window_extent(renderer) for patch in axes.patches]
    placed: list[Any] = []
    for label in labels:
        for dx, dy, ha, va in AROUND:
            label.set_position((dx, dy))
            label.set_ha(ha)
            label.set_va(va)
            box = _label_box(label, renderer)
            free = not any(_line_meets_box(line, box) for line in lines)
            free = free and not any(_boxes_meet(box, other) for other in placed + bars)
            if free:
                break
        placed.append(_label_box(label, renderer))
