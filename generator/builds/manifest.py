"""manifest.json of an output folder: each document, its outputs and the inputs they came from."""

from __future__ import annotations

import json
from collections.abc import Collection, Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.builds.dependencies import is_current
from generator.builds.outputs import manifest_bytes, sha256

NAME = "manifest.json"


@dataclass
class Manifest:
    path: Path
    territory: str
    year: int
    documents: dict[str, dict[str, Any]]
    #: The document types of the build that wrote it, for the tool that wrote it: what a no-op
    #: rebuild needs to know without importing them (see `builds.build.catalogue_of`).
    catalogue: dict[str, Any] | None = None

    @classmethod
    def read(cls, folder: Path, territory: str, year: int) -> Manifest:
        path = folder / NAME
        documents: dict[str, dict[str, Any]] = {}
        catalogue = None
        if path.is_file():
            try:
                recorded = json.loads(path.read_text(encoding="utf-8"))
                documents = dict(recorded["documents"])
                catalogue = _checked_catalogue(recorded.get("catalogue"))
            except (ValueError, KeyError, TypeError, AttributeError):
                documents = {}  # an unreadable manifest only means: rebuild everything
        return cls(path, territory, year, documents, catalogue)

    def is_up_to_date(
        self,
        document: str,
        formats: list[str],
        territory_folder: Path,
        tools: Container[str] = (),
        seen: dict[str, str] | None = None,
    ) -> bool:
        """True when every requested output exists unchanged and no input has changed since.

        A file whose hash is not the manifest's (one a build moved into place before it was
        interrupted, one edited by hand) is out of date; so is an output made without one of
        `tools` (the tools available now: LibreOffice fills a TOC's page numbers, makes ODT).
        `seen`: the inputs' fingerprints taken since the check of the build began."""
        entry = self.documents.get(document)
        if not entry:
            return False
        for tool, names in dict(entry.get("made_without", {})).items():
            if tool in tools and any(Path(n).suffix.lstrip(".") in formats for n in names):
                return False
        outputs: dict[str, str] = entry.get("outputs", {})
        present = {Path(name).suffix.lstrip(".") for name in outputs}
        if not set(formats) <= present:
            return False
        for name, digest in outputs.items():
            if Path(name).suffix.lstrip(".") not in formats:
                continue
            file = self.path.parent / name
            if not file.is_file() or sha256(file.read_bytes()) != digest:
                return False
        return is_current(entry.get("inputs", {}), territory_folder, self.year, seen)

    def record(
        self,
        document: str,
        inputs: dict[str, str],
        outputs: dict[str, bytes],
        made_without: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        """Replace a document's entry; outputs of other formats built earlier stay listed.

        `made_without`: by tool, the outputs that tool would have made differently (recorded
        only when there are some, so that the manifest of a build with every tool is as
        before)."""
        previous = self.documents.get(document, {})
        kept = {}
        without: dict[str, set[str]] = {}
        if previous.get("inputs") == inputs:
            kept = {n: d for n, d in previous.get("outputs", {}).items() if n not in outputs}
            for tool, names in dict(previous.get("made_without", {})).items():
                without[tool] = {n for n in names if n in kept}
        for tool, names in (made_without or {}).items():
            without.setdefault(tool, set()).update(names)
        kept.update({name: sha256(data) for name, data in outputs.items()})
        entry: dict[str, Any] = {"inputs": inputs, "outputs": dict(sorted(kept.items()))}
        if any(without.values()):
            entry["made_without"] = {t: sorted(n) for t, n in sorted(without.items()) if n}
        self.documents[document] = entry

    def to_bytes(self) -> bytes:
        recorded = {"territory": self.territory, "year": self.year, "documents": self.documents}
        if self.catalogue is not None:
            recorded["catalogue"] = self.catalogue
        return manifest_bytes(recorded)


def _checked_catalogue(catalogue: Any) -> dict[str, Any] | None:
    """The recorded catalogue when it has the expected shape (a hand-edited manifest may not):
    None only means that the document types are imported to know them."""
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("formats"), list):
        return None
    documents = catalogue.get("documents")
    if not isinstance(documents, dict):
        return None
    for entry in documents.values():
        if not isinstance(entry, dict) or not isinstance(entry.get("stem"), str):
            return None
        if not isinstance(entry.get("formats"), list):
            return None
    return catalogue
