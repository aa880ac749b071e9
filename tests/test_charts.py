"""Charts: reproducible PNG at 200 dpi, French numbers, secrets never drawn, alt text."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from generator.indicators.allocations import SECRET
from generator.render import charts

NBSP = "\u00a0"
NNBSP = "\u202f"


def _share_chart() -> charts.Chart:
    return charts.share_by_year(
        "q1.png",
        "Part des attributions au premier quartile",
        ["2020", "2021", "2022", "2023"],
        [Decimal("0.15"), None, SECRET, Decimal(11) / Decimal(56)],
        Decimal("0.25"),
        "SNE",
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
        "c.png", "Attributions par commune", ["A", "B", "C"], [42, SECRET, None], "SNE"
    )
    assert chart.drawn == (42,)
    assert "B soumis au secret statistique" in chart.alt


def test_hidden_groups_of_a_split_are_drawn_together_as_one_part():
    chart = charts.split(
        "s.png", "Répartition", ["État", "Département", "Commune"], [40, SECRET, SECRET], 56, "SNE"
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
    )
    assert chart.drawn == (900, 979, 50, 56)
    assert "979 en 2023" in chart.alt
    grey = Image.open(io.BytesIO(chart.png)).convert("L")
    assert sum(1 for n in grey.histogram() if n) > 20  # hatches and outlines, not flat fills


def test_a_tension_reads_with_a_decimal_comma():
    chart = charts.ratio_by_year(
        "t.png", "Tension", ["2022", "2023"], [Decimal("17.5"), None], "SNE"
    )
    assert "17,5 en 2022" in chart.alt
    assert chart.alt.endswith("Source : SNE.")
