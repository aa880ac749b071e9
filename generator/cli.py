"""The `cil` command: parse, call the library, print. No logic here."""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator import __version__
from generator.errors import CilError
from generator.messages import N_, _, language_in_use, n_, translation

if TYPE_CHECKING:
    from generator.builds.batch import Request
    from generator.builds.check import Override

# Each command imports what it uses when it runs: `cil --help` and a no-op build must not pay
# for matplotlib, openpyxl, docxtpl or the document types (see docs/performance.md).
FORMATS = ("docx", "odt", "pdf", "html", "md")  # generator.documents.contract.FORMATS
DEBUG_VARIABLE = "CIL_DEBUG"


#: click's modules that word its usage errors, help and prompts with gettext; their messages are
#: in our catalogue (scripts/update_messages.py extracts them from the pinned click).
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def _click_gettext(message: str) -> str:
    return translation(language_in_use()).gettext(message)


def _click_ngettext(singular: str, plural: str, count: int) -> str:
    return translation(language_in_use()).ngettext(singular, plural, count)


def _click_possibilities(possibilities: list[str]) -> str:
    """click's « Did you mean '--force'? », its names quoted in the language in use (click
    quotes them with repr, before gettext could)."""
    listed = ", ".join(_quoted(p) for p in sorted(possibilities))
    return _click_ngettext(
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
        len(possibilities),
    ).format(possibility=listed, possibilities=listed)


