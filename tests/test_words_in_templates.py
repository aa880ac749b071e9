"""Names a territory chooses take the article of their own noun, in the templates that say them."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
import yaml

from generator.documents.common import CONTENT, TEMPLATES, territory_context
from generator.formatting import FILTERS
from generator.grammar import FILTERS as GRAMMAR
from generator.render import make_environment
from generator.territory.load import load_territory

from .conftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("nom", "expected"),
    [
        ("Plan intercommunal d'attribution", "en un seul document, le Plan intercommunal"),
        ("Convention intercommunale d'attribution 2025", "en un seul document, la Convention"),
        ("Orientations et convention d'attribution", "en un seul document, les Orientations"),
    ],
)
def test_the_merged_cia_takes_the_article_of_its_name(nom, expected):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    cia = {"nom": nom, "sigle": "", "fusion": True, "duree": None}
    text = env.get_template("blocs/cia/champ.md.j2").render(cia=cia)
    assert expected in " ".join(text.split())


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("Plan intercommunal d'attribution (PIA)", "réunis dans le Plan intercommunal"),
        ("Convention intercommunale d'attribution (CIA)", "réunis dans la Convention"),
    ],
)
def test_deliberation_articles_name_the_merged_document_with_its_article(document, expected):
    texts = yaml.safe_load((CONTENT / "blocs" / "deliberation-textes.yaml").read_text())
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(GRAMMAR)
    words = {
        "duree_ppgdid": "six ans",
        "duree_cia": "six ans",
        "document_attributions": document,
        "signataire": "Monsieur le Maire",
        "cadre": True,
        "cia": True,
    }
    for council in ("municipal", "communautaire", "bureau"):
        text = texts["conseils"][council]["articles"]["attributions"]
        assert expected in env.from_string(text).render(words)


def test_a_name_of_unknown_gender_is_a_template_error_not_a_guess():
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    cia = {"nom": "Livre blanc des attributions", "sigle": "", "fusion": True, "duree": None}
    with pytest.raises(ValueError, match="gender of « Livre blanc"):
        env.get_template("blocs/cia/champ.md.j2").render(cia=cia)


def test_the_territory_is_named_with_the_article_of_its_nature():
    territory = load_territory(EXAMPLE)
    assert territory_context(territory)["nom_article"] == f"la {territory.name}"


@pytest.mark.parametrize(
    ("years", "words"), [(1, "Conclue pour un an,"), (6, "Conclue pour six ans,")]
)
def test_the_cia_duration_is_written_in_words_and_agrees(years, words):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    cia = {"nom": "Convention intercommunale d'attribution", "sigle": "CIA", "fusion": False}
    text = env.get_template("blocs/cia/champ.md.j2").render(cia={**cia, "duree": years})
    assert words in " ".join(text.split())


@pytest.mark.parametrize(
    ("mention", "words"),
    [
        # LEGAL-REVIEW 3: the first-quartile 25 % is a rate the CIL orientations may adapt
        ({"minimum": None, "au_dela": False}, "la loi ne fixe pas de chiffre"),
        (
            {"minimum": Decimal("0.25"), "adaptable": True, "au_dela": False, "en_deca": False},
            "taux fixé par la loi Égalité et citoyenneté, que les orientations de la CIL",
        ),
        (
            {"minimum": Decimal("0.25"), "adaptable": True, "au_dela": True, "en_deca": False},
            "au-delà du taux de 25\u202f% fixé par la loi Égalité et citoyenneté",
        ),
        (
            {"minimum": Decimal("0.25"), "adaptable": True, "au_dela": False, "en_deca": True},
            "taux adapté par les orientations de la CIL",
        ),
        # ... but each contingent's 25 % to priority households is a floor they cannot lower
        (
            {"minimum": Decimal("0.25"), "adaptable": False, "au_dela": False, "en_deca": False},
            "minimum fixé par la loi Égalité et citoyenneté",
        ),
        (
            {"minimum": Decimal("0.25"), "adaptable": False, "au_dela": True, "en_deca": False},
            "au-delà du minimum de 25\u202f% fixé par la loi Égalité et citoyenneté",
        ),
        (
            {"minimum": Decimal("0.25"), "adaptable": False, "au_dela": False, "en_deca": True},
            "en deçà du minimum de 25\u202f% fixé par la loi Égalité et citoyenneté, que les"
            " orientations de la CIL ne peuvent pas abaisser",
        ),
    ],
)
def test_what_the_law_says_of_an_orientation_figure(mention, words):
    env = make_environment([TEMPLATES, CONTENT], FILTERS)
    source = '{% from "cia/macros.md.j2" import mention_loi %}{{ mention_loi(m) }}'
    assert env.from_string(source).render(m=mention).startswith(words)


# --- No French words left in the Python that makes documents ---------------------------------

#: Where the documents' contexts are made, and the report of `cil diff`: what a reader sees
#: comes from templates and content.
STAGES = ("generator/indicators", "generator/documents", "generator/commands/diff.py")
#: A literal that reads as French: an accented letter, a guillemet, a French article or
#: preposition, or a capitalised word (« Ensemble », « Autres »).
_FRENCH = re.compile(
    r"[àâäéèêëîïôöûùüçœÀÂÉÈÊÎÔÛÇ«»]|\b(?:le|la|les|des|du|de|une|et|ou|pour|sur)\b |^ ?[A-Z][a-z]+"
)
#: A key, a file name or a slug: not words a reader sees.
_KEY = re.compile(r"[-a-z0-9_./<>]*")
#: Messages to the user (the i18n lane translates them) are English, given to these calls
#: (`add`: `Problems.add`).
_MESSAGES = {"_", "Gap", "Location", "CilError", "UsageError", "ValueError", "add"}
#: Data vocabulary: the names the data and settings use as keys (contingents, populations and
#: dimensions of the published breakdowns, words an orientation is recognised by); the labels
#: block words them where a reader sees them.
VOCABULARY = {
    "État",
    "Non réservé",
    "attributions aux ménages prioritaires",
    "demandes du premier quartile",
    "motif de la demande",
    "motif de priorité",
    "renouvellement urbain",
    "activité",
    "âge",
    "année",  # the precision of a period of the PPGDID's steps
    "Mme",  # the civility of a woman, as the sittings' data write it
}
#: The titles of document types, given by the plug-in contract (docs/architecture.md).
TITLE_PPGDID = (
    "Plan partenarial de gestion de la demande de logement social et d'information des demandeurs"
)
TITLE_ANNEXES = (
    "Annexes du plan partenarial de gestion de la demande et d'information des demandeurs"
)
TITLE_DELIBERATIONS = "Délibérations des conseils sur le PPGDID, la CIA et leur bilan"
#: What else stays, and why.
ALLOWED = {
    # an English gap message (N_) naming a French thing
    (
        "generator/documents/common.py",
        "average waiting time of the département, by year, with its source",
    ),
    # the title of a document type, given by the plug-in contract (docs/architecture.md)
    ("generator/documents/bilan.py", "Bilan de la politique intercommunale d'attribution"),
    ("generator/documents/bilan.py", "Bilan de la politique d'attribution"),
    ("generator/documents/cia.py", "Convention intercommunale d'attribution"),
    ("generator/documents/ppgdid.py", TITLE_PPGDID),
    ("generator/documents/annexes_ppgdid.py", TITLE_ANNEXES),
    ("generator/documents/annexes_ppgdid.py", "Annexes du PPGDID"),
    ("generator/documents/deliberation.py", TITLE_DELIBERATIONS),
    # the one mark of missing data, a constant every document's context carries
    ("generator/documents/common.py", "[à renseigner]"),
    ("generator/documents/common.py", "**\\[à renseigner\\]**"),
    # English gap messages naming French things (the i18n lane translates them)
    (
        "generator/documents/common.py",
        "accord collectif (priority levels, délai anormalement long)",
    ),
    ("generator/documents/common.py", "support measures of the département (FSL, accompaniment)"),
    ("generator/documents/common.py", "how the département labels priority households"),
    ("generator/documents/common.py", "cotation principles of the département"),
    ("generator/documents/common.py", " for département "),
    ("generator/documents/cia_governance.py", "« "),  # an action named in a gap
    ("generator/documents/cia_governance.py", " »"),
    ("generator/documents/ppgdid.py", "« "),
    ("generator/documents/ppgdid.py", " »"),
    # a representation for programmers, never shown to a reader
    ("generator/indicators/allocations.py", "RowLabel("),
}


def _said_to_the_user(tree: ast.AST) -> set[int]:
    """The literals of docstrings, comments-as-strings and messages: not document words."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else None
            called = called or (node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if called in _MESSAGES:
                skipped |= {id(inner) for inner in ast.walk(node)}
    return skipped


def french_literals(root: Path) -> set[tuple[str, str]]:
    """Every string literal of the stages' Python that reads as French, by file."""
    found = set()
    for stage in STAGES:
        where = root / stage
        for path in [where] if where.suffix == ".py" else sorted(where.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skipped = _said_to_the_user(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                    continue
                text = node.value
                if id(node) in skipped or _KEY.fullmatch(text) or not _FRENCH.search(text):
                    continue
                found.add((path.relative_to(root).as_posix(), text))
    return found


def test_no_french_words_are_built_in_the_python_that_makes_documents():
    """Words a reader sees live in templates and content/blocs/libelles.yaml, where a territory
    can override them; a literal that slips back into indicators/ or documents/ fails here."""
    slipped = {
        (path, text) for path, text in french_literals(ROOT) - ALLOWED if text not in VOCABULARY
    }
    assert not slipped, "\n".join(f"{path}: {text!r}" for path, text in sorted(slipped))


def test_the_words_moved_out_of_python_are_caught_if_they_come_back(tmp_path):
    for stage in STAGES:
        where = tmp_path / stage
        where.parent.mkdir(parents=True, exist_ok=True)
        if where.suffix == ".py":
            where.touch()
        else:
            where.mkdir()
    (tmp_path / "generator/indicators/results.py").write_text(
        'TOTAL, OTHERS = "Ensemble", "Non ventilé"\n'
        'LABEL = f"Autres {plural} ({n}, moins de {s} attributions {each})"\n'
        'SOURCE = "SNE, attributions de l\'année"\n'
        'KEY = "non_ventile"\n'
        'raise ValueError(f"« {name} » is unknown")\n',
        encoding="utf-8",
    )
    found = {text for _, text in french_literals(tmp_path)}
    assert {"Ensemble", "Non ventilé", "Autres ", "SNE, attributions de l'année"} <= found
    assert "non_ventile" not in found and "« " not in found


def test_a_visa_is_worded_by_the_deliberation_texts_with_its_article():
    from generator.documents.deliberation_context import cited_texts

    visas = cited_texts(load_territory(EXAMPLE, 2025), dt.date(2025, 3, 17))["visas"]
    alur = next(v for v in visas if "2014-366" in v)
    assert alur.startswith("la loi n°\u00a02014-366 du 24 mars 2014 pour l'accès au logement")
    assert alur.endswith(", dite loi ALUR")
