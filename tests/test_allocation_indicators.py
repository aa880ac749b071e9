"""Indicators of the bilan: the same from records and from published counts, the seed's figures
for Rhône Crussol, and no count under the secrecy threshold in any table."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from generator.documents import bilan
from generator.documents.common import load_content, search_paths
from generator.documents.presentation import LABELS, labelled
from generator.formatting import FILTERS
from generator.indicators.allocations import SECRET
from generator.indicators.results import OTHER_MOTIVE, TOTAL
from generator.render import make_environment, render_markdown
from generator.territory.load import load_territory
from tests.making import charts_of, context_of, evaluate, made_alone

from .conftest import EXAMPLE, ROOT

FICTIONAL = ROOT / "territories" / "exemple-fictif"
COUNTS = (
    "attributions",
    "attributions_qpv",
    "premier_quartile_hors_qpv",
    "autres_quartiles_qpv",
    "prioritaires",
    "dalo",
    "mutations",
    "travailleurs_essentiels",
)
# The populations and dimensions a partner publishes with its counts.
BREAKDOWNS = {
    "attributions": {
        "typologie": "typologie",
        "composition familiale": "composition",
        "financement": "financement",
        "motif de la demande": "motif_demande",
    },
    "attributions aux ménages prioritaires": {"motif de priorité": "motif_priorite"},
    "attributions au premier quartile": {
        "composition familiale": "composition",
        "âge": "age",
        "activité": "activite",
        "ressources": "ressources",
        "typologie": "typologie",
        "motif de la demande": "motif_demande",
    },
    "attributions en mutation": {
        "composition familiale": "composition",
        "âge": "age",
        "activité": "activite",
        "ressources": "ressources",
        "motif de la demande": "motif_demande",
    },
    "attributions aux travailleurs essentiels": {"profession": "profession"},
}


def _category(dimension: str, value: str) -> str:
    """A record's value as the category a partner publishes: ages counted by group."""
    if dimension != "âge":
        return value
    age = int(value)
    if age < 25:
        return "Moins de 25 ans"
    return "25 à 39 ans" if age < 40 else "40 à 64 ans" if age < 65 else "65 ans et plus"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _published(record: dict, thresholds: dict[int, int]) -> tuple[int, dict[str, int], bool]:
    """One record as the counts it adds to, worked out here without the package's code."""
    year = int(record["date_bail"][-4:])
    if record["premier_quartile"]:
        first = record["premier_quartile"] == "oui"
    else:
        first = int(record["ressources_uc"]) < thresholds[year]
    qpv = record["qpv"] == "oui"
    priority = record["prioritaire"] == "oui" or record["dalo"] == "oui"
    counts = {
        "attributions": 1,
        "attributions_qpv": qpv,
        "premier_quartile_hors_qpv": (not qpv) and first,
        "autres_quartiles_qpv": qpv and not first,
        "prioritaires": priority,
        "dalo": record["dalo"] == "oui",
        "mutations": record["mutation"] == "oui",
        "travailleurs_essentiels": record["travailleur_essentiel"] == "oui",
    }
    populations = {
        "attributions": True,
        "attributions aux ménages prioritaires": priority,
        "attributions au premier quartile": (not qpv) and first,
        "attributions en mutation": record["mutation"] == "oui",
        "attributions aux travailleurs essentiels": record["travailleur_essentiel"] == "oui",
    }
    return year, {k: int(v) for k, v in counts.items()}, populations


def as_published_counts(folder: Path) -> None:
    """Replace the records of a territory by the counts and breakdowns they give."""
    data = folder / "data"
    thresholds = {
        int(r["annee"]): int(r["seuil_annuel"]) for r in _rows(data / "seuils_quartile.csv")
    }
    totals: dict[tuple, Counter] = {}
    breakdowns: Counter = Counter()
    source = ""
    for record in _rows(data / "attributions.csv"):
        source = record["source"]
        year, counts, populations = _published(record, thresholds)
        scales = [("", "", ""), (record["commune"], "", ""), ("", record["bailleur"], "")]
        scales.append(("", "", record["contingent"]))
        for scale in scales:
            totals.setdefault((year, *scale), Counter()).update(counts)
        for population, dimensions in BREAKDOWNS.items():
            if populations[population]:
                for dimension, column in dimensions.items():
                    if record.get(column):
                        category = _category(dimension, record[column])
                        breakdowns[(year, population, dimension, category)] += 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["annee", "commune", "bailleur", "contingent", *COUNTS, "source"])
    for key, counter in sorted(totals.items()):
        writer.writerow([*key, *(counter[c] for c in COUNTS), source])
    (data / "attributions_agregees.csv").write_text(out.getvalue(), encoding="utf-8")
    with (data / "repartitions.csv").open("a", encoding="utf-8") as file:
        for (year, population, dimension, category), n in sorted(breakdowns.items()):
            csv.writer(file, lineterminator="\n").writerow(
                [year, population, dimension, category, n, "", source, ""]
            )
    (data / "attributions.csv").unlink()


