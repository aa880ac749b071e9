"""The `cil` command: parse, call the library, print. No logic here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, render
from .build import DOCUMENTS, FORMATS, build
from .check import check, left_to_fill
from .errors import DataErrors, UsageError

OK, DATA_ERRORS, USAGE_ERRORS = 0, 1, 2


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
def build_command(
    territory: str | None, doc: str | None, formats: str | None, out: Path, year: int | None
) -> None:
    """Build the documents of TERRITORY (default: the bundled example) into OUT."""
    result = _run(build, territory, _split(doc), _split(formats), out, year)
    for path in result.written:
        click.echo(f"wrote {path}")
    if result.skipped_formats:
        click.echo("PDF skipped: LibreOffice is not installed (make test installs it).")
    if result.gaps:
        click.echo(
            f"{len(result.gaps)} values are missing and marked [à renseigner]: "
            f"cil check {result.territory.slug} lists them."
        )


@main.command("check")
@click.argument("territory", required=False)
@click.option("--year", type=int, help="year of the documents (default: the territory's)")
def check_command(territory: str | None, year: int | None) -> None:
    """Validate TERRITORY and list what is still left to fill."""
    result = _run(check, territory, year)
    click.echo(f"{result.territory} {result.year}: data and templates are valid.")
    if result.gaps:
        click.echo(f"Left to fill ({len(result.gaps)} values, marked [à renseigner] in documents):")
        for line in left_to_fill(result.gaps):
            click.echo(f"  {line}")
    else:
        click.echo("Nothing left to fill.")
