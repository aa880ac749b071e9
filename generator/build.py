"""What to build, from which inputs, written only once everything has rendered."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from . import __version__, render
from .documents import annexes_ppgdid
from .documents.common import CONTENT, ROOT, TEMPLATES, Gap, document_date, search_paths
from .errors import UsageError
from .formatting import FILTERS
from .outputs import files_under, hash_files, manifest_bytes, sha256, write_atomic
from .territory.load import load_territory
from .territory.schema import Territory

DOCUMENTS: dict[str, ModuleType] = {module.NAME: module for module in (annexes_ppgdid,)}
FORMATS = ("docx", "odt", "pdf", "html", "md")
TERRITORIES = ROOT / "territories"
DEFAULT_TERRITORY = "cc-rhone-crussol"


@dataclass
class BuildResult:
    territory: Territory
    year: int
    written: list[Path] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    skipped_formats: list[str] = field(default_factory=list)


def territory_folder(name: str | None) -> Path:
    """A territory given as a folder path or as a slug under territories/."""
    name = name or DEFAULT_TERRITORY
    for candidate in (Path(name), Path.cwd() / "territories" / name, TERRITORIES / name):
        if (candidate / "territory.yaml").is_file():
            return candidate
    known = sorted(p.name for p in TERRITORIES.iterdir() if (p / "territory.yaml").is_file())
    raise UsageError(f'no territory "{name}" — known territories: {", ".join(known)}')


def choose(requested: Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if not requested:
        return list(allowed)
    unknown = [r for r in requested if r not in allowed]
    if unknown:
        raise UsageError(f'unknown {what} "{unknown[0]}" — choose among {", ".join(allowed)}')
    return [a for a in allowed if a in requested]


def input_hashes(territory: Territory) -> dict[str, str]:
    folder = territory.folder
    files = [folder / "territory.yaml", *files_under(folder / "data", folder / "overrides")]
    hashes = {f"territory/{k}": v for k, v in hash_files(files, folder).items()}
    hashes.update(hash_files(files_under(TEMPLATES, CONTENT), ROOT))
    hashes["cil"] = __version__
    return hashes


def updated_manifest(
    path: Path, territory: Territory, year: int, outputs: dict[Path, bytes]
) -> dict[str, object]:
    """The manifest of the output folder: earlier entries kept, rebuilt ones replaced."""
    inputs = input_hashes(territory)
    entries = {}
    if path.is_file():
        try:
            entries = json.loads(path.read_text(encoding="utf-8")).get("outputs", {})
        except (ValueError, AttributeError):
            entries = {}
    entries = {name: e for name, e in entries.items() if (path.parent / name).is_file()}
    for relative, data in outputs.items():
        entries[relative.name] = {"sha256": sha256(data), "inputs": sha256(manifest_bytes(inputs))}
    return {"territory": territory.slug, "year": year, "inputs": inputs, "outputs": entries}


def _meta(territory: Territory, module: ModuleType, year: int) -> render.DocumentMeta:
    settings = territory.config.documents
    return render.DocumentMeta(
        title=module.TITLE,
        organisation=territory.name,
        year=year,
        status=settings.statut,
        author=settings.auteur,
        date=document_date(territory),
    )


def _render_all(
    territory: Territory, year: int, documents: list[str], formats: list[str], scratch: Path
) -> tuple[dict[Path, bytes], list[Gap]]:
    """Every output in memory, keyed by its path relative to the output folder."""
    environment = render.make_environment(search_paths(territory), FILTERS)
    outputs: dict[Path, bytes] = {}
    gaps: list[Gap] = []
    docx_files: dict[Path, Path] = {}
    base = Path(territory.slug) / str(year)
    for name in documents:
        module = DOCUMENTS[name]
        context, found = module.context(territory, year)
        gaps.extend(found)
        markdown = render.render_markdown(environment, module.TEMPLATE, context)
        meta = _meta(territory, module, year)
        target = base / name
        if "md" in formats:
            outputs[target.with_suffix(".md")] = markdown.encode()
        if "html" in formats:
            outputs[target.with_suffix(".html")] = render.markdown_to_html(markdown, meta)
        if "odt" in formats and not render.libreoffice_available():
            outputs[target.with_suffix(".odt")] = render.markdown_to_odt(markdown, meta)
        if {"docx", "pdf", "odt"} & set(formats):
            scratch_docx = scratch / f"{name}.docx"
            scratch_docx.write_bytes(render.markdown_to_docx(markdown, meta))
            docx_files[target] = scratch_docx
    if docx_files and render.libreoffice_available():
        # LibreOffice lays the pages out: PDF and ODT, and the page numbers of each DOCX's TOC.
        wanted = [f for f in ("pdf", "odt") if f in formats]
        converted = render.convert_with_libreoffice(
            list(docx_files.values()), scratch / "lo", wanted
        )
        for target, source in docx_files.items():
            for fmt, path in converted[source].items():
                outputs[target.with_suffix(f".{fmt}")] = path.read_bytes()
    if "docx" in formats:
        for target, source in docx_files.items():
            outputs[target.with_suffix(".docx")] = source.read_bytes()
    return outputs, gaps


def build(
    territory_name: str | None = None,
    documents: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    out: Path = Path("build"),
    year: int | None = None,
) -> BuildResult:
    """Load, check, render every requested output, then write them all atomically."""
    chosen_docs = choose(documents, list(DOCUMENTS), "document")
    chosen_formats = choose(formats, FORMATS, "format")
    skipped: list[str] = []
    if "pdf" in chosen_formats and not render.libreoffice_available():
        if formats:
            raise UsageError(
                "PDF needs LibreOffice (soffice), which is not installed: run make test "
                "once, or apt-get install libreoffice-writer-nogui python3-uno"
            )
        chosen_formats.remove("pdf")
        skipped.append("pdf")
    territory = load_territory(territory_folder(territory_name), year)
    year = territory.year
    with tempfile.TemporaryDirectory(prefix="cil-") as scratch:
        outputs, gaps = _render_all(territory, year, chosen_docs, chosen_formats, Path(scratch))
    manifest_path = out / territory.slug / str(year) / "manifest.json"
    manifest = updated_manifest(manifest_path, territory, year, outputs)
    result = BuildResult(territory, year, gaps=gaps, skipped_formats=skipped)
    for relative, data in sorted(outputs.items()):
        write_atomic(out / relative, data)
        result.written.append(out / relative)
    write_atomic(manifest_path, manifest_bytes(manifest))
    result.written.append(manifest_path)
    return result