@pytest.fixture(scope="module")
def both_forms(tmp_path_factory) -> tuple[Path, Path]:
    records = tmp_path_factory.mktemp("records") / "exemple-fictif"
    shutil.copytree(FICTIONAL, records)
    counts = tmp_path_factory.mktemp("counts") / "exemple-fictif"
    shutil.copytree(FICTIONAL, counts)
    as_published_counts(counts)
    return records, counts


@pytest.mark.parametrize("period", [None, "triennial", "final"])
@pytest.mark.parametrize("year", [2021, 2024])
def test_records_and_published_counts_give_the_same_bilan(both_forms, year, period):
    records, counts = (load_territory(folder) for folder in both_forms)
    assert records.attributions and not counts.attributions
    from_records = made_alone(bilan.DOCUMENT, records, year, period=period)
    from_counts = made_alone(bilan.DOCUMENT, counts, year, period=period)
    for key in ("verdicts", "resultats", "tableaux", "graphiques"):
        assert from_records.context[key] == from_counts.context[key], key
    assert from_records.images == from_counts.images
    assert from_records.attachments == from_counts.attachments


def _all_tables(territory, year, period=None):
    found = evaluate(territory, year, period)
    return found, found.published


@pytest.mark.parametrize("period", [None, "triennial", "final"])
@pytest.mark.parametrize("year", [2019, 2022, 2024])
def test_no_count_under_the_threshold_in_any_table_or_chart(year, period):
    territory = load_territory(FICTIONAL)
    threshold = territory.config.secret_statistique
    found, tables = _all_tables(territory, year, period)
    for table in tables:
        for column, values in zip(table.columns, zip(*table.rows, strict=True), strict=True):
            if column.kind == "count":
                small = [v for v in values if isinstance(v, int) and 0 < v < threshold]
                assert not small, (table.title, column.title, small)
    for chart in charts_of(territory, found):
        assert not [v for v in chart.drawn if isinstance(v, int) and 0 < v < threshold]


def test_a_share_built_on_a_hidden_count_is_hidden_too():
    found, _ = _all_tables(load_territory(EXAMPLE), 2023)
    mutations = found.tables["mutations"].rows[-1]
    assert mutations[2] is SECRET and mutations[3] is SECRET
    demand = found.tables["demandes"].row("2023")
    # 7 mutations hidden: 49 first-access allocations would give them back, and so would a tension.
    assert demand[5:9] == [SECRET, SECRET, Decimal("17.5"), SECRET]


def test_rhone_crussol_2023_first_quartile_against_its_target():
    found, _ = _all_tables(load_territory(EXAMPLE), 2023)
    q1 = found.tables["premier_quartile"]
    assert q1.row("2023")[2:5] == [56, 11, Decimal(11) / Decimal(56)]
    assert q1.row("2023")[-1] == 3
    assert q1.row("2022")[4] == Decimal("0.1786")
    assert q1.row("2020")[1] == Decimal(9369)
    result = found.results["premier_quartile"][0]
    assert result.atteint is False and result.annee_precedente == 2022
    assert round(result.evolution, 1) == Decimal("1.8")


def test_rhone_crussol_priority_share_against_the_theoretical_split():
    found, _ = _all_tables(load_territory(EXAMPLE), 2023)
    [overall] = found.results["prioritaires"]
    assert overall.cible == Decimal("0.425")
    assert overall.part == Decimal(27) / Decimal(56)
    assert overall.atteint
    motives = found.tables["motifs"]
    assert motives.row("Hébergé chez un tiers")[1] == 15
    assert motives.row(OTHER_MOTIVE)[1] is SECRET
    assert motives.row(TOTAL)[1] == 27


def test_rhone_crussol_tension_is_computed_not_copied():
    found, _ = _all_tables(load_territory(EXAMPLE), 2023)
    row = found.tables["demandes"].row("2023")
    assert row[1:4] == [979, 979 - 312, 312]
    assert row[7] == Decimal("17.5")


def test_communes_whose_every_count_is_secret_are_added_up_into_one_row():
    found, _ = _all_tables(load_territory(FICTIONAL), 2024)
    labels = [row[0] for row in found.tables["communes"].rows]
    assert any(getattr(label, "key", None) == "autres_communes" for label in labels)
    territory = load_territory(FICTIONAL)
    note = found.tables["communes"].notes[0]
    assert note.key == "secret_communes"
    worded = labelled(found.tables["communes"], load_content(territory, LABELS))
    assert worded.notes[0].startswith("« Autres communes » : ")
    assert dict(note.figures)["membres"] in worded.notes[0]


def test_a_year_without_allocations_is_reported_as_a_gap(tmp_path):
    territory = load_territory(EXAMPLE)
    context, gaps = context_of(bilan.DOCUMENT, territory, 2019)
    assert context["vide"] is True
    assert any("allocations of 2019" in str(g) for g in gaps)
    environment = make_environment(search_paths(territory), FILTERS)
    markdown = render_markdown(environment, bilan.TEMPLATE, context)
    assert "le bilan ne peut pas encore être établi. **\\[à renseigner\\]**" in markdown
