"""What one deliberation shows: its sitting, formatted, and the policy it approves, from data.

The policy part is read by `policy`: the orientations from the CIA's own model (cia section of
territory.yaml), word for word as the CIA states them; the commitments and durations from the
`deliberations` section. The guichets come from the one guichets table, through the annexes'
function.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.documents.annex_tables import guichet_levels
from generator.documents.cia_orientations import deliberation_orientations
from generator.documents.common import MISSING_TEXT, Gap, content_file, load_content
from generator.errors import Location, TemplateError, display_path
from generator.formatting import (
    date_courte,
    date_en_lettres,
    date_longue,
    heure_en_lettres,
    liste,
    nombre_en_lettres,
)
from generator.reference import departement_name, normalize
from generator.render.templates import unsafe
from generator.territory.schema import Territory
from generator.territory.sittings import (
    ABSENT,
    CHAIR,
    COMMUNITY,
    EXCUSED,
    MUNICIPAL,
    PRESENT,
    SECRETARY,
    Member,
    Sitting,
    proxy_holder,
)

NOBODY = "Néant"
#: How the chair is named (in a sentence, above the signature, after the name), by council and
#: civility; None while the chair is not known.
CHAIR_TITLES = {
    (MUNICIPAL, "M."): ("Monsieur le Maire", "Le Maire", "Maire"),
    (MUNICIPAL, "Mme"): ("Madame la Maire", "La Maire", "Maire"),
    (MUNICIPAL, None): ("le Maire", "Le Maire", "Maire"),
    (COMMUNITY, "M."): ("Monsieur le Président", "Le Président", "Président"),
    (COMMUNITY, "Mme"): ("Madame la Présidente", "La Présidente", "Présidente"),
    (COMMUNITY, None): ("le Président", "Le Président", "Président"),
}
ARTICLES = {"loi": "la ", "circulaire": "la ", "décret": "le ", "arrêté": "l'", "ordonnance": "l'"}
#: The articles' texts may come from a territory's override: sandboxed, like every template.
_TEXT = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
_TEXTS = "blocs/deliberation-textes.yaml"

#: Duration of a CIA that does not state its own (that of the PPGDID and of most PLH).
DEFAULT_CIA_YEARS = 6


def of(name: str) -> str:
    """« de Cornas », « d'Alboussière », « du Pouzin », « des Ollières-sur-Eyrieux »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    if name.startswith("L'"):
        return "de " + name
    return ("d'" if name[:1].upper() in "AEIOUYÂÉÈÊÎÔ" else "de ") + name


def at(name: str) -> str:
    """« à Cornas », « au Pouzin », « aux Ollières-sur-Eyrieux »."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return "à " + name


def typeset(text: str) -> str:
    """A no-break space before « % » and « : », as typed texts often lack."""
    return text.replace(" %", "\u00a0%").replace(" :", "\u00a0:")


def years(count: int) -> str:
    return f"{nombre_en_lettres(count)} an{'s' if count > 1 else ''}"


def _visa(item: Any, laws: dict[str, dict[str, Any]]) -> str:
    """« la loi n° 2014-366 du 24 mars 2014 pour l'accès au logement..., dite loi ALUR »."""
    if isinstance(item, dict) and "texte" in item:
        return item["texte"]
    code = item if isinstance(item, str) else item["code"]
    try:
        law = laws[code]
    except KeyError:
        raise ValueError(f'no text "{code}" in content/national/cadre-legal.yaml') from None
    nature = law["nature"]
    number = f" n°\u00a0{law['numero']}" if law.get("numero") else ""
    known_as = f", dite loi {law['sigle']}" if law.get("sigle") and nature == "loi" else ""
    dated = f"{nature}{number} du {date_longue(law['date'])} {law['titre']}{known_as}"
    return ARTICLES.get(nature, "le ") + dated


def _merged_plan(territory: Territory) -> str:
    """The name of the plan merging the document cadre and the CIA, as the CIA itself gives it."""
    cia = territory.config.cia
    if not cia or not cia.intitule:
        return ""
    return f"{cia.intitule} ({cia.sigle})" if cia.sigle else cia.intitule


def _cia_years(territory: Territory) -> int:
    cia = territory.config.cia
    return (cia.duree_ans if cia else None) or DEFAULT_CIA_YEARS


