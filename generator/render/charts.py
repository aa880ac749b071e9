"""Charts of the bilan as PNG bytes with their alternative text, in the house style.

Readable in black and white: every series has its own hatch or marker and the target is a
dashed line, so nothing depends on colour. Numbers are written the French way by
`generator.formatting`. The same figures give the same bytes: a fixed font shipped with
matplotlib (DejaVu Sans, which has the narrow no-break space of French numbers), fixed size and
resolution, and no software or date in the PNG metadata. A value hidden by statistical secrecy
(None or the secret mark) is never drawn: its place says « s ».
"""

from __future__ import annotations

import functools
import io
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from generator.errors import ConversionError
from generator.formatting import liste, nombre, pourcent
from generator.messages import _
from generator.render.chart_layout import collisions, place_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TEAL = "#1F4E5F"  # the headings' colour of templates/reference.docx
LIGHT = "#A9C4CD"
GREY = "#404040"
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
FILLS = (TEAL, LIGHT, "#FFFFFF", "#6F97A4", "#FFFFFF", "#DCE7EB", "#FFFFFF", "#DCE7EB")
DPI = 200
SIZE = (6.3, 3.2)  # inches: 16 cm wide, the text width of the house style
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": GREY,
    "axes.labelcolor": GREY,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": GREY,
    "ytick.color": GREY,
    "hatch.linewidth": 0.6,
    "hatch.color": TEAL,
    "svg.hashsalt": "cil",
    # Labels and sources are data: « $ » is a dollar sign, never the start of math to parse.
    "text.parse_math": False,
}
SECRET_MARK = "s"


@dataclass(frozen=True)
class ChartWords:
    """The words a chart draws and says around its figures, given by the document that asks
    for it: render knows nothing of what they mean. Placeholders: {objectif} (a share),
    {valeur} and {annee}, {nom} and {liste}, {legende} (the caption, first letter lowered)."""

    part_constatee: str  # the legend of a share's line
    objectif: str  # the legend of the target marks
    objectif_valeur: str  # the legend of a target line: {objectif}
    objectif_dit: str  # a curve's target, after its points: {objectif}
    objectif_groupe: str  # a group's target, after its share: {objectif}
    secret: str  # a value under statistical secrecy, said
    non_disponible: str  # a value unknown, said
    non_disponible_court: str  # a value unknown, drawn
    en_annee: str  # {valeur}, {annee}
    serie: str  # {nom}, {liste}
    courbe: str  # {legende}, {liste}
    barres: str  # {legende}, {liste}
    barre_repartie: str  # {legende}, {liste}
    source: str  # {source}: under the chart and at the end of its alternative text


class ChartError(ConversionError):
    """matplotlib could not draw a chart; the message names it and, when one is found, the
    text it cannot draw (a label or a source: a cell of the data)."""


class _NoTitleOrSource(ValueError):
    """A chart asked without a title or a source: a bug of the caller, not a drawing failure."""


class _TextFailed(Exception):
    def __init__(self, text: str, error: Exception) -> None:
        super().__init__(text)
        self.text, self.error = text, error


P = ParamSpec("P")
R = TypeVar("R")


