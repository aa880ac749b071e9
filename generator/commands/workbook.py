"""`cil workbook`: every data table of a year in one Excel workbook, and back.

EPCI staff work in Excel. The workbook has one sheet per table, prefilled with the table as it
stands in the year, a notes sheet explaining each column and drop-down lists where the values
are a closed set. Importing validates the whole territory with the new tables exactly as
`cil check` would, and writes the data files only when everything is valid. Cells are text so
that Excel keeps "07102" and "23,5" as written: a table left untouched is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.builds.build import territory_folder
from generator.builds.outputs import write_atomic
from generator.commands import workbook_settings as settings
from generator.commands.settings_paths import choices_of
from generator.commands.settings_yaml import patched_yaml
from generator.commands.table_writer import Cells, csv_bytes, same_rows, trimmed, xlsx_bytes
from generator.errors import DataErrors, Location, Problem, Problems, UsageError, display_path
from generator.messages import _
from generator.reference import Commune, CommuneIndex, epci
from generator.render import normalise_zip
from generator.territory.columns import CellError, Column
from generator.territory.load import (
    chosen_year,
    load_territory,
    table_file,
    table_specs,
    territory_config,
    year_folders,
)
from generator.territory.registry import TableSpec
from generator.territory.tables import read_rows
from generator.territory.yaml_files import read_yaml

NOTES, LISTS = "Lisez-moi", "Listes"
TERRITORY_PROPERTY, YEAR_PROPERTY = "cil-territoire", "cil-annee"
EDITABLE_ROWS = 500  # drop-down lists reach this far below the last filled row
_BOLD, _REQUIRED = Font(bold=True), PatternFill("solid", fgColor="FCE4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")


Places = dict[settings.Key, Location]


@dataclass
class ImportResult:
    year: int
    written: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    settings_written: bool = False


@dataclass
class ImportPlan:
    """What an import would write: the new content of each file, by its path."""

    year: int
    changes: dict[Path, bytes] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)


def _sheet_name(spec: TableSpec) -> str:
    return spec.name[:31]  # Excel's limit on sheet names


def _table_rows(path: Path | None) -> list[Cells]:
    """Rows of a table file as written, trailing empty rows and cells left out."""
    if path is None:
        return []
    try:
        rows = [trimmed(r) for r in read_rows(path)]
    except CellError as error:  # the table on disk is broken: say where, as `cil check` does
        where = Location(display_path(path), row=getattr(error, "row", None))
        raise DataErrors([Problem(where, str(error))]) from None
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _allowed(column: Column, communes: tuple[Commune, ...]) -> list[str] | None:
    """The closed set of a column, as its parser declares it: commune names or a choice's words."""
    allowed = getattr(column.parse, "allowed", None)
    if allowed is None:
        return None
    names = {c.nom for c in communes}
    return sorted(allowed) if set(allowed) <= names else list(allowed)


def _file_of(folder: Path, spec: TableSpec, year: int) -> Path | None:
    try:
        return table_file(folder / "data", spec.name, year)
    except CellError as error:
        raise DataErrors([Problem(Location(display_path(folder / "data")), str(error))]) from None


