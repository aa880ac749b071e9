"""Every document of the bundled territories, built once (DOCX, PDF, HTML, Markdown): French
typography throughout, and what the linter (`cil lint`) still finds in them."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator.builds.build import build, known_territories
from generator.commands.lint import lint
from generator.render import libreoffice_available
from generator.render.typography import _MARKUP, ordinals

BREAKABLE_BEFORE_SIGN = re.compile(r"[ \t](?=[;:!?%»])|«[ \t]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def bundled_builds(tmp_path_factory) -> list[Path]:
    """Every file built for every bundled territory (PDF only with LibreOffice)."""
    out = tmp_path_factory.mktemp("bundled")
    formats = ["docx", "html", "md"] + (["pdf"] if libreoffice_available() else [])
    written = []
    for name in known_territories():
        written += build(name, formats=formats, out=out).written
    return written


def docx_texts(data: bytes) -> list[str]:
    """The text of every paragraph of a DOCX: body, tables, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if re.match(r"word/(document|header|footer)", n)]
        roots = [etree.fromstring(archive.read(n)) for n in parts]
    return [
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        for root in roots
        for p in root.iter(f"{{{W}}}p")
    ]


def html_texts(data: bytes) -> list[str]:
    tree = etree.HTML(data)
    for node in tree.xpath("//style|//script|//code"):
        node.getparent().remove(node)
    return ["".join(tree.itertext())]


def markdown_texts(data: bytes) -> list[str]:
    """Text of the Markdown without markup (attributes, code, targets) and without a line's
    own leading spaces."""
    text = _MARKUP.sub(lambda m: m[0] if m["escape"] else "", data.decode())
    return text.splitlines()


@pytest.mark.e2e
def test_no_breakable_space_before_a_sign_in_any_bundled_document(bundled_builds):
    readers = {".docx": docx_texts, ".html": html_texts, ".md": markdown_texts}
    found, files = [], 0
    for path in bundled_builds:
        if path.suffix not in readers:
            continue
        files += 1
        for text in readers[path.suffix](path.read_bytes()):
            for match in BREAKABLE_BEFORE_SIGN.finditer(text):
                at = match.start()
                found.append(f"{path.name}: …{text[max(0, at - 30) : at + 10]}…")
    assert files >= 3 * 4
    assert not found, "\n".join(found[:30])


@pytest.mark.e2e
def test_every_heading_of_the_markdown_stands_apart_from_the_text_above(bundled_builds):
    """pandoc reads a heading glued to the line above as text of that paragraph."""
    glued = []
    for path in (p for p in bundled_builds if p.suffix == ".md"):
        lines = path.read_text(encoding="utf-8").splitlines()
        glued += [
            f"{path.name}:{n + 1}: {line}"
            for n, line in enumerate(lines)
            if n and re.match(r"#{1,6} ", line) and lines[n - 1].strip()
        ]
    assert not glued, glued


@pytest.mark.e2e
def test_ordinals_are_superscript_wherever_they_are(bundled_builds):
    raised, flat = [], []
    for path in (p for p in bundled_builds if p.suffix == ".docx"):
        for paragraph in docx.Document(str(path)).paragraphs:
            for run in paragraph.runs:
                if run.font.superscript:
                    raised.append(run.text)
                elif ordinals(run.text):
                    flat.append(f"{path.name}: {run.text}")
    assert "er" in raised  # « l’article 1er de la loi n° 89-462 »
    assert not flat, flat[:10]


@pytest.mark.libreoffice
def test_the_linter_finds_nothing_in_the_bundled_documents(bundled_builds):
    out = bundled_builds[0].parents[2]
    findings, counts = [], Counter()
    for name in known_territories():
        result = lint(name, out=out)  # up to date: proof-reads what the fixture built
        assert len(result.read) >= 8
        findings += result.findings
        counts.update((f.kind, f"{name}/{f.document}") for f in result.findings)
    print("\n".join(f"{n:4} {kind}: {document}" for (kind, document), n in sorted(counts.items())))
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(map(str, findings[:40]))