def _click_speaks_our_language() -> None:
    """click words its messages with gettext, which follows the system's locale and one domain
    for the whole process, not CIL_LANG: in its modules, gettext is our catalogue, in the
    language in use when click speaks (an English one leaves click's words as they are)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]
    # click is pinned (pyproject.toml); test_messages checks this function is still its own
    click.exceptions._format_possibilities = _click_possibilities  # type: ignore[attr-defined]


#: The words click writes in usage lines and help that our walk of its modules cannot find: the
#: names of the kinds of values (written in capitals in help: TEXT, PATH, INTEGER), its usage
#: pieces, the mark of a required option (given to gettext through a variable).
CLICK_WORDS = (
    N_("required"),
    N_("text"),
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
)


class _Named:
    """A kind of value whose name, in help and in click's messages about it, is a msgid shown
    in the language in use (« n'est pas un nombre valide (entier) »)."""

    english = ""

    @property
    def name(self) -> str:
        return _(self.english)

    @name.setter
    def name(self, english: str) -> None:
        self.english = english


class _Integer(_Named, click.types.IntParamType):
    english = N_("integer")


class _IntegerRange(_Named, click.IntRange):
    english = N_("integer range")


def _quoted(name: str) -> str:
    """A parameter named in a usage error: 'TERRITORY' in English, « TERRITOIRE » in French."""
    return _("'{name}'", name=name)


class _HelpFormatter(click.HelpFormatter):
    """click's help, its headings punctuated in the language in use ("Options :" in French)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_('{heading}:', heading=heading)}\n")


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _Option(click.Option):
    """An option whose help is a msgid (`N_`), shown in the language in use, as is the kind of
    value it takes (TEXT, PATH, INTEGER)."""

    def help_text(self) -> str | None:
        return _(self.help) if self.help else self.help

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is not None or self.type.get_metavar(param=self, ctx=ctx) is not None:
            return super().make_metavar(ctx)
        shown = _(self.type.name).upper()
        return shown + "..." if self.nargs != 1 else shown

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return " / ".join(_quoted(name) for name in self.opts or [self.human_readable_name])

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        english, self.help = self.help, self.help_text()
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = english


class _Argument(click.Argument):
    """An argument whose name in usage lines and help is a msgid (`metavar=N_("TERRITORY")`),
    shown in the language in use, in brackets when it may be left out."""

    def make_metavar(self, ctx: click.Context) -> str:
        shown = _(self.metavar) if self.metavar else (self.name or "").upper()
        if not self.required:
            shown = f"[{shown}]"
        return shown + "..." if self.nargs != 1 else shown

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return _quoted(self.make_metavar(ctx) if ctx is not None else self.human_readable_name)


def argument(name: str, metavar: str, **attributes: Any) -> Callable[[Any], Any]:
    """`click.argument`, named in the language in use (`metavar` is a msgid)."""
    return click.argument(name, cls=_Argument, metavar=metavar, **attributes)


def option(*declarations: str, **attributes: Any) -> Callable[[Any], Any]:
    """`click.option`, its help translated when shown, as is the kind of value it takes."""
    attributes.setdefault("cls", _Option)
    if attributes.get("type") is int:
        attributes["type"] = _Integer()
    return click.option(*declarations, **attributes)


class _DocumentsOption(_Option):
    """`--doc`, whose help lists the registered documents only when help is shown: listing
    them imports every document type."""

    def help_text(self) -> str | None:
        from generator.documents.registry import documents

        return _(
            "documents, comma-separated: {documents} (default: all)",
            documents=", ".join(documents()),
        )


class _Translated(click.Command):
    """A command whose help is a msgid (`N_`), shown in the language in use, as are the words
    of its usage line."""

    context_class = _Context

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        english = self.options_metavar
        self.options_metavar = _(english) if english else english
        try:
            return super().collect_usage_pieces(ctx)
        finally:
            self.options_metavar = english

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        english, self.help = self.help, _(self.help) if self.help else self.help
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = english

    def get_short_help_str(self, limit: int = 45) -> str:
        english, self.help = self.help, _(self.help) if self.help else self.help
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = english


class _Command(_Translated):
    pass


class _Group(_Translated, click.Group):
    command_class = _Command
    group_class: type[click.Group] | type[type] = type  # its subgroups are of its class

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        english = self.subcommand_metavar
        self.subcommand_metavar = _(english)
        try:
            return super().collect_usage_pieces(ctx)
        finally:
            self.subcommand_metavar = english


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


class _Cil(_Group):
    """The one error boundary of the command line: a user's mistake becomes a message and an
    exit status, never a traceback; a bug says so, with its traceback only under --debug."""

    group_class: type[click.Group] | type[type] = _Group

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _click_speaks_our_language()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own: `build --help`, a usage error; click prints and exits
        except CilError as error:
            click.echo(error.report(), err=True)
            ctx.exit(error.exit_status)
        except OSError as error:  # unreadable input, full disk, output folder not writable
            reason = error.strerror or error
            if error.filename:
                said = _("error: {reason}: {file}", reason=reason, file=error.filename)
            else:
                said = _("error: {reason}", reason=reason)
            click.echo(said, err=True)
            ctx.exit(1)
        except Exception as error:
            if ctx.meta.get(DEBUG_VARIABLE):
                traceback.print_exc()
            click.echo(
                _(
                    "internal error: {kind}: {error}\nThis is a bug in cil: please report it"
                    " with the command you ran (--debug or {variable}=1 shows where it happened).",
                    kind=type(error).__name__,
                    error=error,
                    variable=DEBUG_VARIABLE,
                ),
                err=True,
            )
            ctx.exit(1)


@click.group(
    cls=_Cil,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("Documents of an intercommunal social-housing allocation policy."),
)
@click.version_option(
    __version__, prog_name="cil", cls=_Option, help=N_("Show the version and exit.")
)
@option(
    "--debug",
    is_flag=True,
    envvar=DEBUG_VARIABLE,
    help=N_("show the traceback of an internal error"),
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    ctx.meta[DEBUG_VARIABLE] = debug


class _Process:
    #: `cil` runs as a process of its own that builds and ends (`run`), not inside a test
    #: runner or a server that calls `main`.
    alone = False


def run() -> None:
    """The `cil` command of a shell (and `python -m generator`)."""
    _Process.alone = True
    main(prog_name="cil")


@main.command(
    "build", help=N_("Build the documents of TERRITORY (default: the bundled example) into OUT.")
)
@argument("territory", N_("TERRITORY"), required=False)
@option("--doc", cls=_DocumentsOption)
@option("--format", "formats", help=N_("formats, comma-separated: docx,odt,pdf,html,md"))
@option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@option("--year", type=int, help=N_("year of the documents (default: the territory's)"))
@option("--force", is_flag=True, help=N_("rebuild even what is up to date"))
@option("--all", "every", is_flag=True, help=N_("every territory under territories/"))
@option("--period", type=click.Choice(["triennial", "final"]), help=N_("bilan: triennial or final"))
def build_command(
    territory: str | None,
    doc: str | None,
    formats: str | None,
    out: Path,
    year: int | None,
    force: bool,
    every: bool,
    period: str | None,
) -> None:
    from generator.builds.batch import Request
    from generator.builds.build import build, set_imports_apart

    if _Process.alone:
        set_imports_apart()
    if every:
        if territory:
            raise click.UsageError(_("give a TERRITORY or --all, not both"))
        _build_every(Request(_split(doc), _split(formats), out, year, force))
        return
    options = {"period": period} if period else None
    result = build(territory, _split(doc), _split(formats), out, year, force, options)
    for path in result.written:
        click.echo(_("wrote {path}", path=path))
    if result.up_to_date:
        click.echo(
            _("up to date: {documents} (--force rebuilds)", documents=", ".join(result.up_to_date))
        )
    for document, made in result.not_made.items():
        click.echo(
            _(
                "not made: {document} is made in {formats} only",
                document=document,
                formats=", ".join(made),
            )
        )
    if result.skipped_formats:
        click.echo(_("PDF skipped: LibreOffice is not installed (make test installs it)."))
    for warning in result.warnings:
        click.echo("  " + _("warning: {warning}", warning=warning))
    if result.gaps:
        click.echo(
            n_(
                "{count} value is missing and marked [à renseigner]: cil check {territory}"
                " lists it.",
                "{count} values are missing and marked [à renseigner]: cil check {territory}"
                " lists them.",
                len(result.gaps),
                territory=result.territory,
            )
        )


def _build_every(request: Request) -> None:
    from generator.builds.batch import BUILT, FAILED, UP_TO_DATE, build_all
    from generator.builds.build import known_territories

    statuses = {BUILT: _("built"), UP_TO_DATE: _("up to date"), FAILED: _("failed")}
    names = known_territories()
    with click.progressbar(length=len(names), label=_("Building territories")) as bar:
        outcomes = build_all(request, on_done=lambda outcome: bar.update(1))
    counts = {status: [o for o in outcomes if o.status == status] for status in statuses}
    width = max(len(word) for word in statuses.values())
    for outcome in outcomes:
        status = f"{statuses[outcome.status]:>{width}}"
        if outcome.detail:
            said = _(
                "{status}  {territory}: {detail}",
                status=status,
                territory=outcome.territory,
                detail=outcome.detail,
            )
        else:
            said = f"{status}  {outcome.territory}"
        click.echo(said)
    click.echo(
        ", ".join(
            [
                n_("{count} built", "{count} built", len(counts[BUILT])),
                _("{count} up to date", count=len(counts[UP_TO_DATE])),
                _("{count} failed", count=len(counts[FAILED])),
            ]
        )
    )
    if counts[FAILED]:
        sys.exit(1)


@main.command("check", help=N_("Validate TERRITORY and list what is still left to fill."))
@argument("territory", N_("TERRITORY"), required=False)
@option("--year", type=int, help=N_("year of the documents (default: the territory's)"))
@option("--all", "every", is_flag=True, help=N_("every territory, and what each overrides"))
def check_command(territory: str | None, year: int | None, every: bool) -> None:
    from generator.builds.check import check, left_to_fill

    if every:
        if territory:
            raise click.UsageError(_("give a TERRITORY or --all, not both"))
        _check_every(year)
        return
    result = check(territory, year)
    click.echo(
        _(
            "{territory} {year}: data and templates are valid.",
            territory=result.territory,
            year=result.year,
        )
    )
    _print_overrides(result.overrides)
    for warning in result.warnings:
        click.echo("  " + _("warning: {warning}", warning=warning))
    if result.gaps:
        click.echo(
            _(
                "Left to fill ({count} values, marked [à renseigner] in documents):",
                count=len(result.gaps),
            )
        )
        for line in left_to_fill(result.gaps):
            click.echo(f"  {line}")
    else:
        click.echo(_("Nothing left to fill."))


def _print_overrides(overrides: list[Override]) -> None:
    for item in overrides:
        if item.replaces:
            click.echo("  " + _("overrides {file}", file=item.replaces))
        elif item.supplies:
            click.echo(
                "  "
                + _("provides {file} (content/ has none for this département)", file=item.supplies)
            )
        elif item.optional:
            click.echo("  " + _("adds {file}, an optional block of the documents", file=item.path))
        elif item.problem:
            click.echo(
                "  "
                + _("warning: overrides/{path} {problem}", path=item.path, problem=item.problem)
            )
        else:
            click.echo(
                "  "
                + _(
                    "warning: overrides/{path} replaces no default file (misnamed?)", path=item.path
                )
            )


def _check_every(year: int | None) -> None:
    from generator.builds.batch import Outcome, attempt
    from generator.builds.build import known_territories
    from generator.builds.check import check

    failed = 0
    for name in known_territories():
        result = attempt(name, partial(check, name, year))
        if isinstance(result, Outcome):
            failed += 1
            click.echo(_("{name}: FAILED — {detail}", name=name, detail=result.detail))
            continue
        replaced = sum(1 for o in result.overrides if o.replaces)
        said = n_(
            "{name} {year}: valid, {gaps} values left to fill, {count} default file overridden",
            "{name} {year}: valid, {gaps} values left to fill, {count} default files overridden",
            replaced,
            name=name,
            year=result.year,
            gaps=len(result.gaps),
        )
        click.echo(said)
        _print_overrides(result.overrides)
    if failed:
        sys.exit(1)


@main.command(
    "lint",
    help=N_(
        "Build (what changed), then proof-read the DOCX and PDF of TERRITORY: spaces before"
        " signs, words wider than their cell, empty columns, repeated sentences, short pages,"
        " rows split across pages, placeholders, headings alone at a page foot. Exit 1 on any"
        " finding."
    ),
)
@argument("territory", N_("TERRITORY"), required=False)
@option("--doc", cls=_DocumentsOption)
@option("--format", "formats", help=N_("formats to proof-read, comma-separated: docx,pdf"))
@option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@option("--year", type=int, help=N_("year of the documents (default: the territory's)"))
@option("--all", "every", is_flag=True, help=N_("every territory under territories/"))
def lint_command(
    territory: str | None,
    doc: str | None,
    formats: str | None,
    out: Path,
    year: int | None,
    every: bool,
) -> None:
    from generator.builds.build import known_territories
    from generator.commands.lint import lint

    if every and territory:
        raise click.UsageError(_("give a TERRITORY or --all, not both"))
    found = 0
    for name in known_territories() if every else [territory]:
        result = lint(name, _split(doc), _split(formats), out, year)
        for finding in result.findings:
            click.echo(str(finding))
        if result.skipped_formats:
            click.echo(_("PDF not proof-read: LibreOffice is not installed."))
        counts = {
            "territory": result.territory,
            "year": result.year,
            "read": len(result.read),
            "count": len(result.findings),
        }
        if len(result.findings) == 1:
            click.echo(_("{territory} {year}: {read} files read, {count} finding", **counts))
        else:
            click.echo(_("{territory} {year}: {read} files read, {count} findings", **counts))
        found += len(result.findings)
    if found:
        sys.exit(1)


@main.command(
    "new",
    help=N_("Create the territory folder SLUG for an EPCI, from the official reference data."),
)
@argument("slug", N_("SLUG"))
@option("--siren", required=True, help=N_("SIREN of the EPCI (nine digits)"))
@option("--year", type=int, help=N_("year of the documents (default: this year)"))
@option("--into", type=click.Path(path_type=Path), help=N_("parent folder (default: territories/)"))
@option(
    "--seuils",
    "thresholds",
    type=click.Path(path_type=Path),
    help=N_("annex of the yearly arrêté of the first-quartile thresholds (CSV or XLSX)"),
)
def new_command(
    slug: str, siren: str, year: int | None, into: Path | None, thresholds: Path | None
) -> None:
    from generator.commands.scaffold import new_territory

    created = new_territory(slug, siren, year, into, thresholds)
    click.echo(
        _(
            "created {folder} for {epci} ({count} communes)",
            folder=created.folder,
            epci=created.epci.nom,
            count=len(created.epci.communes),
        )
    )
    if created.thresholds is not None:
        _print_filled(created.thresholds)
    else:
        click.echo(
            _(
                "first-quartile thresholds: cil thresholds import ANNEXE-ARRETE.xlsx {folder}"
                " (annex of the yearly arrêté, once a year)",
                folder=created.folder,
            )
        )
    click.echo(
        _(
            "next: read {readme}, then cil check {folder}",
            readme=created.folder / "README.md",
            folder=created.folder,
        )
    )


@main.group("thresholds", help=N_("First-quartile thresholds, set each year by an arrêté."))
def thresholds_group() -> None:
    pass


@thresholds_group.command(
    "import",
    help=N_(
        "Fill the threshold table of TERRITORY from the annex of the arrêté (FILE, CSV or XLSX)."
    ),
)
@argument("file", N_("FILE"), type=click.Path(path_type=Path))
@argument("territory", N_("TERRITORY"), required=False)
@option("--all", "every", is_flag=True, help=N_("every territory under territories/"))
@option(
    "--year",
    type=int,
    help=N_(
        "year of the thresholds (default: the one the threshold's header names, else the"
        " territory's)"
    ),
)
def thresholds_import_command(
    file: Path, territory: str | None, every: bool, year: int | None
) -> None:
    from generator.builds.build import known_territories
    from generator.commands.thresholds import import_thresholds

    if every and territory:
        raise click.UsageError(_("give a TERRITORY or --all, not both"))
    results = import_thresholds(file, known_territories() if every else [territory], year)
    for result in results:
        _print_filled(result)
    if any(result.absent for result in results):
        sys.exit(1)


def _print_filled(result: Any) -> None:
    from generator.formatting import euros

    name = result.territory
    if result.absent:
        click.echo(
            _("{territory}: no threshold imported — {why}", territory=name, why=result.absent)
        )
        return
    for year, amount in result.added.items():
        click.echo(
            _(
                "{territory}: threshold {year} added ({amount})",
                territory=name,
                year=year,
                amount=euros(amount),
            )
        )
    for year, (before, amount) in result.changed.items():
        was = euros(before) if before is not None else _("empty")
        click.echo(
            _(
                "{territory}: threshold {year} changed ({was} → {amount})",
                territory=name,
                year=year,
                was=was,
                amount=euros(amount),
            )
        )
    for year, amount in result.unchanged.items():
        click.echo(
            _(
                "{territory}: threshold {year} unchanged ({amount})",
                territory=name,
                year=year,
                amount=euros(amount),
            )
        )
    if result.added or result.changed:
        click.echo(_("wrote {path}", path=result.file))


@main.group("workbook", help=N_("Every data table in one Excel workbook, and back."))
def workbook_group() -> None:
    pass


@workbook_group.command(
    "export", help=N_("Write the tables of TERRITORY as they stand in YEAR into one workbook.")
)
@argument("territory", N_("TERRITORY"), required=False)
@option("--year", type=int, help=N_("year of the tables (default: the territory's)"))
@option("--out", type=click.Path(path_type=Path), help=N_("workbook to write (.xlsx)"))
def workbook_export_command(territory: str | None, year: int | None, out: Path | None) -> None:
    from generator.commands.workbook import export_workbook

    click.echo(_("wrote {path}", path=export_workbook(territory, year, out)))


@workbook_group.command(
    "import",
    help=N_("Validate FILE and write its tables into TERRITORY, only if everything is valid."),
)
@argument("territory", N_("TERRITORY"))
@argument("file", N_("FILE"), type=click.Path(path_type=Path))
@option("--year", type=int, help=N_("year of the tables (default: the workbook's)"))
def workbook_import_command(territory: str, file: Path, year: int | None) -> None:
    from generator.commands.workbook import import_workbook

    result = import_workbook(territory, file, year)
    for path in result.written:
        click.echo(_("wrote {path}", path=path))
    counts = {
        "tables": len(result.written) - result.settings_written,
        "unchanged": len(result.unchanged),
        "year": result.year,
    }
    if result.settings_written:
        said = _(
            "{tables} table(s) written, {unchanged} unchanged, settings changed ({year}).",
            **counts,
        )
    else:
        said = _(
            "{tables} table(s) written, {unchanged} unchanged, settings unchanged ({year}).",
            **counts,
        )
    click.echo(said)


@main.command(
    "diff",
    help=N_(
        "Report what changes in the data and documents of TERRITORY from one year to the next."
    ),
)
@argument("territory", N_("TERRITORY"), required=False)
@option("--from", "year_from", type=int, help=N_("earlier year (default: the year before --to)"))
@option("--to", "year_to", type=int, help=N_("later year (default: the territory's)"))
@option("--doc", cls=_DocumentsOption)
@option("--out", type=click.Path(path_type=Path), help=N_("folder of the report and redlines"))
def diff_command(
    territory: str | None,
    year_from: int | None,
    year_to: int | None,
    doc: str | None,
    out: Path | None,
) -> None:
    from generator.commands.diff import diff

    result = diff(territory, year_from, year_to, out, _split(doc))
    changed = [t.name for t in result.tables if t]
    years = {"territory": result.territory, "start": result.year_from, "end": result.year_to}
    if changed:
        said = _(
            "{territory} {start} → {end}: {count} data tables changed: {tables}.",
            count=len(changed),
            tables=", ".join(changed),
            **years,
        )
    else:
        said = _("{territory} {start} → {end}: {count} data tables changed.", count=0, **years)
    click.echo(said)
    for name, sections in result.documents.items():
        if sections is None:
            click.echo("  " + _("{name}: see its redline", name=name))
        else:
            click.echo("  " + _("{name}: {count} sections changed", name=name, count=len(sections)))
    for name, year in result.only_in.items():
        click.echo("  " + _("{name}: made in {year} only", name=name, year=year))
    for path in result.written:
        click.echo(_("wrote {path}", path=path))


@main.command(
    "bundle",
    help=N_(
        "One PDF per sitting for transmission: the deliberation, then the documents it approves."
    ),
)
@argument("territory", N_("TERRITORY"), required=False)
@option("--sitting", help=N_("one sitting, as its deliberation is named: cornas-2025-03-17"))
@option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@option("--year", type=int, help=N_("year of the sittings (default: the territory's)"))
def bundle_command(territory: str | None, sitting: str | None, out: Path, year: int | None) -> None:
    from generator.commands.bundle import bundle

    result = bundle(territory, sitting, out, year)
    for path in result.written:
        attached = ", ".join(result.attached[path]) or _("nothing")
        click.echo(
            _("wrote {path}: the deliberation, then {attached}", path=path, attached=attached)
        )
    if result.not_produced:
        click.echo(
            _(
                "not produced by cil yet, to attach by hand: {documents}",
                documents=", ".join(result.not_produced),
            )
        )


@main.command(
    "serve",
    help=N_("Start the web application over the territories of territories/ (or the examples)."),
)
@option("--host", default="127.0.0.1", show_default=True, help=N_("address to listen on"))
@option("--port", type=int, default=8000, show_default=True)
@option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("cil-data"),
    show_default=True,
    help=N_("folder of the users, sessions, jobs, history and built files"),
)
@option(
    "--workers",
    type=_IntegerRange(1, 8),
    default=2,
    show_default=True,
    help=N_("builds run at the same time"),
)
@option("--https", "secure", is_flag=True, help=N_("served behind HTTPS: cookies marked Secure"))
@option("--create-admin", is_flag=True, help=N_("create an administrator account, then stop"))
def serve_command(
    host: str, port: int, data: Path, workers: int, secure: bool, create_admin: bool
) -> None:
    from generator.web.server import add_admin, serve

    if create_admin:
        suffix = _("{question}: ", question="")  # "Mot de passe : " in French
        username = click.prompt(_("User name of the administrator"), prompt_suffix=suffix)
        password = click.prompt(
            _("Password"), prompt_suffix=suffix, hide_input=True, confirmation_prompt=True
        )
        add_admin(data, username, password)
        click.echo(
            _(
                "administrator account « {username} » created in {data}",
                username=username,
                data=data,
            )
        )
        return
    click.echo(
        _(
            "cil serve: http://{host}:{port}/ (data in {data}; Ctrl+C stops)",
            host=host,
            port=str(port),
            data=data,
        )
    )
    serve(host, port, data, workers, secure)