def _notes_sheet(
    sheet: Worksheet, slug: str, year: int, specs: list[TableSpec], index: CommuneIndex
) -> None:
    words = settings.words()
    for line in words.lisez_moi:
        sheet.append([line.replace("{territoire}", slug).replace("{annee}", str(year))])
    sheet.append(words.entetes)
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    for spec in specs:
        for column in spec.columns(index):
            need = "obligatoire" if column.required else ("attendue" if column.needed else "")
            note = words.colonnes.get(f"{spec.name}.{column.name}", "")
            sheet.append(
                [spec.name, column.name, note, words.exigences.get(need, ""), column.example]
            )
    for letter, width in zip("ABCDE", (20, 20, 60, 12, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def _table_sheet(
    sheet: Worksheet, columns: list[Column], rows: list[Cells], lists: dict[tuple[str, ...], str]
) -> None:
    known = {c.name: c for c in columns}
    header = [str(h) for h in rows[0]] if rows else [c.name for c in columns]
    for line, values in enumerate(rows[1:] if rows else [], start=2):
        for position, value in enumerate(values, start=1):
            sheet.cell(line, position, value).number_format = "@"
    for position, name in enumerate(header, start=1):
        cell = sheet.cell(1, position, name)
        cell.font = _BOLD
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 4))
        sheet.column_dimensions[letter].number_format = "@"  # new cells are text too
        column = known.get(name)
        if column is None:
            continue
        note = settings.words().colonnes.get(f"{sheet.title}.{name}")
        if note:
            cell.comment = Comment(note, "cil")
        if column.required:
            cell.fill = _REQUIRED
        source = lists.get((sheet.title, name))
        if source:
            rule = DataValidation(type="list", formula1=source, allow_blank=True)
            rule.errorStyle = "warning"
            rule.error = "Valeur hors de la liste : vérifiez-la avant de réimporter."
            rule.add(f"{letter}2:{letter}{max(len(rows), 1) + EDITABLE_ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _settings_sheet(sheet: Worksheet, rows: list[list[str]]) -> None:
    """One setting a row: its path, its value as text, what it is."""
    for line, values in enumerate(rows, start=1):
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(line, position, value)
            cell.number_format = "@"
            if line == 1:
                cell.font = _BOLD
            elif position == 2:
                cell.alignment = _WRAP
    rules: dict[tuple[str, ...], DataValidation] = {}
    for line, values in enumerate(rows[1:], start=2):
        path = settings.parsed(values[0])
        choices = choices_of(path) if path else None
        if choices:
            if tuple(choices) not in rules:
                rules[tuple(choices)] = DataValidation(
                    type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
                )
                rules[tuple(choices)].errorStyle = "warning"
                rules[tuple(choices)].error = "Valeur hors de la liste : vérifiez-la."
                sheet.add_data_validation(rules[tuple(choices)])
            rules[tuple(choices)].add(f"B{line}")
    for letter, width in zip("ABC", (44, 70, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["B"].number_format = "@"
    sheet.freeze_panes = "B2"


def _lists_sheet(sheet: Worksheet, wanted: dict[tuple[str, str], list[str]]) -> dict:
    """One column per closed set on a hidden sheet; each drop-down points at its range."""
    sources: dict[tuple[str, str], str] = {}
    placed: dict[tuple[str, ...], str] = {}
    for where, values in wanted.items():
        key = tuple(values)
        if key not in placed:
            letter = get_column_letter(len(placed) + 1)
            for line, value in enumerate(values, start=1):
                sheet[f"{letter}{line}"] = value
            placed[key] = f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(values)}"
        sources[where] = placed[key]
    sheet.sheet_state = "hidden"
    return sources


def export_workbook(
    territory_name: str | None, year: int | None = None, out: Path | None = None
) -> Path:
    """Write the workbook of the territory's tables as they stand in `year`."""
    folder = territory_folder(territory_name)
    config = territory_config(folder)
    year = chosen_year(config, year)
    try:
        communes = epci(config.siren).communes
    except KeyError:
        where = Location(display_path(folder / "territory.yaml"), key="siren")
        message = _("no EPCI with SIREN « {siren} » in the reference data", siren=config.siren)
        raise DataErrors([Problem(where, message)]) from None
    index = CommuneIndex(communes)
    specs = table_specs()
    book = Workbook()
    _notes_sheet(book.active, folder.name, year, specs, index)
    book.active.title = NOTES
    for name, rows in settings.settings_sheets_rows(_settings_data(folder)).items():
        _settings_sheet(book.create_sheet(name), rows)
    tables = {s.name: _table_rows(_file_of(folder, s, year)) for s in specs}
    wanted = {
        (_sheet_name(s), c.name): allowed
        for s in specs
        for c in s.columns(index)
        if (allowed := _allowed(c, communes))
    }
    sheets = {s.name: book.create_sheet(_sheet_name(s)) for s in specs}
    sources = _lists_sheet(book.create_sheet(LISTS), wanted)
    for spec in specs:
        _table_sheet(sheets[spec.name], list(spec.columns(index)), tables[spec.name], sources)
    moment = dt.datetime(year, 1, 1)
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "cil"
    book.custom_doc_props.append(StringProperty(name=TERRITORY_PROPERTY, value=folder.name))
    book.custom_doc_props.append(StringProperty(name=YEAR_PROPERTY, value=str(year)))
    stream = io.BytesIO()
    book.save(stream)
    target = out or Path("build") / folder.name / f"{folder.name}-{year}.xlsx"
    write_atomic(target, normalise_zip(stream.getvalue()))
    return target


def _settings_data(folder: Path) -> dict:
    """territory.yaml as written (export_workbook has validated it through territory_config)."""
    data = read_yaml(folder / "territory.yaml")
    return data if isinstance(data, dict) else {}


def _target(folder: Path, spec: TableSpec, year: int, current: Path | None) -> Path:
    """Where the imported table goes: a table kept by year goes to the year's folder."""
    data = folder / "data"
    suffix = current.suffix if current else ".csv"
    kept_by_year = any(
        (data / str(y) / f"{spec.name}{s}").exists()
        for y in year_folders(data)
        for s in (".csv", ".xlsx")
    )
    return (data / str(year) if kept_by_year else data) / f"{spec.name}{suffix}"


def read_workbook(path: Path) -> tuple[dict[str, list[Cells]], dict[str, str]]:
    """The rows of every sheet (hidden ones too) by title, values only, and the workbook's
    custom properties.

    Read-only: only values are needed here, not styles, and openpyxl then streams each sheet
    instead of building every cell's object (a third less time for an exported workbook).
    """
    if not path.is_file():
        raise UsageError(_("{file}: no such file", file=display_path(path)))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        properties = {p.name: str(p.value) for p in book.custom_doc_props}
        sheets = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers record a wrong used range: read every row
            sheets[sheet.title] = [trimmed(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        message = _("the file cannot be read as an Excel workbook ({error})", error=error)
        raise DataErrors([Problem(Location(display_path(path)), message)]) from None
    for rows in sheets.values():
        while rows and not rows[-1]:
            rows.pop()
    return sheets, properties


def _import_year(slug: str, shown: str, properties: dict[str, str], year: int | None) -> int | None:
    exported_from = properties.get(TERRITORY_PROPERTY)
    if exported_from and exported_from != slug:
        raise UsageError(
            _(
                "{file} was exported from {exported_from}, not from {slug}",
                file=shown,
                exported_from=exported_from,
                slug=slug,
            )
        )
    if year:
        return year
    recorded = properties.get(YEAR_PROPERTY, "")
    return int(recorded) if recorded.isdigit() else None


def _relocated(
    problems: list[Problem], sheets: dict[str, str], settings_file: str, places: Places, shown: str
) -> list[Problem]:
    """Problems found in the scratch copy, placed in the workbook: sheet, row, column."""
    moved = []
    for problem in problems:
        where = problem.location
        sheet = sheets.get(where.file)
        if sheet is not None:
            where = Location(shown, where.row, where.column, sheet=sheet)
        elif where.file == settings_file and places:
            path = settings.parsed(where.key) if where.key else None
            where = settings.place_of(path, places, shown) if path else Location(shown)
        moved.append(Problem(where, problem.message))
    return moved


def _unknown_sheets(sheets: dict[str, list[Cells]], known: list[str], shown: str) -> Problems:
    problems = Problems()
    for title in sheets:
        if title not in known and title not in (NOTES, LISTS):
            problems.add(
                Location(shown, sheet=title),
                _(
                    "unknown sheet « {title} » — the sheets bear the name of a table or of a"
                    " group of settings: {known}",
                    title=title,
                    known=", ".join(known),
                ),
            )
    return problems


def _settings_change(
    folder: Path, sheets: dict[str, list[Cells]], shown: str, problems: Problems
) -> tuple[bytes | None, Places]:
    """The new territory.yaml if the settings sheets change a setting, else None.

    A settings sheet removed from the workbook keeps the file's settings of that sheet."""
    names = settings.sheet_names()
    if not any(name in sheets for name in names):
        return None, {}
    found = Problems()
    cells = settings.read_setting_rows(sheets, shown, found)
    current = _settings_data(folder)
    kept = Location(display_path(folder / "territory.yaml"))
    cells += [
        settings.Cell(path, value, kept)
        for path, value in settings.leaves(current)
        if settings.sheet_of(path) not in sheets
    ]
    data, places = settings.nested(cells, found)
    config = settings.validated(data, places, shown, found)
    problems.extend(found)
    if config is None or found:
        return None, places
    try:
        if config == territory_config(folder):
            return None, places
    except DataErrors:
        pass  # the file on disk is invalid: the workbook's valid settings replace it
    text = (folder / "territory.yaml").read_text(encoding="utf-8")
    return patched_yaml(text, data).encode("utf-8"), places


def import_workbook(
    territory_name: str | None, path: Path, year: int | None = None
) -> ImportResult:
    """Validate the workbook's tables and settings with the whole territory; write them only
    if all is valid."""
    folder = territory_folder(territory_name)
    plan = plan_import(folder, path, year)
    result = ImportResult(plan.year, unchanged=plan.unchanged)
    for target, data in sorted(plan.changes.items()):
        write_atomic(target, data)
        result.written.append(target)
    result.settings_written = folder / "territory.yaml" in plan.changes
    return result


def plan_import(folder: Path, path: Path, year: int | None, shown: str = "") -> ImportPlan:
    """What importing the workbook at `path` into the territory `folder` would write, validated
    with the whole territory as `cil check` would; nothing is written. `shown` names the
    workbook in messages (default: its path)."""
    shown = shown or display_path(path)
    sheets, properties = read_workbook(path)
    year = _import_year(folder.name, shown, properties, year) or territory_config(folder).annee
    specs = {_sheet_name(s): s for s in table_specs()}
    problems = _unknown_sheets(sheets, [*settings.sheet_names(), *specs], shown)
    plan = ImportPlan(year)
    for title, spec in specs.items():
        rows = sheets.get(title)
        current = _file_of(folder, spec, year)
        before = _table_rows(current)
        if rows is None or same_rows(rows, before) or (current is None and len(rows) <= 1):
            plan.unchanged.append(spec.name)
            continue
        if not rows or not rows[0]:
            problems.add(Location(shown, 1, sheet=title), _("the first row must name the columns"))
            continue
        target = _target(folder, spec, year, current)
        if target.suffix == ".xlsx":
            plan.changes[target] = xlsx_bytes(rows, spec.name, year)
        else:
            plan.changes[target] = csv_bytes(rows, current)
    new_settings, places = _settings_change(folder, sheets, shown, problems)
    if new_settings is not None:
        plan.changes[folder / "territory.yaml"] = new_settings
    problems.raise_if_any()
    _validate(folder, year, plan.changes, shown, places)
    return plan


def _validate(
    folder: Path, year: int, changes: dict[Path, bytes], shown: str, places: Places
) -> None:
    """Load a scratch copy of the territory with the new tables and settings, as `cil check`
    would: the only copy an import makes."""
    with tempfile.TemporaryDirectory(prefix="cil-import-") as scratch:
        copy = Path(scratch) / folder.name
        copy.mkdir()
        shutil.copy2(folder / "territory.yaml", copy / "territory.yaml")
        if (folder / "data").is_dir():
            shutil.copytree(folder / "data", copy / "data")
        if (folder / "overrides").is_dir():
            shutil.copytree(folder / "overrides", copy / "overrides")
        sheets = {}
        for target, data in changes.items():
            moved = copy / target.relative_to(folder)
            moved.parent.mkdir(parents=True, exist_ok=True)
            moved.write_bytes(data)
            if target.parent != folder:
                sheets[display_path(moved)] = _sheet_name_of(target)
        try:
            load_territory(copy, year)
        except DataErrors as error:
            settings_file = display_path(copy / "territory.yaml")
            problems = _relocated(error.problems, sheets, settings_file, places, shown)
            raise DataErrors(_in_territory(problems, copy, folder)) from None


def _in_territory(problems: list[Problem], copy: Path, folder: Path) -> list[Problem]:
    """Problems of files the workbook leaves unchanged, named by their path in the territory
    rather than in the scratch copy."""
    prefixes = {str(copy.resolve()), str(copy), display_path(copy)}
    moved = []
    for problem in problems:
        where = problem.location
        for prefix in prefixes:
            if where.file.startswith(prefix + "/"):
                where = replace(where, file=display_path(folder / where.file[len(prefix) + 1 :]))
                break
        moved.append(Problem(where, problem.message))
    return moved


def _sheet_name_of(path: Path) -> str:
    return path.stem[:31]
