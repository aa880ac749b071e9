"""What the law asks a CIA to contain (content/national/cia-contenu.yaml), as in force at the
CIA's date, and where this CIA covers each item: its completeness table."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from generator.documents import law_checks, law_in_force
from generator.documents.common import load_content
from generator.documents.presentation import LABELS
from generator.render.escape import escape_markdown
from generator.territory.schema import Territory


def _orientations_say(*words: str) -> Callable[[Territory], bool]:
    def say(territory: Territory) -> bool:
        cia = territory.config.cia
        texts = [
            " ".join(filter(None, [o.titre, o.objectif or "", o.precision or ""])).lower()
            for o in (cia.orientations if cia else [])
        ]
        return any(word in text for text in texts for word in words)

    return say


#: What a territory must give for the CIA to cover an item; where it gives it is worded in the
#: labels block (`cia.couverture.a_donner`, by the same key, for cil check) and what it is, for
#: the reader of the CIA (`cia.couverture.a_dire`).
CONDITIONS: dict[str, Callable[[Territory], bool]] = {
    "bailleurs": lambda t: bool(t.config.partenaires.bailleurs),
    "reservataires": lambda t: bool(t.config.partenaires.reservataires),
    "orientations": lambda t: bool(t.config.cia and t.config.cia.orientations),
    "renouvellement_urbain": _orientations_say("renouvellement urbain", "relogement"),
    "travailleurs_essentiels": lambda t: t.config.objectifs.travailleurs_essentiels is not None,
    "residences_par_bailleur": lambda t: (
        bool(t.parc_ops) and all(a.proprietaire for a in t.parc_ops)
    ),
}


def coverage(
    territory: Territory, year: int, sections: tuple[str, ...], missing: str
) -> tuple[list[list[str]], list[str]]:
    """Rows « item → where the CIA covers it » and the items left uncovered (for warnings)."""
    on = law_in_force.document_day(territory, year)
    words = load_content(territory, LABELS)["cia"]["couverture"]
    rows, uncovered = [], []
    for point in law_checks.cia_points(territory, on):
        label = f"{point['article']} {point.get('numero') or ''}".strip()
        condition = point.get("si")
        met = condition is None or CONDITIONS[condition](territory)
        if met and point["section"] in sections:
            rows.append([label, point["objet"], words["sections"].get(point["section"], "")])
        elif point.get("facultatif"):
            rows.append([label, point["objet"], "—"])
        else:
            hint = f" ({words['a_donner'][condition]})" if condition and not met else ""
            said = f" ({words['a_dire'][condition]})" if condition and not met else ""
            # Escaped for Markdown, not for HTML: Markup + str would write « l&#39;enquête »,
            # an apostrophe the typography never sees.
            rows.append([label, point["objet"], missing + Markup(escape_markdown(said))])
            if point["code"] != "travailleurs-essentiels":  # law_checks.key_workers says it
                uncovered.append(f"{label} ({point['code']}){hint}")
    return rows, uncovered
