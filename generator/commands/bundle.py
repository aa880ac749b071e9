"""For transmission: one PDF per sitting, its deliberation followed by the documents it approves.

The documents are built (or found up to date) by `build`, then their PDFs are joined with
pypdf: pages and bookmarks in order, no date and no random file identifier (pypdf writes one only
when asked), so the same parts give the same bundle.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter

from generator.builds.outputs import write_atomic
from generator.documents.deliberation import NAME, file_stem, sittings_of
from generator.errors import UsageError
from generator.territory.load import load_territory

#: The documents a deliberation approves, in the order they follow it; those `cil` does not
#: produce yet are named in the result.
APPROVED = ("ppgdid", "annexes-ppgdid", "cia")


@dataclass
class Bundles:
    written: list[Path] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)
    not_produced: list[str] = field(default_factory=list)


def join_pdfs(parts: list[Path]) -> bytes:
    """The pages of `parts`, in order, in one reproducible PDF."""
    writer = PdfWriter()
    for part in parts:
        writer.append(part)
    joined = io.BytesIO()
    writer.write(joined)
    return joined.getvalue()


def bundle(
    territory_name: str | None,
    sitting: str | None = None,
    out: Path = Path("build"),
    year: int | None = None,
) -> Bundles:
    """transmission-<commune>-<date>.pdf for the sitting named like its deliberation
    (« cornas-2025-03-17 »), or for every sitting of the year."""
    from generator.builds.build import build, territory_folder
    from generator.documents.registry import documents

    approved = [name for name in APPROVED if name in documents()]
    result = build(territory_name, [NAME, *approved], ["pdf"], out, year)
    territory = load_territory(territory_folder(territory_name), result.year)
    stems = [file_stem(territory, s) for s in sittings_of(territory, result.year)]
    if sitting:
        chosen = [s for s in stems if s == f"deliberation-{sitting.removeprefix('deliberation-')}"]
        if not chosen:
            known = ", ".join(s.removeprefix("deliberation-") for s in stems) or "none"
            raise UsageError(f'no sitting "{sitting}" in {result.year} — known: {known}')
        stems = chosen
    folder = out / result.territory / str(result.year)
    bundles = Bundles(attached=approved, not_produced=[n for n in APPROVED if n not in approved])
    for stem in stems:
        parts = [folder / f"{stem}.pdf", *(folder / f"{name}.pdf" for name in approved)]
        target = folder / f"transmission-{stem.removeprefix('deliberation-')}.pdf"
        write_atomic(target, join_pdfs(parts))
        bundles.written.append(target)
    return bundles
