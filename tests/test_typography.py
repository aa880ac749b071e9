"""French typography: one pass (render/typography.py) that every document goes through."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from generator.render import DocumentMeta, escape_markdown, markdown_to_html
from generator.render.typography import (
    NBSP,
    NNBSP,
    ordinals,
    typeset,
    typeset_markdown,
    typeset_pieces,
    typeset_word_part,
)

SIGNS = ";:!?%»"
BREAKABLE_BEFORE_SIGN = re.compile(r"[ \t](?=[;:!?%»])|«[ \t]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

french_text = st.text(
    alphabet=st.sampled_from(list("abcdeÉé lL'’ \t;:!?%«»0123456789-/.@\u00a0\u202f\n€[]![")),
    max_size=60,
)


@given(french_text)
def test_typeset_leaves_no_breakable_space_before_a_sign(text):
    assert not BREAKABLE_BEFORE_SIGN.search(typeset(text).replace("![", "[["))


@given(french_text)
def test_typeset_changes_only_spaces_and_apostrophes_one_for_one(text):
    result = typeset(text)
    assert len(result) == len(text)
    for before, after in zip(text, result, strict=True):
        assert after == before or (before, after) in {
            (" ", NBSP),
            (" ", NNBSP),
            ("\t", NBSP),
            ("\t", NNBSP),
            (NBSP, NNBSP),
            (NNBSP, NBSP),
            ("\u2009", NBSP),
            ("\u2009", NNBSP),
            ("'", "’"),
        }


@given(french_text)
def test_typeset_is_idempotent(text):
    assert typeset(typeset(text)) == typeset(text)


@given(st.lists(french_text, max_size=5))
def test_pieces_keep_their_lengths_and_read_as_the_whole(pieces):
    result = typeset_pieces(pieces)
    assert [len(p) for p in result] == [len(p) for p in pieces]
    assert "".join(result) == typeset("".join(pieces))


def test_french_spaces_around_signs():
    assert typeset("Source : SNE ; 12 % ! « oui » ?") == (
        f"Source{NBSP}: SNE{NNBSP}; 12{NNBSP}%{NNBSP}! «{NBSP}oui{NBSP}»{NNBSP}?"
    )


def test_a_number_keeps_its_unit_and_numero_its_number():
    assert typeset("9 684 € pour 3 ans, +1,8 point, n° 12") == (
        f"9 684{NBSP}€ pour 3{NBSP}ans, +1,8{NBSP}point, n°{NBSP}12"
    )


def test_no_space_is_added_where_there_was_none():
    assert typeset("Source: 12% http://x.fr/a?b=1") == "Source: 12% http://x.fr/a?b=1"


def test_apostrophes_curl_in_words_but_not_in_identifiers():
    assert typeset("l'État d'Ardèche") == "l’État d’Ardèche"
    for literal in ("https://x.fr/l'a", "o'neil@mairie.fr", "dossier/l'annexe", "l'état.pdf"):
        assert typeset(literal) == literal
    assert typeset("5' et 'cité'") == "5' et 'cité'"  # not between two letters: not a elision


def test_an_elision_before_emphasis_curls_too():
    # The PPGDID's « - l'**efficacité** du traitement … » kept its straight apostrophe.
    curled = typeset_markdown("- l'**efficacité** et l'*équité*")
    assert curled == "- l’**efficacité** et l’*équité*"


def test_ordinals_are_found_but_not_words_or_numbers():
    text = "le 1er mars, la 1re fois, le 2e rang, le XIXe siècle, 2e5, Le, Ce, 3ème"
    found = [text[a:b] for a, b in ordinals(text)]
    assert found == ["er", "re", "e", "e"]


def test_markdown_markup_is_left_alone():
    source = (
        'Voir ![Part : 12 %](chart.png){width=80% alt="l\'a"} et `a : b` '
        "[l'aide](https://x.fr/a?b=c) <https://x.fr/l'a>\n\n"
        "| Part (%) | Taux |\n|---:|---:|\n| 12 % | 1er |\n\nTable: Taux : 1er rang\n"
    )
    result = typeset_markdown(source)
    assert '![Part\u00a0: 12\u202f%](chart.png){width=80% alt="l\'a"}' in result
    assert "`a : b`" in result and "(https://x.fr/a?b=c)" in result
    assert "<https://x.fr/l'a>" in result and "[l’aide]" in result
    assert f"| 12{NNBSP}% | 1^er^ |" in result and "|---:|---:|" in result
    assert f"Table: Taux{NBSP}: 1^er^ rang" in result


@given(st.text(max_size=40))
def test_escaped_values_stay_escaped(value):
    """The pass never removes or adds a backslash, a bracket or a star: a value stays text."""
    escaped = str(escape_markdown(value))
    result = typeset_markdown(escaped)
    for mark in "\\*_[]`<>{}|#":
        assert result.count(mark) == escaped.count(mark)


def _run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def test_word_runs_are_typeset_across_runs_and_ordinals_raised():
    xml = (
        f'<w:document xmlns:w="{W}"><w:body><w:p>'
        + _run("Le 1er mars, l'objectif ")
        + _run(": 25 ", bold=True)
        + _run("%")
        + "</w:p></w:body></w:document>"
    )
    root = etree.fromstring(xml)
    typeset_word_part(root)
    texts = [t.text for t in root.iter(f"{{{W}}}t")]
    assert "".join(texts) == f"Le 1er mars, l’objectif{NBSP}: 25{NNBSP}%"
    raised = root.xpath("//w:r[w:rPr/w:vertAlign/@w:val='superscript']/w:t", namespaces={"w": W})
    assert [t.text for t in raised] == ["er"]
    assert root.xpath("//w:r[w:rPr/w:b]/w:t/text()", namespaces={"w": W}) == [f": 25{NNBSP}"]


META = DocumentMeta(
    title="Titre",
    organisation="CC Test",
    year=2025,
    status="Projet",
    author="Service",
    date="janvier 2025",
)


@pytest.mark.e2e
def test_html_captions_keep_their_numbers():
    markdown = typeset_markdown(
        "# Un\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Premier\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Second\n"
    )
    html = markdown_to_html(markdown, META).decode()
    captions = re.findall(r"<caption>(.*?)</caption>", html, re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in captions] == [
        f"Tableau{NBSP}1{NBSP}: Premier",
        f"Tableau{NBSP}2{NBSP}: Second",
    ]
