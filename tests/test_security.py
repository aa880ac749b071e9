"""Hostile inputs (issue 16, security): data renders literally, overrides and Word templates run
in a sandbox and stay inside their territory. The trust levels are in docs/security.md."""

from __future__ import annotations

import base64
import csv
import html as html_module
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.cli import main

from .test_deliberation_template import edit_template

#: Reaches `os` through a Jinja global: runs a command in an unsandboxed environment.
ESCAPE = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.output


def override(folder: Path, relative: str, text: str) -> Path:
    target = folder / "overrides" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def test_an_override_block_cannot_reach_python(territory_copy, tmp_path):
    marker = tmp_path / "ran"
    override(territory_copy, "blocs/bilan-avertissement.md.j2", "Avis.\n\n" + ESCAPE % marker)
    code, output = run("check", str(territory_copy))
    assert code == 1
    assert "blocs/bilan-avertissement.md.j2, line 3" in output
    assert "unsafe operation" in output
    assert "Traceback" not in output
    assert not marker.exists()


def test_an_override_cannot_reach_the_internals_of_its_data(territory_copy):
    override(territory_copy, "blocs/bilan-avertissement.md.j2", "{{ annee.__class__ }}\n")
    code, output = run("check", str(territory_copy))
    assert code == 1
    assert "unsafe operation" in output


def test_the_word_template_cannot_reach_python(territory_copy, tmp_path):
    marker = tmp_path / "ran"
    edit_template(territory_copy, "{{ seance.date }}", ESCAPE % marker)
    for command in ("check", "build"):
        out = tmp_path / "out"
        extra = ["--doc", "deliberations", "--format", "docx", "--out", str(out)]
        code, output = run(command, str(territory_copy), *(extra if command == "build" else []))
        assert code == 1, output
        assert "overrides/deliberation/deliberation.docx" in output
        assert "unsafe operation" in output
        assert "Traceback" not in output
        assert not marker.exists()
        assert not list(out.rglob("*.docx"))


def test_the_word_template_sandbox_also_guards_the_rendering(tmp_path):
    from generator.errors import TemplateError
    from generator.render.docx_template import render_word_template
    from generator.render.meta import DocumentMeta

    template = tmp_path / "t.docx"
    document = docx.Document()
    document.add_paragraph("{{ x.__class__.__mro__ }}")
    document.save(template)
    meta = DocumentMeta(title="t", organisation="o", year=2025, status="s", author="a", date="d")
    with pytest.raises(TemplateError, match="unsafe operation"):
        render_word_template(template, {"x": 1}, {}, meta)


def test_a_deliberation_article_text_cannot_reach_python(territory_copy):
    from generator.documents.common import CONTENT

    blocks = CONTENT / "blocs" / "deliberation-textes.yaml"
    text = blocks.read_text(encoding="utf-8")
    hostile = text.replace("{{ signataire }}", "{{ signataire.__class__.__mro__ }}")
    assert hostile != text
    override(territory_copy, "blocs/deliberation-textes.yaml", hostile)
    code, output = run("check", str(territory_copy))
    assert code == 1, output
    assert "overrides/blocs/deliberation-textes.yaml" in output
    assert "unsafe operation" in output and "Traceback" not in output


def test_an_include_cannot_climb_out_of_the_template_folders(territory_copy):
    include = '{% include "../../../../../../../../etc/passwd" %}\n'
    override(territory_copy, "blocs/bilan-avertissement.md.j2", include)
    code, output = run("check", str(territory_copy))
    assert code == 1
    assert "blocs/bilan-avertissement.md.j2" in output
    assert "root:" not in output and "Traceback" not in output


# --- Data is untrusted: every payload renders literally ------------------------------------

#: Each one is harmless only if it is shown as text: markup, raw output, paths, math, templates.
PAYLOADS = [
    "PIA 2025\n\n<script>alert(document.domain)</script>",
    '<img src="/etc/passwd"> <iframe src="file:///etc/passwd"></iframe>',
    '"}{=html} `<b>raw</b>`{=html} {width=1cm alt="x"}',
    "![fuite](/etc/passwd) [lien](file:///etc/passwd) <https://example.org>",
    "a | b | c",
    "$x^2$ et $\\frac{1}{2}$ et $\\foo{$",
    "{{ 7 * 7 }} {% if true %}oui{% endif %} {# rien #}",
    '<w:t xml:space="preserve">OpenXML</w:t>',
    "# titre\n- liste\n> citation\n\n```\ncode\n```",
    "\\ \\\\ \\n & &amp; &lt;",
]
#: Control characters never reach a document: reading refuses them (and escaping strips them).
CONTROL = "cloche\x07 nul\x00 échap\x1b[31m fin"
#: Text that must appear, as typed, in every document that shows the cell.
LITERAL = ["{{ 7 * 7 }}", "$x^2$", "<w:t", "a | b | c", "![fuite](/etc/passwd)"]

