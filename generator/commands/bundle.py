"""For transmission: one PDF per sitting, its deliberation followed by the documents it approves.

Each sitting chooses what it approves (column documents of seances); the documents are built (or
found up to date) by `build`, then their PDFs are joined with pypdf: pages and bookmarks in
order, no date and no random file identifier (pypdf writes one only when asked), so the same
parts give the same bundle.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter

from generator.builds.outputs import write_atomic
from generator.documents.deliberation import NAME, file_stem, sittings_of
from generator.errors import UsageError
from generator.messages import _
from generator.territory.load import chosen_year, load_territory, territory_config
from generator.territory.schema import Territory
from generator.territory.sittings import ANNEXES, BILAN, CIA, FRAMEWORK, PPGDID, Sitting

#: The documents attached after a deliberation, by what its sitting approves, in this order. A
#: document cadre travels in the CIA when the CIA states both (a plan of its own name, cia.intitule
#: in territory.yaml); otherwise `cil` does not produce it and it is named in the result.
ATTACHED = {
    PPGDID: ("ppgdid", "annexes-ppgdid"),
    ANNEXES: ("annexes-ppgdid",),
    CIA: ("cia",),
    FRAMEWORK: ("cia",),
    BILAN: ("bilan",),
}
ORDER = ("ppgdid", "annexes-ppgdid", "cia", "bilan")


@dataclass
class Bundles:
    written: list[Path] = field(default_factory=list)
    #: by bundle written: the documents attached after its deliberation
    attached: dict[Path, list[str]] = field(default_factory=dict)
    not_produced: list[str] = field(default_factory=list)


def join_pdfs(parts: list[Path]) -> bytes:
    """The pages of `parts`, in order, in one reproducible PDF."""
    writer = PdfWriter()
    for part in parts:
        writer.append(part)
    joined = io.BytesIO()
    writer.write(joined)
    return joined.getvalue()


def attachments(territory: Territory, sitting: Sitting) -> tuple[list[str], list[str]]:
    """The documents `cil` produces that follow the sitting's deliberation, and those it
    approves that `cil` does not produce (to attach by hand)."""
    merged = bool(territory.config.cia and territory.config.cia.intitule)
    wanted: set[str] = set()
    missing = []
    for chosen in sitting.approves:
        if chosen == FRAMEWORK and not merged:
            missing.append(FRAMEWORK)
            continue
        wanted.update(ATTACHED[chosen])
    return [name for name in ORDER if name in wanted], missing


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

    folder = territory_folder(territory_name)
    territory = load_territory(folder, chosen_year(territory_config(folder), year))
    sittings = {file_stem(territory, s): s for s in sittings_of(territory, territory.year)}
    if sitting:
        wanted = f"deliberation-{sitting.removeprefix('deliberation-')}"
        if wanted not in sittings:
            known = ", ".join(s.removeprefix("deliberation-") for s in sittings) or "none"
            raise UsageError(
                _(
                    'no sitting "{sitting}" in {year} — known: {known}',
                    sitting=sitting,
                    year=territory.year,
                    known=known,
                )
            )
        sittings = {wanted: sittings[wanted]}
    known_documents = documents()
    plans = {stem: attachments(territory, s) for stem, s in sittings.items()}
    needed = {name for attached, _ in plans.values() for name in attached}
    produced = [name for name in ORDER if name in needed and name in known_documents]
    result = build(territory_name, [NAME, *produced], ["pdf"], out, territory.year)
    target_folder = out / result.territory / str(result.year)
    bundles = Bundles()
    for stem, (attached, missing) in plans.items():
        parts = [n for n in attached if n in known_documents]
        files = [known_documents[n].stem({}) for n in parts]
        target = target_folder / f"transmission-{stem.removeprefix('deliberation-')}.pdf"
        pdfs = [target_folder / f"{stem}.pdf", *(target_folder / f"{f}.pdf" for f in files)]
        write_atomic(target, join_pdfs(pdfs))
        bundles.written.append(target)
        bundles.attached[target] = parts
        for name in [*missing, *(n for n in attached if n not in known_documents)]:
            if name not in bundles.not_produced:
                bundles.not_produced.append(name)
    return bundles
