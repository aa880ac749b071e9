"""What every document shares: the missing-data mark, gaps, content blocks with overrides."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from generator.errors import Location, Problems, display_path
from generator.formatting import date_longue, euros, liste, mois_annee
from generator.grammar import Genre, genre_de, le
from generator.indicators.facts import Facts
from generator.messages import N_, _
from generator.reference import departement_name
from generator.render.templates import confined
from generator.resources import CONTENT, TEMPLATES
from generator.territory.content import OVERLAID
from generator.territory.qpv import qpv_missing
from generator.territory.schema import Territory
from generator.territory.yaml_files import overlaid

#: The one visible mark of missing data in every document and format.
MISSING_TEXT = "[à renseigner]"
MISSING = Markup("**\\[à renseigner\\]**")


@dataclass(frozen=True)
class Gap:
    """Data a document needs and the territory does not give yet."""

    location: Location
    what: str

    def __str__(self) -> str:
        return _("{location}: {message}", location=self.location, message=self.what)


def or_missing(
    value: Any, gaps: list[Gap] | None = None, where: Location | None = None, what: str = ""
) -> Any:
    """The value, or the missing mark (and the gap recorded when a place is given)."""
    if value is None or value == "":
        if gaps is not None and where is not None:
            gaps.append(Gap(where, what))
        return MISSING
    return value


def search_paths(territory: Territory) -> list[Path]:
    """Overrides first, then defaults: one default, local exceptions, no copies."""
    overrides = territory.folder / "overrides"
    return [overrides, TEMPLATES, CONTENT]


# libyaml's safe loader parses the content blocks ten times faster than the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def content_file(territory: Territory, relative: str) -> Path:
    """The territory's own block if it has one (never a link out of overrides/), else ours."""
    territory.reads.add(("content", relative))
    for folder in (territory.folder / "overrides", CONTENT):
        if (folder / relative).exists():
            return confined(folder / relative, folder)
    raise FileNotFoundError(relative)


#: Content blocks parsed by this process, by path and state of the file (its mtime and size):
#: the deliberations read the same blocks once per sitting. Kept pickled, so that each reader
#: gets its own copy (unpickling is ten times faster than parsing the YAML again).
_PARSED: dict[tuple[Path, int, int], bytes] = {}
_PARSED_KEPT = 256


def _parsed(path: Path) -> Any:
    """The YAML of a content file, parsed once per state of the file (path, mtime, size)."""
    state = path.stat()
    key = (path, state.st_mtime_ns, state.st_size)
    if key not in _PARSED:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader, libyaml's
        if len(_PARSED) >= _PARSED_KEPT:
            _PARSED.clear()
        _PARSED[key] = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        return data
    return pickle.loads(_PARSED[key])  # noqa: S301 - pickled by this process, above


def load_content(territory: Territory, relative: str) -> dict[str, Any]:
    path = content_file(territory, relative)
    if relative not in OVERLAID or path == CONTENT / relative:
        return _parsed(path)
    territory.reads.add(("default", relative))  # both files make the result
    return overlaid(_parsed(CONTENT / relative), _parsed(path))


#: What each département block gives the documents, named in the gap when it is missing.
DEPARTEMENT_FACTS = {
    "accord-collectif.yaml": N_("accord collectif (priority levels, délai anormalement long)"),
    "pdalhpd.yaml": N_("PDALHPD (its name and priority levels)"),
    "accompagnement.yaml": N_("support measures of the département (FSL, accompaniment)"),
    "labellisation.yaml": N_("how the département labels priority households"),
    "cotation.yaml": N_("cotation principles of the département"),
    "delai-attente.yaml": N_("average waiting time of the département, by year, with its source"),
}


def departement_block(territory: Territory, name: str) -> tuple[dict[str, Any] | None, Gap | None]:
    """A per-département block, or the gap saying where the territory may write it: never the
    block of another département."""
    relative = f"departements/{territory.departement}/{name}"
    try:
        return load_content(territory, relative), None
    except FileNotFoundError:
        where = Location(display_path(territory.folder / "overrides" / relative))
        facts = _(DEPARTEMENT_FACTS[name]) if name in DEPARTEMENT_FACTS else name
        what = _(
            "{facts} — no block {name} for département {departement}: write it here",
            facts=facts,
            name=name,
            departement=territory.departement,
        )
        return None, Gap(where, what)


def territory_gender(territory: Territory) -> Genre:
    """An EPCI's name starts with its nature (communauté, métropole): the gender is that noun's,
    even when territory.yaml gives the name another first word."""
    return genre_de(territory.epci.nature_longue)


def territory_context(territory: Territory) -> dict[str, Any]:
    """How every document names the territory, with the article of the EPCI's nature."""
    return {
        "nom": territory.name,
        "nom_article": le(territory.name, territory_gender(territory)),
        "nom_court": territory.config.nom_court,
        "departement": departement_name(territory.departement),
        "communes": liste([c.nom for c in territory.communes]),
        "nombre_communes": len(territory.communes),
    }


def amount(value: Any) -> str:
    return euros(value)


def opening(value: int | dt.date | None) -> str:
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else date_longue(value)


def document_date(territory: Territory) -> str:
    chosen = territory.config.documents.date
    return mois_annee(chosen) if chosen else str(territory.config.annee)


def facts_of(territory: Territory) -> Facts:
    """The shared facts of a territory, reading content blocks with its overrides."""
    return Facts(territory, load_content)


def require_qpv_declared(territory: Territory, document: str) -> None:
    """A CIA or a bilan states both location objectives: it needs the territory's QPV listed
    (data/qpv.csv) or « no QPV » said (objectifs.qpv: false). Neither is refused, located."""
    where = qpv_missing(territory.qpv, territory.config.objectifs.qpv, territory.folder)
    if where is None:
        return
    given = territory.config.objectifs.qpv
    problems = Problems()
    problems.add(
        where,
        _(
            "the {document} needs to know the territory's QPV (qpv: true, but data/qpv.csv lists"
            " none): list them in data/qpv.csv (code, nom, communes), or write « qpv: false »"
            " under objectifs when the territory has none",
            document=document,
        )
        if given
        else _(
            "the {document} needs to know the territory's QPV: list them in data/qpv.csv (code,"
            " nom, communes), or write « qpv: false » under objectifs when the territory has none",
            document=document,
        ),
    )
    problems.raise_if_any()


def qpv_list(territory: Territory) -> list[dict[str, Any]]:
    """The territory's QPV as documents name them: code, name and communes."""
    return [
        {"code": q.code, "nom": q.nom, "communes": liste([c.nom for c in q.communes])}
        for q in territory.qpv
    ]