#: (table, column, row number of the data rows) cells that documents show as free text.
CELLS = [
    ("demandes.csv", "source", 0),
    ("attributions_agregees.csv", "source", 0),
    ("roles_partenaires.csv", "role", 0),
    ("actions_ppgdid.csv", "action", 0),
    ("services_sociaux.csv", "nom", 0),
]


def plant(folder: Path, payload: str) -> None:
    """`payload` in every cell of CELLS, the tables otherwise unchanged."""
    for table, column, row in CELLS:
        path = folder / "data" / table
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        rows[row + 1][rows[0].index(column)] = payload
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)


def _data_uris_are_our_pngs(html: str) -> None:
    embedded = html.replace("img-src data:", "")  # the policy names the scheme, embeds nothing
    for kind, data in re.findall(r"data:([^;,\"']*)[;,](?:base64,)?([A-Za-z0-9+/=]*)", embedded):
        assert kind == "image/png", kind
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.e2e
def test_hostile_cells_render_literally_in_every_format(territory_copy, tmp_path):
    plant(territory_copy, "\n\n".join(PAYLOADS))
    out = tmp_path / "out"
    code, output = run("build", str(territory_copy), "--format", "docx,html,md", "--out", str(out))
    assert code == 0, output
    assert "Traceback" not in output
    htmls = list(out.rglob("*.html"))
    assert {p.stem for p in htmls} >= {"bilan", "cia", "ppgdid", "annexes-ppgdid"}
    for path in htmls:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html and "<iframe" not in html, path.name
        assert "<b>raw" not in html and "root:" not in html, path.name
        assert 'http-equiv="Content-Security-Policy"' in html
        _data_uris_are_our_pngs(html)
    bilan = next(p for p in htmls if p.stem == "bilan").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(document.domain)&lt;/script&gt;" in bilan
    figure = bilan.split("<figure>")[1].split("</figure>")[0]
    assert figure.count("<img") == 1 and figure.count(' alt="') == 1
    alt = html_module.unescape(re.search(r' alt="([^"]*)"', figure)[1])
    for literal in (
        *LITERAL,
        "<script>alert(document.domain)</script>",
        '"}{=html}',
        "& &amp; &lt;",
    ):
        assert literal in alt, literal
    for path in out.rglob("*.docx"):
        text = _docx_text(path)
        if "{{ 7 * 7 }}" in text:
            for literal in LITERAL:
                assert literal in text, (path.name, literal)
    for name in ("bilan", "annexes-ppgdid"):
        text = _docx_text(next(out.rglob(f"{name}.docx")))
        assert "{{ 7 * 7 }}" in text and "<script>alert(document.domain)</script>" in text


def test_control_characters_in_a_cell_are_refused_where_they_are(territory_copy):
    plant(territory_copy, CONTROL)
    code, output = run("check", str(territory_copy))
    assert code == 1
    for table, column, _ in CELLS:
        assert f'{table}, row 2, column "{column}"' in output, table
    assert output.count("control character (U+0007)") == len(CELLS)
    assert "Traceback" not in output


def _docx_text(path: Path) -> str:
    """Every text of the document as python-docx reads it (opening it proves it is valid)."""
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_an_attribute_value_stays_one_quoted_line():
    from generator.render import attribute

    assert attribute('a\n\n<b>"x"</b>\\ &lt;\x07') == 'a <b>\\"x\\"</b>\\\\ &amp;lt;'
    assert attribute("15,0\u202f%\u2028fin") == "15,0\u202f% fin"


@pytest.mark.parametrize("target", ["/etc/passwd", "../x.png", "file:///x.png", "a b.png", ""])
def test_a_figure_shows_only_a_file_name_of_the_build(target):
    from generator.render import image

    with pytest.raises(ValueError, match="build's own images"):
        image(target, "Titre", "Texte", "16cm")


def test_charts_draw_dollars_and_control_characters_from_the_data_as_text():
    from generator.render import charts

    from .test_charts import WORDS

    chart = charts.counts_by_group(
        "c.png",
        "Attributions par commune",
        ["$\\foo{$", "Bourg\x07\nNord"],
        [3, 4],
        "$x^2$\x00",
        words=WORDS,
    )
    assert chart.png.startswith(b"\x89PNG")
    assert "$x^2$" in chart.alt


def test_the_bilan_workbook_keeps_data_text_as_text(tmp_path):
    import openpyxl

    from generator.documents.bilan_workbook import workbook_bytes
    from generator.indicators.allocations import Column, IndicatorTable

    hostile = '=HYPERLINK("http://example.org","x")'
    table = IndicatorTable(
        "t", "Titre", [Column("Commune", "text")], [[hostile], ["nul\x00 cloche\x07"]], [hostile]
    )
    path = tmp_path / "b.xlsx"
    words = {"lisez_moi": "Lisez-moi", "source": "Source : {source}"}
    path.write_bytes(workbook_bytes([table], ["=1+1"], 2025, "Bilan", words))
    workbook = openpyxl.load_workbook(path)
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    assert {hostile, "nul cloche", "=1+1", f"Source : {hostile}"} <= values


