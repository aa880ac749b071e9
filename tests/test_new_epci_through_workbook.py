"""Issue 12, "Done when": a territory made with `cil new` for a real agglomeration, filled through
the workbook only (QPV, ten landlords, objectives, allocations), builds a CIA and a bilan that
measure both location objectives by landlord, with no wrong grammar and no zero for unknown.

The allocation rows are the fictional generator's, pasted into the workbook's sheets as a
consultant would; one landlord's records leave the household's quartile unknown. Nothing is
written to the territory's files except by `cil`."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.commands import fictional
from generator.grammar import Nom
from generator.reference import epci
from generator.territory.load import load_territory

from .test_grammar_documents import _disagreements

pytestmark = pytest.mark.e2e

SIREN = "200066355"  # CA Sète Agglopôle Méditerranée (Hérault, 34): content blocks exist
SLUG = "sete"
LANDLORDS = {
    "Hérault Habitat": 0.2,
    "Sète Thau Habitat": 0.15,
    "FDI Habitat": 0.12,
    "Un Toit pour Tous": 0.1,
    "ACM Habitat": 0.1,
    "Erilia": 0.08,
    "Promologis": 0.08,
    "CDC Habitat": 0.07,
    "Domicil": 0.05,
    "3F Occitanie": 0.05,
}
#: Its records say nothing of the household's resources: its first-quartile share is unknown.
UNKNOWN_QUARTILE = "Sète Thau Habitat"
FIRST_QUARTILE_TABLE = "et premier quartile par bailleur"
OTHER_QUARTILES_TABLE = "en QPV aux ménages des autres quartiles, par bailleur"
TITLES = {
    "cia": Nom("Convention intercommunale d'attribution", "f", False),
    "bilan": Nom("Conférence intercommunale du logement", "f", False),
}


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _set(sheet: Any, key: str, value: str) -> None:
    """The value of setting KEY, on its row if the sheet has one, else on a new row."""
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == key:
            row[1].value = value
            return
    sheet.append([key, value])


def _paste(sheet: Any, table: bytes) -> int:
    """The CSV rows under the sheet's header, column by column name, as text."""
    header = [cell.value for cell in sheet[1]]
    rows = list(csv.DictReader(io.StringIO(table.decode())))
    for row in rows:
        if row.get("bailleur") == UNKNOWN_QUARTILE:
            row["premier_quartile"] = row["ressources_uc"] = ""
        sheet.append([row.get(name) or None for name in header])
    return len(rows)


def _fill(book: Any, tables: dict[str, bytes]) -> None:
    partners = book["Partenaires"]
    for number, name in enumerate(LANDLORDS, start=1):
        _set(partners, f"partenaires.bailleurs[{number}]", name)
    for number, name in enumerate(["État", "Action Logement", "Département", "Commune"], 1):
        _set(partners, f"partenaires.reservataires[{number}]", name)
    goals = book["Objectifs"]
    _set(goals, "objectifs.qpv", "oui")
    _set(goals, "objectifs.premier_quartile_hors_qpv", "25")
    _set(goals, "objectifs.autres_quartiles_en_qpv", "50")
    _set(goals, "objectifs.source", "Orientations de la CIL")
    _set(goals, 'objectifs.partenaires["premier_quartile_hors_qpv"]["Hérault Habitat"].taux', "30")
    _set(goals, 'objectifs.partenaires["autres_quartiles_en_qpv"]["Erilia"].taux', "60")
    for name in ("qpv", "attributions", "demandes", "repartitions", "seuils_quartile"):
        assert _paste(book[name], tables[f"{name}.csv"]) > 0, name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("new-epci")
    before = Path.cwd()
    os.chdir(work)
    try:
        said = _invoke(["new", SLUG, "--siren", SIREN, "--year", "2025", "--into", "."])
        assert f"cil check {SLUG}" in said
        _invoke(["workbook", "export", SLUG, "--out", "classeur.xlsx"])
        book = openpyxl.load_workbook("classeur.xlsx")
        _fill(book, fictional.tables(epci(SIREN).communes, landlords=LANDLORDS, qpv_count=4))
        book.save("classeur.xlsx")
        _invoke(["workbook", "import", SLUG, "classeur.xlsx"])
        _invoke(["check", SLUG])
        _invoke(["build", SLUG, "--doc", "cia,bilan", "--format", "md,docx"])
    finally:
        os.chdir(before)
    out = work / "build" / SLUG / "2025"
    assert {"cia.docx", "bilan.docx"} <= {p.name for p in out.iterdir()}
    return {
        "territory": load_territory(work / SLUG, 2025),
        "cia": (out / "cia.md").read_text(),
        "bilan": (out / "bilan.md").read_text(),
    }


