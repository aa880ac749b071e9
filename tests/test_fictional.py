"""The fictional territory: reproducible data with realistic proportions, labelled as fictional
in every output it feeds."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from collections import Counter

import docx
import pytest
from openpyxl import load_workbook

from generator.builds.build import build
from generator.commands import fictional
from generator.indicators.profiles import GROUPS, profile
from generator.reference import epci
from generator.territory.allocations import AGE_GROUPS, RESOURCE_BANDS, age_group
from generator.territory.load import load_territory
from tests.making import charts_of, evaluate

from .conftest import ROOT

FOLDER = ROOT / "territories" / "exemple-fictif"
LABEL = "données fictives"


def _records() -> list[dict[str, str]]:
    text = (FOLDER / "data" / "attributions.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_committed_tables_are_what_the_generator_writes():
    communes = epci("200042901").communes
    for name, data in fictional.tables(communes).items():
        assert (FOLDER / "data" / name).read_bytes() == data, name


def test_another_seed_gives_other_records():
    communes = epci("200042901").communes
    assert fictional.allocation_records(communes, 1) != fictional.allocation_records(communes, 2)


def test_six_years_several_landlords_and_reservation_holders():
    records = _records()
    assert {r["date_bail"][-4:] for r in records} == {str(y) for y in range(2019, 2025)}
    assert len({r["bailleur"] for r in records}) >= 3
    assert len({r["contingent"] for r in records}) >= 4
    assert any(r["qpv"] == "oui" for r in records)


def test_proportions_are_those_of_a_real_territory():
    found = evaluate(load_territory(FOLDER), 2024, "final")
    for year in found.years:
        counts = found.facts.epci(year)
        outside = counts.hors_qpv
        assert 150 <= counts.get("attributions") <= 300
        assert 0.15 <= counts.get("premier_quartile_hors_qpv") / outside <= 0.35
        assert 0.3 <= counts.get("prioritaires") / counts.get("attributions") <= 0.55
        assert 0.12 <= counts.get("mutations") / counts.get("attributions") <= 0.3
        assert 0 < counts.get("dalo") < counts.get("prioritaires")
    motives = Counter(r["motif_priorite"] for r in _records() if r["motif_priorite"])
    assert motives.most_common(1)[0][0] == "Hébergé chez un tiers"


def test_every_beneficiary_has_an_age_an_activity_and_a_resources_band():
    records = _records()
    assert all(18 <= int(r["age"]) <= 88 and r["activite"] for r in records)
    assert {r["ressources"] for r in records} == set(RESOURCE_BANDS)
    assert {age_group(int(r["age"])) for r in records} == set(AGE_GROUPS)
    # The three fields hang together: first-quartile households are under the PLAI ceiling,
    # applicants of 65 and over are retired, and only the young are students.
    first = [r for r in records if r["premier_quartile"] == "oui"]
    under = sum(r["ressources"] == "Sous le plafond PLAI" for r in first)
    assert under / len(first) > 0.9
    old = [r for r in records if int(r["age"]) >= 65]
    assert sum(r["activite"] == "Retraités" for r in old) / len(old) > 0.8
    assert all(int(r["age"]) < 25 for r in records if r["activite"] == "Étudiants ou apprentis")


def test_the_profile_fields_leave_the_other_fields_as_they_were(monkeypatch):
    """Age, activity and resources come from a generator of their own: drawing them or not
    changes no other field (the figures of the documents stay those they were)."""
    communes = epci("200042901").communes
    fields = ("age", "activite", "ressources")
    drawn = [
        {k: v for k, v in r.items() if k not in fields}
        for r in fictional.allocation_records(communes)
    ]
    monkeypatch.setattr(fictional, "_profile", lambda rng, first: {})
    assert fictional.allocation_records(communes) == drawn


def test_every_profile_of_the_fictional_territory_has_age_activity_and_resources():
    found = evaluate(load_territory(FOLDER), 2024, "final")
    for population in GROUPS:
        table = profile(found.facts, [2024], population, 11)
        dimensions = {row[0] for row in table.rows if row[0]}
        assert {"Âge", "Activité", "Ressources"} <= dimensions, population
        assert not any(row[2] is None for row in table.rows), population


def test_applicants_profiles_add_up_to_the_applicants_of_each_group():
    text = (FOLDER / "data" / "repartitions.csv").read_text(encoding="utf-8")
    sums: Counter[tuple[str, str, str]] = Counter()
    for row in csv.DictReader(io.StringIO(text)):
        sums[(row["annee"], row["population"], row["dimension"])] += int(row["nombre"])
    for (year, population, dimension), total in sums.items():
        if dimension in ("âge", "activité", "ressources"):
            assert total == sums[(year, population, "composition familiale")], (
                year,
                population,
                dimension,
            )


def test_every_row_says_its_data_is_fictional():
    for path in (FOLDER / "data").glob("*.csv"):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert all("Données fictives" in row["source"] for row in rows), path.name


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("fictional")
    formats = ["docx", "odt", "html", "md", "pdf"]
    result = build("exemple-fictif", ["bilan"], formats, out, 2025)
    return {p.suffix.lstrip("."): p for p in result.written if p.name.startswith("bilan.")}


@pytest.mark.libreoffice
def test_every_output_of_the_bilan_says_données_fictives(outputs):
    document = docx.Document(outputs["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Données fictives" in text  # cover status and notice
    assert "Données fictives." in text
    for fmt in ("md", "html"):
        assert LABEL in outputs[fmt].read_text(encoding="utf-8").lower()
    with zipfile.ZipFile(outputs["odt"]) as odt:
        assert LABEL in odt.read("content.xml").decode().lower()
    pdf = subprocess.run(["pdftotext", str(outputs["pdf"]), "-"], capture_output=True, text=True)
    assert LABEL in pdf.stdout.lower()
    workbook = load_workbook(outputs["xlsx"])
    readme = "\n".join(str(c.value) for row in workbook["Lisez-moi"].iter_rows() for c in row)
    assert "Données fictives" in readme
    for sheet in workbook.worksheets[1:]:
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert any("Données fictives" in c for c in cells), sheet.title


def test_every_chart_of_the_fictional_bilan_says_its_source_is_fictional():
    territory = load_territory(FOLDER)
    drawn = charts_of(territory, evaluate(territory, 2024))
    assert len(drawn) >= 6
    assert all("Données fictives" in chart.alt for chart in drawn)
