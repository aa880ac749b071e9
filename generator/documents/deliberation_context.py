"""What one deliberation shows: its sitting, formatted, and the policy it approves, from data.

The policy part is read by `policy`: the orientations from the CIA's own model (cia section of
territory.yaml), word for word as the CIA states them; the commitments and durations from the
`deliberations` section. The guichets come from the one guichets table, through the annexes'
function.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from generator.documents import law_in_force
from generator.documents.annex_tables import guichet_levels
from generator.documents.cia_orientations import deliberation_orientations
from generator.documents.common import (
    MISSING_TEXT,
    Gap,
    content_file,
    load_content,
    territory_gender,
)
from generator.errors import Location, TemplateError, display_path
from generator.formatting import (
    date_courte,
    date_en_lettres,
    date_longue,
    heure_en_lettres,
    liste,
    nombre_en_lettres,
)
from generator.grammar import FILTERS as GRAMMAR
from generator.grammar import compte, de_lieu, du, le, majuscule
from generator.messages import _
from generator.reference import departement_name, normalize
from generator.render.templates import Sandbox, unsafe
from generator.territory.schema import Territory
from generator.territory.sittings import (
    ABSENT,
    ANNEXES,
    BILAN,
    CHAIR,
    CIA,
    DEFAULT_DOCUMENTS,
    EXCUSED,
    FRAMEWORK,
    MUNICIPAL,
    PPGDID,
    PRESENT,
    SECRETARY,
    Attendance,
    Member,
    Sitting,
    named,
    proxy_holder,
)

#: The civility of a woman, as the sittings' data write it (normalised by territory/sittings.py).
MADAME = "Mme"
#: The outcomes of a vote, as the Word template tests them: « unanimite », « unanimite_exprimes »
#: (abstentions only), « majorite », « rejet »; None while the counts do not decide.
REJECTED = "rejet"
#: The key of the chair's titles (blocs/deliberation-textes.yaml) while the chair is not known.
UNKNOWN_CHAIR = "inconnu"
#: The articles, in their order: each present when the sitting approves its document(s).
ARTICLES = {
    "ppgdid": (PPGDID,),
    "annexes": (ANNEXES,),
    "attributions": (FRAMEWORK, CIA),
    "bilan": (BILAN,),
}
#: The articles' texts may come from a territory's override: sandboxed, like every template.
_TEXT = Sandbox(undefined=jinja2.StrictUndefined, autoescape=False)
_TEXT.filters.update(GRAMMAR)
_TEXTS = "blocs/deliberation-textes.yaml"


def typeset(text: str) -> str:
    """A no-break space before « % » and « : », as typed texts often lack."""
    return text.replace(" %", "\u00a0%").replace(" :", "\u00a0:")


def years(count: int) -> str:
    """« six ans »: the deliberation texts (YAML, overridable) take the duration as words."""
    return compte(count, "an", en_lettres=True)


def _visa(territory: Territory, item: Any, laws: dict[str, dict[str, Any]]) -> str:
    """« la loi n° 2014-366 du 24 mars 2014 pour l'accès au logement..., dite loi ALUR »: a
    text of cadre-legal.yaml worded by `seance.visa` of the deliberation texts."""
    if isinstance(item, dict) and "texte" in item:
        return item["texte"]
    code = item if isinstance(item, str) else item["code"]
    try:
        law = laws[code]
    except KeyError:
        raise ValueError(
            _('no text "{code}" in content/national/cadre-legal.yaml', code=code)
        ) from None
    words = {
        "nature": law["nature"],
        "numero": law.get("numero") or "",
        "date": date_longue(law["date"]),
        "titre": law["titre"],
        "sigle": law.get("sigle") or "",
    }
    return said(territory, "visa", words)


def said(territory: Territory, key: str, words: dict[str, Any]) -> str:
    """One text of `seance` in the deliberation texts, its words filled in."""
    text = load_content(territory, _TEXTS)["seance"][key]
    return _text(territory, f"seance.{key}", text, words)


def _merged_plan(territory: Territory) -> str:
    """The name of the plan merging the document cadre and the CIA, as the CIA itself gives it."""
    cia = territory.config.cia
    if not cia or not cia.intitule:
        return ""
    return f"{cia.intitule} ({cia.sigle})" if cia.sigle else cia.intitule


def _cia_years(territory: Territory, gaps: list[Gap]) -> str:
    """The CIA's duration, from the one setting the CIA itself states (no legal default:
    LEGAL-REVIEW 17); a gap while it is not set."""
    cia = territory.config.cia
    if cia is None or cia.duree_ans is None:
        where = Location(display_path(territory.folder / "territory.yaml"), key="cia.duree_ans")
        gaps.append(
            Gap(where, _("the duration of the CIA, stated by the CIA and its deliberation"))
        )
        return MISSING_TEXT
    return years(cia.duree_ans)


def _cited(item: Any) -> str | None:
    """The code of the text a visa or a reform law names; None for a visa written out."""
    if isinstance(item, str):
        return item
    return item.get("code")


def cited_texts(territory: Territory, on: dt.date) -> dict[str, Any]:
    """The visas and the laws of the reform of a deliberation sitting on `on`: only the texts
    published and in force that day (a 2020 sitting cites neither 3DS nor the 2023 circular)."""
    texts = load_content(territory, _TEXTS)
    laws = {law["code"]: law for law in law_in_force.texts(territory, on)}
    every = {law["code"] for law in load_content(territory, law_in_force.TEXTS)["textes"]}
    visas = [v for v in texts["visas"] if _cited(v) not in every or _cited(v) in laws]
    reform = [item if isinstance(item, dict) else {"code": item} for item in texts["lois_reforme"]]
    named = [
        (r.get("nom") or laws[r["code"]]["sigle"], laws[r["code"]]["date"].year)
        for r in reform
        if r["code"] in laws
    ]
    return {
        "visas": [_visa(territory, item, laws) for item in visas]
        + list(territory.config.deliberations.visas),
        "reforme": {
            "debut": str(min(year for _, year in named)) if named else "",
            "lois": liste(f"{name} ({year})" for name, year in named),
        },
    }


def policy(territory: Territory, conseil: str, gaps: list[Gap]) -> dict[str, Any]:
    """The policy a deliberation approves, from configuration; the texts it cites depend on the
    sitting's date (`cited_texts`)."""
    settings = territory.config.deliberations
    texts = load_content(territory, _TEXTS)
    orientations = deliberation_orientations(territory, gaps)
    commitments = (
        settings.engagements_commune if conseil == MUNICIPAL else settings.engagements_epci
    )
    merged = _merged_plan(territory)
    return {
        "objet": settings.objet,
        "objet_donne": "objet" in settings.model_fields_set,
        "suppleance": texts["suppleance"],
        "noms_documents": texts["documents"],
        "documents": {"attributions": merged},
        "orientations": [
            {**o, "objectif": typeset(o["objectif"]), "precision": typeset(o["precision"])}
            for o in orientations
        ],
        "orientations_nombre": nombre_en_lettres(len(orientations)),  # Word templates of before
        "orientations_compte": compte(len(orientations), "orientation", en_lettres=True),
        "engagements": list(commitments),
        "durees": {
            "duree_ppgdid": years(settings.duree_ppgdid_ans),
            "duree_cia": _cia_years(territory, gaps),
            "document_attributions": merged,
        },
        "conseils": texts["conseils"],
        "roles": texts["niveaux_guichets"],
    }


