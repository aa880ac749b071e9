"""Tables that fit: widths measured in the document font, rows kept whole, header repeated,
landscape when a table cannot fit; the columns a table leaves out and says instead."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from lxml import etree

from generator.documents.presentation import shown
from generator.indicators.allocations import Column, IndicatorTable
from generator.render import DocumentMeta, convert_with_libreoffice, markdown_to_docx, table
from generator.render.docx_finish import table_style
from generator.render.fontmetrics import font_file, longest_word_width, text_width, words
from generator.render.ooxml import paragraph_style, text_of, w
from generator.render.table_layout import (
    TWIPS,
    TableStyle,
    column_widths,
    estimated_height,
    section_page,
)
from generator.render.zipfix import read_entry

META = DocumentMeta(
    title="Convention intercommunale d'attribution",
    organisation="Communauté de communes Rhône Crussol",
    year=2025,
    status="Projet",
    author="Service habitat",
    date="janvier 2025",
    short_title="CIA",
)

# The words the issue saw broken: « Anné/e », « Demande/s », « commercialisatio/n ».
NARROW = table(
    ["Année", "Demandes", "Délai de commercialisation", "Commentaire"],
    [
        ["2023", "979", "commercialisation", "Un long commentaire " * 12],
        ["2024", "1\u202f012", "accompagnement", "Association d'intervention sociale"],
    ],
    caption="Demandes et délais",
)
# Seven long words side by side: more than a portrait page's width, less than a landscape one's.
WIDE = table(
    [f"Caractéristique{i}" for i in range(7)],
    [[f"commercialisation{i}" for i in range(7)]],
    caption="Un tableau très large",
)


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    markdown = f"# Chapitre\n\nTexte.\n{NARROW}\nSource : SNE.\n\n# Suite\n\nTexte.\n{WIDE}\n"
    return markdown_to_docx(markdown, META)


@pytest.fixture(scope="module")
def body(docx_bytes) -> etree._Element:
    return etree.fromstring(read_entry(docx_bytes, "word/document.xml")).find(w("body"))


def test_carlito_is_the_font_measured():
    assert font_file() is not None and "Carlito" in font_file()
    assert text_width("mmmm", 10) > 2 * text_width("iiii", 10)


def test_no_break_spaces_and_hyphens_decide_the_words():
    assert words("12,5\u00a0% des demandes") == ["12,5\u00a0%", "des", "demandes"]
    assert words("extra-communal") == ["extra-", "communal"]


def test_every_column_is_at_least_as_wide_as_its_longest_word(docx_bytes, body):
    style = table_style(docx_bytes)
    tables = body.findall(w("tbl"))
    assert len(tables) == 2
    for tbl in tables:
        grid = [int(col.get(w("w"))) for col in tbl.find(w("tblGrid"))]
        for index, row in enumerate(tbl.findall(w("tr"))):
            for cell, width in zip(row.findall(w("tc")), grid, strict=True):
                assert int(cell.find(f"{w('tcPr')}/{w('tcW')}").get(w("w"))) == width
                longest = longest_word_width(text_of(cell), style.points, bold=index == 0)
                assert longest * TWIPS + style.padding <= width, text_of(cell)


def test_rows_never_split_and_the_header_row_repeats(body):
    for tbl in body.findall(w("tbl")):
        rows = tbl.findall(w("tr"))
        assert all(r.find(f"{w('trPr')}/{w('cantSplit')}") is not None for r in rows)
        assert rows[0].find(f"{w('trPr')}/{w('tblHeader')}") is not None


def test_a_caption_stays_with_its_table(docx_bytes, body):
    for tbl in body.findall(w("tbl")):
        assert paragraph_style(tbl.getprevious()) == "TableCaption"
    styles = etree.fromstring(read_entry(docx_bytes, "word/styles.xml"))
    caption = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "TableCaption")
    assert caption.find(f"{w('pPr')}/{w('keepNext')}") is not None


def test_a_table_too_wide_for_a_portrait_page_is_set_in_landscape(body):
    narrow, wide = body.findall(w("tbl"))
    breaks = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('sectPr')}") is not None]
    assert len(breaks) == 2  # one ends the portrait text before, one the landscape section
    before, after = breaks
    assert before.getnext() is wide.getprevious()  # the break comes before the caption
    size = after.find(f"{w('pPr')}/{w('sectPr')}/{w('pgSz')}")
    assert size.get(w("orient")) == "landscape"
    assert int(size.get(w("w"))) > int(size.get(w("h")))
    assert 9412 < sum(int(c.get(w("w"))) for c in wide.find(w("tblGrid"))) <= 14344
    assert sum(int(c.get(w("w"))) for c in narrow.find(w("tblGrid"))) <= 9412


def test_only_the_cover_page_goes_without_footer(body):
    final = body.find(w("sectPr"))
    assert final.find(w("titlePg")) is None
    first = next(body.iter(w("sectPr")))
    assert first.find(w("titlePg")) is not None


def test_the_footer_is_one_line_with_the_short_title(docx_bytes):
    footer = etree.fromstring(read_entry(docx_bytes, "word/footer1.xml"))
    paragraphs = footer.findall(w("p"))
    assert len(paragraphs) == 1
    text = text_of(paragraphs[0])
    assert text.startswith("CIA · Communauté de communes Rhône Crussol")
    assert META.title not in text


def test_widths_share_the_rest_of_the_line_by_length_of_text():
    rows = [[["Année"], ["Commentaire"]], [["2023"], ["Un long commentaire " * 10]]]
    fit = column_widths(rows, 1, table_style_default(), 9412)
    assert fit.fits and sum(fit.widths) == 9412
    assert fit.widths[0] < 1500 < fit.widths[1]


def table_style_default():
    from generator.render.table_layout import TableStyle

    return TableStyle()


def _table(columns: list[Column], rows: list[list]) -> IndicatorTable:
    return IndicatorTable(key="t", title="Profil", columns=columns, rows=rows)


def test_a_column_empty_on_every_row_is_dropped_and_named_as_not_known():
    found = shown(
        _table(
            [Column("Modalité", "text"), Column("Demandeurs"), Column("Part", "share")],
            [["Personne seule", None, Decimal("0.36")], ["Famille", None, Decimal("0.46")]],
        )
    )
    assert found["entete"] == ["Modalité", "Part"]
    assert found["lignes"] == [["Personne seule", "36,0\u202f%"], ["Famille", "46,0\u202f%"]]
    assert found["inconnues"] == ["Demandeurs"]
    assert len(found["largeurs"]) == 2


def test_a_constant_column_becomes_a_sentence_above_the_table():
    found = shown(
        _table(
            [Column("Modalité", "text"), Column("Part", "share"), Column("Année", "text")],
            [["Personne seule", Decimal("0.36"), "2023"], ["Famille", Decimal("0.46"), "2023"]],
        )
    )
    assert found["entete"] == ["Modalité", "Part"]
    assert found["constantes"] == [{"titre": "Année", "valeur": "2023"}]


def test_one_row_a_secret_or_two_columns_left_keep_the_table_as_it_is():
    one_row = shown(_table([Column("Année", "text"), Column("Demandes")], [["2023", 979]]))
    assert one_row["entete"] == ["Année", "Demandes"] and not one_row["constantes"]
    from generator.indicators.allocations import SECRET

    secret = shown(
        _table(
            [Column("Motif", "text"), Column("Attributions"), Column("Part", "share")],
            [["A", SECRET, SECRET], ["B", SECRET, SECRET]],
        )
    )
    assert secret["entete"] == ["Motif", "Attributions", "Part"]
    two = shown(_table([Column("Année", "text"), Column("Demandes")], [["2023", 5], ["2023", 5]]))
    assert two["entete"] == ["Année", "Demandes"]


def test_a_table_too_wide_shortens_its_headers_with_the_glossary_first():
    long = "Établissement public de coopération intercommunale"
    wide = table([f"{long} {i}" for i in range(8)], [list(range(8))], caption="Par EPCI")
    meta = DocumentMeta(**{**META.__dict__, "abbreviations": ((long.lower(), "EPCI"),)})
    body = etree.fromstring(
        read_entry(markdown_to_docx(f"# Titre\n{wide}\n", meta), "word/document.xml")
    ).find(w("body"))
    first_row = body.find(w("tbl")).find(w("tr"))
    assert [text_of(c) for c in first_row.findall(w("tc"))][:2] == ["EPCI 0", "EPCI 1"]
    assert all(s.find(w("pgSz")).get(w("orient")) is None for s in body.iter(w("sectPr")))
    unabridged = etree.fromstring(
        read_entry(markdown_to_docx(f"# Titre\n{wide}\n", META), "word/document.xml")
    ).find(w("body"))
    orients = [s.find(w("pgSz")).get(w("orient")) for s in unabridged.iter(w("sectPr"))]
    assert "landscape" in orients


def _kept_with_next(row: etree._Element) -> bool:
    return all(p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in row.iter(w("p")))


def test_a_short_table_moves_to_the_next_page_whole(body):
    narrow = body.findall(w("tbl"))[0]
    rows = narrow.findall(w("tr"))
    assert all(_kept_with_next(row) for row in rows[:-1])
    assert not any(p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in rows[-1].iter(w("p")))


def test_a_column_as_wide_as_its_longest_word_is_one_line_tall_in_the_estimate():
    # The fictional bilan's mutation table (7 rows) split 6 + 1 across two pages: its « Part »
    # column, rounded down to « 19,8 % », was narrower than it, so every row was estimated two
    # lines tall and the table too tall to keep whole.
    style = TableStyle(points=9.5, padding=170)
    rows = [[["Part"]]] + [[[f"{v},8\u202f%"]] for v in range(10, 20)]
    narrowest = column_widths(rows, 1, style, 0).widths  # no room to share: the least widths
    assert estimated_height(rows, narrowest, style) == estimated_height(
        [[["x"]]] * len(rows), [9000], style
    )


def test_a_table_taller_than_a_quarter_page_may_split_between_rows():
    tall = table(["Commune", "Logements"], [[f"Commune {i}", str(i)] for i in range(30)])
    docx = markdown_to_docx(f"# Titre\n{tall}\n", META)
    body = etree.fromstring(read_entry(docx, "word/document.xml")).find(w("body"))
    rows = body.find(w("tbl")).findall(w("tr"))
    assert not any(_kept_with_next(row) for row in rows)


# Issue 13 item 3: on a landscape page the page number stood mid-page, at the portrait tab stop.
LANDSCAPE_SAMPLE = "# Titre\n\n" + "Texte. " * 50 + f"\n\n{WIDE}\n\nSuite du texte.\n"


def _footer_tabs(docx: bytes, sect_pr: etree._Element) -> list[tuple[str, str]]:
    rid = sect_pr.find(w("footerReference")).get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    )
    rels = etree.fromstring(read_entry(docx, "word/_rels/document.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    footer = etree.fromstring(read_entry(docx, f"word/{target}"))
    assert "{footer_title}" not in etree.tostring(footer, encoding="unicode")  # filled in too
    return [(t.get(w("val")), t.get(w("pos"))) for t in footer.iter(w("tab")) if t.get(w("pos"))]


def test_a_landscape_section_has_a_footer_with_its_page_number_at_its_right_margin():
    docx = markdown_to_docx(LANDSCAPE_SAMPLE, META)
    body = etree.fromstring(read_entry(docx, "word/document.xml")).find(w("body"))
    sections = list(body.iter(w("sectPr")))
    turned = [s for s in sections if s.find(w("pgSz")).get(w("orient")) == "landscape"]
    assert len(turned) == 1
    portrait = section_page(body.find(w("sectPr"))).text_width
    landscape = section_page(turned[0]).text_width
    assert _footer_tabs(docx, turned[0]) == [
        ("clear", str(portrait)),
        ("right", str(landscape)),
    ]
    assert _footer_tabs(docx, body.find(w("sectPr"))) == []  # the house footer, its style's stop
    types = read_entry(docx, "[Content_Types].xml").decode()
    assert types.count("wordprocessingml.footer+xml") == 2


def test_a_document_without_landscape_page_keeps_one_footer():
    docx = markdown_to_docx(f"# Titre\n{NARROW}\n", META)
    assert read_entry(docx, "[Content_Types].xml").decode().count("footer+xml") == 1


@pytest.mark.libreoffice
def test_the_page_number_ends_at_the_right_margin_of_every_page_in_the_pdf(tmp_path):
    source = tmp_path / "paysage.docx"
    source.write_bytes(markdown_to_docx(LANDSCAPE_SAMPLE, META))
    pdf = convert_with_libreoffice([source], tmp_path / "out", ["pdf"])[source]["pdf"]
    layout = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)"(.*?)</page>', layout, re.S)
    assert any(float(width) > 800 for width, _ in pages)  # one landscape page at least
    for width, content in pages:
        numbers = re.findall(r'<word xMin="([\d.]+)"[^>]*>page</word>', content)
        for x in numbers:  # « page N / M »: its first word within 3 cm of the right edge
            assert float(width) - float(x) < 100, (width, x)
