"""What the rendering keeps between documents (compiled templates, parsed blocks) changes no
output and follows the files it was made from."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from generator.documents import common
from generator.render import docx_template
from generator.render.docx_template import WordTemplate
from generator.render.meta import DocumentMeta
from generator.render.templates import Sandbox
from generator.render.zipfix import zip_entries

META = DocumentMeta("Délibération", "Commune de Cornas", 2025, "Délibération", "Mairie", "mars")


def test_a_sandbox_compiles_a_source_once_and_renders_it_for_each_context():
    env = Sandbox(undefined=jinja2.StrictUndefined)
    first = env.from_string("{{ commune }} ({{ n * 2 }})")
    again = env.from_string("{{ commune }} ({{ n * 2 }})")
    assert again is first
    assert [first.render(commune=c, n=n) for c, n in (("Cornas", 1), ("Soyons", 2))] == [
        "Cornas (2)",
        "Soyons (4)",
    ]


def test_a_kept_template_follows_the_environment_s_autoescape():
    env = Sandbox()
    plain = env.from_string("{{ x }}").render(x="<b>")
    env.autoescape = True  # docxtpl sets it on the environment it is given
    assert (plain, env.from_string("{{ x }}").render(x="<b>")) == ("<b>", "&lt;b&gt;")


def test_the_sandbox_still_refuses_what_it_refused_once_kept():
    env = Sandbox()
    template = env.from_string("{{ 'ab' * n }}")
    assert template.render(n=2) == "abab"
    for _ in range(2):
        with pytest.raises(jinja2.exceptions.SecurityError):
            env.from_string("{{ 'ab' * n }}").render(n=10**7)
    assert env.from_string("{{ 'ab' * n }}") is template


def _territory(folder: Path) -> SimpleNamespace:
    return SimpleNamespace(folder=folder, reads=set())


def test_a_content_block_read_twice_is_a_copy_and_follows_an_edit(tmp_path):
    block = tmp_path / "overrides" / "blocs" / "essai.yaml"
    block.parent.mkdir(parents=True)
    block.write_text("visas:\n  - un\n", encoding="utf-8")
    territory: object = _territory(tmp_path)
    first = common.load_content(territory, "blocs/essai.yaml")  # type: ignore[arg-type]
    first["visas"].append("ajouté par un lecteur")
    assert common.load_content(territory, "blocs/essai.yaml") == {"visas": ["un"]}  # type: ignore[arg-type]
    block.write_text("visas:\n  - un\n  - deux\n", encoding="utf-8")
    assert common.load_content(territory, "blocs/essai.yaml") == {  # type: ignore[arg-type]
        "visas": ["un", "deux"]
    }


def _word_template(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("Séance de {{ commune }} : {{ votes }} voix")
    document.sections[0].header.paragraphs[0].text = "{{ commune }}"
    document.save(str(path))
    return path


def test_a_word_template_writes_the_files_python_docx_would_save(tmp_path, monkeypatch):
    path = _word_template(tmp_path / "modele.docx")
    contexts = [{"commune": "Cornas", "votes": 12}, {"commune": "Soyons & Co", "votes": 3}]
    template = WordTemplate(path, {})
    fast = [template.render(context, META) for context in contexts]

    def saved(package: object) -> dict[str, bytes]:
        buffer = io.BytesIO()
        package.save(buffer)  # type: ignore[attr-defined]
        return zip_entries(buffer.getvalue())

    monkeypatch.setattr(docx_template, "_package_entries", saved)
    assert [WordTemplate(path, {}).render(context, META) for context in contexts] == fast
    body = zip_entries(fast[1])["word/document.xml"].decode()
    assert "Soyons &amp; Co" in body and "Cornas" not in body


def test_the_heavy_parts_left_out_of_python_docx_come_back_unchanged(tmp_path, monkeypatch):
    from generator.builds.build import build
    from generator.resources import TEMPLATES

    light = WordTemplate(TEMPLATES / "deliberation" / "deliberation.docx", {})
    assert "word/styles.xml" in light._kept  # 350 kB of styles, not read for each document
    assert b"w:style " not in zip_entries(light._source)["word/styles.xml"]

    def deliberations(out: Path) -> dict[str, bytes]:
        build("cc-rhone-crussol", ["deliberations"], ["docx"], out=out, force=True)
        return {p.name: p.read_bytes() for p in sorted(out.rglob("*.docx"))}

    made = deliberations(tmp_path / "light")
    monkeypatch.setattr(docx_template, "_HEAVY", 10**9)
    assert made and deliberations(tmp_path / "whole") == made
