"""`cil workbook`: one Excel workbook per territory and year, validated before writing."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from generator.cli import main
from generator.commands.workbook import LISTS, NOTES
from generator.reference import CommuneIndex
from generator.territory.load import load_territory, table_specs


def export(territory: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(
        main, ["workbook", "export", str(territory), "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    return out


def import_(territory: Path, workbook: Path, *extra: str):  # noqa: ANN201 - click Result
    return CliRunner().invoke(main, ["workbook", "import", str(territory), str(workbook), *extra])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}


def edit(workbook: Path, sheet: str, cell: str, value: object) -> None:
    book = load_workbook(workbook)
    book[sheet][cell] = value
    book.save(workbook)


def test_round_trip_of_the_example_keeps_every_file_byte_identical(territory_copy, tmp_path):
    before = snapshot(territory_copy)
    workbook = export(territory_copy, tmp_path / "donnees.xlsx")
    result = import_(territory_copy, workbook)
    assert result.exit_code == 0, result.output
    assert "0 table(s) written" in result.output
    assert "settings unchanged" in result.output
    assert snapshot(territory_copy) == before


def test_an_edited_table_is_rewritten_in_the_same_format_line_for_line(territory_copy, tmp_path):
    """Every other line of the rewritten CSV keeps its bytes: quoting, commas, line ends."""
    workbook = export(territory_copy, tmp_path / "donnees.xlsx")
    tables = ("guichets", "parc_ops", "seuils_quartile")
    before = {t: (territory_copy / "data" / f"{t}.csv").read_bytes().splitlines() for t in tables}
    old_model = load_territory(territory_copy)
    book = load_workbook(workbook)
    for table in tables:
        notes = [c.column_letter for c in book[table][1] if c.value == "notes"][0]
        book[table][f"{notes}3"] = "relu en 2025"
    book.save(workbook)
    result = import_(territory_copy, workbook)
    assert result.exit_code == 0, result.output
    assert "3 table(s) written" in result.output
    for table in tables:
        after = (territory_copy / "data" / f"{table}.csv").read_bytes().splitlines()
        changed = [i for i, (a, b) in enumerate(zip(before[table], after, strict=True)) if a != b]
        assert changed == [2], table
        assert after[2].endswith(b",relu en 2025")
    new_model = load_territory(territory_copy)
    for spec in table_specs():
        old_rows = [i.row.values for i in getattr(old_model, spec.name)]
        new_rows = [i.row.values for i in getattr(new_model, spec.name)]
        assert [{k: v for k, v in r.items() if k != "notes"} for r in new_rows] == [
            {k: v for k, v in r.items() if k != "notes"} for r in old_rows
        ]


def test_an_invalid_cell_is_located_by_sheet_row_and_column_and_nothing_is_written(
    territory_copy, tmp_path
):
    before = snapshot(territory_copy)
    workbook = export(territory_copy, tmp_path / "donnees.xlsx")
    edit(workbook, "guichets", "B12", "Touloud")
    edit(workbook, "seuils_quartile", "B7", "10 719 €")
    result = import_(territory_copy, workbook)
    assert result.exit_code == 1
    assert 'donnees.xlsx, sheet "guichets", row 12, column "commune":' in result.output
    assert 'did you mean "Toulaud" (07323)?' in result.output
    assert 'donnees.xlsx, sheet "seuils_quartile", row 7, column "seuil_annuel":' in result.output
    assert "2 errors; nothing was written." in result.output
    assert snapshot(territory_copy) == before


def test_closed_sets_are_drop_down_lists(territory_copy, tmp_path):
    book = load_workbook(export(territory_copy, tmp_path / "donnees.xlsx"))
    lists = book[LISTS]

    def choices(sheet: str, column: str) -> list[str]:
        letter = [c.column_letter for c in book[sheet][1] if c.value == column][0]
        rule = next(
            v for v in book[sheet].data_validations.dataValidation if letter + "2" in str(v.sqref)
        )
        first, last = rule.formula1.split("!")[1].replace("$", "").split(":")
        return [c.value for row in lists[f"{first}:{last}"] for c in row]

    assert choices("guichets", "niveau") == ["1", "2", "3"]
    assert choices("guichets", "statut") == ["ouvert", "prévu"]
    communes = choices("guichets", "commune")
    assert len(communes) == 13 and "Guilherand-Granges" in communes
    assert choices("parc_ops", "commune") == communes
    assert lists.sheet_state == "hidden"


def test_notes_sheet_explains_every_column_of_every_table(territory_copy, tmp_path):
    book = load_workbook(export(territory_copy, tmp_path / "donnees.xlsx"))
    assert book.sheetnames[0] == NOTES
    explained = {(r[0], r[1]) for r in book[NOTES].iter_rows(min_row=5, values_only=True)}
    territory = load_territory(territory_copy)
    index = CommuneIndex(territory.communes)
    for spec in table_specs():
        assert spec.name in book.sheetnames
        for column in spec.columns(index):
            assert (spec.name, column.name) in explained


def test_a_table_kept_by_year_is_written_to_the_folder_of_the_year(territory_copy, tmp_path):
    data = territory_copy / "data"
    (data / "2024").mkdir()
    shutil.move(data / "guichets.csv", data / "2024" / "guichets.csv")
    workbook = export(territory_copy, tmp_path / "donnees.xlsx", "--year", "2025")
    edit(workbook, "guichets", "D12", "1 place de la Mairie")
    result = import_(territory_copy, workbook)
    assert result.exit_code == 0, result.output
    assert (data / "2025" / "guichets.csv").is_file()
    toulaud = [g for g in load_territory(territory_copy, 2025).guichets if g.nom == "Toulaud"]
    assert toulaud[0].adresse == "1 place de la Mairie"
    earlier = [g for g in load_territory(territory_copy, 2024).guichets if g.nom == "Toulaud"]
    assert earlier[0].adresse is None


def test_a_table_kept_in_excel_stays_in_excel(territory_copy, tmp_path):
    data = territory_copy / "data"
    source = Workbook()
    for line in (data / "seuils_quartile.csv").read_text(encoding="utf-8").splitlines()[:3]:
        source.active.append(line.split(",")[:3])
    source.save(data / "seuils_quartile.xlsx")
    (data / "seuils_quartile.csv").unlink()
    workbook = export(territory_copy, tmp_path / "donnees.xlsx")
    edit(workbook, "seuils_quartile", "B3", "9370")
    assert import_(territory_copy, workbook).exit_code == 0
    assert not (data / "seuils_quartile.csv").exists()
    thresholds = load_territory(territory_copy).seuils_quartile
    assert [(t.annee, t.seuil_annuel) for t in thresholds] == [(2019, 8978), (2020, 9370)]


def test_a_workbook_of_another_territory_is_refused(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "donnees.xlsx")
    other = tmp_path / "autre"
    shutil.copytree(territory_copy, other)
    result = import_(other, workbook)
    assert result.exit_code == 2
    assert "was exported from cc-rhone-crussol, not from autre" in result.output


def test_a_broken_table_on_disk_is_located_on_import_not_a_traceback(territory_copy, tmp_path):
    workbook = export(territory_copy, tmp_path / "tables.xlsx")
    guichets = territory_copy / "data" / "guichets.csv"
    lines = guichets.read_text(encoding="utf-8").splitlines(keepends=True)
    guichets.write_text(lines[0] + lines[1].replace(",", ',"', 1) + "".join(lines[2:]))
    before = snapshot(territory_copy)
    result = import_(territory_copy, workbook)
    assert result.exit_code == 1, result.output
    assert "guichets.csv, row 2" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert snapshot(territory_copy) == before


def test_a_problem_in_a_table_the_workbook_leaves_alone_names_the_territory_file(
    territory_copy, tmp_path
):
    workbook = export(territory_copy, tmp_path / "donnees.xlsx")
    book = load_workbook(workbook)
    del book["guichets"]
    book.save(workbook)
    guichets = territory_copy / "data" / "guichets.csv"
    guichets.write_text(guichets.read_text(encoding="utf-8").replace("Toulaud", "Touloud", 1))
    result = import_(territory_copy, workbook)
    assert result.exit_code == 1, result.output
    assert f"{guichets}, row " in result.output
    assert "cil-import-" not in result.output