# --- Overrides stay inside their territory ---------------------------------------------------


def test_an_override_linked_outside_its_folder_is_refused(territory_copy, tmp_path):
    secret = tmp_path / "secret.md.j2"
    secret.write_text("SECRET-CONTENT\n", encoding="utf-8")
    link = territory_copy / "overrides" / "blocs" / "bilan-avertissement.md.j2"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)
    code, output = run("check", str(territory_copy))
    assert code == 1
    assert "overrides/blocs/bilan-avertissement.md.j2" in output
    assert "outside" in output and "refused" in output
    assert "SECRET-CONTENT" not in output


def test_a_content_block_linked_outside_is_refused(territory_copy, tmp_path):
    from generator.documents.common import CONTENT
    from generator.errors import DataErrors
    from generator.territory.load import load_territory

    secret = tmp_path / "secret.yaml"  # a valid block: only its place is wrong
    secret.write_bytes((CONTENT / "blocs" / "deliberation-textes.yaml").read_bytes())
    link = territory_copy / "overrides" / "blocs" / "deliberation-textes.yaml"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)
    with pytest.raises(DataErrors, match="outside the territory folder") as refused:
        load_territory(territory_copy)
    assert "deliberation-textes.yaml" in refused.value.report()


def test_a_word_template_linked_outside_is_refused(territory_copy, tmp_path):
    from generator.documents.common import TEMPLATES
    from generator.documents.deliberation import template_paths
    from generator.errors import TemplateError
    from generator.territory.load import load_territory

    elsewhere = tmp_path / "elsewhere.docx"
    elsewhere.write_bytes((TEMPLATES / "deliberation" / "deliberation.docx").read_bytes())
    link = territory_copy / "overrides" / "deliberation" / "deliberation.docx"
    link.parent.mkdir(parents=True)
    link.symlink_to(elsewhere)
    with pytest.raises(TemplateError, match="outside"):
        template_paths(load_territory(territory_copy))


#: An override may write Markdown, but not pull files in or put code in the HTML.
HOSTILE_OVERRIDE = """\
---
css: /etc/passwd
header-includes: <script>alert('head')</script>
---

Texte de l'avertissement.

<script>alert(document.domain)</script>

<img src="/etc/passwd"> <b onclick="alert(1)">gras</b>

```{=html}
<script>alert('raw')</script>
```
"""


@pytest.mark.e2e
def test_an_override_cannot_embed_files_or_scripts_in_the_html(territory_copy, tmp_path):
    override(territory_copy, "blocs/bilan-avertissement.md.j2", HOSTILE_OVERRIDE)
    out = tmp_path / "out"
    arguments = ["--doc", "bilan", "--format", "html,docx", "--out", str(out)]
    code, output = run("build", str(territory_copy), *arguments)
    assert code == 0, output
    html = next(out.rglob("bilan.html")).read_text(encoding="utf-8")
    assert "Texte de l’avertissement." in html_module.unescape(html)
    assert "<script" not in html and "onclick" not in html and "root:" not in html
    assert "/etc/passwd" not in html
    _data_uris_are_our_pngs(html)
    docx.Document(next(out.rglob("bilan.docx")))


@pytest.mark.e2e
@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd", "file:///etc/passwd"])
def test_an_override_image_outside_the_build_is_refused(territory_copy, tmp_path, target):
    override(territory_copy, "blocs/bilan-avertissement.md.j2", f"Avis.\n\n![x]({target})\n")
    out = tmp_path / "out"
    arguments = ["--doc", "bilan", "--format", "html", "--out", str(out)]
    code, output = run("build", str(territory_copy), *arguments)
    assert code == 1
    assert f"« {target} »" in output and "the build's own images" in output
    assert "root:" not in output and "Traceback" not in output
    assert not list(out.rglob("*.html"))


@pytest.mark.e2e
def test_the_html_forbids_scripts_and_shows_its_own_images_and_styles(territory_copy, tmp_path):
    out = tmp_path / "out"
    code, output = run(
        "build", str(territory_copy), "--doc", "bilan", "--format", "html", "--out", str(out)
    )
    assert code == 0, output
    html = next(out.rglob("bilan.html")).read_text(encoding="utf-8")
    head = html_module.unescape(html.split("</head>")[0])
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in head
    assert "<script" not in html
    images = html.count("<img")
    # the seed's bilan draws one chart (one year of demand is a table row, not a chart)
    assert images >= 1 and html.count('src="data:image/png;base64,') == images