def guichets(territory: Territory, roles: dict[int, str], gaps: list[Gap]) -> list[dict[str, Any]]:
    """One line per level: the same lists as the PPGDID annexes (their contact gaps are theirs);
    the Word template words it."""
    lines = []
    for level in guichet_levels(territory, []):
        if not level["ouverts"] and not level["prevus"]:
            where = Location(display_path(territory.folder / "data" / "guichets.csv"))
            gaps.append(Gap(where, _("no guichet of level {numero}", numero=level["numero"])))
        lines.append(
            {
                "numero": level["numero"],
                "titre": level["titre"],
                "role": roles.get(level["numero"]),
                "ouverts": level["ouverts"],
                "prevus": level["prevus"],
            }
        )
    return lines


def _filled(value: Any, sitting: Sitting, column: str, gaps: list[Gap]) -> str:
    if value is None:
        gaps.append(
            Gap(
                sitting.row.at(column),
                _("{column} of the sitting of {date}", column=column, date=sitting.date),
            )
        )
        return MISSING_TEXT
    return str(value)


def _names(
    members: list[Member], presence: str, nobody: str, substitute: dict[str, str] | None = None
) -> str:
    """The members of a presence, else `nobody`; a suppléant with the member they sit for
    (`substitute`, from blocs/deliberation-textes.yaml)."""
    shown = []
    for member in members:
        if member.presence != presence:
            continue
        titular = named(member.suppleant_de, members) if member.suppleant_de else None
        if titular is None or substitute is None:
            shown.append(member.name)
        else:
            words = {"nom": member.name, "titulaire": titular.name}
            shown.append(substitute[member.civilite].format(**words))
    return ", ".join(shown) or nobody


