"""How the documents to build are rendered: in memory, pandoc in parallel, one LibreOffice.

`builds.build` decides what to build and writes it; this module, with the document types,
Jinja and the converters it imports, is imported only when something is to be rendered.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import render
from generator.builds.dependencies import snapshot
from generator.documents.common import Gap, document_date, facts_of
from generator.documents.contract import DocumentType, Kind
from generator.documents.ppgdid_law import glossary_entries
from generator.errors import CilError, ConversionError, MissingToolError
from generator.formatting import FILTERS
from generator.indicators.facts import Facts
from generator.messages import _
from generator.resources import TEMPLATES
from generator.territory.load import load_territory
from generator.territory.schema import Territory


def _cannot_make(error: CilError, outputs: Sequence[str]) -> CilError:
    """A tool's failure (pandoc, LibreOffice, matplotlib) saying which outputs it stopped and
    that the previous ones stay: the same kind of error, so the same exit status."""
    message = _(
        "cannot make {outputs}: {reason}\nnothing was written: the previous outputs are unchanged.",
        outputs=", ".join(outputs),
        reason=error.message,
    )
    located = type(error)(message, error.location)
    located.__cause__ = error
    return located


FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # no room for the scratch files
FROM_DOCX = ("docx", "pdf", "odt")  # the formats made from (or finished in) a DOCX


def _located(outputs: Sequence[str], function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, whose tool failures name `outputs`."""

    def run(*args: Any) -> Any:
        try:
            return function(*args)
        except (ConversionError, MissingToolError) as error:
            raise _cannot_make(error, outputs) from error.__cause__

    return run


@dataclass
class Rendered:
    """One document's outputs in memory, with the inputs they were made from."""

    inputs: dict[str, str]
    gaps: list[Gap]
    outputs: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # outputs LibreOffice would have made differently (ODT, the page numbers of a TOC)
    without_libreoffice: list[str] = field(default_factory=list)
    docx: dict[str, Path] = field(default_factory=dict)  # output name → DOCX for LibreOffice
    # pandoc still at work: an output by name, or a DOCX for its scratch file
    pending: list[tuple[str | Path, Future[bytes]]] = field(default_factory=list)

    def wait(self) -> None:
        """Collect what pandoc made."""
        for target, future in self.pending:
            if isinstance(target, Path):
                target.write_bytes(future.result())
            else:
                self.outputs[target] = future.result()
        self.pending.clear()


def _meta(
    territory: Territory,
    document: DocumentType,
    year: int,
    notice: str = "",
    title: str = "",
    cover_year: str = "",
) -> render.DocumentMeta:
    settings = territory.config.documents
    return render.DocumentMeta(
        title=title or document.title_for(territory),
        organisation=territory.name,
        year=year,
        status=settings.statut,
        author=settings.auteur,
        date=document_date(territory),
        notice=notice,
        cover_year=cover_year,
        short_title=document.short_title,
        abbreviations=tuple(
            (meaning, sigle) for sigle, meaning in glossary_entries(territory).items()
        ),
    )


def _template_reads(
    territory: Territory, document: DocumentType, names: set[str]
) -> set[tuple[str, str]]:
    """Templates by name, resolved again at each check; a plug-in's own templates by path."""
    overrides = territory.folder / "overrides"
    reads = set()
    for name in names:
        own = document.templates / name
        if own.is_file() and own != TEMPLATES / name and not (overrides / name).is_file():
            reads.add(("file", own.as_posix()))
        else:
            reads.add(("template", name))
    return reads


