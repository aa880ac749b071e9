"""Rendering layer: templates, escaping, tables, DOCX/ODT/HTML house style, LibreOffice PDF."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from docx.text.paragraph import Paragraph
from lxml import etree, html

from generator.render import (
    DocumentMeta,
    LibreOfficeError,
    TemplateProblem,
    convert_with_libreoffice,
    make_environment,
    markdown_to_docx,
    markdown_to_html,
    markdown_to_odt,
    normalise_zip,
    render_markdown,
    table,
)
from generator.render.pandoc import pandoc_path

FIXTURES = Path(__file__).parent / "render_fixtures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LONG_WORD = ("Hyperintercommunalitéréglementairementdéconcentralisationnelle" * 2)[:60]
# Values that pandoc would read as markup if they were not escaped.
HOSTILE = ["AT&T & Cie", "<SA>", "*x*", "_y_", "a|b", "# titre", "C:\\dossier\\fichier", "😀"]
META = DocumentMeta(
    title="Annexes du Plan partenarial de gestion de la demande de logement social",
    organisation="Communauté de communes Rhône Crussol",
    year=2025,
    status="Projet",
    author="Service habitat",
    date="janvier 2025",
)
HEADINGS = {  # level 1 and 2 headings of sample.md.j2, as numbered by pandoc
    "1": "Contexte et objectifs",
    "1.1": "Le territoire",
    "1.2": "Cas «\u00a0difficiles\u00a0» & <spéciaux>",  # literal, in French typography
    "2": "Orientations",
    "2.1": "Répartition des demandes",
    "2.2": "Suivi",
}


def png(width: int = 600, height: int = 300) -> bytes:
    """A small bar chart, written by hand so the test needs no plotting library."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            bar = (x // 60) % 2 == 0 and y > height - (x // 60 + 1) * 25
            row += bytes((31, 78, 95) if bar else (245, 245, 245))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


def sample_context() -> dict:
    communes = [
        [
            f"Commune n° {i}",
            f"{1000 + i * 137:,}".replace(",", "\u202f"),
            i * 3,
            "Rien à signaler" if i % 3 else "Quartier prioritaire, convention avec les bailleurs",
        ]
        for i in range(1, 41)
    ]
    return {
        "organisation": META.organisation,
        "year": META.year,
        "communes": communes,
        "hostile": HOSTILE,
        "hostile_heading": "« difficiles » & <spéciaux>",
        "hostile_rows": [
            ["Tout", "AT&T <SA> *x* _y_ a|b", "# titre C:\\dossier\\fichier"],
            ["Saut", "ligne 1\nligne 2", "😀 " + LONG_WORD],
        ],
        "long_word": LONG_WORD,
        "suivi": ["1. premier", "- second", "+ troisième"],
    }


@pytest.fixture(scope="module")
def env():
    return make_environment([FIXTURES / "overrides", FIXTURES / "templates"])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("render")
    (folder / "chart.png").write_bytes(png())
    return folder


@pytest.fixture(scope="module")
def markdown(env) -> str:
    return render_markdown(env, "sample.md.j2", sample_context())


@pytest.fixture(scope="module")
def docx_bytes(markdown, workdir) -> bytes:
    return markdown_to_docx(markdown, META, workdir)