def _officer(members: list[Member], role: str) -> Member | None:
    return next((m for m in members if m.role == role), None)


def _vote(sitting: Sitting, gaps: list[Gap]) -> dict[str, Any]:
    """The counts and the outcome (« issue »); the Word template words the outcome."""
    counts = {
        name: _filled(getattr(sitting, name), sitting, name, gaps)
        for name in ("pour", "contre", "abstention")
    }
    for_, against, abstention = sitting.pour, sitting.contre, sitting.abstention
    issue: str | None
    if for_ is None or against is None or abstention is None or for_ == against:
        if for_ is not None and for_ == against:
            tie = _(
                "tied vote: the chair's casting vote decides, write the outcome in the document"
            )
            gaps.append(Gap(sitting.row.at("pour"), tie))
        issue = None
    elif for_ < against:
        issue = REJECTED
    elif against == 0 and abstention == 0:
        issue = "unanimite"
    elif against == 0:
        issue = "unanimite_exprimes"
    else:
        issue = "majorite"
    return {**counts, "issue": issue, "rejetee": issue == REJECTED}


def _text(territory: Territory, key: str, text: str, words: dict[str, Any]) -> str:
    """One text of blocs/deliberation-textes.yaml with its words filled in; a broken or unsafe
    text is located."""
    try:
        return _TEXT.from_string(text).render(words)
    except jinja2.TemplateError as error:
        where = Location(display_path(content_file(territory, _TEXTS)), key=key)
        message = unsafe(error) if isinstance(error, SecurityError) else str(error)
        raise TemplateError(message, where) from error


def approved(sitting: Sitting) -> dict[str, bool]:
    """What the sitting approves, as the texts and the Word template test it."""
    chosen = sitting.approves
    flags = {
        "ppgdid": PPGDID in chosen,
        "annexes": ANNEXES in chosen,
        "cadre": FRAMEWORK in chosen,
        "cia": CIA in chosen,
        "bilan": BILAN in chosen,
    }
    return flags | {"attributions": flags["cadre"] or flags["cia"]}


def _objet(sitting: Sitting, policy: dict[str, Any], council: dict[str, Any], words: Any) -> Any:
    """The sitting's own objet, else territory.yaml's when given or when the sitting approves
    the documents of the reform's first deliberations, else one made of the documents' names."""
    if sitting.objet:
        return sitting.objet
    if policy["objet_donne"] or sitting.approves == DEFAULT_DOCUMENTS:
        return policy["objet"]
    names = liste(policy["noms_documents"][d] for d in sitting.approves)
    return majuscule(words("objet", council["objet"], {"documents": names}))