def _render_document(
    territory: Territory,
    facts: Facts,
    document: DocumentType,
    formats: list[str],
    scratch: Path,
    options: Mapping[str, Any],
    submit: Callable[..., Future[bytes]],
) -> Rendered:
    """Markdown, HTML, ODT without LibreOffice, and the DOCX that LibreOffice will finish.

    The Python part runs here, one document after another (matplotlib and the recording views
    are not thread-safe); pandoc's conversions go to `submit`, to run while the next document
    is prepared: pandoc processes use both cores."""
    year = territory.year
    stem = document.stem(options)
    every = [f"{stem}.{fmt}" for fmt in document.produced(formats)]
    # What this document reads, directly or through the facts, whatever was built before it.
    view, facts_view = territory.recording(), facts.recording()
    make = _located(every, document.make)  # a chart matplotlib cannot draw
    made = make(view, facts_view, year, document.accepted(options))
    reads = view.reads | facts_view.reads
    if document.kind is Kind.WORD:  # Word templates (docxtpl): DOCX only, one per item
        reads.add(("template", document.template))
        result = Rendered(snapshot(territory.folder, year, reads), made.gaps)
        result.warnings = list(made.warnings)
        for name, data in made.files.items() if {"docx", "pdf", "odt"} & set(formats) else ():
            result.docx[name] = scratch / f"{name}.docx"
            result.docx[name].write_bytes(data)
        return result
    environment = render.make_environment(document.search_paths(territory), FILTERS)
    markdown = render.render_markdown(environment, document.template, made.context)
    reads |= _template_reads(territory, document, render.templates_used(environment))
    result = Rendered(snapshot(territory.folder, year, reads), made.gaps)
    result.warnings = list(made.warnings)
    resources = scratch / stem
    resources.mkdir()
    for name, data in made.images.items():
        (resources / name).write_bytes(data)
    meta = _meta(territory, document, year, made.notice, made.title, made.cover_year)
    result.outputs.update(made.attachments)
    if "md" in formats:
        result.outputs.update(made.images)
        result.outputs[f"{stem}.md"] = markdown.encode()

    def convert(target: str | Path, function: Callable[..., bytes], names: list[str]) -> None:
        work = _located(names, function)
        result.pending.append((target, submit(work, markdown, meta, resources)))

    if "html" in formats:
        convert(f"{stem}.html", render.markdown_to_html, [f"{stem}.html"])
    if "odt" in formats and not render.libreoffice_available():
        convert(f"{stem}.odt", render.markdown_to_odt, [f"{stem}.odt"])
    if {"docx", "pdf", "odt"} & set(formats):
        result.docx[stem] = scratch / f"{stem}.docx"
        made_from_docx = [n for n in every if n.rsplit(".", 1)[1] in FROM_DOCX]
        convert(result.docx[stem], render.markdown_to_docx, made_from_docx)
    return result


def _needs_libreoffice(
    known: Mapping[str, DocumentType], todo: Sequence[str], formats: Sequence[str]
) -> bool:
    """Whether LibreOffice may be needed, known before rendering, to start it early: for PDF
    and ODT, and for the TOC page numbers of a DOCX made by pandoc (Word templates have no
    TOC)."""
    if {"pdf", "odt"} & set(formats):
        needed = any({"pdf", "odt"} & set(known[d].produced(formats)) for d in todo)
    else:
        needed = "docx" in formats and any(known[d].kind is not Kind.WORD for d in todo)
    return needed and render.libreoffice_available()  # asked last: it starts a process


def _finish_with_libreoffice(
    rendered: Rendered,
    formats: list[str],
    scratch: Path,
    office: render.LibreOffice | None,
    later: Callable[[Callable[[], None]], Future[None]],
) -> tuple[Future[None], set[str] | None]:
    """LibreOffice lays out the document's DOCX files: PDF, ODT and the page numbers of a TOC.

    Run for each document once pandoc has made its DOCX, while the next documents are
    prepared; what is left once LibreOffice is done (page numbers written, outputs read) goes
    to `later`, so that LibreOffice may go on with the next document. When neither PDF nor
    ODT is asked, only the DOCX files with a table of contents go through LibreOffice (it
    would leave the others as they are): their names are returned then, None otherwise."""
    rendered.wait()
    docx_files = dict(rendered.docx)
    wanted = [f for f in ("pdf", "odt") if f in formats]
    if not wanted:
        docx_files = {n: p for n, p in docx_files.items() if render.has_toc(p.read_bytes())}
    laid_out = None
    if docx_files and office is not None:
        names = [f"{n}.{f}" for n in docx_files for f in formats if f in FROM_DOCX]
        laid_out = _located(names, office.lay_out)(
            list(docx_files.values()), scratch / "lo", wanted
        )

    def collect() -> None:
        if laid_out is not None:
            converted = laid_out.finish()
            for name, source in docx_files.items():
                for fmt, path in converted[source].items():
                    rendered.outputs[f"{name}.{fmt}"] = path.read_bytes()
        if "docx" in formats:
            for name, source in rendered.docx.items():
                rendered.outputs[f"{name}.docx"] = source.read_bytes()

    return later(collect), None if wanted else set(docx_files)


def _mark_made_without_libreoffice(
    rendered: Mapping[str, Rendered], with_toc: set[str] | None
) -> None:
    """Name the outputs LibreOffice would have made or laid out, when it is not installed:
    an ODT, a DOCX with a table of contents (`with_toc`: those already found, if known)."""
    stems = {name for r in rendered.values() for name in r.docx}

    def needs_layout(name: str, data: bytes) -> bool:
        stem, _dot, suffix = name.rpartition(".")
        if suffix == "docx" and with_toc is not None and stem in stems:
            return stem in with_toc
        return suffix == "odt" or (suffix == "docx" and render.has_toc(data))

    without = [
        (r, sorted(name for name, data in r.outputs.items() if needs_layout(name, data)))
        for r in rendered.values()
    ]
    if any(names for _, names in without) and not render.libreoffice_available():
        for r, names in without:  # LibreOffice asked last: knowing it starts a process
            r.without_libreoffice = names