@pytest.fixture(scope="module")
def document(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def docx_text(document) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def toc_paragraphs(document) -> list:
    """TOC entries: python-docx's `paragraphs` skips those, inside the TOC's content control."""
    body = document.element.body
    paragraphs = [Paragraph(p, document) for p in body.iter(f"{W}p")]
    return [p for p in paragraphs if p.style.name.startswith("toc ")]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- templates --------------------------------------------------------------------------------


def test_override_folder_wins(env):
    text = render_markdown(env, "intro.md.j2", {"year": 2025, "organisation": "CC Test"})
    assert "Version du territoire\u00a0: CC Test." in text
    base = make_environment([FIXTURES / "templates"])
    assert "Version commune." in render_markdown(base, "intro.md.j2", {"year": 2025})


def test_missing_variable_names_template_line_and_variable(env):
    with pytest.raises(TemplateProblem) as caught:
        render_markdown(env, "broken.md.j2", {})
    problem = caught.value
    assert (problem.template, problem.line) == ("broken.md.j2", 4)
    assert str(problem) == "broken.md.j2, line 4: 'guichets' is undefined"


def test_missing_variable_in_included_template_names_that_template(env):
    with pytest.raises(TemplateProblem, match=r"^greeting\.md\.j2, line 1: 'organisation'"):
        render_markdown(env, "intro.md.j2", {"year": 2025})


def test_syntax_error_and_unknown_template(env):
    with pytest.raises(TemplateProblem, match=r"^syntax\.md\.j2, line 4: "):
        render_markdown(env, "syntax.md.j2", {"items": []})
    with pytest.raises(TemplateProblem, match=r"^nope\.md\.j2: template 'nope\.md\.j2' not found"):
        render_markdown(env, "nope.md.j2", {})


# --- escaping ---------------------------------------------------------------------------------

TRICKY = [
    *HOSTILE,
    "1. pas une liste",
    "2025) non plus",
    "a) ni ceci",
    "(a) ni cela",
    "- tiret",
    "   - tiret indenté",
    "  12. numéro indenté",
    "+ plus",
    "> citation",
    ": définition",
    "=== souligné",
    "% titre pandoc",
    "~~~ barrière",
    "``` code",
    "<!-- commentaire -->",
    "[lien](http://exemple.fr)",
    "![image](x.png)",
    "$x^2$ @cite ^sup^ ~sub~",
    "**gras** __gras__",
    "{#id .classe}",
    "&amp; &lt; &#233;",
    "\"droits\" et 'simples' « français »",
    "ligne 1\nligne 2",
    LONG_WORD,
]


def stringify(node) -> str:
    """Text of a pandoc JSON inline list; fails on any markup pandoc may have read."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    kind = node["t"]
    if kind == "Str":
        return node["c"]
    if kind in ("Space", "SoftBreak"):
        return " "
    if kind == "LineBreak":
        return "\n"
    raise AssertionError(f"value read as markup: {kind}")


def pandoc_json(markdown: str) -> dict:
    lua = Path(__file__).parents[1] / "generator" / "render" / "linebreak.lua"
    done = subprocess.run(
        [pandoc_path(), "-f", "markdown-smart", "-t", "json", f"--lua-filter={lua}"],
        input=markdown.encode(),
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_every_value_renders_literally_in_text_and_table_cells(env):
    template = env.from_string(
        "Intro\n{% for v in values %}{{ v }}\n\n{% endfor %}{{ table(['Valeur'], rows) }}"
    )
    ast = pandoc_json(template.render(values=TRICKY, rows=[[v] for v in TRICKY]))
    blocks = ast["blocks"]
    paragraphs = [stringify(b["c"]) for b in blocks if b["t"] == "Para"]
    # Leading spaces are insignificant in Markdown text; what matters is that no list appears.
    assert paragraphs == ["Intro " + TRICKY[0], *(v.strip() for v in TRICKY[1:])]
    (tbl,) = [b for b in blocks if b["t"] == "Table"]
    body_rows = tbl["c"][4][0][3]
    cells = [stringify(row[1][0][4][0]["c"]) for row in body_rows]
    assert cells == [v.strip() for v in TRICKY]


def test_macros_and_blocks_are_not_escaped_twice(env):
    template = env.from_string(
        "{% macro bold(x) %}**{{ x }}**{% endmacro %}{{ bold('*a*') }} "
        "{% set b %}_{{ '_b_' }}_{% endset %}{{ b }} {{ '[c]' | safe }} {{ '*d*' }}"
    )
    assert template.render() == r"**\*a\*** _\_b\__ [c] \*d\*"


def test_table_has_relative_widths_caption_and_aligned_numbers():
    markup = table(
        ["Nom", "Total", "Note"], [["a|b", 12, "x"], ["c", 3, None]], [3, 1, 2], "Légende"
    )
    ast = pandoc_json(str(markup))
    (tbl,) = [b for b in ast["blocks"] if b["t"] == "Table"]
    specs = tbl["c"][2]
    widths = [spec[1]["c"] for spec in specs]
    assert widths == pytest.approx([0.5, 1 / 6, 1 / 3], abs=0.02)
    assert [spec[0]["t"] for spec in specs] == ["AlignDefault", "AlignRight", "AlignDefault"]
    assert stringify(tbl["c"][1][1][0]["c"]) == "Légende"
    with pytest.raises(ValueError, match="every row needs 3 cells"):
        table(["a", "b", "c"], [["only one"]])


# --- DOCX -------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_cover_page_then_sommaire_then_chapters(document):
    cover = [(p.style.name, p.text) for p in document.paragraphs[:6]]
    assert cover == [
        ("Title", META.title),
        ("Subtitle", META.organisation),
        ("Cover Year", "2025"),
        ("Cover Status", "Projet"),
        ("Author", META.author),
        ("Date", META.date),
    ]
    styles = document.styles.element
    toc_heading = styles.xpath("w:style[@w:styleId='TOCHeading']")[0]
    assert toc_heading.xpath("w:basedOn/@w:val") == ["Heading1"]
    # House style: the cover and the contents have pages of their own; chapters follow one
    # another (a page break before each left pages nearly empty).
    assert toc_heading.xpath("w:pPr/w:pageBreakBefore"), "the contents start a page"
    heading1 = styles.xpath("w:style[@w:styleId='Heading1']")[0]
    assert not heading1.xpath("w:pPr/w:pageBreakBefore"), "chapters do not force a page"
    contents = document.element.body.xpath("w:sdt")[0]
    after = contents.getnext()
    while after.tag != f"{W}p":
        after = after.getnext()
    assert after.xpath("w:pPr/w:pageBreakBefore"), "the text after the contents starts a page"
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


@pytest.mark.e2e
def test_headings_are_numbered_once(document):
    headings = {
        p.text.split("\t")[0]: p.text.split("\t")[1]
        for p in document.paragraphs
        if p.style.name in ("Heading 1", "Heading 2")
    }
    assert headings == HEADINGS
    # No automatic numbering in the heading styles on top of pandoc's numbers.
    assert not document.styles.element.xpath(
        "//w:style[starts-with(@w:styleId,'Heading')]//w:numPr"
    )


@pytest.mark.e2e
def test_toc_lists_headings_with_links_to_bookmarks(document, docx_bytes):
    toc = toc_paragraphs(document)
    assert [p.text.split("\t")[:2] for p in toc] == [[n, t] for n, t in HEADINGS.items()]
    assert [p.style.name for p in toc] == ["toc 1", "toc 2", "toc 2", "toc 1", "toc 2", "toc 2"]
    body = etree.fromstring(part(docx_bytes, "word/document.xml"))
    instr = " ".join(body.itertext())
    assert 'TOC \\o "1-2" \\h \\z \\u' in instr and "Sommaire" in instr
    anchors = body.xpath("//w:hyperlink/@w:anchor", namespaces={"w": W[1:-1]})
    marks = set(body.xpath("//w:bookmarkStart/@w:name", namespaces={"w": W[1:-1]}))
    assert len(anchors) == len(HEADINGS) and set(anchors) <= marks
    # Without LibreOffice's page numbers the field asks Word to update it.
    assert b'w:dirty="true"' in part(docx_bytes, "word/document.xml")


@pytest.mark.e2e
def test_footer_has_title_and_page_fields_but_not_on_cover(document, docx_bytes):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_footer.paragraphs or not any(
        p.text for p in section.first_page_footer.paragraphs
    )
    footer = part(docx_bytes, "word/footer1.xml").decode()
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert META.title in footer and META.organisation in footer and "{title}" not in footer


@pytest.mark.e2e
def test_tables_use_house_style_and_repeat_their_header(document, docx_bytes):
    assert len(document.tables) == 2
    for tbl in document.tables:
        assert tbl.style.name == "Table"
        assert tbl.rows[0]._tr.xpath("w:trPr/w:tblHeader")
    style = document.styles.element.xpath("w:style[@w:styleId='Table']")[0]
    assert style.xpath("w:tblPr/w:tblBorders/w:insideH")
    assert style.xpath("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd/@w:fill")
    body = part(docx_bytes, "word/document.xml").decode()
    # Measured widths: every table spans the text width (9412 twips on A4 with 2.2 cm margins),
    # its columns sized from their text.
    widths = etree.fromstring(body.encode()).xpath("//w:tblW", namespaces={"w": W[1:-1]})
    assert [(x.get(f"{W}type"), x.get(f"{W}w")) for x in widths] == [("dxa", "9412")] * 2


@pytest.mark.e2e
def test_captions_are_french_and_numbered(document):
    captions = [p for p in document.paragraphs if p.style.name.endswith("Caption")]
    # python-docx's text leaves out the number, a SEQ field: read every w:t.
    assert ["".join(p._p.xpath(".//w:t/text()")) for p in captions] == [
        "Tableau\u00a01\u00a0: Logements sociaux par commune",
        "Tableau\u00a02\u00a0: Valeurs hostiles",
        "Figure\u00a01\u00a0: Répartition des demandes par typologie",
    ]
    assert all(p._p.xpath("w:fldSimple[starts-with(@w:instr, 'SEQ ')]") for p in captions)


@pytest.mark.e2e
def test_image_is_embedded_with_alt_text(docx_bytes):
    names = zipfile.ZipFile(io.BytesIO(docx_bytes)).namelist()
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
    assert (
        'descr="Répartition des demandes par typologie"'
        in part(docx_bytes, "word/document.xml").decode()
    )


@pytest.mark.e2e
def test_hostile_values_are_literal_in_docx(document):
    text = docx_text(document)
    for value in [*HOSTILE, LONG_WORD, "ligne 1\nligne 2", "1. premier", "- second"]:
        assert value in text
    assert "Cas «\u00a0difficiles\u00a0» & <spéciaux>" in text  # French spaces, nothing else


@pytest.mark.e2e
def test_core_properties_are_fixed(document, docx_bytes):
    core = document.core_properties
    assert (core.title, core.author, core.subject) == (META.title, META.author, META.organisation)
    assert core.created.isoformat().startswith("2025-01-01T00:00:00")
    assert core.modified == core.created
    assert b"python-docx" not in part(docx_bytes, "docProps/core.xml")


# --- ODT, HTML, reproducibility ---------------------------------------------------------------


@pytest.mark.e2e
def test_pandoc_odt_has_values_image_house_style_and_toc_entries(markdown, workdir):
    odt = markdown_to_odt(markdown, META, workdir)
    content = etree.fromstring(part(odt, "content.xml"))
    text = "".join(content.itertext())
    for value in [*HOSTILE, LONG_WORD, "Sommaire"]:
        assert value in text
    names = zipfile.ZipFile(io.BytesIO(odt)).namelist()
    assert names[0] == "mimetype" and any(n.startswith("Pictures/") for n in names)
    xml = part(odt, "content.xml").decode()
    assert "text:line-break" in xml
    assert "<svg:title>Répartition des demandes par typologie</svg:title>" in xml
    body = re.search(r"<text:index-body>(.*?)</text:index-body>", xml, re.S).group(1)
    entries = re.findall(r"<text:a [^>]*>([\d.]+)<text:tab/>([^<]*)</text:a>", body)
    assert dict(entries) == {n: escape(t) for n, t in HEADINGS.items()}
    styles = part(odt, "styles.xml").decode()
    assert 'fo:page-width="21cm"' in styles and "<text:page-count>" in styles
    assert 'text:level="1" style:num-format="1"' in styles, "headings numbered by the style"


@pytest.mark.e2e
def test_html_is_standalone_with_values_and_image(markdown, workdir):
    page = markdown_to_html(markdown, META, workdir)
    tree = html.fromstring(page)
    text = tree.text_content()
    for value in [*HOSTILE, LONG_WORD, "Sommaire", META.title]:
        assert value in text
    (img,) = tree.xpath("//img")
    assert img.get("src").startswith("data:image/png;base64,")
    assert img.get("alt") == "Répartition des demandes par typologie"
    assert tree.xpath("//td/br"), "line break inside a table cell"


@pytest.mark.e2e
def test_renders_are_byte_identical(markdown, workdir, docx_bytes):
    assert markdown_to_docx(markdown, META, workdir) == docx_bytes
    assert markdown_to_odt(markdown, META, workdir) == markdown_to_odt(markdown, META, workdir)
    assert markdown_to_html(markdown, META, workdir) == markdown_to_html(markdown, META, workdir)


def test_normalise_zip_sorts_and_fixes_dates():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("b.xml", "b")
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("a.xml", "a")
    data = normalise_zip(buffer.getvalue())
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ["mimetype", "a.xml", "b.xml"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert normalise_zip(data) == data


@pytest.mark.e2e
def test_missing_image_is_an_error(workdir):
    from generator.render import PandocError

    with pytest.raises(PandocError, match="absent.png"):
        markdown_to_docx("![x](absent.png)\n", META, workdir)


# --- LibreOffice: PDF, ODT and the DOCX's page numbers ----------------------------------------


def pdf_pages(path: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1]


def toc_pages(text: str) -> dict[str, str]:
    """{number: page} of the TOC entries found in a page of PDF text."""
    found = {}
    for number, title in HEADINGS.items():
        spaced = re.escape(title).replace("\u00a0", r"\s")  # pdftotext: no-break spaces as spaces
        pattern = rf"^\s*{re.escape(number)}\s+{spaced}\s*\.{{3,}}\s*(\d+)\s*$"
        match = re.search(pattern, text, re.MULTILINE)
        found[number] = match.group(1) if match else ""
    return found


@pytest.fixture(scope="module")
def converted(docx_bytes, tmp_path_factory) -> dict:
    """One LibreOffice batch (the sample twice, under two names), then the updated DOCX
    exported as LibreOffice shows it, without updating any index."""
    folder = tmp_path_factory.mktemp("libreoffice")
    first, second = folder / "sample.docx", folder / "copy" / "sample_copy.docx"
    second.parent.mkdir()
    first.write_bytes(docx_bytes)
    second.write_bytes(docx_bytes)
    outputs = convert_with_libreoffice([first, second], folder / "out")
    as_is = folder / "as_is" / "as_is.docx"
    as_is.parent.mkdir()
    shutil.copy(first, as_is)
    plain = convert_with_libreoffice([as_is], folder / "plain", ["pdf"], update_indexes=False)
    return {
        "docx": first,
        "copy": second,
        "pdf": outputs[first]["pdf"],
        "odt": outputs[first]["odt"],
        "copy_outputs": outputs[second],
        "plain_pdf": plain[as_is]["pdf"],
    }


@pytest.mark.libreoffice
def test_pdf_has_cover_sommaire_with_page_numbers_and_chapters_on_new_pages(converted):
    pages = pdf_pages(converted["pdf"])
    assert "Annexes du Plan partenarial" in pages[0] and "Projet".upper() in pages[0]
    assert "Sommaire" not in pages[0] and "page 1 /" not in pages[0], "cover: no footer"
    assert pages[1].strip().startswith("Sommaire")
    toc = toc_pages(pages[1])
    assert all(toc.values()), toc
    for number in ("1", "2"):
        chapter = pages[int(toc[number]) - 1].strip()
        assert re.match(rf"{number}\s+{HEADINGS[number]}", chapter), chapter[:80]
    assert f"page 2 / {len(pages)}" in pages[1]


@pytest.mark.libreoffice
def test_hostile_values_are_literal_in_pdf(converted):
    text = "\n".join(pdf_pages(converted["pdf"]))
    for value in HOSTILE:
        assert value in text
    assert LONG_WORD in squeeze(text)
    assert re.search(r"ligne 1.*\n\s*ligne 2", text), "line break inside a cell"


@pytest.mark.libreoffice
def test_docx_gets_libreoffice_page_numbers_and_shows_them_as_is(converted):
    expected = toc_pages(pdf_pages(converted["pdf"])[1])
    document = docx.Document(str(converted["docx"]))
    toc = [p.text.split("\t") for p in toc_paragraphs(document)]
    assert {number: page for number, _, page in toc} == expected
    assert b'w:dirty="true"' not in part(converted["docx"].read_bytes(), "word/document.xml")
    # The DOCX opened in LibreOffice without any update shows the same TOC.
    assert toc_pages(pdf_pages(converted["plain_pdf"])[1]) == expected


@pytest.mark.libreoffice
def test_odt_from_libreoffice_has_the_filled_toc(converted):
    content = part(converted["odt"].read_bytes(), "content.xml").decode()
    body = re.search(r"<text:index-body>(.*?)</text:index-body>", content, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", body.replace("<text:tab/>", "\t"))
    assert "Contexte et objectifs\t3" in text and "Sommaire" in text
    assert "<svg:desc>Répartition des demandes par typologie</svg:desc>" in content


@pytest.mark.libreoffice
def test_libreoffice_outputs_are_reproducible(converted):
    copy = converted["copy_outputs"]
    assert copy["odt"].read_bytes() == converted["odt"].read_bytes()
    assert copy["pdf"].read_bytes() == converted["pdf"].read_bytes()
    assert converted["copy"].read_bytes() == converted["docx"].read_bytes()


@pytest.mark.libreoffice
def test_libreoffice_failure_is_a_clear_error(tmp_path, docx_bytes):
    source = tmp_path / "slow.docx"
    source.write_bytes(docx_bytes)
    with pytest.raises(LibreOfficeError, match="did not finish within|conversion failed"):
        convert_with_libreoffice([source], tmp_path / "out", timeout=0.5)
    with pytest.raises(FileNotFoundError):
        convert_with_libreoffice([tmp_path / "absent.docx"], tmp_path / "out")


@pytest.mark.libreoffice
def test_a_serving_libreoffice_too_slow_says_which_setting_gives_it_more_time(tmp_path, docx_bytes):
    from generator.render import LibreOffice

    source = tmp_path / "slow.docx"
    source.write_bytes(docx_bytes)
    office = LibreOffice(warm=True)
    try:  # half a second: not even the time to start
        with pytest.raises(LibreOfficeError, match="CIL_LIBREOFFICE_TIMEOUT=600") as caught:
            office.convert([source], tmp_path / "out", timeout=0.5)
    finally:
        office.close()
    assert "slow.docx" in str(caught.value) and not office.alive


def test_the_toc_entries_of_a_docx_read_again_are_the_same_and_few_are_kept(docx_bytes):
    from generator.render import toc

    first = toc.toc_entries(docx_bytes)
    assert first and toc.toc_entries(docx_bytes) == first
    first.clear()  # the caller's list, not the kept answer
    assert toc.toc_entries(docx_bytes)
    for n in range(toc._KEEP + 3):  # other files, without a TOC: a bounded memory
        other = io.BytesIO()
        with zipfile.ZipFile(other, "w") as package:
            body = f'<w:document xmlns:w="{W[1:-1]}"><w:body><!-- {n} --></w:body></w:document>'
            package.writestr("word/document.xml", body)
        assert toc.toc_entries(other.getvalue()) == []
    assert len(toc._READ) <= toc._KEEP
    assert toc.toc_entries(b"not a DOCX") == []


def test_the_line_break_filter_is_left_out_only_where_it_would_change_nothing(
    markdown, workdir, monkeypatch
):
    from generator.render import pandoc

    calls = []
    run = subprocess.run
    monkeypatch.setattr(
        pandoc.subprocess, "run", lambda command, **kw: calls.append(command) or run(command, **kw)
    )
    plain = markdown.replace("\u2028", " ")
    without = markdown_to_docx(plain, META, workdir)
    assert not any(str(pandoc.LINEBREAK_FILTER) in " ".join(c) for c in calls)
    monkeypatch.setattr(pandoc, "LINE_BREAK", "")  # found in any text: always applied
    assert markdown_to_docx(plain, META, workdir) == without
    assert str(pandoc.LINEBREAK_FILTER) in " ".join(calls[-1])


def test_a_figure_column_with_secret_marks_stays_right_aligned():
    text = str(table(["Année", "Attributions"], [["2022", "56"], ["2023", "s"], ["2024", "—"]]))
    separator = [line for line in text.splitlines() if line.startswith("|-")][0]
    assert separator.split("|")[2].endswith(":")


def test_a_column_of_marks_only_is_not_a_figure_column():
    text = str(table(["Code", "Valeur"], [["a", "s"], ["b", "—"]]))
    separator = [line for line in text.splitlines() if line.startswith("|-")][0]
    assert not separator.split("|")[2].endswith(":")
