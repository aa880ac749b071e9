"""A heading a template glued to the text above it still reads as a heading (render/templates)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.render import make_environment
from generator.render.templates import headings_apart, render_markdown

HEADING = re.compile(r"#{1,6} ")


def test_a_heading_after_an_endif_that_closes_a_line_is_set_apart(tmp_path):
    (tmp_path / "t.md.j2").write_text(
        "Texte{% if suite %} et suite.{% endif %}\n\n## Titre\n\nCorps.\n", encoding="utf-8"
    )
    env = make_environment([tmp_path])
    text = render_markdown(env, "t.md.j2", {"suite": True}, typeset=False)
    assert "et suite.\n\n## Titre\n" in text


def test_code_blocks_and_words_starting_with_a_number_sign_are_left_alone():
    text = "a\n```\nb\n# commentaire\n```\n#mot\n####### sept\nc"
    assert headings_apart(text) == text


LINES = st.lists(
    st.one_of(
        st.sampled_from(["", "Texte.", "- point", "## Titre", "# Chapitre", "| a | b |"]),
        st.text(alphabet="ab #\\", max_size=8),
    ),
    max_size=12,
)


@given(LINES)
def test_every_heading_follows_a_blank_line_and_nothing_else_changes(lines):
    if any(line.startswith(("```", "~~~")) for line in lines):
        return
    text = "\n".join(lines)
    out = headings_apart(text).split("\n")
    assert [line for line in out if line != ""] == [line for line in lines if line != ""]
    for index, line in enumerate(out):
        if index and HEADING.match(line):
            assert out[index - 1].strip() == ""
