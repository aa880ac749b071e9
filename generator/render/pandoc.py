"""Markdown to DOCX, ODT and HTML with pandoc, reproducibly and in the house style."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import pypandoc

from generator.errors import ConversionError, MissingToolError
from generator.messages import _
from generator.render.docx_finish import finish_docx
from generator.render.escape import LINE_BREAK, escape_markdown
from generator.render.meta import DocumentMeta
from generator.render.odt_finish import finish_odt
from generator.render.typography import typeset
from generator.resources import TEMPLATES

REFERENCE_DOCX = TEMPLATES / "reference.docx"
LINEBREAK_FILTER = Path(__file__).with_name("linebreak.lua")
LINEBREAK = f"--lua-filter={LINEBREAK_FILTER}"
CONFINE_FILTER = Path(__file__).with_name("confine.lua")
CAPTIONS_FILTER = Path(__file__).with_name("captions.lua")
REFUSED = "CIL_REFUSED "  # what confine.lua writes on stderr before a refused image target
TOC_TITLE = "Sommaire"
TIMEOUT = 120  # seconds for one conversion; CIL_PANDOC_TIMEOUT changes it
TIMEOUT_VARIABLE = "CIL_PANDOC_TIMEOUT"

# The HTML may show its embedded images and styles, nothing else: no script runs, nothing is
# fetched, even if a template let something through.
_HTML_POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "img-src data:; style-src 'unsafe-inline'\">"
)

# Sober house style for the standalone HTML (same colour as the DOCX headings).
_HTML_STYLE = """<style>
body { font-family: Carlito, Calibri, "Liberation Sans", sans-serif; max-width: 50em;
       font-size: 11pt; line-height: 1.4; color: #222; }
h1, h2, h3, #TOC > h2, .title { color: #1F4E5F; }
h1 { border-bottom: 1px solid #1F4E5F; }
table { display: table; border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #9FB4BC; padding: 2px 5px; vertical-align: top; }
thead th { background: #DCE7EB; color: #1F4E5F; }
caption, figcaption { font-style: italic; color: #404040; }
img { max-width: 100%; height: auto; }
[id^="signatures"] td { height: 3cm; }
</style>"""


class PandocError(ConversionError):
    """pandoc failed; the message carries its stderr."""


class PandocMissing(MissingToolError, PandocError):
    """No pandoc: pypandoc-binary brings one, so the installation is broken."""


_REINSTALL = "reinstall cil (pip install --force-reinstall pypandoc-binary brings pandoc)"


@cache
def pandoc_path() -> str:
    try:
        return pypandoc.get_pandoc_path()
    except OSError as error:
        raise PandocMissing(
            _("pandoc is not installed ({error}): {what}", error=error, what=_REINSTALL)
        ) from error


#: pandoc's Haskell runtime: a suggested heap of 8 MiB instead of the 64 MiB pandoc is linked
#: with. Its peak memory falls by about a quarter (181 → 135 MiB on the largest document of
#: Rhône Crussol) at no measurable cost in time (docs/performance.md, fourth round).
_RTS_OPTIONS = ["+RTS", "-H8m", "-RTS"]
_PROBE_TIMEOUT = 5.0  # seconds


@cache
def _runtime_options(pandoc: str) -> list[str]:
    """`_RTS_OPTIONS` if this pandoc takes them (a pandoc linked without `-rtsopts` refuses
    every run given them), else none: asked once per pandoc and process, in a few ms."""
    limit = min(_PROBE_TIMEOUT, timeout(TIMEOUT_VARIABLE, TIMEOUT))
    try:
        done = subprocess.run(
            [pandoc, *_RTS_OPTIONS, "--version"], capture_output=True, timeout=limit
        )
    except (OSError, subprocess.TimeoutExpired):
        return []  # the real run says what is wrong with this pandoc
    return _RTS_OPTIONS if done.returncode == 0 else []


def timeout(variable: str, default: float) -> float:
    """Seconds given by an environment variable (a tool's time limit), else `default`."""
    given = os.environ.get(variable, "").strip()
    if not given:
        return default
    try:
        seconds = float(given)
    except ValueError:
        seconds = 0
    if not 0 < seconds < 86400:
        raise ConversionError(
            _(
                "{variable} must be a number of seconds (at most a day), got « {given} »",
                variable=variable,
                given=given,
            )
        )
    return seconds


def _said(stderr: str, lines: int = 6) -> str:
    """The end of what a tool wrote on stderr, enough to recognise the problem."""
    kept = [line for line in stderr.strip().splitlines() if line.strip()][-lines:]
    return "\n  ".join(kept)


def markdown_to_docx(
    markdown: str,
    meta: DocumentMeta,
    resource_dir: Path | None = None,
    reference_doc: Path = REFERENCE_DOCX,
) -> bytes:
    """A DOCX in the house style: cover page, filled "Sommaire", numbered headings.

    TOC page numbers stay empty (Word fills them on opening) until `convert_with_libreoffice`
    writes the ones of LibreOffice's layout.
    """
    if not reference_doc.exists():
        raise PandocError(
            _(
                "{reference_doc} is missing: run scripts/make_reference_docx.py",
                reference_doc=reference_doc,
            )
        )
    meta = _french(meta)
    args = ["--reference-doc", str(reference_doc)]
    raw = _run(markdown, meta, "docx+native_numbering", args, resource_dir, docx_cover=True)
    return finish_docx(raw, meta)


def markdown_to_odt(markdown: str, meta: DocumentMeta, resource_dir: Path | None = None) -> bytes:
    """An ODT written by pandoc, for when LibreOffice is absent: house style added afterwards,
    TOC entries without page numbers (LibreOffice makes the ODT from the DOCX when present)."""
    meta = _french(meta)
    return finish_odt(_run(markdown, meta, "odt+native_numbering", [], resource_dir), meta)


def markdown_to_html(markdown: str, meta: DocumentMeta, resource_dir: Path | None = None) -> bytes:
    """One self-contained HTML file: images embedded, table of contents, house colours."""
    args = [
        "--standalone",
        "--embed-resources",
        f"--lua-filter={CAPTIONS_FILTER}",
        "-V",
        f"header-includes={_HTML_POLICY}\n{_HTML_STYLE}",
    ]
    return _run(markdown, meta, "html5", args, resource_dir)


def _metadata(meta: DocumentMeta, docx_cover: bool) -> str:
    """A YAML block for the title block. pandoc reads YAML strings as Markdown, so values are
    escaped like any template value; JSON strings are valid YAML."""
    parts = [meta.date]
    if not docx_cover:  # finish_docx puts year and status on the DOCX cover page itself
        year = "" if meta.shown_year in meta.date else meta.shown_year
        parts = [p for p in (meta.status, year, meta.date, meta.notice) if p]
    fields: dict[str, str | list[str]] = {
        "title": meta.title,
        "subtitle": meta.organisation,
        "author": [meta.author],
        "date": " · ".join(parts),
    }
    lines = [
        f"{key}: {json.dumps(_escaped(value), ensure_ascii=False)}" for key, value in fields.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _french(meta: DocumentMeta) -> DocumentMeta:
    """The cover, footer and properties in the typography of the body (`render_markdown`)."""
    return replace(
        meta,
        title=typeset(meta.title),
        organisation=typeset(meta.organisation),
        status=typeset(meta.status),
        author=typeset(meta.author),
        date=typeset(meta.date),
        notice=typeset(meta.notice),
    )


def _escaped(value: str | list[str]) -> str | list[str]:
    if isinstance(value, list):
        return [str(escape_markdown(v)) for v in value]
    return str(escape_markdown(value))


def _run(
    markdown: str,
    meta: DocumentMeta,
    to: str,
    args: list[str],
    resource_dir: Path | None,
    docx_cover: bool = False,
) -> bytes:
    """Run pandoc once; SOURCE_DATE_EPOCH pins every date it would take from the clock."""
    pandoc = pandoc_path()
    command = [
        pandoc,
        *_runtime_options(pandoc),
        "--from=markdown-smart",
        f"--to={to}",
        f"--lua-filter={CONFINE_FILTER}",
        "--toc",
        "--toc-depth=2",
        "--number-sections",
        f"--metadata=toc-title:{TOC_TITLE}",
        f"--metadata=lang:{meta.lang}",
        "--output=-",
        *args,
    ]
    env = os.environ | {"SOURCE_DATE_EPOCH": meta.source_date_epoch}
    source = _metadata(_french(meta), docx_cover) + markdown
    if LINE_BREAK in source:  # the filter looks at every word: only where it has work to do
        command.insert(command.index(f"--lua-filter={CONFINE_FILTER}") + 1, LINEBREAK)
    # Without a folder of images, an empty one: pandoc must never look in the working directory.
    limit = timeout(TIMEOUT_VARIABLE, TIMEOUT)
    with tempfile.TemporaryDirectory(prefix="cil-pandoc-") as empty:
        command.append(f"--resource-path={resource_dir or empty}")
        try:
            done = subprocess.run(
                command, input=source.encode("utf-8"), capture_output=True, env=env, timeout=limit
            )
        except subprocess.TimeoutExpired as exc:
            raise PandocError(
                _(
                    "pandoc did not finish within {seconds} s ({to}): a very long document "
                    "may need more time: set {variable} to more seconds (e.g. {variable}=600) "
                    "and build again",
                    seconds=f"{limit:g}",
                    to=to,
                    variable=TIMEOUT_VARIABLE,
                )
            ) from exc
        except OSError as exc:  # not there any more, not executable
            raise PandocMissing(
                _(
                    "pandoc cannot be run ({error}): {what}",
                    error=exc.strerror or exc,
                    what=_REINSTALL,
                )
            ) from exc
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode < 0:  # killed by a signal: memory, a crash
        raise PandocError(
            _(
                "pandoc stopped ({to}), killed by signal {signal}: the machine may lack memory; "
                "close other programs and build again, or {what}",
                to=to,
                signal=-done.returncode,
                what=_REINSTALL,
            )
        )
    if done.returncode != 0:
        raise PandocError(
            _(
                "pandoc failed ({to}, exit status {status}); it said:\n  {said}\n"
                "if a template or an override was changed, check the Markdown it writes",
                to=to,
                status=done.returncode,
                said=_said(stderr) or _("nothing"),
            )
        )
    refused = [line[len(REFUSED) :] for line in stderr.splitlines() if line.startswith(REFUSED)]
    if refused:
        shown = ", ".join(f"« {target} »" for target in dict.fromkeys(refused))
        raise PandocError(
            _(
                "the document shows an image that cil did not make: {shown} — a template or an "
                "override may only show the build's own images (no absolute path, no « .. », "
                "no URL)",
                shown=shown,
            )
        )
    if "Could not fetch resource" in stderr:  # pandoc would silently drop the image
        raise PandocError(_("pandoc ({to}): {said}", to=to, said=_said(stderr)))
    return done.stdout