def policy(territory: Territory, conseil: str, gaps: list[Gap]) -> dict[str, Any]:
    """The policy a deliberation approves, from configuration and the national legal texts."""
    settings = territory.config.deliberations
    texts = load_content(territory, _TEXTS)
    laws = {
        law["code"]: law for law in load_content(territory, "national/cadre-legal.yaml")["textes"]
    }
    orientations = deliberation_orientations(territory, gaps)
    reform = [item if isinstance(item, dict) else {"code": item} for item in texts["lois_reforme"]]
    named = [
        (r.get("nom") or laws[r["code"]]["sigle"], laws[r["code"]]["date"].year) for r in reform
    ]
    commitments = (
        settings.engagements_commune if conseil == MUNICIPAL else settings.engagements_epci
    )
    merged = _merged_plan(territory)
    return {
        "objet": settings.objet,
        "reforme": {
            "debut": str(min(year for _, year in named)),
            "lois": liste(f"{name} ({year})" for name, year in named),
        },
        "documents": {"attributions": merged},
        "orientations": [
            {**o, "objectif": typeset(o["objectif"]), "precision": typeset(o["precision"])}
            for o in orientations
        ],
        "orientations_nombre": nombre_en_lettres(len(orientations)),
        "engagements": list(commitments),
        "visas": [_visa(item, laws) for item in texts["visas"]] + list(settings.visas),
        "durees": {
            "duree_ppgdid": years(settings.duree_ppgdid_ans),
            "duree_cia": years(_cia_years(territory)),
            "document_attributions": merged,
        },
        "conseils": texts["conseils"],
        "roles": texts["niveaux_guichets"],
    }


def guichets(territory: Territory, roles: dict[int, str], gaps: list[Gap]) -> list[dict[str, Any]]:
    """One line per level: the same lists as the PPGDID annexes (their contact gaps are theirs)."""
    lines = []
    for level in guichet_levels(territory, []):
        names = liste(level["ouverts"])
        if level["prevus"]:
            planned = f"en projet : {liste(level['prevus'])}"
            names = f"{names} ; {planned}" if names else planned
        if not names:
            where = Location(display_path(territory.folder / "data" / "guichets.csv"))
            gaps.append(Gap(where, f"no guichet of level {level['numero']}"))
        role = roles.get(level["numero"])
        title = f"{level['titre']}, pour {role}" if role else level["titre"]
        lines.append({"numero": level["numero"], "texte": f"{title} : {names or MISSING_TEXT}."})
    return lines


def _filled(value: Any, sitting: Sitting, column: str, gaps: list[Gap]) -> str:
    if value is None:
        gaps.append(Gap(sitting.row.at(column), f"{column} of the sitting of {sitting.date}"))
        return MISSING_TEXT
    return str(value)


def _names(members: list[Member], presence: str) -> str:
    return ", ".join(m.name for m in members if m.presence == presence) or NOBODY


def _officer(members: list[Member], role: str) -> Member | None:
    return next((m for m in members if m.role == role), None)


def _vote(sitting: Sitting, gaps: list[Gap]) -> dict[str, Any]:
    counts = {
        name: _filled(getattr(sitting, name), sitting, name, gaps)
        for name in ("pour", "contre", "abstention")
    }
    for_, against, abstention = sitting.pour, sitting.contre, sitting.abstention
    if None in (for_, against, abstention) or for_ == against:
        if for_ is not None and for_ == against:
            tie = "tied vote: the chair's casting vote decides, write the outcome in the document"
            gaps.append(Gap(sitting.row.at("pour"), tie))
        outcome, decision = MISSING_TEXT, f"Décide : {MISSING_TEXT}"
    elif for_ < against:
        outcome, decision = "Rejetée", "Rejette les propositions ci-dessus, à la majorité."
    elif against == 0 and abstention == 0:
        outcome, decision = "Adoptée à l'unanimité", "Décide, à l'unanimité :"
    elif against == 0:
        outcome = "Adoptée à l'unanimité des suffrages exprimés"
        decision = "Décide, à l'unanimité des suffrages exprimés :"
    else:
        outcome, decision = "Adoptée à la majorité", "Décide, à la majorité :"
    return {**counts, "resultat": outcome, "decision": decision, "rejetee": outcome == "Rejetée"}


def _article(territory: Territory, number: int, text: str, words: dict[str, Any]) -> str:
    """One article's text with its words filled in; a broken or unsafe text is located."""
    try:
        return _TEXT.from_string(text).render(words)
    except jinja2.TemplateError as error:
        where = Location(display_path(content_file(territory, _TEXTS)), key=f"articles ({number})")
        message = unsafe(error) if isinstance(error, SecurityError) else str(error)
        raise TemplateError(message, where) from error