def _attendance(
    sitting: Sitting, members: list[Member], counts: Attendance, gaps: list[Gap]
) -> dict[str, Any]:
    """The counts the header and the attendance block print, in agreement with each other."""
    where = sitting.row.at
    if not members and counts.represented is None:
        gaps.append(
            Gap(where("representes"), _("representes of the sitting of {date}", date=sitting.date))
        )
    first = counts.second_convocation
    return {
        "representes": MISSING_TEXT if counts.represented is None else str(counts.represented),
        "presents_ou_representes": (
            MISSING_TEXT
            if counts.present_or_represented is None
            else str(counts.present_or_represented)
        ),
        "suppleants": counts.substitutes or 0,
        "quorum": MISSING_TEXT if counts.quorum is None else str(counts.quorum),
        "quorum_atteint": bool(counts.quorum_reached),
        "quorum_texte": counts.rule.citation,
        "quorum_derogatoire": counts.rule.derogation,
        "seconde_convocation": date_courte(first) if first else None,
        "convocation_reguliere": bool(counts.convened_in_time),
        # counts only: the number of proxies, since their names are not known
        "procurations": counts.represented if not members else None,
    }


def sitting_context(
    territory: Territory,
    sitting: Sitting,
    members: list[Member],
    counts: Attendance,
    policy: dict[str, Any],
    guichets: list[dict[str, Any]],
    gaps: list[Gap],
) -> dict[str, Any]:
    """Everything the Word template shows for one sitting, formatted in French."""
    municipal = sitting.conseil == MUNICIPAL
    council = policy["conseils"][sitting.conseil]
    members = sorted(members, key=lambda m: normalize(m.nom))  # by surname, as acts list them
    where = sitting.row.at
    # the member list is another file: a gap there, never an « empty » cell of the sitting's row
    listed = Location(display_path(territory.folder / "data" / "seances_membres.csv"))
    held = f"{sitting.conseil} {sitting.date.strftime('%d/%m/%Y')}"
    if not members:
        gaps.append(
            Gap(
                listed,
                _("names of the members at the sitting {held} (its counts are checked)", held=held),
            )
        )
    chair, secretary = _officer(members, CHAIR), _officer(members, SECRETARY)
    for officer, role in ((chair, CHAIR), (secretary, SECRETARY)):
        if members and officer is None:
            gaps.append(
                Gap(
                    listed,
                    _('the {role} of the sitting {held} (column "role")', role=role, held=held),
                )
            )
    # counts only: the officers named on the sitting's row
    chair_name = chair.name if chair else sitting.president
    secretary_name = secretary.name if secretary else sitting.secretaire
    if not members:
        for column, name in (("president", chair_name), ("secretaire", secretary_name)):
            if name is None:
                gaps.append(
                    Gap(
                        where(column),
                        _("{column} of the sitting of {date}", column=column, date=sitting.date),
                    )
                )
    civility = chair_name.split(" ", 1)[0] if chair_name else UNKNOWN_CHAIR
    titles = council["president"][civility]
    speaks, signs, quality = titles["phrase"], titles["signature"], titles["qualite"]
    opening = date_en_lettres(sitting.date)
    time = (
        heure_en_lettres(sitting.heure) if sitting.heure else _filled(None, sitting, "heure", gaps)
    )
    proxies = [
        {"mandant": m.name, "mandataire": holder.name if holder else None}
        for m in members
        if m.pouvoir_a and m.presence != PRESENT
        for holder in [proxy_holder(m, members)]
    ]
    commune = sitting.commune
    if commune is None:
        gaps.append(Gap(where("commune"), _("commune where the community council sat")))
    commune_name = commune.nom if commune else MISSING_TEXT
    place = {"commune": commune_name}
    entete = said(territory, "entete_commune", place) if municipal else territory.name
    epci_gender = territory_gender(territory)
    of_epci = du(territory.name, genre=epci_gender)
    the_epci = le(territory.name, genre=epci_gender)
    vote = _vote(sitting, gaps)
    flags = approved(sitting)
    nobody = said(territory, "personne", {})
    delegation = {
        "delegation_numero": sitting.delegation_numero,
        "delegation_date": date_courte(sitting.delegation_date) if sitting.delegation_date else "",
    }

    def words(key: str, text: str, values: dict[str, Any]) -> str:
        return _text(territory, f"conseils.{sitting.conseil}.{key}", text, values)

    values = {**policy["durees"], **flags, "signataire": speaks}
    chosen = [key for key, documents in ARTICLES.items() if set(documents) & set(sitting.approves)]
    texts = [(key, council["articles"][key]) for key in [*chosen, "signature"]]
    articles = [
        {"numero": number, "texte": words(f"articles.{key}", text, values)}
        for number, (key, text) in enumerate(texts, start=1)
        if not vote["rejetee"]
    ]
    cited = cited_texts(territory, sitting.date)
    visas = [
        words(f"visas[{number}]", text, delegation)
        for number, text in enumerate(council.get("visas") or [], start=1)
    ]
    return {
        **{key: policy[key] for key in ("documents", "orientations")},
        **{
            key: policy[key]
            for key in ("orientations_nombre", "orientations_compte", "engagements")
        },
        "reforme": cited["reforme"],
        "objet": _objet(sitting, policy, council, words),
        "visas": cited["visas"] + visas,
        "approuve": flags,
        "collectivite": {
            "entete": entete,
            "departement": f"{departement_name(territory.departement)} ({territory.departement})",
            "nom_article": said(territory, "la_commune", place) if municipal else the_epci,
        },
        "epci": {"nom": territory.name, "nom_article": the_epci},
        "conseil": {
            "nom": council["nom"],
            "communal": municipal,
            "sujet": f"{le(council['nom'])} {de_lieu(commune_name) if municipal else of_epci}",
            "delegation": (
                words("delegation", council["delegation"], delegation)
                if council.get("delegation")
                else None
            ),
        },
        "rapporteur": {
            "expose": majuscule(speaks),
            "entendu": speaks,
            "feminin": civility == MADAME,
            "signature": f"{signs},",
        },
        "seance": {
            "date": date_courte(sitting.date),
            "date_longue": date_longue(sitting.date),
            "ouverture": said(territory, "ouverture", {"date": opening, "heure": time}),
            "lieu": sitting.lieu or said(territory, "lieu_habituel", {}),
            "president": chair_name or MISSING_TEXT,
            "president_qualite": quality,
            **{
                name: _filled(getattr(sitting, name), sitting, name, gaps)
                for name in ("en_exercice", "presents", "suffrages", "numero_acte")
            },
            **_attendance(sitting, members, counts, gaps),
            "convocation": _date(sitting, "convocation", gaps),
            "affichage": _date(sitting, "affichage", gaps),
            "liste_presents": (
                _names(members, PRESENT, nobody, policy["suppleance"]) if members else MISSING_TEXT
            ),
            "pouvoirs": proxies,
            "absents": _names(members, ABSENT, nobody) if members else MISSING_TEXT,
            "excuses": _names(members, EXCUSED, nobody) if members else MISSING_TEXT,
            "secretaire": secretary_name or MISSING_TEXT,
            "secretaire_feminin": bool(
                secretary_name and secretary_name.split(" ", 1)[0] == MADAME
            ),
            "fait_a": said(territory, "fait_a", place),
        },
        "vote": vote,
        "fichier": {  # the Word file's properties
            "titre": said(
                territory, "titre", {"conseil": council["nom"], "date": date_longue(sitting.date)}
            ),
            "statut": said(territory, "statut", {}),
        },
        "a_renseigner": MISSING_TEXT,
        "guichets": guichets,
        "guichets_nombre": nombre_en_lettres(len(guichets)),  # Word templates of before
        "guichets_niveaux": compte(len(guichets), "niveau", genre="m", en_lettres=True),
        "articles": articles,
    }


def _date(sitting: Sitting, column: str, gaps: list[Gap]) -> str:
    value = getattr(sitting, column)
    return date_courte(value) if value else _filled(None, sitting, column, gaps)
