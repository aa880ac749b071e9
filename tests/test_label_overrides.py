"""Every section of blocs/libelles.yaml can be reworded by a territory: one word changed in each
section of its override shows in the document that uses it (docs/territory-format.md)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from generator.builds.build import build
from generator.documents.common import CONTENT
from generator.territory.content import Labels

from .conftest import EXAMPLE, ROOT, replace_in

pytestmark = pytest.mark.e2e

FICTIONAL = ROOT / "territories" / "exemple-fictif"
DEFAULT = CONTENT / "blocs" / "libelles.yaml"
#: Section → (the key whose words change, where they show: a document and its format).
CHANGED: dict[str, tuple[tuple[str, ...], str]] = {
    "tableaux": (("tableaux", "premier_quartile", "titre"), "bilan.md"),
    "objectifs": (("objectifs", "premier_quartile"), "bilan.md"),
    "lignes": (("lignes", "ensemble"), "bilan.md"),
    "cia": (("cia", "signataire_commune"), "cia.md"),
    "echelles": (("echelles", "ensemble"), "bilan.md"),
    "notes": (("notes", "objectif_ensemble_theorique"), "bilan.md"),
    "graphiques": (("graphiques", "premier_quartile"), "bilan.md"),
    "bilan": (("bilan", "titre"), "bilan.xlsx"),
    "diffusion": (("diffusion", "restreinte", "bilan"), "bilan.xlsx"),
    "annexes": (("annexes", "niveaux", "niveau_1"), "annexes-ppgdid.md"),
    "cotation": (("cotation", "grille_unique"), "ppgdid.md"),
    "sources": (("sources", "attributions"), "fictif/bilan.md"),
    "textes_de_loi": (("textes_de_loi", "numerote"), "ppgdid.md"),
}


def _word(section: str) -> str:
    return f"Mot{section.capitalize()}".replace("_", "")  # Markdown escapes an underscore


def _override(folder: Path) -> None:
    """The default labels with one word put after the words of one key of each section (after:
    a title's first noun gives it its gender)."""
    labels = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    for section, (path, _) in CHANGED.items():
        place: Any = labels
        for key in path[:-1]:
            place = place[key]
        place[path[-1]] = f"{place[path[-1]]} {_word(section)}"
    target = folder / "overrides" / "blocs" / "libelles.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")


def _without_sources(folder: Path) -> None:
    """The records say nothing of their source: the labels block names it."""
    path = folder / "data" / "attributions.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "source": ""} for row in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("labels")
    example = root / "territories" / EXAMPLE.name
    shutil.copytree(EXAMPLE, example)
    replace_in(
        example / "territory.yaml",
        "secret_statistique: 11\n",
        "secret_statistique: 11\ndiffusion:\n  bilan: restreinte\n",
    )
    _override(example)
    fictional = root / "territories" / FICTIONAL.name
    shutil.copytree(FICTIONAL, fictional)
    _override(fictional)
    _without_sources(fictional)
    found: dict[str, str] = {}
    out = build(str(example), None, ["md"], root / "out", force=True)
    found |= {p.name: _text(p) for p in out.written if p.suffix in (".md", ".xlsx")}
    out = build(str(fictional), ["bilan"], ["md"], root / "fictif", force=True)
    found |= {f"fictif/{p.name}": _text(p) for p in out.written if p.suffix == ".md"}
    return found


#: Sections whose reworded words are tested with the command that shows them.
ELSEWHERE = {"comparaison": "tests/test_diff.py (cil diff's report)"}


def test_every_section_of_the_labels_block_is_covered_here():
    assert set(CHANGED) | set(ELSEWHERE) == set(Labels.model_fields)


@pytest.mark.parametrize("section", sorted(CHANGED))
def test_a_word_changed_in_a_section_shows_in_its_document(built, section):
    _, shown_in = CHANGED[section]
    assert shown_in in built, sorted(built)
    assert _word(section) in built[shown_in], f"{section}: nothing in {shown_in}"