class _Pandoc:
    """How many pandoc processes a build runs at a time: one per core, or what a batch worker
    was given (`share_the_cores`)."""

    at_a_time: int | None = None


def share_the_cores(jobs: int) -> None:
    """This process is one of `jobs` batch workers: its builds run pandoc on its share of the
    cores (one process when there are as many workers as cores). Each pandoc holds about
    100 MiB: the other workers already keep the cores busy, so this lowers a worker's peak
    memory, not the throughput."""
    _Pandoc.at_a_time = max(1, (os.cpu_count() or 1) // max(1, jobs))


class _WarmOffice:
    """The LibreOffice of a batch worker, kept between its builds (see `keep_libreoffice_warm`)."""

    kept = False
    office: render.LibreOffice | None = None
    settled = 0.0  # its resident memory once it had served a first build (MiB)


#: How much a kept LibreOffice may grow past its size after a first build before it is
#: replaced: it keeps some of every document it opened (measured: about 3 MiB a territory,
#: 170 to 490 MiB over 40 fictional territories), which a national batch cannot afford.
GROWTH_MIB = 64.0


def keep_libreoffice_warm() -> None:
    """From now on, the builds of this process share one LibreOffice, started by the first
    that needs it (while its pandoc runs, as usual) and stopped by `stop_warm_libreoffice`:
    a batch worker pays LibreOffice's start once, not once per territory."""
    _WarmOffice.kept = True


def stop_warm_libreoffice() -> None:
    """Stop the kept LibreOffice, if one runs, and keep none from now on."""
    office, _WarmOffice.office, _WarmOffice.kept = _WarmOffice.office, None, False
    _WarmOffice.settled = 0.0
    if office is not None:
        office.close()


def _office(stack: ExitStack, outputs: Sequence[str]) -> render.LibreOffice:
    """A LibreOffice for this build: the kept one (started if it is not running), or one of its
    own, stopped when the build ends; failing to start names the `outputs` it would make."""
    if not _WarmOffice.kept:  # serving: it takes each document as soon as it is made
        return stack.enter_context(_located(outputs, lambda: render.LibreOffice(warm=True))())
    office = _WarmOffice.office
    if office is not None and office.alive:
        size = office.resident_mib()
        if not _WarmOffice.settled:
            _WarmOffice.settled = size
        elif size > _WarmOffice.settled + GROWTH_MIB:
            office.close()  # between two builds: nothing of it is lost
            office = None
    if office is None or not office.alive:
        if office is not None:
            office.close()
        _WarmOffice.settled = 0.0
        office = _located(outputs, lambda: render.LibreOffice(warm=True))()
        _WarmOffice.office = office
    return office


def render_all(
    folder: Path,
    year: int,
    known: Mapping[str, DocumentType],
    todo: list[str],
    stems: Mapping[str, str],
    formats: list[str],
    options: Mapping[str, Any],
) -> dict[str, Rendered]:
    """Every document of `todo` in memory; temporary files and LibreOffice gone on return."""
    with ExitStack() as stack:
        # LibreOffice starts first, so that its second of start-up overlaps the rendering.
        made_by_office = [
            f"{stems[d]}.{f}" for d in todo for f in known[d].produced(formats) if f in FROM_DOCX
        ]
        office = (
            _office(stack, made_by_office) if _needs_libreoffice(known, todo, formats) else None
        )
        territory = load_territory(folder, year)
        facts = facts_of(territory)  # computed once, shared by every document
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cil-")))
        at_a_time = _Pandoc.at_a_time or os.cpu_count() or 1
        if office is not None:  # LibreOffice works beside pandoc now: it takes a core
            at_a_time = max(1, at_a_time - 1)
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=at_a_time))
        # One thread hands each document to LibreOffice once pandoc has made its DOCX, so that
        # LibreOffice lays it out while the next ones are prepared; another finishes what
        # LibreOffice is done with. Both stop before the pandoc pool, dropping the work not
        # started yet if a document fails.
        finisher, collector = ThreadPoolExecutor(max_workers=1), ThreadPoolExecutor(max_workers=1)
        stack.callback(collector.shutdown, wait=True, cancel_futures=True)
        stack.callback(finisher.shutdown, wait=True, cancel_futures=True)
        rendered, finishing = {}, []
        for name in todo:
            item = _render_document(
                territory, facts, known[name], formats, scratch, options, pool.submit
            )
            rendered[stems[name]] = item
            finishing.append(
                finisher.submit(
                    _finish_with_libreoffice, item, formats, scratch, office, collector.submit
                )
            )
        found = []
        for future in finishing:
            collected, with_toc = future.result()
            collected.result()
            found.append(with_toc)
        if office is None:
            with_toc = None if None in found else set().union(*filter(None, found))
            _mark_made_without_libreoffice(rendered, with_toc)
    return rendered
