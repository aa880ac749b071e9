"""The `cil` command: parse, call the library, print. No logic here."""

from __future__ import annotations

import sys
import traceback
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator import __version__
from generator.errors import CilError
from generator.messages import _

if TYPE_CHECKING:
    from generator.builds.batch import Request
    from generator.builds.check import Override

# Each command imports what it uses when it runs: `cil --help` and a no-op build must not pay
# for matplotlib, openpyxl, docxtpl or the document types (see docs/performance.md).
FORMATS = ("docx", "odt", "pdf", "html", "md")  # generator.documents.contract.FORMATS
DEBUG_VARIABLE = "CIL_DEBUG"


class _DocumentsOption(click.Option):
    """`--doc`, whose help lists the registered documents only when help is shown: listing
    them imports every document type."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from generator.documents.registry import documents

        self.help = f"documents, comma-separated: {', '.join(documents())} (default: all)"
        return super().get_help_record(ctx)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


class _Cil(click.Group):
    """The one error boundary of the command line: a user's mistake becomes a message and an
    exit status, never a traceback; a bug says so, with its traceback only under --debug."""

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


@click.group(cls=_Cil, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cil")
@click.option(
    "--debug", is_flag=True, envvar=DEBUG_VARIABLE, help="show the traceback of an internal error"
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Documents of an intercommunal social-housing allocation policy."""
    ctx.meta[DEBUG_VARIABLE] = debug


