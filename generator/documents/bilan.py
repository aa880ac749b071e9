"""The bilan of the allocation policy: each objective against its result, year N and the years
before, with charts, generated commentary and a one-page summary; `period` adds the
complementary indicators of the triennial or final bilan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.documents import law_in_force
from generator.documents.bilan_charts import evaluation_charts
from generator.documents.bilan_commentary import verdict
from generator.documents.bilan_workbook import workbook_bytes
from generator.documents.common import (
    MISSING,
    Gap,
    load_content,
    qpv_list,
    require_qpv_declared,
    territory_context,
)
from generator.documents.contract import DocumentType, Made, Options
from generator.documents.presentation import (
    LABELS,
    figure,
    labelled_evaluation,
    merged_sources,
    scale_words,
    sheet_names,
    shown,
)
from generator.documents.profile_sections import missing_profiles, profile_gap, profiles
from generator.errors import Location, display_path
from generator.indicators.allocations import AllocationFacts
from generator.indicators.evaluation import PERIODS
from generator.indicators.facts import Facts
from generator.messages import _
from generator.territory.config import RESTRICTED
from generator.territory.schema import Territory

NAME = "bilan"
TITLE = "Bilan de la politique intercommunale d'attribution"
TEMPLATE = "bilan/document.md.j2"


def output_name(options: Options) -> str:
    """bilan, bilan-triennal, bilan-final: each period has its own files."""
    period = options.get("period")
    return NAME if period is None else f"{NAME}-{PERIODS[period][1]}"


def _gaps(territory: Territory, facts: AllocationFacts, year: int | None, asked: int) -> list[Gap]:
    data = territory.folder / "data"
    if year is None:
        where = Location(display_path(data / "attributions.csv"))
        return [
            Gap(
                where,
                _("allocations of {asked} (attributions or attributions_agregees)", asked=asked),
            )
        ]
    gaps: list[Gap] = []
    counts = facts.epci(year)
    if counts is None:
        return gaps
    for name in ("attributions", "premier_quartile_hors_qpv", "prioritaires", "mutations"):
        if name not in counts.values and name not in counts.rates:
            where = Location(display_path(data / "attributions_agregees.csv"), column=name)
            gaps.append(Gap(where, _("{name} of {year} for the whole EPCI", name=name, year=year)))
    if year not in facts.applications:
        gaps.append(
            Gap(
                Location(display_path(data / "demandes.csv")),
                _("applications of {year}", year=year),
            )
        )
    if year not in facts.thresholds:
        where = Location(display_path(data / "seuils_quartile.csv"))
        gaps.append(Gap(where, _("first-quartile threshold of {year}", year=year)))
    return gaps


def _about(
    territory: Territory,
    words: Mapping[str, Any],
    title: str,
    threshold: int,
    notice: str,
    sources: list[str],
) -> list[str]:
    """The workbook's first lines: the territory, then the block's `classeur` words; a document
    of restricted audience says so instead of describing the secrecy it does not apply."""
    figures = {"titre": title, "secret_max": threshold - 1}
    return [
        territory.name,
        *(
            notice if notice and "{secret_max}" in line else line.format_map(figures)
            for line in words["classeur"]
        ),
        *(words["source"].format(source=s) for s in merged_sources(sources)),
    ]


#: The key of objectifs.prioritaires that holds the target of every contingent not named.
OTHERS = "autres"


def priority_targets(territory: Territory, labels: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each contingent's priority target, named as the bilan's sentences name it (« contingent
    des communes »), the target of all the others last (`nom` None: the template words it)."""
    targets = territory.config.objectifs.prioritaires
    named = [
        {"nom": scale_words(key, labels), "cible": value}
        for key, value in targets.items()
        if key != OTHERS
    ]
    others = [{"nom": None, "cible": targets[OTHERS]}] if OTHERS in targets else []
    return named + others


def make(territory: Territory, facts: Facts, year: int, options: Options) -> Made:
    """Everything the bilan shows, formatted, plus its charts and workbook for the build."""
    require_qpv_declared(territory, "bilan")
    period = options.get("period")
    labels = load_content(territory, LABELS)
    threshold = territory.config.secrecy_threshold(NAME)
    restricted = territory.config.audience(NAME) == RESTRICTED
    # The charts read the computed evaluation's columns by key.
    computed = facts.evaluation(year, period, threshold)
    found = labelled_evaluation(computed, labels)
    notice = labels["diffusion"]["restreinte"][NAME] if restricted else ""
    kind = PERIODS[period][1]
    years = found.years
    span = f"{years[0]}-{years[-1]}" if period and years else str(found.year or year)
    words = labels["bilan"]
    title = words["titre"].format(type=words["types"][kind], etendue=span)
    base = {
        "territoire": territory_context(territory),
        "annee": found.year or year,
        "periode": period,
        "type": kind,
        "etendue": span,
        "secret": threshold,
        "restreinte": restricted,
        "objectifs": territory.config.objectifs,
        "cibles_prioritaires": priority_targets(territory, labels),
        "qpv": qpv_list(territory),
        "titre": title,
        "vide": found.year is None,
        "a_renseigner": MISSING,
    }
    gaps = _gaps(territory, found.facts, found.year, year)
    if found.year is None:
        return Made(base, gaps, notice=notice)
    profiled = profiles(computed.facts, years, threshold, labels)
    missing = missing_profiles(profiled)
    if missing:
        gaps.append(profile_gap(territory, missing))
    law = law_in_force.evaluated_law(territory, found.year, years)
    results = [
        r
        for key, group in found.results.items()
        for r in group
        if law["travailleurs"] or key != "travailleurs"
    ]
    stem = output_name(options)
    drawn = evaluation_charts(f"{stem}-{found.year}", computed, territory.config.objectifs, labels)
    prefix = f"{stem}-{found.year}-"
    verdicts = {key: [verdict(r) for r in group] for key, group in found.results.items()}
    context = {
        **base,
        "annees": years,
        "droit": law,
        "verdicts": [verdict(r) for r in results],
        "resultats": {
            "premier_quartile": verdicts["premier_quartile"][0],
            "autres_quartiles_qpv": next(iter(verdicts["autres_quartiles_qpv"]), None),
            "prioritaires": verdicts["prioritaires"],
            "mutations": verdicts["mutations"][0],
            "travailleurs": verdicts["travailleurs"][0],
        },
        "atteints": sum(r.atteint is True for r in results),
        "mesures": sum(r.cible is not None for r in results),
        "tableaux": {
            **{key: None if x.is_empty else shown(x) for key, x in found.tables.items()},
            "complements": [shown(x) for x in found.complements],
        },
        "profils": profiled,
        "profils_manquants": missing,
        "graphiques": {
            c.filename.removeprefix(prefix).removesuffix(".png"): figure(c) for c in drawn
        },
    }
    workbook = workbook_bytes(
        found.published,
        _about(territory, words, title, threshold, notice, found.sources),
        year,
        title,
        words,
        sheet_names(labels),
    )
    return Made(
        context,
        gaps,
        images={c.filename: c.png for c in drawn},
        attachments={f"{stem}.xlsx": workbook},
        notice=notice,
        title=title,  # the cover says which year or period is evaluated
        cover_year=span,
    )


DOCUMENT = DocumentType(
    name=NAME,
    title=TITLE,
    template=TEMPLATE,
    make=make,
    options=("period",),
    output_name=output_name,
    rank=40,
    short_title="Bilan de la politique d'attribution",
)
