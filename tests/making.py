"""One document made alone, as tests look at it: its context and gaps, its files, its figures."""

from __future__ import annotations

from typing import Any

from generator.documents.bilan_charts import evaluation_charts
from generator.documents.common import Gap, facts_of, load_content
from generator.documents.contract import DocumentType, Made
from generator.documents.presentation import LABELS
from generator.indicators.evaluation import Evaluation
from generator.render.charts import Chart
from generator.territory.schema import Territory


def made_alone(document: DocumentType, territory: Territory, year: int, **options: Any) -> Made:
    """The document by itself, with facts of its own."""
    return document.make(territory, facts_of(territory), year, options)


def context_of(
    document: DocumentType, territory: Territory, year: int, **options: Any
) -> tuple[dict[str, Any], list[Gap]]:
    made = made_alone(document, territory, year, **options)
    return made.context, made.gaps


def files_of(
    document: DocumentType, territory: Territory, year: int
) -> tuple[dict[str, bytes], list[Gap]]:
    made = made_alone(document, territory, year)
    return made.files, made.gaps


def evaluate(territory: Territory, year: int, period: str | None = None) -> Evaluation:
    return facts_of(territory).evaluation(year, period)


def charts_of(territory: Territory, found: Evaluation) -> list[Chart]:
    labels = load_content(territory, LABELS)
    return evaluation_charts(f"bilan-{found.year}", found, territory.config.objectifs, labels)
