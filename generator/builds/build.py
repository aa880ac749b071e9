"""What to build, from which inputs: only what changed, written once everything has rendered."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import render
from generator.builds.dependencies import snapshot
from generator.builds.manifest import Manifest
from generator.builds.outputs import write_atomic
from generator.documents.common import Gap, document_date, facts_of
from generator.documents.contract import FORMATS, DocumentType, Kind
from generator.documents.registry import documents as registered
from generator.errors import UsageError
from generator.formatting import FILTERS
from generator.indicators.facts import Facts
from generator.resources import TEMPLATES, territories
from generator.territory.load import load_territory, territory_config
from generator.territory.schema import Territory

TERRITORIES = territories()  # the working directory's territories/, else the examples
DEFAULT_TERRITORY = "cc-rhone-crussol"


@dataclass
class BuildResult:
    territory: str
    year: int
    written: list[Path] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    skipped_formats: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    """One document's outputs in memory, with the inputs they were made from."""

    inputs: dict[str, str]
    gaps: list[Gap]
    outputs: dict[str, bytes] = field(default_factory=dict)
    docx: dict[str, Path] = field(default_factory=dict)  # output name → DOCX for LibreOffice


def territory_folder(name: str | None) -> Path:
    """A territory given as a folder path or as a slug under territories/."""
    name = name or DEFAULT_TERRITORY
    for candidate in (Path(name), Path.cwd() / "territories" / name, TERRITORIES / name):
        if (candidate / "territory.yaml").is_file():
            return candidate
    raise UsageError(f'no territory "{name}" — known territories: {", ".join(known_territories())}')


def known_territories() -> list[str]:
    return sorted(p.name for p in TERRITORIES.iterdir() if (p / "territory.yaml").is_file())


def choose(requested: Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if not requested:
        return list(allowed)
    unknown = [r for r in requested if r not in allowed]
    if unknown:
        raise UsageError(f'unknown {what} "{unknown[0]}" — choose among {", ".join(allowed)}')
    return [a for a in allowed if a in requested]


def _meta(territory: Territory, document: DocumentType, year: int) -> render.DocumentMeta:
    settings = territory.config.documents
    return render.DocumentMeta(
        title=document.title_for(territory),
        organisation=territory.name,
        year=year,
        status=settings.statut,
        author=settings.auteur,
        date=document_date(territory),
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
) -> Rendered:
    """Markdown, HTML, ODT without LibreOffice, and the DOCX that LibreOffice will finish."""
    year = territory.year
    # What this document reads, directly or through the facts, whatever was built before it.
    view, facts_view = territory.recording(), facts.recording()
    made = document.make(view, facts_view, year, document.accepted(options))
    reads = view.reads | facts_view.reads
    if document.kind is Kind.WORD:  # Word templates (docxtpl): DOCX only, one per item
        reads.add(("template", document.template))
        result = Rendered(snapshot(territory.folder, year, reads), made.gaps)
        for name, data in made.files.items() if {"docx", "pdf", "odt"} & set(formats) else ():
            result.docx[name] = scratch / f"{name}.docx"
            result.docx[name].write_bytes(data)
        return result
    environment = render.make_environment(document.search_paths(territory), FILTERS)
    stem = document.stem(options)
    markdown = render.render_markdown(environment, document.template, made.context)
    reads |= _template_reads(territory, document, render.templates_used(environment))
    result = Rendered(snapshot(territory.folder, year, reads), made.gaps)
    resources = scratch / stem
    resources.mkdir()
    for name, data in made.images.items():
        (resources / name).write_bytes(data)
    meta = _meta(territory, document, year)
    result.outputs.update(made.attachments)
    if "md" in formats:
        result.outputs.update(made.images)
        result.outputs[f"{stem}.md"] = markdown.encode()
    if "html" in formats:
        result.outputs[f"{stem}.html"] = render.markdown_to_html(markdown, meta, resources)
    if "odt" in formats and not render.libreoffice_available():
        result.outputs[f"{stem}.odt"] = render.markdown_to_odt(markdown, meta, resources)
    if {"docx", "pdf", "odt"} & set(formats):
        result.docx[stem] = scratch / f"{stem}.docx"
        result.docx[stem].write_bytes(render.markdown_to_docx(markdown, meta, resources))
    return result


def _finish_with_libreoffice(
    rendered: dict[str, Rendered], formats: list[str], scratch: Path
) -> None:
    """One LibreOffice pass lays out every DOCX: PDF, ODT and the TOC page numbers of the DOCX."""
    docx_files = {name: path for r in rendered.values() for name, path in r.docx.items()}
    owner = {name: r for r in rendered.values() for name in r.docx}
    if docx_files and render.libreoffice_available():
        wanted = [f for f in ("pdf", "odt") if f in formats]
        converted = render.convert_with_libreoffice(
            list(docx_files.values()), scratch / "lo", wanted
        )
        for name, source in docx_files.items():
            for fmt, path in converted[source].items():
                owner[name].outputs[f"{name}.{fmt}"] = path.read_bytes()
    if "docx" in formats:
        for name, source in docx_files.items():
            owner[name].outputs[f"{name}.docx"] = source.read_bytes()


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
                "PDF needs LibreOffice (soffice), which is not installed: run make test once, "
                "or apt-get install libreoffice-writer-nogui python3-uno"
            )
        chosen_formats.remove("pdf")
        skipped.append("pdf")
    folder = territory_folder(territory_name)
    year = year or territory_config(folder).annee
    target = out / folder.name / str(year)
    manifest = Manifest.read(target, folder.name, year)
    stems = {d: known[d].stem(options or {}) for d in chosen_docs}
    todo = [
        d
        for d in chosen_docs
        if (made := known[d].produced(chosen_formats))
        and (force or not manifest.is_up_to_date(stems[d], made, folder))
    ]
    result = BuildResult(folder.name, year, skipped_formats=skipped, rebuilt=todo)
    result.up_to_date = [d for d in chosen_docs if d not in todo]
    if not todo:
        return result
    territory = load_territory(folder, year)
    facts = facts_of(territory)  # computed once, shared by every document
    with tempfile.TemporaryDirectory(prefix="cil-") as scratch:
        rendered = {
            stems[name]: _render_document(
                territory, facts, known[name], chosen_formats, Path(scratch), options or {}
            )
            for name in todo
        }
        _finish_with_libreoffice(rendered, chosen_formats, Path(scratch))
    for name, item in rendered.items():
        result.gaps.extend(item.gaps)
        manifest.record(name, item.inputs, item.outputs)
        for filename, data in sorted(item.outputs.items()):
            write_atomic(target / filename, data)
            result.written.append(target / filename)
    write_atomic(manifest.path, manifest.to_bytes())
    result.written.append(manifest.path)
    return result
