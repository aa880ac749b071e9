"""`cil lint`: build what changed, then proof-read the DOCX and PDF of each document.

A finding names the document, the page (PDF) and the text. Text checks (spaces before signs,
empty columns, columns wholly masked by secrecy, words wider than their cell, repeated
sentences, placeholders) read the DOCX; layout checks (short pages, rows split across pages,
headings alone at a page foot) read the PDF. A placeholder counts only in a document whose
build recorded no gap: the data then holds every value it reads (`cil check` lists the gaps).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.builds.build import build, choose, territory_folder
from generator.builds.manifest import Manifest
from generator.commands import proofing
from generator.commands.proofing import Finding
from generator.documents.common import facts_of
from generator.documents.registry import documents as registered
from generator.territory.load import load_territory

FORMATS = ("docx", "pdf")


@dataclass
class LintResult:
    territory: str
    year: int
    findings: list[Finding] = field(default_factory=list)
    read: list[Path] = field(default_factory=list)  # the files proof-read
    skipped_formats: list[str] = field(default_factory=list)


def lint_files(docx: Path | None, pdf: Path | None, known_gaps: int) -> list[Finding]:
    """Every finding of one document, from its DOCX and (when there is one) its PDF."""
    findings: list[Finding] = []
    word = proofing.read_docx(docx) if docx else proofing.WordText()
    if docx:
        name = docx.name
        findings += proofing.spaces_before_signs(name, word)
        findings += proofing.wide_words(name, word)
        findings += proofing.empty_columns(name, word)
        findings += proofing.masked_columns(name, word)
        findings += proofing.repeated_sentences(name, word)
        findings += proofing.placeholders(name, word, known_gaps)
        findings += proofing.markup_as_text(name, word)
        findings += proofing.straight_apostrophes(name, word)
    if pdf:
        pages = proofing.read_pdf(pdf)
        findings += proofing.short_pages(pdf.name, pages)
        findings += proofing.split_rows(pdf.name, word, pages)
        findings += proofing.orphan_headings(pdf.name, word, pages)
    return findings


def _gaps_by_document(folder: Path, year: int, names: Sequence[str]) -> dict[str, int]:
    """How many gaps each document's build records (its pure part only: nothing rendered)."""
    known = registered()
    territory = load_territory(folder, year)
    facts = facts_of(territory)
    return {
        name: len(known[name].make(territory, facts, year, known[name].accepted({})).gaps)
        for name in names
    }


def lint(
    territory_name: str | None,
    documents: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    out: Path = Path("build"),
    year: int | None = None,
) -> LintResult:
    """Build the chosen documents (only what changed), then proof-read their files."""
    known = registered()
    chosen = choose(documents, list(known), "document")
    wanted = choose(formats, FORMATS, "format")
    # The PDF's checks read the tables and headings of its DOCX: the DOCX is always built.
    built = build(territory_name, chosen, sorted({"docx", *wanted}), out, year)
    folder = territory_folder(territory_name)
    result = LintResult(built.territory, built.year, skipped_formats=built.skipped_formats)
    target = out / built.territory / str(built.year)
    manifest = Manifest.read(target, built.territory, built.year)
    gaps = _gaps_by_document(folder, built.year, chosen)
    for name in chosen:
        outputs = manifest.documents.get(known[name].stem({}), {}).get("outputs", {})
        stems = sorted({Path(o).stem for o in outputs if o.endswith(".docx")})
        for stem in stems:
            docx, pdf = target / f"{stem}.docx", target / f"{stem}.pdf"
            pdf_read = pdf if "pdf" in wanted and pdf.is_file() else None
            result.read += [docx] if "docx" in wanted else []
            result.read += [pdf_read] if pdf_read else []
            findings = lint_files(docx, pdf_read, gaps[name])
            if "docx" not in wanted:
                findings = [f for f in findings if f.document.endswith(".pdf")]
            result.findings += findings
    return result
