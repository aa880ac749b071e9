"""Charts: reproducible PNG at 200 dpi, French numbers, secrets never drawn, alt text."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

import pytest
import yaml
from PIL import Image

from generator.indicators.allocations import SECRET
from generator.render import charts

from .conftest import ROOT

NBSP = "\u00a0"
NNBSP = "\u202f"
#: The words the documents give every chart (render knows none).
WORDS = charts.ChartWords(
    **yaml.safe_load((ROOT / "content" / "blocs" / "libelles.yaml").read_text(encoding="utf-8"))[
        "graphiques"
    ]["mots"]
)


def _share_chart() -> charts.Chart:
    return charts.share_by_year(
        "q1.png",
        "Part des attributions au premier quartile",
        ["2020", "2021", "2022", "2023"],
        [Decimal("0.15"), None, SECRET, Decimal(11) / Decimal(56)],
        Decimal("0.25"),
        "SNE",
        words=WORDS,
    )


def test_same_figures_give_the_same_bytes():
    assert _share_chart().png == _share_chart().png


def test_png_is_200_dpi_16_cm_wide_without_software_metadata():
    chart = _share_chart()
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == 200
    assert image.size[0] == 1260
    assert "Software" not in image.info


def test_alt_text_reads_the_figures_the_french_way_and_names_the_secret():
    alt = _share_chart().alt
    assert f"19,6{NNBSP}% en 2023" in alt
    assert f"objectif 25{NNBSP}%" in alt
    assert "soumis au secret statistique en 2022" in alt
    assert "non disponible en 2021" in alt


def test_a_secret_or_unknown_value_is_never_drawn():
    chart = charts.counts_by_group(
        "c.png", "Attributions par commune", ["A", "B", "C"], [42, SECRET, None], "SNE", words=WORDS
    )
    assert chart.drawn == (42,)
    assert "B soumis au secret statistique" in chart.alt


def test_hidden_groups_of_a_split_are_drawn_together_as_one_part():
    chart = charts.split(
        "s.png",
        "Répartition",
        ["État", "Département", "Commune"],
        [40, SECRET, SECRET],
        56,
        "SNE",
        words=WORDS,
    )
    assert chart.drawn == (40, 16)
    assert "Département et Commune (soumis au secret statistique)" in chart.alt


def test_series_are_told_apart_without_colour():
    assert len(set(charts.HATCHES)) == len(charts.HATCHES)
    chart = charts.counts_by_year(
        "d.png",
        "Demandes et attributions",
        ["2022", "2023"],
        {"Demandes": [900, 979], "Attributions": [50, 56]},
        "SNE",
        words=WORDS,
    )
    assert chart.drawn == (900, 979, 50, 56)
    assert "979 en 2023" in chart.alt
    grey = Image.open(io.BytesIO(chart.png)).convert("L")
    assert sum(1 for n in grey.histogram() if n) > 20  # hatches and outlines, not flat fills


def test_a_tension_reads_with_a_decimal_comma():
    chart = charts.ratio_by_year(
        "t.png", "Tension", ["2022", "2023"], [Decimal("17.5"), None], "SNE", words=WORDS
    )
    assert "17,5 en 2022" in chart.alt
    assert chart.alt.endswith("Source : SNE.")


# Values near the target, labels close together: where a label above its point would sit on
# the target line or on the curve.
NEAR_TARGET = [Decimal("0.224"), Decimal("0.244"), Decimal("0.238"), Decimal("0.272")]
YEARS = ["2021", "2022", "2023", "2024"]
LONG_SOURCE = "Données fictives générées par cil (graine 2025) ; SNE infocentre 2023 ; RPLS 2024"


def _every_kind_of_chart() -> list[charts.Chart]:
    return [
        charts.share_by_year(
            "a.png", "Part", YEARS, NEAR_TARGET, Decimal("0.25"), LONG_SOURCE, words=WORDS
        ),
        charts.share_by_group(
            "b.png",
            "Part par contingent",
            ["État", "Action Logement", "Commune", "Ensemble"],
            [Decimal("0.94"), Decimal("0.25"), SECRET, Decimal("0.41")],
            [Decimal("1"), Decimal("0.25"), Decimal("0.25"), Decimal("0.425")],
            LONG_SOURCE,
            words=WORDS,
        ),
        charts.counts_by_year(
            "c.png",
            "Demandes et attributions",
            YEARS,
            {"Demandes": [979, 1012, 1100, 1200], "Attributions": [56, 60, 61, 70]},
            LONG_SOURCE,
            words=WORDS,
        ),
        charts.ratio_by_year(
            "d.png", "Tension", YEARS, [17.5, 17.4, 17.6, 8.2], LONG_SOURCE, words=WORDS
        ),
        charts.counts_by_group(
            "e.png", "Par commune", ["A", "B"], [40, 16], LONG_SOURCE, words=WORDS
        ),
        charts.split(
            "f.png", "Répartition", ["État", "Commune"], [40, 16], 56, LONG_SOURCE, words=WORDS
        ),
        # the last group without a bar: its « s » stays in its own row, clear of the axis
        charts.share_by_group(
            "g.png",
            "Part sous le plafond PLAI",
            ["Demandeurs", "Attributaires en mutation"],
            [Decimal("0.61"), SECRET],
            [None, None],
            LONG_SOURCE,
            words=WORDS,
        ),
        charts.counts_by_group(
            "h.png", "Par bailleur", ["A", "B", "C"], [40, 16, SECRET], LONG_SOURCE, words=WORDS
        ),
    ]


def test_no_label_or_legend_overlaps_the_data_or_the_target_line():
    for chart in _every_kind_of_chart():
        assert chart.collisions == (), chart.filename


def test_the_overlap_check_sees_a_label_on_the_target_line():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from generator.render.chart_layout import collisions, place_labels

    figure = Figure(figsize=(6, 3))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.axhline(0.25, linestyle="--")
    label = axes.annotate("24,9 %", (0.5, 0.249), textcoords="offset points", xytext=(0, 0))
    axes.set_ylim(0, 0.5)
    figure.draw_without_rendering()
    assert collisions(figure) == ["label « 24,9 % » over a line"]
    place_labels(figure, axes, [label])
    assert collisions(figure) == []


def test_every_chart_has_a_title_a_source_and_an_alt_text():
    for chart in _every_kind_of_chart():
        assert chart.caption and chart.alt and chart.alt.endswith(f"Source : {LONG_SOURCE}.")
    with pytest.raises(ValueError, match="title and a source"):
        charts.ratio_by_year("g.png", "", YEARS, [1, 2, 3, 4], "SNE", words=WORDS)


def test_a_series_of_one_point_is_a_table_row_not_a_chart():
    from generator.documents.bilan_charts import demand_charts, first_quartile_chart
    from generator.indicators.allocations import Column, IndicatorTable

    assert not charts.enough_points([Decimal("0.2"), None, SECRET])
    assert charts.enough_points([Decimal("0.2"), Decimal("0.3")])
    one_year = IndicatorTable(
        key="demandes",
        title="Demandes",
        columns=[Column("annee", "text"), Column("demandes"), Column("attributions")],
        rows=[["2023", 979, 56]],
    )
    words = yaml.safe_load((ROOT / "content" / "blocs" / "libelles.yaml").read_text())["graphiques"]
    assert demand_charts("bilan-2023", one_year, words) == []
    shares = IndicatorTable(
        key="premier_quartile",
        title="Premier quartile",
        columns=[Column("annee", "text"), Column("part", "share")],
        rows=[["2022", None], ["2023", Decimal("0.196")]],
    )
    assert first_quartile_chart("bilan-2023", shares, Decimal("0.25"), words) is None


def test_a_chart_says_the_words_its_document_gives_and_no_other():
    english = dataclasses.replace(
        WORDS,
        courbe="Line: {legende} — {liste}",
        en_annee="{valeur} in {annee}",
        non_disponible="unknown",
        source="From: {source}",
    )
    chart = charts.ratio_by_year(
        "t.png", "Tension", ["2022", "2023"], [Decimal("17.5"), None], "SNE", words=english
    )
    assert chart.alt == "Line: tension — 17,5 in 2022 et unknown in 2023. From: SNE."


def _chart_png_in_a_fresh_process(tmp_path, home: str) -> tuple[bytes, str]:
    """A chart drawn by a new Python (matplotlib imported afresh) in `tmp_path`, with HOME set."""
    import subprocess
    import sys

    script = (
        "import sys; from tests.test_charts import _share_chart;"
        "sys.stdout.buffer.write(_share_chart().png)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, check=True
    )
    return done.stdout, done.stderr.decode()


def test_an_unwritable_home_or_a_local_matplotlibrc_changes_nothing(tmp_path):
    usual, _said = _chart_png_in_a_fresh_process(tmp_path, str(tmp_path))
    assert usual.startswith(b"\x89PNG")
    homeless, said = _chart_png_in_a_fresh_process(tmp_path, "/dev/null/nowhere")
    assert said == ""  # matplotlib would warn about its config folder on every run
    assert homeless == usual
    (tmp_path / "matplotlibrc").write_text("lines.linewidth: 20\nfigure.facecolor: red\n")
    assert _chart_png_in_a_fresh_process(tmp_path, str(tmp_path))[0] == usual


def test_the_cia_chart_of_targets_by_contingent_marks_no_target_on_its_own_bars():
    from generator.documents.cia_governance import priority_share
    from generator.documents.common import facts_of
    from generator.territory.load import load_territory

    territory = load_territory(ROOT / "territories" / "cc-rhone-crussol")
    _, chart = priority_share(territory, facts_of(territory), 2025)
    assert "objectif" not in chart.alt  # no « 100,0 % (objectif 100 %) », no legend « Objectif »
    assert "100,0 %" in chart.alt.replace("\u202f", " ").replace("\u00a0", " ")
