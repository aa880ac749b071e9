"""Each table declared once: its row model gives the columns, the typed rows and the doc."""

from __future__ import annotations

import pytest

from generator.reference import CommuneIndex
from generator.territory.load import load_territory, table_specs
from generator.territory.reception import Guichet
from generator.territory.schema import TABLE_NAMES
from generator.territory.table_docs import DOC, with_tables

from .conftest import EXAMPLE


def test_the_table_reference_of_the_doc_is_written_from_the_row_models():
    text = DOC.read_text(encoding="utf-8")
    assert with_tables(text) == text, "stale: run python -m generator.territory.table_docs"


def test_every_table_is_a_typed_attribute_of_the_territory():
    assert {spec.name for spec in table_specs()} == TABLE_NAMES


def test_a_misspelt_table_name_fails_instead_of_reading_as_empty():
    territory = load_territory(EXAMPLE)
    with pytest.raises(AttributeError):
        territory.guichet  # noqa: B018


def test_reading_a_table_records_it_as_a_dependency():
    territory = load_territory(EXAMPLE)
    territory.reads.clear()
    assert territory.guichets
    assert territory.reads == {("table", "guichets")}


def test_a_row_model_declares_its_columns_in_file_order():
    names = [column.name for column in Guichet.columns(CommuneIndex(()))]
    assert names[:3] == ["niveau", "commune", "organisme"]
    assert names[-1] == "notes"
    assert "nom" not in names  # computed by the model from organisme or commune