@main.command("build")
@click.argument("territory", required=False)
@click.option("--doc", cls=_DocumentsOption)
@click.option("--format", "formats", help=f"formats, comma-separated: {','.join(FORMATS)}")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--year", type=int, help="year of the documents (default: the territory's)")
@click.option("--force", is_flag=True, help="rebuild even what is up to date")
@click.option("--all", "every", is_flag=True, help="every territory under territories/")
@click.option(
    "--period", type=click.Choice(["triennial", "final"]), help="bilan: triennial or final"
)
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
    """Build the documents of TERRITORY (default: the bundled example) into OUT."""
    from generator.builds.batch import Request
    from generator.builds.build import build

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
    if result.skipped_formats:
        click.echo(_("PDF skipped: LibreOffice is not installed (make test installs it)."))
    for warning in result.warnings:
        click.echo("  " + _("warning: {warning}", warning=warning))
    if result.gaps:
        click.echo(
            _(
                "{count} values are missing and marked [à renseigner]: cil check {territory}"
                " lists them.",
                count=len(result.gaps),
                territory=result.territory,
            )
        )


def _build_every(request: Request) -> None:
    from generator.builds.batch import BUILT, FAILED, UP_TO_DATE, build_all
    from generator.builds.build import known_territories

    statuses = (BUILT, UP_TO_DATE, FAILED)
    names = known_territories()
    with click.progressbar(length=len(names), label="Building territories") as bar:
        outcomes = build_all(request, on_done=lambda outcome: bar.update(1))
    counts = {status: [o for o in outcomes if o.status == status] for status in statuses}
    for outcome in outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        click.echo(f"{outcome.status:>10}  {outcome.territory}{detail}")
    click.echo(", ".join(f"{len(items)} {status}" for status, items in counts.items()))
    if counts[FAILED]:
        sys.exit(1)


@main.command("check")
@click.argument("territory", required=False)
@click.option("--year", type=int, help="year of the documents (default: the territory's)")
@click.option("--all", "every", is_flag=True, help="every territory, and what each overrides")
def check_command(territory: str | None, year: int | None, every: bool) -> None:
    """Validate TERRITORY and list what is still left to fill."""
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
        counts = {"name": name, "year": result.year, "gaps": len(result.gaps), "count": replaced}
        if replaced == 1:
            said = _(
                "{name} {year}: valid, {gaps} values left to fill, {count} default file overridden",
                **counts,
            )
        else:
            said = _(
                "{name} {year}: valid, {gaps} values left to fill, {count} default files"
                " overridden",
                **counts,
            )
        click.echo(said)
        _print_overrides(result.overrides)
    if failed:
        sys.exit(1)


@main.command("lint")
@click.argument("territory", required=False)
@click.option("--doc", cls=_DocumentsOption)
@click.option("--format", "formats", help="formats to proof-read, comma-separated: docx,pdf")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--year", type=int, help="year of the documents (default: the territory's)")
@click.option("--all", "every", is_flag=True, help="every territory under territories/")
def lint_command(
    territory: str | None,
    doc: str | None,
    formats: str | None,
    out: Path,
    year: int | None,
    every: bool,
) -> None:
    """Build (what changed), then proof-read the DOCX and PDF of TERRITORY: spaces before
    signs, words wider than their cell, empty columns, repeated sentences, short pages, rows
    split across pages, placeholders, headings alone at a page foot. Exit 1 on any finding."""
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


@main.command("new")
@click.argument("slug")
@click.option("--siren", required=True, help="SIREN of the EPCI (nine digits)")
@click.option("--year", type=int, help="year of the documents (default: this year)")
@click.option(
    "--into", type=click.Path(path_type=Path), help="parent folder (default: territories/)"
)
@click.option(
    "--seuils",
    "thresholds",
    type=click.Path(path_type=Path),
    help="annexe de l'arrêté annuel des seuils du premier quartile (CSV ou XLSX)",
)
def new_command(
    slug: str, siren: str, year: int | None, into: Path | None, thresholds: Path | None
) -> None:
    """Create the territory folder SLUG for an EPCI, from the official reference data."""
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


@main.group("thresholds")
def thresholds_group() -> None:
    """Seuils du premier quartile fixés chaque année par arrêté."""


@thresholds_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("territory", required=False)
@click.option("--all", "every", is_flag=True, help="tous les territoires")
@click.option(
    "--year",
    type=int,
    help="année des seuils (par défaut : celle que l'en-tête du seuil nomme, sinon celle du "
    "territoire)",
)
def thresholds_import_command(
    file: Path, territory: str | None, every: bool, year: int | None
) -> None:
    """Remplit la table des seuils de TERRITORY avec l'annexe de l'arrêté (FILE, CSV ou XLSX)."""
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


@main.group("workbook")
def workbook_group() -> None:
    """Every data table in one Excel workbook, and back."""


@workbook_group.command("export")
@click.argument("territory", required=False)
@click.option("--year", type=int, help="year of the tables (default: the territory's)")
@click.option("--out", type=click.Path(path_type=Path), help="workbook to write (.xlsx)")
def workbook_export_command(territory: str | None, year: int | None, out: Path | None) -> None:
    """Write the tables of TERRITORY as they stand in YEAR into one workbook."""
    from generator.commands.workbook import export_workbook

    click.echo(_("wrote {path}", path=export_workbook(territory, year, out)))


@workbook_group.command("import")
@click.argument("territory")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--year", type=int, help="year of the tables (default: the workbook's)")
def workbook_import_command(territory: str, file: Path, year: int | None) -> None:
    """Validate FILE and write its tables into TERRITORY, only if everything is valid."""
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


@main.command("diff")
@click.argument("territory", required=False)
@click.option("--from", "year_from", type=int, help="earlier year (default: the year before --to)")
@click.option("--to", "year_to", type=int, help="later year (default: the territory's)")
@click.option("--doc", cls=_DocumentsOption)
@click.option("--out", type=click.Path(path_type=Path), help="folder of the report and redlines")
def diff_command(
    territory: str | None,
    year_from: int | None,
    year_to: int | None,
    doc: str | None,
    out: Path | None,
) -> None:
    """Report what changes in the data and documents of TERRITORY from one year to the next."""
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


@main.command("bundle")
@click.argument("territory", required=False)
@click.option("--sitting", help="one sitting, as its deliberation is named: cornas-2025-03-17")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--year", type=int, help="year of the sittings (default: the territory's)")
def bundle_command(territory: str | None, sitting: str | None, out: Path, year: int | None) -> None:
    """One PDF per sitting for transmission: the deliberation, then the documents it approves."""
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


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("cil-data"),
    show_default=True,
    help="folder of the users, sessions, jobs, history and built files",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 8),
    default=2,
    show_default=True,
    help="builds run at the same time",
)
@click.option("--https", "secure", is_flag=True, help="served behind HTTPS: cookies marked Secure")
@click.option("--create-admin", is_flag=True, help="create an administrator account, then stop")
def serve_command(
    host: str, port: int, data: Path, workers: int, secure: bool, create_admin: bool
) -> None:
    """Start the web application over the territories of territories/ (or the examples)."""
    from generator.web.server import add_admin, serve

    if create_admin:
        username = click.prompt("Identifiant de l'administrateur")
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
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
