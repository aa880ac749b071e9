"""A document is a plug-in: discovered from its module, built through one contract."""

from __future__ import annotations

import ast
import importlib
import shutil
from pathlib import Path

from generator.builds.build import build
from generator.documents.common import facts_of
from generator.documents.registry import discover, documents
from generator.territory.load import load_territory
from tests.conftest import EXAMPLE, ROOT

TOY = "tests.fixtures.toy_documents"


def test_the_bundled_documents_are_discovered_in_reading_order():
    assert list(documents()) == ["annexes-ppgdid", "ppgdid", "cia", "bilan", "deliberations"]


def test_a_toy_document_from_one_module_and_one_template_folder_builds(tmp_path):
    registry = discover(TOY)
    assert list(registry) == ["toy"]
    result = build(str(EXAMPLE), formats=["md", "html"], out=tmp_path, registry=registry)
    folder = tmp_path / "cc-rhone-crussol" / str(result.year)
    text = (folder / "toy.md").read_text(encoding="utf-8")
    assert text.startswith("# Document jouet de Communauté de communes Rhône Crussol")
    assert "les attributions sont connues pour" in text
    assert (folder / "toy.png").read_bytes() == b"not really a picture"
    assert "Document jouet" in (folder / "toy.html").read_text(encoding="utf-8")
    assert result.rebuilt == ["toy"]


def test_a_document_reads_the_same_whatever_was_made_before_it():
    territory = load_territory(EXAMPLE)
    facts = facts_of(territory.recording())
    annexes, cia = documents()["annexes-ppgdid"], documents()["cia"]
    alone = territory.recording()
    annexes.make(alone, facts, territory.year, {})
    after = territory.recording()
    cia.make(territory.recording(), facts, territory.year, {})
    annexes.make(after, facts, territory.year, {})
    assert alone.reads == after.reads
    assert ("table", "guichets") in alone.reads
    assert ("table", "attributions") not in alone.reads


def test_no_document_module_imports_another():
    modules = {d.make.__module__ for d in documents().values()}
    for name in modules:
        tree = ast.parse(Path(importlib.import_module(name).__file__).read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        assert not (imported & (modules - {name})), name


def test_editing_a_plug_in_template_rebuilds_its_document(tmp_path, monkeypatch):
    package = tmp_path / "plugins" / "toy_copy"
    shutil.copytree(ROOT / "tests" / "fixtures" / "toy_documents", package)
    monkeypatch.syspath_prepend(str(package.parent))
    registry = discover("toy_copy")
    out = tmp_path / "out"
    build(str(EXAMPLE), formats=["md"], out=out, registry=registry)
    assert build(str(EXAMPLE), formats=["md"], out=out, registry=registry).rebuilt == []
    template = package / "templates" / "toy" / "document.md.j2"
    template.write_text(template.read_text("utf-8") + "\nFin.\n", "utf-8")
    assert build(str(EXAMPLE), formats=["md"], out=out, registry=registry).rebuilt == ["toy"]
