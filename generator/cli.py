"""The `cil` command: parse, call the library, print. No logic here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, render
from .batch import BUILT, FAILED, UP_TO_DATE, Request, build_all
from .build import DOCUMENTS, FORMATS, build, known_territories
from .check import Override, check, left_to_fill
from .errors import DataErrors, UsageError

OK, DATA_ERRORS, USAGE_ERRORS = 0, 1, 2
STATUSES = (BUILT, UP_TO_DATE, FAILED)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _run(action, *args, **kwargs):  # noqa: ANN001, ANN202 - a thin error boundary
    """Turn a user's mistake into a message and an exit status, never a traceback."""
    try:
        return action(*args, **kwargs)
    except DataErrors as error:
        click.echo(error.report(), err=True)
        sys.exit(DATA_ERRORS)
    except render.TemplateProblem as error:
        click.echo(f"template error: {error}\nnothing was written.", err=True)
        sys.exit(DATA_ERRORS)
    except UsageError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(USAGE_ERRORS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cil")
def main() -> None:
    """Documents of an intercommunal social-housing allocation policy."""


@main.command("build")
@click.argument("territory", required=False)
@click.option("--doc", help=f"documents, comma-separated: {', '.join(DOCUMENTS)} (default: all)")
@click.option("--format", "formats", help=f"formats, comma-separated: {','.join(FORMATS)}")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--year", type=int, help="year of the documents (default: the territory's)")
@click.option("--force", is_flag=True, help="rebuild even what is up to date")
@click.option("--all", "every", is_flag=True, help="every territory under territories/")
def build_command(
    territory: str | None,
    doc: str | None,
    formats: str | None,
    out: Path,
    year: int | None,
    force: bool,
    every: bool,
) -> None:
    """Build the documents of TERRITORY (default: the bundled example) into OUT."""
    if every:
        if territory:
            raise click.UsageError("give a TERRITORY or --all, not both")
        _build_every(Request(_split(doc), _split(formats), out, year, force))
        return
    result = _run(build, territory, _split(doc), _split(formats), out, year, force)
    for path in result.written:
        click.echo(f"wrote {path}")
    if result.up_to_date:
        click.echo(f"up to date: {', '.join(result.up_to_date)} (--force rebuilds)")
    if result.skipped_formats:
        click.echo("PDF skipped: LibreOffice is not installed (make test installs it).")
    if result.gaps:
        click.echo(
            f"{len(result.gaps)} values are missing and marked [à renseigner]: "
            f"cil check {result.territory} lists them."
        )


def _build_every(request: Request) -> None:
    names = known_territories()
    with click.progressbar(length=len(names), label="Building territories") as bar:
        outcomes = build_all(request, on_done=lambda outcome: bar.update(1))
    counts = {status: [o for o in outcomes if o.status == status] for status in STATUSES}
    for outcome in outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        click.echo(f"{outcome.status:>10}  {outcome.territory}{detail}")
    click.echo(", ".join(f"{len(items)} {status}" for status, items in counts.items()))
    if counts[FAILED]:
        sys.exit(DATA_ERRORS)


@main.command("check")
@click.argument("territory", required=False)
@click.option("--year", type=int, help="year of the documents (default: the territory's)")
@click.option("--all", "every", is_flag=True, help="every territory, and what each overrides")
def check_command(territory: str | None, year: int | None, every: bool) -> None:
    """Validate TERRITORY and list what is still left to fill."""
    if every:
        if territory:
            raise click.UsageError("give a TERRITORY or --all, not both")
        _check_every(year)
        return
    result = _run(check, territory, year)
    click.echo(f"{result.territory} {result.year}: data and templates are valid.")
    _print_overrides(result.overrides)
    if result.gaps:
        click.echo(f"Left to fill ({len(result.gaps)} values, marked [à renseigner] in documents):")
        for line in left_to_fill(result.gaps):
            click.echo(f"  {line}")
    else:
        click.echo("Nothing left to fill.")


def _print_overrides(overrides: list[Override]) -> None:
    for item in overrides:
        if item.replaces:
            click.echo(f"  overrides {item.replaces}")
        else:
            click.echo(f"  warning: overrides/{item.path} replaces no default file (misnamed?)")


def _check_every(year: int | None) -> None:
    failed = 0
    for name in known_territories():
        try:
            result = check(name, year)
        except (DataErrors, render.TemplateProblem, UsageError) as error:
            failed += 1
            first = error.problems[0] if isinstance(error, DataErrors) else error
            click.echo(f"{name}: FAILED — {first}")
            continue
        replaced = sum(1 for o in result.overrides if o.replaces)
        click.echo(
            f"{name} {result.year}: valid, {len(result.gaps)} values left to fill, "
            f"{replaced} default file{'s' if replaced != 1 else ''} overridden"
        )
        _print_overrides(result.overrides)
    if failed:
        sys.exit(DATA_ERRORS)
