"""What to build, from which inputs: only what changed, written once everything has rendered."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator import render
from generator.builds.dependencies import snapshot
from generator.builds.manifest import Manifest
from generator.builds.outputs import OutputFolder
from generator.documents.common import Gap, document_date, facts_of
from generator.documents.contract import FORMATS, DocumentType, Kind
from generator.documents.ppgdid_law import glossary_entries
from generator.documents.registry import documents as registered
from generator.errors import UsageError
from generator.formatting import FILTERS
from generator.indicators.facts import Facts
from generator.messages import _
from generator.resources import TEMPLATES, territories
from generator.territory.load import chosen_year, load_territory, territory_config
from generator.territory.schema import Territory


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the process.

    Each document has its own environment (its search paths, the templates it used), but every
    environment is made by `render.make_environment` with the same compile options, so code
    compiled for one file serves all: Jinja checks the source's checksum before reusing it."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()
TERRITORIES = territories()  # the working directory's territories/, else the examples
DEFAULT_TERRITORY = "cc-rhone-crussol"


@dataclass
class BuildResult:
    territory: str
    year: int
    written: list[Path] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  #: as `cil check` gives them
    skipped_formats: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)


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


def territory_folder(name: str | None) -> Path:
    """A territory given as a folder path or as a slug under territories/."""
    name = name or DEFAULT_TERRITORY
    for candidate in (Path(name), Path.cwd() / "territories" / name, TERRITORIES / name):
        if (candidate / "territory.yaml").is_file():
            return candidate.resolve()  # « data/.. » is named after its folder
    raise UsageError(
        _(
            'no territory "{name}" — known territories: {known_territories}',
            name=name,
            known_territories=", ".join(known_territories()),
        )
    )


def known_territories() -> list[str]:
    return sorted(p.name for p in TERRITORIES.iterdir() if (p / "territory.yaml").is_file())


def choose(requested: Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if not requested:
        return list(allowed)
    unknown = [r for r in requested if r not in allowed]
    if unknown:
        raise UsageError(
            _(
                'unknown {what} "{unknown}" — choose among {allowed}',
                what=what,
                unknown=unknown[0],
                allowed=", ".join(allowed),
            )
        )
    return [a for a in allowed if a in requested]


def _meta(
    territory: Territory, document: DocumentType, year: int, notice: str = "", title: str = ""
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
    # What this document reads, directly or through the facts, whatever was built before it.
    view, facts_view = territory.recording(), facts.recording()
    made = document.make(view, facts_view, year, document.accepted(options))
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
    environment.bytecode_cache = COMPILED
    stem = document.stem(options)
    markdown = render.render_markdown(environment, document.template, made.context)
    reads |= _template_reads(territory, document, render.templates_used(environment))
    result = Rendered(snapshot(territory.folder, year, reads), made.gaps)
    result.warnings = list(made.warnings)
    resources = scratch / stem
    resources.mkdir()
    for name, data in made.images.items():
        (resources / name).write_bytes(data)
    meta = _meta(territory, document, year, made.notice, made.title)
    result.outputs.update(made.attachments)
    if "md" in formats:
        result.outputs.update(made.images)
        result.outputs[f"{stem}.md"] = markdown.encode()

    def convert(target: str | Path, function: Callable[..., bytes]) -> None:
        result.pending.append((target, submit(function, markdown, meta, resources)))

    if "html" in formats:
        convert(f"{stem}.html", render.markdown_to_html)
    if "odt" in formats and not render.libreoffice_available():
        convert(f"{stem}.odt", render.markdown_to_odt)
    if {"docx", "pdf", "odt"} & set(formats):
        result.docx[stem] = scratch / f"{stem}.docx"
        convert(result.docx[stem], render.markdown_to_docx)
    return result


def _needs_libreoffice(
    known: Mapping[str, DocumentType], todo: Sequence[str], formats: Sequence[str]
) -> bool:
    """Whether LibreOffice may be needed, known before rendering, to start it early: for PDF
    and ODT, and for the TOC page numbers of a DOCX made by pandoc (Word templates have no
    TOC)."""
    if not render.libreoffice_available():
        return False
    if {"pdf", "odt"} & set(formats):
        return any({"pdf", "odt"} & set(known[d].produced(formats)) for d in todo)
    return "docx" in formats and any(known[d].kind is not Kind.WORD for d in todo)


def _finish_with_libreoffice(
    rendered: dict[str, Rendered],
    formats: list[str],
    scratch: Path,
    office: render.LibreOffice | None,
) -> None:
    """One LibreOffice pass lays out every DOCX: PDF, ODT and the TOC page numbers of the DOCX.

    When neither PDF nor ODT is asked, only the DOCX files with a table of contents go through
    LibreOffice (it would leave the others as they are), and none at all when none has one."""
    docx_files = {name: path for r in rendered.values() for name, path in r.docx.items()}
    owner = {name: r for r in rendered.values() for name in r.docx}
    wanted = [f for f in ("pdf", "odt") if f in formats]
    if not wanted:
        docx_files = {n: p for n, p in docx_files.items() if render.has_toc(p.read_bytes())}
    if docx_files and office is not None:
        converted = office.convert(list(docx_files.values()), scratch / "lo", wanted)
        for name, source in docx_files.items():
            for fmt, path in converted[source].items():
                owner[name].outputs[f"{name}.{fmt}"] = path.read_bytes()
    if "docx" in formats:
        for r in rendered.values():
            for name, source in r.docx.items():
                r.outputs[f"{name}.docx"] = source.read_bytes()
    if office is None and not render.libreoffice_available():
        for r in rendered.values():
            r.without_libreoffice = sorted(
                name
                for name, data in r.outputs.items()
                if name.endswith(".odt") or (name.endswith(".docx") and render.has_toc(data))
            )


def build(
    territory_name: str | None = None,
    documents: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    out: Path = Path("build"),
    year: int | None = None,
    force: bool = False,
    options: Mapping[str, Any] | None = None,
    registry: Mapping[str, DocumentType] | None = None,
) -> BuildResult:
    """Build what changed since the last build (everything with `force`), then write it all.

    `registry`: the document types to choose from (default: those bundled with cil)."""
    known = registry if registry is not None else registered()
    chosen_docs = choose(documents, list(known), "document")
    chosen_formats = choose(formats, FORMATS, "format")
    skipped: list[str] = []
    if "pdf" in chosen_formats and not render.libreoffice_available():
        if formats:
            raise UsageError(
                _(
                    "PDF needs LibreOffice (soffice), which is not installed: run make test once,"
                    " or apt-get install libreoffice-writer-nogui python3-uno"
                )
            )
        chosen_formats.remove("pdf")
        skipped.append("pdf")
    folder = territory_folder(territory_name)
    year = chosen_year(territory_config(folder), year)
    target = out / folder.name / str(year)
    with OutputFolder(target) as output:  # created and locked before anything is rendered
        manifest = Manifest.read(target, folder.name, year)
        stems = {d: known[d].stem(options or {}) for d in chosen_docs}
        tools = {"libreoffice"} if render.libreoffice_available() else set()
        todo = [
            d
            for d in chosen_docs
            if (made := known[d].produced(chosen_formats))
            and (force or not manifest.is_up_to_date(stems[d], made, folder, tools))
        ]
        result = BuildResult(folder.name, year, skipped_formats=skipped, rebuilt=todo)
        result.up_to_date = [d for d in chosen_docs if d not in todo]
        if not todo:
            return result
        rendered = _render_all(folder, year, known, todo, stems, chosen_formats, options or {})
        files: list[tuple[str, bytes]] = []
        for name, item in rendered.items():
            result.gaps.extend(item.gaps)
            result.warnings.extend(item.warnings)
            made_without = {"libreoffice": item.without_libreoffice}
            manifest.record(name, item.inputs, item.outputs, made_without)
            files.extend(sorted(item.outputs.items()))
        result.written = output.commit(files, (manifest.path.name, manifest.to_bytes()))
    return result


def _render_all(
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
        office = (
            stack.enter_context(render.LibreOffice())
            if _needs_libreoffice(known, todo, formats)
            else None
        )
        territory = load_territory(folder, year)
        facts = facts_of(territory)  # computed once, shared by every document
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cil-")))
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=os.cpu_count() or 1))
        rendered = {
            stems[name]: _render_document(
                territory, facts, known[name], formats, scratch, options, pool.submit
            )
            for name in todo
        }
        for item in rendered.values():
            item.wait()
        _finish_with_libreoffice(rendered, formats, scratch, office)
    return rendered
