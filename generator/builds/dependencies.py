"""What an output was made from, and whether it is still up to date.

A document records what it read while it was built — tables, content blocks, templates — by
name, not by file: a name is resolved again at each check, so that an override or a year folder
added since the last build also counts as a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from generator import __version__
from generator.builds.outputs import sha256
from generator.resources import CONTENT, EXAMPLES, PACKAGE, ROOT, TEMPLATES
from generator.territory.columns import CellError
from generator.territory.table_paths import table_file

TOOL_SUFFIXES = {".py", ".lua", ".gz", ".json"}


def _code_files(package: Path, data: tuple[Path, ...]) -> list[Path]:
    """The files of the package that make its behaviour: code, filters, reference data. The
    templates, content and examples are hashed by name, as each document reads them; in a
    checkout they sit beside the package, in a wheel inside it (generator/_data)."""
    code = [p for p in package.rglob("*") if p.suffix in TOOL_SUFFIXES and p.is_file()]
    return sorted(p for p in code if not any(p.is_relative_to(d) for d in data))


@cache
def tool_fingerprint() -> str:
    """The tool's own version: its release and the code and house style it runs with."""
    files = _code_files(PACKAGE, (TEMPLATES, CONTENT, EXAMPLES))
    files.append(TEMPLATES / "reference.docx")
    shown = PACKAGE.parent
    digest = [__version__] + [f"{p.relative_to(shown)} {sha256(p.read_bytes())}" for p in files]
    return sha256("\n".join(digest).encode())


def _resolve(kind: str, name: str, folder: Path, year: int) -> Path | None:
    overrides = folder / "overrides"
    if kind == "file":  # a plug-in document's own template, outside templates/: by path
        return Path(name)
    if kind == "default":  # a default block that an override is laid over
        return CONTENT / name
    if kind == "table":
        try:
            return table_file(folder / "data", name, year)
        except CellError:
            return folder / "data"  # ambiguous: hashed as a folder, so never up to date
    roots = [overrides, CONTENT] if kind == "content" else [overrides, TEMPLATES, CONTENT]
    return next((root / name for root in roots if (root / name).is_file()), None)


def _fingerprint(path: Path | None, folder: Path) -> str:
    if path is None or not path.is_file():
        return "absent" if path is None else "changed"
    shown = next(
        (path.relative_to(root) for root in (folder, ROOT) if path.is_relative_to(root)), path
    )
    return f"{shown.as_posix()} {sha256(path.read_bytes())}"


def snapshot(
    folder: Path,
    year: int,
    reads: Iterable[tuple[str, str]],
    seen: dict[str, str] | None = None,
) -> dict[str, str]:
    """Current fingerprint of every input named in `reads`, plus configuration and tool.

    `seen`: fingerprints already taken during the same check, by key (the documents of a
    build read many of the same inputs)."""
    seen = {} if seen is None else seen
    inputs = {}
    for kind, name in sorted(set(reads)):
        key = f"{kind}:{name}"
        if key not in seen:
            seen[key] = _fingerprint(_resolve(kind, name, folder, year), folder)
        inputs[key] = seen[key]
    inputs["config"] = _fingerprint(folder / "territory.yaml", folder)
    inputs["tool"] = tool_fingerprint()
    return inputs


def is_current(
    recorded: dict[str, str], folder: Path, year: int, seen: dict[str, str] | None = None
) -> bool:
    reads = [tuple(key.split(":", 1)) for key in recorded if ":" in key]
    return snapshot(folder, year, reads, seen) == recorded  # type: ignore[arg-type]
