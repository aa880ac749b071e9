"""Rows a computation adds (all together, the remainder, grouped members) are keys worded by the
labels block (`lignes`), never a name from the data."""

from __future__ import annotations

import pickle

import yaml

from generator.documents.common import CONTENT
from generator.documents.presentation import labelled, row_words
from generator.indicators.allocations import Column, IndicatorTable, RowLabel
from generator.indicators.results import TOTAL

LABELS = yaml.safe_load((CONTENT / "blocs" / "libelles.yaml").read_text(encoding="utf-8"))


def test_a_row_label_is_never_a_name_from_the_data_that_spells_its_key():
    assert TOTAL != "ensemble" and TOTAL != "ensemble"
    assert {"ensemble": 1}.get(TOTAL) is None
    assert RowLabel("ensemble") == TOTAL
    assert RowLabel("autres_bailleurs", nombre=2) != RowLabel("autres_bailleurs", nombre=3)


def test_a_row_label_keeps_its_figures_across_processes():
    grouped = RowLabel("autres_communes", nombre=3, seuil=11)
    assert pickle.loads(pickle.dumps(grouped)) == grouped


def test_rows_are_worded_from_the_block_whether_or_not_it_names_the_table():
    grouped = RowLabel("autres_bailleurs", nombre=3, seuil=11)
    table = IndicatorTable(
        "sans_libelles", "Titre", [Column("entite", "text")], [["ADIS"], [grouped], [TOTAL]]
    )
    assert [row[0] for row in labelled(table, LABELS).rows] == [
        "ADIS",
        "Autres bailleurs (3)",
        "Ensemble",
    ]
    assert row_words("Ensemble des communes", LABELS) == "Ensemble des communes"
