"""A Word template edited by a secretariat is checked before use; messages name paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from click.testing import CliRunner

from generator.cli import main
from generator.documents.common import TEMPLATES
from generator.render.zipfix import read_entry, replace_entries

from .test_deliberation import STEM, deliberations

DEFAULT = TEMPLATES / "deliberation" / "deliberation.docx"
OVERRIDE = Path("overrides") / "deliberation" / "deliberation.docx"


def all_paragraphs(document: docx.document.Document) -> list:
    found = list(document.paragraphs)
    for table in document.tables:
        for cell in table._cells:
            found.extend(cell.paragraphs)
    return found


def edit_template(folder: Path, old: str, new: str) -> Path:
    """The default template with one run's text changed, saved as the territory's override."""
    document = docx.Document(DEFAULT)
    runs = [r for p in all_paragraphs(document) for r in p.runs if old in r.text]
    assert runs, f"{old!r} is in no run of the template"
    runs[0].text = runs[0].text.replace(old, new)
    target = folder / OVERRIDE
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target


def check_output(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(folder)])
    return result.exit_code, result.output


def test_default_template_has_no_problem(territory_copy):
    assert check_output(territory_copy)[0] == 0


def test_misspelled_variable_names_the_paragraph_and_suggests(territory_copy):
    edit_template(territory_copy, "{{ seance.date }}", "{{ seance.dtae }}")
    code, output = check_output(territory_copy)
    assert code == 1
    assert "overrides/deliberation/deliberation.docx:" in output
    assert (
        'in the paragraph « Séance du {{ seance.dtae }} »: "dtae" is not provided by the data'
        ' — did you mean "date"?'
    ) in output


def test_misspelled_top_level_name_in_a_table_cell(territory_copy):
    edit_template(territory_copy, "{{ vote.pour }}", "{{ votes.pour }}")
    _, output = check_output(territory_copy)
    assert "(table 1, row 1, column 1)" in output
    assert '"votes" is not provided by the data — did you mean "vote"?' in output


def test_broken_tag_names_the_paragraph(territory_copy):
    edit_template(territory_copy, "{{ seance.presents }}", "{{ seance.presents }")
    code, output = check_output(territory_copy)
    assert code == 1
    paragraph = "in the paragraph « Présents\u00a0: {{ seance.presents } »"
    assert f"{paragraph} (table 1, row 1, column 1)" in output
    assert "broken tag" in output


def test_unclosed_loop_names_the_paragraph_that_opens_it(territory_copy):
    document = docx.Document(DEFAULT)
    paragraphs = document.paragraphs
    opening = next(i for i, p in enumerate(paragraphs) if "for visa in visas" in p.text)
    closing = paragraphs[opening + 2]
    assert "endfor" in closing.text
    closing._element.getparent().remove(closing._element)
    (territory_copy / OVERRIDE).parent.mkdir(parents=True)
    document.save(territory_copy / OVERRIDE)
    _, output = check_output(territory_copy)
    assert "in the paragraph « {%p for visa in visas %} »: broken tag" in output


def test_tags_split_across_runs_and_curly_quotes_still_work(territory_copy):
    document = docx.Document(DEFAULT)
    paragraph = next(p for p in document.paragraphs if p.text == "Séance du {{ seance.date }}")
    run = paragraph.runs[0]
    run.text = "Séance du {{ seance."
    for piece in ("date | replace(“/”, ", "‘.’) }}"):
        paragraph.add_run(piece)
    (territory_copy / OVERRIDE).parent.mkdir(parents=True)
    document.save(territory_copy / OVERRIDE)
    assert check_output(territory_copy)[0] == 0
    assert "Séance du 17.03.2025" in deliberations(territory_copy)[STEM]


def test_a_style_the_template_uses_and_lacks_is_named(territory_copy):
    data = DEFAULT.read_bytes()
    styles = read_entry(data, "word/styles.xml").decode()
    without = re.sub(r'<w:style [^>]*w:styleId="Article".*?</w:style>', "", styles, flags=re.S)
    target = territory_copy / OVERRIDE
    target.parent.mkdir(parents=True)
    target.write_bytes(replace_entries(data, {"word/styles.xml": without.encode()}))
    code, output = check_output(territory_copy)
    assert code == 1
    assert "the style « Article » is not defined in the template" in output
    assert "« Article {{ article.numero }}" in output


def test_a_broken_template_produces_no_document(territory_copy, tmp_path):
    edit_template(territory_copy, "{{ seance.date }}", "{{ seance.date }")
    out = tmp_path / "out"
    arguments = ["build", str(territory_copy), "--doc", "deliberations", "--format", "docx"]
    result = CliRunner().invoke(main, [*arguments, "--out", str(out)])
    assert result.exit_code == 1
    assert "Séance du {{ seance.date }" in result.output
    assert not list(out.rglob("*.docx"))
