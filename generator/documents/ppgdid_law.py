"""What the law asks a PPGDID to contain, which chapter covers each point, and the glossary.

The list of points and the chapters that cover them are data (content/national/
ppgdid-contenu.yaml). A chapter covers a point only when the territory gives what the point
needs (its CONDITIONS): a plan without mutation targets does not cover the mutations point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.documents import law_in_force
from generator.documents.common import content_file, load_content
from generator.formatting import date_longue, mois_annee
from generator.messages import _
from generator.territory.policy_ppgdid import Period
from generator.territory.schema import Territory

POINTS_FILE = "national/ppgdid-contenu.yaml"
GLOSSARY_FILE = "national/glossaire.yaml"
LABELS = "blocs/libelles.yaml"
LEGAL_TEXTS_FILE = "national/cadre-legal.yaml"


@dataclass(frozen=True)
class LegalPoint:
    code: str
    article: str
    numero: str
    objet: str
    verifie: bool
    facultatif: bool

    @property
    def label(self) -> str:
        """« R441-2-10 2° » or « L441-2-8 »: how the point is named in tables and messages."""
        return f"{self.article} {self.numero}".strip()


def _ppgdid(territory: Territory) -> Any:
    return territory.config.ppgdid


def _departement_has(name: str) -> Callable[[Territory], bool]:
    def has(territory: Territory) -> bool:
        relative = f"departements/{territory.departement}/{name}"
        try:
            content_file(territory, relative)
        except FileNotFoundError:
            return False
        return True

    return has


#: What a territory must give for a chapter to cover a point, and where it gives it (a
#: département block in the territory's overrides/, as `cil new` recommends; "+" joins files that
#: are all needed).
CONDITIONS: dict[str, tuple[Callable[[Territory], bool], str]] = {
    "guichets": (lambda t: bool(t.guichets), "data/guichets.csv"),
    "delai_entretien": (
        lambda t: t.config.accueil.delai_entretien_jours is not None,
        "territory.yaml, accueil.delai_entretien_jours",
    ),
    "delai_attente": (
        lambda t: t.config.accueil.delai_attente_moyen_mois is not None,
        "territory.yaml, accueil.delai_attente_moyen_mois",
    ),
    "lieu_commun": (
        lambda t: bool(_ppgdid(t) and _ppgdid(t).lieu_accueil_commun),
        "territory.yaml, ppgdid.lieu_accueil_commun",
    ),
    "qualification": (lambda t: bool(t.parc_ops), "data/parc_ops.csv"),
    "labellisation": (
        lambda t: (
            _departement_has("labellisation.yaml")(t)
            and _departement_has("accord-collectif.yaml")(t)
        ),
        "overrides/departements/<departement>/labellisation.yaml+accord-collectif.yaml",
    ),
    "accompagnement": (
        _departement_has("accompagnement.yaml"),
        "overrides/departements/<departement>/accompagnement.yaml",
    ),
    "mutations": (
        lambda t: bool(_ppgdid(t) and _ppgdid(t).mutations),
        "territory.yaml, ppgdid.mutations",
    ),
    "grille": (lambda t: bool(t.cotation), "data/cotation.csv"),
    "refus_cotation": (
        lambda t: bool(_ppgdid(t) and _ppgdid(t).cotation and _ppgdid(t).cotation.refus),
        "territory.yaml, ppgdid.cotation.refus",
    ),
    "evaluation_finale": (
        lambda t: bool(_ppgdid(t) and _ppgdid(t).evaluation_finale),
        "territory.yaml, ppgdid.evaluation_finale",
    ),
    "location_choisie": (
        lambda t: bool(_ppgdid(t) and _ppgdid(t).location_choisie),
        "territory.yaml, ppgdid.location_choisie",
    ),
}


def legal_points(territory: Territory) -> list[LegalPoint]:
    """The points the law asks of a plan dated in the territory's year (a point with a later
    `debut` is left out)."""
    data = load_content(territory, POINTS_FILE)
    on = law_in_force.document_day(territory, territory.year)
    return [
        LegalPoint(
            code=p["code"],
            article=p["article"],
            numero=str(p.get("numero", "")),
            objet=p["objet"],
            verifie=bool(p["verifie"]),
            facultatif=bool(p.get("facultatif", False)),
        )
        for p in data["points"]
        if p.get("debut") is None or p["debut"] <= on
    ]


def chapters(territory: Territory) -> list[dict[str, Any]]:
    """Each chapter with its title and the points it really covers for this territory."""
    data = load_content(territory, POINTS_FILE)
    by_code = {p.code: p for p in legal_points(territory)}
    result = []
    for chapter in data["chapitres"]:
        covered = []
        for item in chapter["couvre"]:
            if item["point"] not in by_code:
                continue
            condition = item.get("si")
            if condition is None or CONDITIONS[condition][0](territory):
                covered.append(by_code[item["point"]])
        result.append({"code": chapter["code"], "titre": chapter["titre"], "points": covered})
    return result


def _by_article(points: list[LegalPoint]) -> list[dict[str, Any]]:
    """The points grouped by article, in order: the templates say « aux points 1°, 2° et 7° de
    l'article R441-2-10 et à l'article L441-2-8 »."""
    articles: dict[str, list[str]] = {}
    for point in points:
        numbers = articles.setdefault(point.article, [])
        if point.numero and point.numero not in numbers:
            numbers.append(point.numero)
    return [{"article": article, "numeros": numbers} for article, numbers in articles.items()]


def chapter_points(territory: Territory) -> dict[str, dict[str, Any]]:
    """Chapter code → its title and the legal points it answers, by article."""
    return {
        c["code"]: {"titre": c["titre"], "points": _by_article(c["points"])}
        for c in chapters(territory)
    }


def coverage_rows(territory: Territory, missing: Any) -> list[list[Any]]:
    """The table « point → chapter »: every point of the law and where this plan answers it."""
    where: dict[str, list[str]] = {}
    for chapter in chapters(territory):
        for point in chapter["points"]:
            where.setdefault(point.code, []).append(chapter["titre"])
    rows = []
    for point in legal_points(territory):
        chapters_of = where.get(point.code)
        shown = "; ".join(chapters_of) if chapters_of else ("—" if point.facultatif else missing)
        rows.append([point.label, point.objet, shown])
    return rows


def _condition_sources(territory: Territory) -> dict[str, list[str]]:
    """Point code → where the territory would fill what its chapter needs."""
    data = load_content(territory, POINTS_FILE)
    sources: dict[str, list[str]] = {}
    for chapter in data["chapitres"]:
        for item in chapter["couvre"]:
            if condition := item.get("si"):
                place = CONDITIONS[condition][1].replace("<departement>", territory.departement)
                place = _(" and ").join(place.split("+"))
                sources.setdefault(item["point"], []).append(place)
    return sources


def warnings(territory: Territory) -> list[str]:
    """Mandatory points this territory's plan leaves uncovered, and points not checked against
    the article's text: warnings of `cil check`, never errors."""
    covered = {p.code for c in chapters(territory) for p in c["points"]}
    sources = _condition_sources(territory)
    shown = f"content/{POINTS_FILE}"  # as the other warnings of the national content name it
    found = []
    for point in legal_points(territory):
        if point.code not in covered and not point.facultatif:
            places = sources.get(point.code)
            hint = (
                _(" — fill {places}", places=_(" or ").join(places))
                if places
                else _(" — no chapter covers it")
            )
            found.append(
                _(
                    "{label} ({code}) is not covered by the plan{hint}",
                    label=point.label,
                    code=point.code,
                    hint=hint,
                )
            )
    unchecked = [f"{p.label} ({p.code})" for p in legal_points(territory) if not p.verifie]
    if unchecked:
        found.append(
            _(
                "{shown}: {count} points were not checked against the text of their article"
                " (verifie: false): {unchecked}",
                shown=shown,
                count=len(unchecked),
                unchecked=", ".join(unchecked),
            )
        )
    criteria = load_content(territory, "national/cotation-criteres-legaux.yaml")
    if not criteria.get("verifie", False):
        found.append(
            _(
                "content/national/cotation-criteres-legaux.yaml: the list of criteria a cotation"
                " grid must take in was not checked against the text of the law (verifie: false)"
            )
        )
    return found