def sitting_context(
    territory: Territory,
    sitting: Sitting,
    members: list[Member],
    policy: dict[str, Any],
    guichets: list[dict[str, Any]],
    gaps: list[Gap],
) -> dict[str, Any]:
    """Everything the Word template shows for one sitting, formatted in French."""
    municipal = sitting.conseil == MUNICIPAL
    council = policy["conseils"][sitting.conseil]
    members = sorted(members, key=lambda m: normalize(m.nom))  # by surname, as acts list them
    where = sitting.row.at
    if not members:
        gaps.append(
            Gap(where("date"), f"members of the sitting of {sitting.date} (seances_membres)")
        )
    chair, secretary = _officer(members, CHAIR), _officer(members, SECRETARY)
    for officer, role in ((chair, CHAIR), (secretary, SECRETARY)):
        if members and officer is None:
            gaps.append(Gap(where("date"), f"the {role} of the sitting of {sitting.date}"))
    speaks, signs, quality = CHAIR_TITLES[(sitting.conseil, chair.civilite if chair else None)]
    opening = date_en_lettres(sitting.date)
    time = (
        heure_en_lettres(sitting.heure) if sitting.heure else _filled(None, sitting, "heure", gaps)
    )
    proxies = [
        f"{m.name} donne pouvoir à {holder.name if holder else MISSING_TEXT}"
        for m in members
        if m.pouvoir_a and m.presence != PRESENT
        for holder in [proxy_holder(m, members)]
    ]
    commune = sitting.commune
    if commune is None:
        gaps.append(Gap(where("commune"), "commune where the community council sat"))
    entete = f"Commune {of(commune.nom)}" if municipal else territory.name
    of_epci = f"de la {territory.name}"
    vote = _vote(sitting, gaps)
    words = {**policy["durees"], "signataire": speaks}
    articles = [
        {"numero": number, "texte": _article(territory, number, text, words)}
        for number, text in enumerate(council["articles"], start=1)
        if not vote["rejetee"]
    ]
    return {
        **{key: policy[key] for key in ("objet", "reforme", "documents", "orientations")},
        **{key: policy[key] for key in ("orientations_nombre", "engagements", "visas")},
        "collectivite": {
            "entete": entete,
            "departement": f"{departement_name(territory.departement)} ({territory.departement})",
            "nom_article": f"la commune {of(commune.nom)}" if municipal else f"la {territory.name}",
        },
        "epci": {"nom": territory.name, "nom_article": f"la {territory.name}"},
        "conseil": {
            "nom": council["nom"],
            "sujet": f"le {council['nom']} {of(commune.nom) if municipal else of_epci}",
        },
        "rapporteur": {
            "expose": speaks[0].upper() + speaks[1:],
            "entendu": speaks,
            "signature": f"{signs},",
        },
        "seance": {
            "date": date_courte(sitting.date),
            "date_longue": date_longue(sitting.date),
            "ouverture": f"{opening[0].upper()}{opening[1:]}, à {time}",
            "lieu": sitting.lieu or "dans le lieu habituel de ses séances",
            "president": chair.name if chair else MISSING_TEXT,
            "president_qualite": quality,
            **{
                name: _filled(getattr(sitting, name), sitting, name, gaps)
                for name in ("en_exercice", "presents", "suffrages", "numero_acte")
            },
            "convocation": _date(sitting, "convocation", gaps),
            "affichage": _date(sitting, "affichage", gaps),
            "liste_presents": _names(members, PRESENT) if members else MISSING_TEXT,
            "procurations": proxies or [NOBODY],
            "absents": _names(members, ABSENT),
            "excuses": _names(members, EXCUSED),
            "secretaire": secretary.name if secretary else MISSING_TEXT,
            "secretaire_titre": (
                "La secrétaire de séance"
                if secretary and secretary.civilite == "Mme"
                else "Le secrétaire de séance"
            ),
            "fait_a": at(commune.nom) if commune else f"à {MISSING_TEXT}",
        },
        "vote": vote,
        "guichets": guichets,
        "guichets_nombre": nombre_en_lettres(len(guichets)),
        "articles": articles,
    }


def _date(sitting: Sitting, column: str, gaps: list[Gap]) -> str:
    value = getattr(sitting, column)
    return date_courte(value) if value else _filled(None, sitting, column, gaps)