def _table(markdown: str, caption: str) -> list[list[str]]:
    """The rows of the pipe table whose caption contains CAPTION, cells stripped."""
    lines = markdown.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Table:") and caption in line)
    start = end
    while start > 0 and not lines[start - 1].startswith("|"):
        start -= 1
    rows = []
    while start > 0 and lines[start - 1].startswith("|"):
        start -= 1
        rows.insert(0, [cell.strip() for cell in lines[start].strip("|").split("|")])
    return rows


def test_the_workbook_alone_gave_the_territory_its_qpv_and_ten_landlords(built):
    territory = built["territory"]
    assert len(territory.qpv) == 4
    assert all(re.fullmatch(r"QN034\d{2}[A-Z]", q.code) for q in territory.qpv)
    assert len(territory.config.partenaires.bailleurs) == 10


@pytest.mark.parametrize("document", ["cia", "bilan"])
@pytest.mark.parametrize("caption", [FIRST_QUARTILE_TABLE, OTHER_QUARTILES_TABLE])
def test_both_location_objectives_are_measured_by_landlord(built, document, caption):
    rows = _table(built[document], caption)
    assert rows[0][0] == "Bailleur"
    # Landlords whose every count would be « s » are added up into one row, named by its note
    shown = {row[0] for row in rows[2:]}
    grouped = {name for name in shown if name.startswith("Autres bailleurs (")}
    note = _grouped_note(built[document], caption)
    named = {name for name in LANDLORDS if name in note}
    assert shown - grouped == {*LANDLORDS, "Ensemble"} - named
    assert len(grouped) == (1 if named else 0) and len(named) != 1


def _grouped_note(markdown: str, caption: str) -> str:
    """The note « Autres bailleurs » under the table whose caption contains CAPTION."""
    lines = markdown.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Table:") and caption in line)
    after = []
    for line in lines[end + 1 :]:
        if line.startswith(("Table:", "#", "|")):
            break
        after.append(line)
    text = " ".join(" ".join(after).replace("\u00a0", " ").replace("\u202f", " ").split())
    start = text.find("« Autres bailleurs » :")
    return "" if start < 0 else text[start : text.find(".", start)]


@pytest.mark.parametrize("document", ["cia", "bilan"])
@pytest.mark.parametrize("caption", [FIRST_QUARTILE_TABLE, OTHER_QUARTILES_TABLE])
def test_an_unknown_quartile_is_never_a_zero(built, document, caption):
    rows = _table(built[document], caption)
    unknown = next(row for row in rows if row[0] == UNKNOWN_QUARTILE)
    header = rows[0]
    measured = unknown[header.index("Part")]
    # Unknown, as every table of cil says it: an empty cell (not available) or « n.c. ».
    assert measured in ("", "n.c."), unknown
    assert not any(re.fullmatch(r"0(,0)?( %| points?)?", cell) for cell in unknown[2:]), unknown


@pytest.mark.parametrize("document", ["cia", "bilan"])
def test_the_epci_measures_the_known_quartiles_and_counts_the_others_in_a_note(built, document):
    """One landlord's unknown quartiles do not blank the EPCI's share: they are left out of its
    base, and a note under the table says how many."""
    rows = _table(built[document], FIRST_QUARTILE_TABLE)
    epci = next(row for row in rows if row[0] == "Ensemble")
    assert re.fullmatch(r"\d+,\d\s%", epci[rows[0].index("Part")]), epci
    text = " ".join(built[document].split())
    assert re.search(
        r"En 20\d\d, (\d+|moins de \d+) attributions dont le quartile n.est pas "
        r"connu ne sont pas comptées dans la part",
        text,
    )


@pytest.mark.parametrize("document", ["cia", "bilan"])
def test_no_wrong_grammar(built, document):
    text = " ".join(built[document].split())
    for wrong in ("du Convention", "du Conférence", "zéro orientation", "zéro objectif"):
        assert wrong not in text, wrong
    assert not re.search(r"sur les années \d{4}(?! à)", text)
    assert _disagreements(text, TITLES[document]) == []
