"""The cotation grid of a PPGDID: its table(s), its summary and the legal criteria it covers."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.documents.common import Gap, departement_block, load_content, or_missing
from generator.documents.presentation import LABELS, folded
from generator.errors import Location, Problems, display_path
from generator.formatting import nombre
from generator.messages import _
from generator.render.escape import escape_markdown
from generator.territory.policy_ppgdid import (
    ALL,
    FIRST,
    MANDATORY,
    MANUAL,
    OPTIONAL,
    TRANSFER,
    Criterion,
)
from generator.territory.schema import Territory

#: The grid's columns, keys of the `cotation.colonnes` words (blocs/libelles.yaml).
HEADER = ["critere", "ponderation", "points", "plafond", "nature", "saisie"]
SCOPE = "demandes"
WIDTHS = [33, 14, 15, 9, 14, 15]
WIDTHS_WITH_SCOPE = [27, 13, 14, 8, 12, 13, 13]
#: Each grid, by the territory's choice: the key of its title and the requests it applies to.
GRIDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "une": [("grille_unique", (ALL, FIRST, TRANSFER))],
    "deux": [
        ("grille_premieres_demandes", (ALL, FIRST)),
        ("grille_mutations", (ALL, TRANSFER)),
    ],
}


def _row(item: Criterion, with_scope: bool, gaps: list[Gap]) -> list[Any]:
    what = _("of the cotation criterion « {name} »", name=item.critere)
    cells = [
        item.critere,
        or_missing(
            item.ponderation, gaps, item.row.at("ponderation"), _("weight class {what}", what=what)
        ),
        or_missing(
            None if item.points is None else nombre(item.points),
            gaps,
            item.row.at("points"),
            _("points {what}", what=what),
        ),
        "" if item.plafond is None else nombre(item.plafond),
        item.nature,
        item.saisie,
    ]
    return [*cells, item.demandes] if with_scope else cells


def _grouped(rows: list[tuple[Criterion, list[Any]]], width: int) -> list[list[Any]]:
    """Rows of a grid, each family opening with a bold row of its name."""
    grouped: list[list[Any]] = []
    family: str | None = None
    for item, cells in rows:
        if item.famille and item.famille != family:
            grouped.append([Markup(f"**{escape_markdown(item.famille)}**"), *[""] * (width - 1)])
        family = item.famille
        grouped.append(cells)
    return grouped


def legal_criteria(territory: Territory) -> list[dict[str, Any]]:
    """The priority criteria the law makes mandatory in every grid (national list)."""
    return load_content(territory, "national/cotation-criteres-legaux.yaml")["criteres"]


def _points_range(criteria: list[Criterion]) -> dict[str, Any] | None:
    known = [c.points for c in criteria if c.points is not None]
    if not known:
        return None
    capped = [c.plafond for c in criteria if c.plafond is not None]
    return {
        "minimum": nombre(min(known)),
        "maximum": nombre(max(known)),
        "plafond_max": nombre(max(capped)) if capped else None,
    }


def _optional_criteria(
    territory: Territory, criteria: list[Criterion], listed: int, gaps: list[Gap]
) -> bool | None:
    """Whether the adopted grid has optional criteria: listed in data/cotation.csv, or said in
    ppgdid.cotation.facultatifs (true while they are not listed yet: a gap); None when unknown.
    Saying « false » while the table lists optional criteria is an error."""
    settings = territory.config.ppgdid
    said = settings.cotation.facultatifs if settings and settings.cotation else None
    where = Location(
        display_path(territory.folder / "territory.yaml"), key="ppgdid.cotation.facultatifs"
    )
    if said is False and listed:
        first = next(c for c in criteria if c.nature == OPTIONAL)
        problems = Problems()
        problems.add(
            where,
            _(
                "says the grid has no optional criterion, but data/cotation.csv lists {count} "
                "(row {row}: « {name} ») — write true, or mark them obligatoire",
                count=listed,
                row=first.row.line,
                name=first.critere,
            ),
        )
        problems.raise_if_any()
    if listed:
        return True
    if said is None and criteria:
        gaps.append(Gap(where, _("whether the grid has optional criteria (true or false)")))
    elif said:
        data = Location(display_path(territory.folder / "data" / "cotation.csv"))
        gaps.append(Gap(data, _("the optional criteria of the adopted grid (nature: facultatif)")))
    return said


def grid(territory: Territory, gaps: list[Gap]) -> dict[str, Any]:
    """Everything the cotation chapter shows: choices, tables, summary, covered criteria."""
    settings = territory.config.ppgdid
    choice = settings.cotation.grilles if settings and settings.cotation else None
    where = Location(display_path(territory.folder / "territory.yaml"), key="ppgdid.cotation")
    if choice is None:
        gaps.append(Gap(where, _("one cotation grid or two (ppgdid.cotation.grilles: une | deux)")))
    criteria: list[Criterion] = territory.cotation
    if not criteria:
        data = Location(display_path(territory.folder / "data" / "cotation.csv"))
        gaps.append(Gap(data, _("the cotation grid (data/cotation.csv)")))
    with_scope = choice != "deux" and any(c.demandes != ALL for c in criteria)
    words = load_content(territory, LABELS)["cotation"]
    header = [words["colonnes"][key] for key in (*HEADER, SCOPE)[: len(HEADER) + with_scope]]
    widths = WIDTHS_WITH_SCOPE if with_scope else WIDTHS
    rows = [(c, _row(c, with_scope, gaps)) for c in criteria]
    tables = [
        folded(
            {
                "titre": words[title],
                "entete": header,
                "largeurs": widths,
                "lignes": _grouped([r for r in rows if r[0].demandes in scopes], len(header)),
            },
            constants=False,  # a grid's « Nature » or « Saisie » alike everywhere stays shown
        )
        for title, scopes in GRIDS[choice or "une"]
    ]
    legal = legal_criteria(territory)
    taken: dict[str, list[str]] = {}
    for c in criteria:
        for code in c.critere_legal:
            taken.setdefault(code, []).append(c.critere)
    departement, _gap = departement_block(territory, "cotation.yaml")
    mandatory = [c for c in criteria if c.nature == MANDATORY]
    optional = _optional_criteria(territory, criteria, len(criteria) - len(mandatory), gaps)
    refusals = settings.cotation.refus if settings and settings.cotation else []
    if not refusals:
        gaps.append(
            Gap(where, _("the cases where refusing a suitable offer changes the score (refus)"))
        )
    absent = Markup(f"**{escape_markdown(words['non_pris_en_compte'])}**")
    return {
        "grilles": choice,
        "refus": [[r.cas, r.effet] for r in refusals],
        "departement": departement,
        "tableaux": tables,
        "nombre": len(criteria),
        "obligatoires": len(mandatory),
        "facultatifs": len(criteria) - len(mandatory),
        "facultatifs_adoptes": optional,
        "manuels": [c.critere for c in criteria if c.saisie == MANUAL],
        "familles": sorted({c.famille for c in criteria if c.famille}),
        "points": _points_range(criteria),
        "sans_points": sum(1 for c in criteria if c.points is None),
        "legaux_couverts": [item["libelle"] for item in legal if item["code"] in taken],
        "legaux_absents": [item["libelle"] for item in legal if item["code"] not in taken],
        "legaux_tableau": [
            [item["libelle"], "\n".join(taken[item["code"]]) if item["code"] in taken else absent]
            for item in legal
        ],
        # Each legal criterion is a grid criterion of the same words: the grid's own table
        # already lists them, and a table of two identical columns would say nothing.
        "legaux_sous_leur_nom": all(taken.get(item["code"]) == [item["libelle"]] for item in legal),
        "legaux_nombre": len(legal),
        "legaux_reference": load_content(territory, "national/cotation-criteres-legaux.yaml")[
            "reference"
        ],
    }