def legal_texts(territory: Territory) -> list[dict[str, Any]]:
    return load_content(territory, LEGAL_TEXTS_FILE)["textes"]


def legal_title(territory: Territory, text: dict[str, Any]) -> str:
    """« Loi n° 2014-366 du 24 mars 2014 pour l'accès au logement et un urbanisme rénové »,
    worded by `textes_de_loi` of the labels block."""
    words = load_content(territory, LABELS)["textes_de_loi"]
    filled = {
        "nature": text["nature"].capitalize(),
        "numero": text.get("numero") or "",
        "date": date_longue(text["date"]),
        "titre": text["titre"],
    }
    return words["numerote" if text.get("numero") else "sans_numero"].format(**filled)


def glossary_entries(territory: Territory) -> dict[str, str]:
    """Abbreviation → meaning (each defined once: checked when loaded); a law's takes its title."""
    data = load_content(territory, GLOSSARY_FILE)
    texts = {t["code"]: t for t in legal_texts(territory)}
    entries: dict[str, str] = {}
    for item in data["sigles"]:
        sigle = item["sigle"]
        if "texte" in item:
            entries[sigle] = legal_title(territory, texts[item["texte"]])
        else:
            entries[sigle] = item["definition"]
    return entries


def _pattern(sigle: str) -> re.Pattern[str]:
    # Not inside a longer word or code: « DALO » but not « COMDALO », « CIL » but not « CILs ».
    return re.compile(rf"(?<![\w-]){re.escape(sigle)}(?![\w-])")


def abbreviations_used(text: str, entries: dict[str, str]) -> list[str]:
    """The defined abbreviations a text uses, and those their own meanings use in turn."""
    plain = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes do not split words
    # A substring test first: a regex search through a long annex for an absent sigle is slow.
    used = {s for s in entries if s in plain and _pattern(s).search(plain)}
    pending = list(used)
    while pending:
        meaning = entries[pending.pop()]
        for sigle in entries:
            if sigle not in used and _pattern(sigle).search(meaning):
                used.add(sigle)
                pending.append(sigle)
    return sorted(used, key=str.lower)


def period_text(value: Period) -> str:
    if value.precision == "année":
        return str(value.start.year)
    return mois_annee(value.start) if value.precision == "mois" else date_longue(value.start)


def glossary(territory: Territory) -> Any:
    entries = glossary_entries(territory)

    def rows(text: str) -> list[list[str]]:
        """The abbreviations `text` uses, with their meaning: the document's own glossary."""
        return [[s, entries[s]] for s in abbreviations_used(str(text), entries)]

    return rows
