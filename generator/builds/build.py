"""What to build, from which inputs: only what changed, written once everything has rendered.

This module imports only what deciding needs. A no-op rebuild is decided from the manifest
alone: it records what the bundled document types are (names, file stems, formats) for the
tool's version, so that the document types, the territory's pydantic models and the renderers
are imported only when something is to be built (see docs/performance.md).
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import render
from generator.builds.dependencies import tool_fingerprint
from generator.builds.manifest import NAME as MANIFEST
from generator.builds.manifest import Manifest
from generator.builds.outputs import OutputFolder
from generator.errors import OutputError, UsageError
from generator.messages import _
from generator.resources import territories
from generator.territory.yaml_files import YamlProblem, read_yaml

if TYPE_CHECKING:
    from generator.documents.common import Gap
    from generator.documents.contract import DocumentType

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
    #: documents asked for that make none of the formats asked for, with the formats they make
    not_made: dict[str, list[str]] = field(default_factory=dict)


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


def catalogue_of(known: Mapping[str, DocumentType], formats: Sequence[str]) -> dict[str, Any]:
    """What a no-op rebuild needs to know of the document types, recorded in the manifest:
    valid as long as the tool is the same (the document types are part of it)."""
    return {
        "tool": tool_fingerprint(),
        "formats": list(formats),
        "documents": {
            name: {"stem": d.stem({}), "formats": list(d.formats)} for name, d in known.items()
        },
    }


def _year_written(folder: Path) -> int | None:
    """The year territory.yaml gives, read without validating it (None when in doubt): used
    only to find the manifest, whose record of territory.yaml then says if it changed."""
    try:
        settings = read_yaml(folder / "territory.yaml")
    except (YamlProblem, OSError):
        return None
    year = settings.get("annee") if isinstance(settings, dict) else None
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _up_to_date(
    folder: Path,
    documents: Sequence[str] | None,
    formats: Sequence[str] | None,
    out: Path,
    year: int | None,
) -> BuildResult | None:
    """The result of a build that has nothing to do, decided from the manifest alone; None
    when something is to be built or when the manifest cannot tell (the full route decides
    then, and says what is wrong with the request)."""
    year = year if year is not None else _year_written(folder)
    target = out / folder.name / str(year)
    if year is None or not (target / MANIFEST).is_file():
        return None
    if formats is None or "pdf" in formats:
        render.ask_early()  # whether LibreOffice is installed: found while the outputs are checked
    with OutputFolder(target):  # a build of the same folder under way finishes first
        manifest = Manifest.read(target, folder.name, year)
        catalogue = manifest.catalogue or {}
        if catalogue.get("tool") != tool_fingerprint():
            return None
        known: dict[str, dict[str, Any]] = catalogue["documents"]
        allowed: list[str] = catalogue["formats"]
        if any(d not in known for d in documents or ()) or any(
            f not in allowed for f in formats or ()
        ):
            return None
        chosen_docs = choose(documents, list(known), "document")
        chosen_formats = choose(formats, allowed, "format")
        skipped = []
        if "pdf" in chosen_formats and not render.libreoffice_available():
            if formats:
                return None
            chosen_formats.remove("pdf")
            skipped.append("pdf")
        tools, seen = _Tools(), dict[str, str]()
        not_made = {}
        for name in chosen_docs:
            made = [f for f in chosen_formats if f in known[name]["formats"]]
            if not made:
                not_made[name] = list(known[name]["formats"])
            elif not manifest.is_up_to_date(known[name]["stem"], made, folder, tools, seen):
                return None
    up_to_date = [d for d in chosen_docs if d not in not_made]
    return BuildResult(
        folder.name, year, skipped_formats=skipped, up_to_date=up_to_date, not_made=not_made
    )


def set_imports_apart() -> None:
    """For a process that builds and ends (the command line): the first build's imports (the
    document types, pydantic models, Jinja...) make many objects that live as long as the
    process, which Python's collector would go through again at each full collection: a sixth
    of 13 deliberations' CPU time. From now on, the collector pauses while they are made and
    they are then set apart from its scans (`gc.freeze`), once per process. Not for a server:
    what is set apart is never collected, and `gc.get_referrers` no longer sees it."""
    _Imports.set_apart = True


class _Imports:
    set_apart = False
    done = False


@contextmanager
def _imports_uncollected() -> Iterator[None]:
    """See `set_imports_apart`."""
    if not _Imports.set_apart or _Imports.done or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        _Imports.done = True
        gc.freeze()
        gc.enable()


class _Tools:
    """The tools installed, asked only when an output was recorded as made without one:
    knowing whether LibreOffice is installed costs a process start."""

    def __contains__(self, tool: object) -> bool:
        return tool == "libreoffice" and render.libreoffice_available()


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
    folder = territory_folder(territory_name)
    if registry is None and not force and not options:
        done = _up_to_date(folder, documents, formats, out, year)
        if done is not None:
            return done
    with _imports_uncollected():
        from generator.builds.rendering import FULL, render_all
        from generator.documents.contract import FORMATS
        from generator.documents.registry import documents as registered
        from generator.territory.load import chosen_year, territory_config

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
    year = chosen_year(territory_config(folder), year)
    target = out / folder.name / str(year)
    with OutputFolder(target) as output:  # created and locked before anything is rendered
        manifest = Manifest.read(target, folder.name, year)
        stems = {d: known[d].stem(options or {}) for d in chosen_docs}
        tools, seen = _Tools(), dict[str, str]()
        todo = [
            d
            for d in chosen_docs
            if (made := known[d].produced(chosen_formats))
            and (force or not manifest.is_up_to_date(stems[d], made, folder, tools, seen))
        ]
        result = BuildResult(folder.name, year, skipped_formats=skipped, rebuilt=todo)
        result.not_made = {
            d: list(known[d].formats) for d in chosen_docs if not known[d].produced(chosen_formats)
        }
        result.up_to_date = [d for d in chosen_docs if d not in todo and d not in result.not_made]
        if not todo:
            return result
        try:
            rendered = render_all(folder, year, known, todo, stems, chosen_formats, options or {})
        except OSError as error:
            if error.errno not in FULL:
                raise
            raise OutputError(
                _(
                    "cannot write temporary files to {folder}: {reason} — free some space there "
                    "or set TMPDIR to a folder with space, then build again\nnothing was "
                    "written: the previous outputs are unchanged.",
                    folder=tempfile.gettempdir(),
                    reason=error.strerror,
                )
            ) from error
        files: list[tuple[str, bytes]] = []
        for name, item in rendered.items():
            result.gaps.extend(item.gaps)
            result.warnings.extend(item.warnings)
            made_without = {"libreoffice": item.without_libreoffice}
            manifest.record(name, item.inputs, item.outputs, made_without)
            files.extend(sorted(item.outputs.items()))
        manifest.catalogue = catalogue_of(known, FORMATS) if registry is None else None
        result.written = output.commit(files, (manifest.path.name, manifest.to_bytes()))
    return result
