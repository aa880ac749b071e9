"""Deliberations on the documents of the policy: one Word document per recorded sitting.

Unlike the Markdown documents, a deliberation is filled into a Word template (docxtpl) that a
secretariat may edit; the template is checked before use and a broken one produces nothing.
Commune councils give an opinion, the EPCI's council (or its bureau, by delegation) approves;
each sitting approves the documents it names (texts in content/blocs/deliberation-textes.yaml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path
from typing import Any

from generator.documents.common import TEMPLATES, Gap
from generator.documents.contract import DocumentType, Kind, Made, Options
from generator.documents.deliberation_context import guichets, policy, sitting_context
from generator.errors import Problems, display_path
from generator.formatting import FILTERS, date_longue
from generator.grammar import FILTERS as GRAMMAR
from generator.indicators.facts import Facts
from generator.messages import _
from generator.reference import normalize
from generator.render.docx_template import WordTemplate, word_template_problems
from generator.render.meta import DocumentMeta
from generator.render.templates import confined
from generator.territory.schema import Territory
from generator.territory.sittings import (
    BUREAU,
    MUNICIPAL,
    Sitting,
    attendance,
    check_sittings,
    members_of,
)
from generator.territory.tables import Row

NAME = "deliberations"
TITLE = "Délibérations des conseils sur le PPGDID, la CIA et leur bilan"
TEMPLATE = "deliberation/deliberation.docx"
#: The Word template phrases with the same filters as the Markdown templates.
WORD_FILTERS = {**FILTERS, **GRAMMAR}


def template_paths(territory: Territory) -> list[Path]:
    """The territory's own template first (the one used; never a link out of overrides/), then
    the default one."""
    overrides = territory.folder / "overrides"
    candidates = [(overrides / TEMPLATE, overrides), (TEMPLATES / TEMPLATE, TEMPLATES)]
    return [confined(path, folder) for path, folder in candidates if path.is_file()]


def file_stem(territory: Territory, sitting: Sitting) -> str:
    """deliberation-cornas-2025-03-17; the EPCI's council takes the territory's slug, its bureau
    the slug followed by « bureau »."""
    if sitting.conseil == MUNICIPAL and sitting.commune:
        slug = "-".join(normalize(sitting.commune.nom).split())
    elif sitting.conseil == BUREAU:
        slug = f"{territory.slug}-bureau"
    else:
        slug = territory.slug
    return f"deliberation-{slug}-{sitting.date.isoformat()}"


def sittings_of(territory: Territory, year: int) -> list[Sitting]:
    return [s for s in territory.seances if s.date.year == year]


def contexts(
    territory: Territory, year: int
) -> tuple[dict[str, tuple[Sitting, dict[str, Any]]], list[Gap]]:
    """Each sitting of `year` with the context of its deliberation, by output file stem."""
    gaps: list[Gap] = []
    sittings = sittings_of(territory, year)
    if not sittings:
        return {}, gaps
    kinds = dict.fromkeys(s.conseil for s in sittings)
    summaries = {kind: policy(territory, kind, gaps) for kind in kinds}
    levels = guichets(territory, summaries[sittings[0].conseil]["roles"], gaps)
    built = {
        file_stem(territory, sitting): (
            sitting,
            sitting_context(
                territory,
                sitting,
                members,
                attendance(territory, sitting, members),
                summaries[sitting.conseil],
                levels,
                gaps,
            ),
        )
        for sitting in sittings
        for members in [members_of(territory, sitting)]
    }
    return built, list(dict.fromkeys(gaps))


def _sample_context(territory: Territory, year: int) -> dict[str, Any]:
    """A context with every name and nothing filled, to check a template with no sitting yet."""
    source = display_path(territory.folder / "data" / "seances.csv")
    blank: dict[str, Any] = dict.fromkeys((f.name for f in fields(Sitting)), None)
    blank |= {"conseil": MUNICIPAL, "commune": territory.communes[0], "date": dt.date(year, 1, 1)}
    sitting = Sitting(**blank | {"row": Row({}, source, 0)})
    summary = policy(territory, MUNICIPAL, [])
    counts = attendance(territory, sitting, [])
    return sitting_context(
        territory, sitting, [], counts, summary, guichets(territory, summary["roles"], []), []
    )


def _problems(territory: Territory, year: int) -> tuple[Problems, dict, list[Gap]]:
    """Errors of every Word template in use (the sittings are checked when loaded), contexts."""
    errors = Problems()
    built, gaps = contexts(territory, year)
    samples = [context for _, context in built.values()] or [_sample_context(territory, year)]
    for path in template_paths(territory):
        errors.extend(word_template_problems(path, display_path(path), samples, WORD_FILTERS))
    return errors, built, gaps


def warnings(territory: Territory, year: int) -> list[str]:
    """Sittings of `year` convened too late, or again too soon after a first sitting without
    quorum: they may be challenged, and their act does not say « régulièrement convoqué »."""
    shown = {s.row.line for s in sittings_of(territory, year)}
    return [
        _("{location}: {message}", location=w.location, message=w.message)
        for w in check_sittings(territory)[1]
        if w.location.row in shown
    ]


def check(territory: Territory, facts: Facts, year: int, options: Options) -> Made:
    """What the deliberations of `year` still lack, and their warnings; DataErrors for a wrong
    sitting (counts, quorum) or template."""
    errors, _, gaps = _problems(territory, year)
    errors.raise_if_any()
    return Made(gaps=gaps, warnings=warnings(territory, year))


def meta(context: dict[str, Any], date: dt.date) -> DocumentMeta:
    """File properties: the council's name and the sitting's date, never the clock (worded by
    `seance` of the deliberation texts)."""
    author = context["collectivite"]["entete"]
    return DocumentMeta(
        title=context["fichier"]["titre"],
        organisation=author,
        year=date.year,
        status=context["fichier"]["statut"],
        author=author,
        date=date_longue(date),
    )


def make(territory: Territory, facts: Facts, year: int, options: Options) -> Made:
    """One DOCX per sitting of `year`, by file stem. Nothing is rendered if anything is wrong."""
    errors, built, gaps = _problems(territory, year)
    errors.raise_if_any()
    template = WordTemplate(template_paths(territory)[0], WORD_FILTERS)  # compiled once
    files = {
        stem: template.render(context, meta(context, sitting.date))
        for stem, (sitting, context) in built.items()
    }
    return Made(gaps=gaps, files=files, warnings=warnings(territory, year))


DOCUMENT = DocumentType(
    name=NAME,
    title=TITLE,
    template=TEMPLATE,
    make=make,
    kind=Kind.WORD,
    formats=("docx", "odt", "pdf"),  # no Markdown or HTML from a Word template
    check=check,
    rank=50,
)