def _drawing(function: Callable[P, R]) -> Callable[P, R]:
    """A chart function whose failures, whatever matplotlib raises, are a `ChartError` naming
    the chart (its file name and caption, the first two arguments) and the text that broke it."""

    @functools.wraps(function)
    def draw(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (ChartError, _NoTitleOrSource):
            raise
        except Exception as error:
            filename, caption = (str(a) for a in args[:2])
            cause = error.error if isinstance(error, _TextFailed) else error
            reason = f"{type(cause).__name__}: {cause}".strip()
            if isinstance(error, _TextFailed):
                raise ChartError(
                    _(
                        "matplotlib could not draw the chart {file} (« {caption} »): {reason}; "
                        "it fails on the text « {text} »: change the cell that holds it, then "
                        "build again",
                        file=filename,
                        caption=caption,
                        reason=reason,
                        text=error.text,
                    )
                ) from cause
            raise ChartError(
                _(
                    "matplotlib could not draw the chart {file} (« {caption} »): {reason}; "
                    "check the values and texts it shows, or reinstall cil if every chart fails",
                    file=filename,
                    caption=caption,
                    reason=reason,
                )
            ) from error

    return draw


@dataclass(frozen=True)
class Chart:
    """A chart ready for a document: file name, PNG bytes, caption, alternative text, and the
    values actually drawn (for checks)."""

    filename: str
    png: bytes
    caption: str
    alt: str
    drawn: tuple[Decimal | int, ...]
    #: What overlaps in the image (a label over a line, a legend over a bar): none, checked.
    collisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Drawn:
    png: bytes
    collisions: tuple[str, ...]


def _chart(
    words: ChartWords,
    source: str,
    filename: str,
    drawn: _Drawn,
    caption: str,
    alt: str,
    values: tuple,
) -> Chart:
    """The chart, its alternative text ending with the source the image shows. A chart always
    has a title (its caption), a source and an alternative text."""
    if not _plain(caption) or not _plain(source):
        raise _NoTitleOrSource(f"chart {filename}: a chart needs a title and a source")
    return Chart(
        filename,
        drawn.png,
        caption,
        f"{alt} {words.source.format(source=source)}.",
        values,
        drawn.collisions,
    )


def enough_points(values: Sequence[Any]) -> bool:
    """Whether a series by year says more as a chart than as a row of a table: two values
    drawn at least."""
    return sum(1 for v in values if _number(v) is not None) >= 2


# Characters no font draws; a line break in a source or a label would overlap the chart.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"\s*[\n\r\u2028\u2029]+\s*")


def _plain(text: Any) -> str:
    """A text from the data, as one line of drawable characters."""
    return _BREAKS.sub(" ", _CONTROL.sub("", str(text).replace("\t", " "))).strip()


def _plains(texts: Sequence[Any]) -> list[str]:
    return [_plain(text) for text in texts]


def _first_lower(caption: str) -> str:
    return caption[:1].lower() + caption[1:]


def _number(value: Any) -> Decimal | int | float | None:
    """The value to draw, or None when it is unknown or secret."""
    return (
        value if isinstance(value, int | Decimal | float) and not isinstance(value, bool) else None
    )


def _percent_axis(axis: Any) -> None:
    axis.set_major_formatter(_mpl().ticker.FuncFormatter(lambda v, _: pourcent(v, 0)))


def _count_axis(axis: Any) -> None:
    axis.set_major_locator(_mpl().ticker.MaxNLocator(integer=True))
    axis.set_major_formatter(_mpl().ticker.FuncFormatter(lambda v, _: nombre(v)))


def _said(value: Any, as_share: bool, words: ChartWords) -> str:
    drawn = _number(value)
    if drawn is None:
        return words.secret if value is not None else words.non_disponible
    return pourcent(drawn) if as_share else nombre(drawn)


def _writable_folder(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _own_config_folder() -> None:
    """Give matplotlib a folder of ours when the user's own cannot be written (HOME unset or
    read-only, as under a service account): it would otherwise warn on every run."""
    if "MPLCONFIGDIR" in os.environ:
        return
    home = Path(os.path.expanduser("~"))
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"
    if _writable_folder(config) and _writable_folder(cache):
        return
    own = Path(tempfile.gettempdir()) / f"cil-matplotlib-{os.getuid()}"
    try:
        own.mkdir(mode=0o700, exist_ok=True)
        mine = not own.is_symlink() and own.stat().st_uid == os.getuid()  # not another's trap
    except OSError:
        return
    if mine and os.access(own, os.W_OK):
        os.environ["MPLCONFIGDIR"] = str(own)


@functools.cache
def _mpl() -> Any:
    """matplotlib, imported on the first chart: it costs 0.5 s, which a command that draws no
    chart (`cil --help`, a no-op build) should not pay.

    Its built-in defaults, whatever a matplotlibrc of the user or of the working folder says:
    the same figures give the same chart on every machine."""
    _own_config_folder()
    import matplotlib

    matplotlib.use("Agg")  # the backend is chosen before pyplot-free imports below
    matplotlib.rcdefaults()
    import matplotlib.backends.backend_agg
    import matplotlib.figure
    import matplotlib.text
    import matplotlib.ticker

    return matplotlib


def _render(figure: Figure, source: str) -> _Drawn:
    """The figure as PNG bytes, `source` (its words given) at its foot."""
    figure.text(0.01, 0.01, source, fontsize=6.5, color=GREY, ha="left", va="bottom")
    try:
        with warnings.catch_warnings():
            # matplotlib warns when a long text squeezes the layout: the chart is still drawn
            warnings.simplefilter("ignore", UserWarning)
            # The layout at screen resolution, then again as saved: the PNG is the same as
            # after a full draw at screen resolution (this used to be one), at half the cost.
            engine = figure.get_layout_engine()
            if engine is not None:
                engine.execute(figure)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            found = tuple(collisions(figure))  # measured on the layout as saved
    except Exception as error:
        failing = _failing_text(figure)
        if failing is None:
            raise
        raise _TextFailed(failing, error) from error
    return _Drawn(buffer.getvalue(), found)


def _failing_text(figure: Figure) -> str | None:
    """The first text of the figure that matplotlib cannot lay out, if one is."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for text in figure.findobj(_mpl().text.Text):
        if not text.get_text():
            continue
        try:
            text.get_window_extent(renderer)
        except Exception:
            return str(text.get_text())
    return None


def _legend_above(figure: Figure, axes: Any, columns: int) -> None:
    """The legend above the plot, outside it: it never covers a bar, a line or the source."""
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside upper center", ncol=columns, frameon=False)


def _figure(height: float = SIZE[1]) -> tuple[Figure, Any]:
    figure = _mpl().figure.Figure(figsize=(SIZE[0], height), layout="constrained")
    _mpl().backends.backend_agg.FigureCanvasAgg(figure)  # a renderer to measure texts with
    figure.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
    return figure, figure.add_subplot()


@_drawing
def share_by_year(
    filename: str,
    caption: str,
    years: Sequence[str],
    shares: Sequence[Any],
    target: Decimal | None,
    source: str,
    *,
    words: ChartWords,
) -> Chart:
    """A share year by year (line with markers) against its target (dashed line)."""
    with _mpl().rc_context(STYLE):
        figure, axes = _figure()
        points = [(i, float(v)) for i, v in enumerate(shares) if _number(v) is not None]
        if points:
            axes.plot(
                *zip(*points, strict=True),
                color=TEAL,
                marker="o",
                linewidth=1.8,
                label=words.part_constatee,
            )
        labels = [
            axes.annotate(
                pourcent(value),
                (i, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                color=TEAL,
            )
            for i, value in points
        ]
        for i, value in enumerate(shares):
            if _number(value) is None and value is not None:
                axes.annotate(SECRET_MARK, (i, 0), ha="center", va="bottom", color=GREY)
        if target is not None:
            axes.axhline(
                float(target),
                color=GREY,
                linestyle="--",
                linewidth=1.2,
                label=words.objectif_valeur.format(objectif=pourcent(target, 0)),
            )
        top = max([float(target or 0), *(v for _, v in points)], default=0.3)
        axes.set_ylim(0, min(1.0, top * 1.3 + 0.02))
        axes.set_xticks(range(len(years)), _plains(years))
        axes.set_xlim(-0.5, len(years) - 0.5)
        _percent_axis(axes.yaxis)
        _legend_above(figure, axes, 2)
        place_labels(figure, axes, labels)
        image = _render(figure, words.source.format(source=_plain(source)))
    said = [
        words.en_annee.format(valeur=_said(v, True, words), annee=y)
        for y, v in zip(years, shares, strict=True)
    ]
    alt = words.courbe.format(legende=_first_lower(caption), liste=liste(said))
    if target is not None:
        alt += words.objectif_dit.format(objectif=pourcent(target, 0))
    drawn = tuple(Decimal(str(v)) for _, v in points)
    return _chart(words, source, filename, image, caption, alt + ".", drawn)


@_drawing
def share_by_group(
    filename: str,
    caption: str,
    labels: Sequence[str],
    shares: Sequence[Any],
    targets: Sequence[Decimal | None],
    source: str,
    *,
    words: ChartWords,
) -> Chart:
    """Horizontal bars of a share per group, each with its own target mark."""
    with _mpl().rc_context(STYLE):
        figure, axes = _figure(max(2.2, 0.45 * len(labels) + 1.2))
        rows = range(len(labels))[::-1]
        drawn = []
        for row, value, target in zip(rows, shares, targets, strict=True):
            number = _number(value)
            if number is not None:
                axes.barh(row, float(number), color=LIGHT, edgecolor=TEAL, hatch="///", height=0.6)
                # Right of the bar and of its target mark, whichever ends further.
                end = max(float(number), float(target) if target is not None else 0.0)
                axes.annotate(
                    pourcent(number),
                    (end, row),
                    textcoords="offset points",
                    xytext=(4, 0),
                    va="center",
                    color=TEAL,
                )
                drawn.append(number)
            elif value is not None:
                axes.text(0.01, row, SECRET_MARK, va="center", color=GREY)
            if target is not None:
                axes.plot(
                    [float(target)] * 2,
                    [row - 0.4, row + 0.4],
                    color=GREY,
                    linestyle="--",
                    linewidth=1.4,
                )
        axes.set_yticks(list(rows), _plains(labels))
        axes.set_ylim(-0.6, len(labels) - 0.4)  # a group without a bar keeps its row height
        axes.set_xlim(0, 1.12)
        _percent_axis(axes.xaxis)
        if any(t is not None for t in targets):  # no legend for a chart without targets
            axes.plot([], [], color=GREY, linestyle="--", label=words.objectif)
            _legend_above(figure, axes, 1)
        image = _render(figure, words.source.format(source=_plain(source)))
    said = [
        f"{label} {_said(v, True, words)}"
        + (words.objectif_groupe.format(objectif=pourcent(t, 0)) if t is not None else "")
        for label, v, t in zip(labels, shares, targets, strict=True)
    ]
    alt = words.barres.format(legende=_first_lower(caption), liste=liste(said))
    return _chart(words, source, filename, image, caption, alt + ".", tuple(drawn))


@_drawing
def counts_by_year(
    filename: str,
    caption: str,
    years: Sequence[str],
    series: dict[str, Sequence[Any]],
    source: str,
    *,
    words: ChartWords,
) -> Chart:
    """Grouped bars of counts by year (e.g. applications and allocations), hatched per series."""
    with _mpl().rc_context(STYLE):
        figure, axes = _figure()
        width = 0.8 / max(1, len(series))
        drawn: list[Any] = []
        for index, (name, values) in enumerate(series.items()):
            legend: str | None = _plain(name)  # on the series' first bar only
            offsets = [i + (index - (len(series) - 1) / 2) * width for i in range(len(years))]
            for x, value in zip(offsets, values, strict=True):
                number = _number(value)
                if number is None:
                    if value is not None:
                        axes.text(x, 0, SECRET_MARK, ha="center", va="bottom", color=GREY)
                    continue
                axes.bar(
                    x,
                    float(number),
                    width=width * 0.95,
                    color=FILLS[index],
                    edgecolor=TEAL,
                    hatch=HATCHES[index],
                    label=legend,
                )
                legend = None
                axes.annotate(
                    nombre(number),
                    (x, float(number)),
                    textcoords="offset points",
                    xytext=(0, 3),
                    va="bottom",
                    ha="center",
                    fontsize=7,
                )
                drawn.append(number)
        _legend_above(figure, axes, len(series))
        axes.set_xticks(range(len(years)), _plains(years))
        _count_axis(axes.yaxis)
        axes.margins(y=0.15)
        image = _render(figure, words.source.format(source=_plain(source)))
    said = [
        words.serie.format(
            nom=name,
            liste=liste(
                words.en_annee.format(valeur=_said(v, False, words), annee=y)
                for y, v in zip(years, values, strict=True)
            ),
        )
        for name, values in series.items()
    ]
    alt = words.barres.format(legende=_first_lower(caption), liste=" ; ".join(said))
    return _chart(words, source, filename, image, caption, alt + ".", tuple(drawn))


@_drawing
def ratio_by_year(
    filename: str,
    caption: str,
    years: Sequence[str],
    values: Sequence[Any],
    source: str,
    *,
    words: ChartWords,
) -> Chart:
    """A ratio year by year (tension: applications per allocation)."""
    with _mpl().rc_context(STYLE):
        figure, axes = _figure(2.6)
        points = [(i, float(v)) for i, v in enumerate(values) if _number(v) is not None]
        if points:
            axes.plot(*zip(*points, strict=True), color=TEAL, marker="s", linewidth=1.8)
        labels = [
            axes.annotate(
                nombre(value, 1),
                (i, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                color=TEAL,
            )
            for i, value in points
        ]
        axes.set_xticks(range(len(years)), _plains(years))
        axes.set_xlim(-0.5, len(years) - 0.5)
        axes.set_ylim(0, max([v for _, v in points], default=1) * 1.3)
        axes.yaxis.set_major_formatter(_mpl().ticker.FuncFormatter(lambda v, _: nombre(v)))
        place_labels(figure, axes, labels)
        image = _render(figure, words.source.format(source=_plain(source)))
    said = [
        words.en_annee.format(
            valeur=nombre(number, 1)
            if (number := _number(v)) is not None
            else words.non_disponible,
            annee=y,
        )
        for y, v in zip(years, values, strict=True)
    ]
    drawn = tuple(Decimal(str(v)) for _, v in points)
    alt = words.courbe.format(legende=_first_lower(caption), liste=liste(said))
    return _chart(words, source, filename, image, caption, alt + ".", drawn)


@_drawing
def counts_by_group(
    filename: str,
    caption: str,
    labels: Sequence[str],
    counts: Sequence[Any],
    source: str,
    *,
    words: ChartWords,
) -> Chart:
    """Horizontal bars of a count per group (commune, landlord); a secret count reads « s »."""
    with _mpl().rc_context(STYLE):
        figure, axes = _figure(max(2.2, 0.32 * len(labels) + 1.0))
        rows = range(len(labels))[::-1]
        drawn = []
        top = max((float(n) for n in counts if _number(n) is not None), default=1)
        for row, value in zip(rows, counts, strict=True):
            number = _number(value)
            if number is None:
                mark = SECRET_MARK if value is not None else words.non_disponible_court
                axes.text(top * 0.01, row, mark, va="center", color=GREY)
                continue
            axes.barh(row, float(number), color=TEAL, height=0.6)
            axes.text(float(number) + top * 0.01, row, nombre(number), va="center", color=TEAL)
            drawn.append(number)
        axes.set_yticks(list(rows), _plains(labels))
        axes.set_ylim(-0.6, len(labels) - 0.4)  # a group without a bar keeps its row height
        axes.set_xlim(0, top * 1.15)
        _count_axis(axes.xaxis)
        image = _render(figure, words.source.format(source=_plain(source)))
    said = [f"{label} {_said(v, False, words)}" for label, v in zip(labels, counts, strict=True)]
    alt = words.barres.format(legende=_first_lower(caption), liste=liste(said))
    return _chart(words, source, filename, image, caption, alt + ".", tuple(drawn))


@_drawing
def split(
    filename: str,
    caption: str,
    labels: Sequence[str],
    counts: Sequence[Any],
    total: int,
    source: str,
    *,
    words: ChartWords,
) -> Chart:
    """One bar split into the share of each group of `total`; the groups hidden by secrecy are
    drawn together as one part (their sum is no secret: it is the total minus the rest)."""
    parts = [(label, _number(n)) for label, n in zip(labels, counts, strict=True)]
    shown = [(label, n) for label, n in parts if n]
    hidden = [
        label for label, n in zip(labels, counts, strict=True) if n is not None and not _number(n)
    ]
    rest = total - sum(n for _, n in shown)
    if hidden and rest > 0:
        shown.append((f"{liste(hidden)} ({words.secret})", rest))
    with _mpl().rc_context(STYLE):
        figure, axes = _figure(2.0)
        left = 0.0
        for index, (label, number) in enumerate(shown):
            width = float(number) / float(total)
            axes.barh(
                0,
                width,
                left=left,
                color=FILLS[index % len(FILLS)],
                edgecolor=TEAL,
                hatch=HATCHES[index % len(HATCHES)],
                label=_plain(label),
                height=0.6,
            )
            if width > 0.06:
                axes.text(
                    left + width / 2,
                    0,
                    pourcent(Decimal(number) / Decimal(total), 0),
                    ha="center",
                    va="center",
                    color="black",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
            left += width
        axes.set_xlim(0, 1)
        axes.set_yticks([])
        _percent_axis(axes.xaxis)
        _legend_above(figure, axes, 3)
        image = _render(figure, words.source.format(source=_plain(source)))
    said = [f"{label} {pourcent(Decimal(n) / Decimal(total))}" for label, n in shown]
    alt = words.barre_repartie.format(legende=_first_lower(caption), liste=liste(said))
    return _chart(words, source, filename, image, caption, alt + ".", tuple(n for _, n in shown))
