"""French grammar for templates: articles, elision, agreement, plurals, capitals (Jinja filters).

Templates phrase the figures; these filters keep the small words right so that no document
module has to write « de la » or « objectifs » itself:

* ``"loi" | le`` → « la loi », ``"arrêté" | du`` → « de l'arrêté »,
  ``"décret" | au`` → « au décret »;
* ``3 | compte("objectif chiffré")`` → « 3 objectifs chiffrés », 0 → « aucun objectif chiffré »;
* ``"atteint" | accorde(genre="f", nombre=2)`` → « atteintes »;
* ``"la loi" | majuscule`` → « La loi ».

The gender of a noun is data, never a guess: it comes from ``GENRES`` (looked up on the first word,
so « Convention intercommunale d'attribution » is feminine) or from the caller's ``genre=``; an
unknown noun raises ``ValueError``, which a build reports as a template problem.

A filter given ``Markup`` (already Markdown, such as the missing-data mark) returns ``Markup``;
given plain text it returns plain text, which the environment then escapes for Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from markupsafe import Markup

from generator.formatting import nombre as _nombre
from generator.formatting import nombre_en_lettres, nombre_en_lettres_feminin
from generator.messages import _

Genre = Literal["m", "f"]

#: Gender of the nouns that start the names and titles documents put an article before.
#: A territory naming its plan with another noun passes ``genre=`` or adds the noun here.
GENRES: dict[str, Genre] = {
    "accord": "m",
    "an": "m",
    "agglomération": "f",
    "arrêté": "m",
    "attribution": "f",
    "bilan": "m",
    "cadre": "m",
    "bureau": "m",
    "charte": "f",
    "circulaire": "f",
    "communauté": "f",
    "commune": "f",
    "conférence": "f",
    "conseil": "m",
    "contrat": "m",
    "critère": "m",
    "convention": "f",
    "dispositif": "m",
    "document": "m",
    "décret": "m",
    "engagement": "m",
    "eurométropole": "f",
    "évaluation": "f",
    "feuille": "f",
    "handicap": "m",
    "loi": "f",
    "métropole": "f",
    "objectif": "m",
    "ordonnance": "f",
    "orientation": "f",
    "pacte": "m",
    "plan": "m",
    "politique": "f",
    "programme": "m",
    "projet": "m",
    "protocole": "m",
    "rapport": "m",
    "règlement": "m",
    "schéma": "m",
    "stratégie": "f",
    "syndicat": "m",
    "établissement": "m",
}

#: Words whose « h » is aspirated: no elision (« le handicap », « la hausse »).
H_ASPIRE = frozenset({"handicap", "hausse", "haut", "haute", "hameau", "hall", "hangar"})

_VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyÿæœ")

#: (singular masculine, singular feminine, elided, plural) for each article family.
_ARTICLES = {
    "le": ("le ", "la ", "l'", "les "),
    "du": ("du ", "de la ", "de l'", "des "),
    "au": ("au ", "à la ", "à l'", "aux "),
}


class Nom(str):
    """A name that knows its gender and number: a document's or a body's, from the configuration.

    The article filters read them from here before the lexicon, so a territory calling its
    convention « Accord intercommunal » or « Engagements partagés » gets « l'accord », « des
    engagements » in every sentence that names it."""

    genre: Genre
    pluriel: bool

    def __new__(cls, text: str, genre: Genre | None = None, pluriel: bool | None = None) -> Nom:
        made = super().__new__(cls, text)
        made.pluriel = est_pluriel(text) if pluriel is None else pluriel
        made.genre = genre or genre_de(text)
        return made

    def __getnewargs__(self) -> tuple[str, Genre, bool]:  # type: ignore[override]
        return (str(self), self.genre, self.pluriel)


def nom(text: str, genre: Genre | None = None, pluriel: bool | None = None) -> Nom:
    """`text` as a `Nom`: gender and number given, or from the lexicon (``ValueError`` if not)."""
    return Nom(text, genre, pluriel)


def _keep_kind(original: str, text: str) -> str:
    """Markup in, Markup out: the words added here never need escaping, the value already is."""
    return Markup(text) if isinstance(original, Markup) else text


def _first_word(text: str) -> str:
    return text.strip().split(" ", 1)[0].split("'", 1)[0].lower()


def elision(mot: str) -> bool:
    """Whether « le », « la », « de » lose their vowel before `mot`: a vowel or a mute « h »."""
    word = _first_word(mot)
    if not word:
        return False
    if word[0] == "h":
        return word not in H_ASPIRE
    return word[0] in _VOWELS


def _plural_of_known(word: str) -> bool:
    return word not in GENRES and word[-1:] in ("s", "x") and word[:-1] in GENRES


def est_pluriel(mot: str) -> bool:
    """Whether `mot` starts with a known noun in the plural: « Orientations et convention »."""
    return _plural_of_known(_first_word(mot))


def genre_de(mot: str) -> Genre:
    """The gender of `mot` (of its first word): data from ``GENRES``, never guessed."""
    if isinstance(mot, Nom):
        return mot.genre
    word = _first_word(mot)
    try:
        return GENRES[word[:-1] if _plural_of_known(word) else word]
    except KeyError:
        raise ValueError(
            _(
                "gender of « {mot} » unknown: pass genre='m' or genre='f' to the filter, or start"
                " the name with a noun of generator/grammar.py GENRES",
                mot=mot,
            )
        ) from None


def _article(family: str, mot: str, genre_: Genre | None, pluriel: bool) -> str:
    masculine, feminine, elided, plural = _ARTICLES[family]
    if isinstance(mot, Nom):
        genre_, pluriel = genre_ or mot.genre, pluriel or mot.pluriel
    if pluriel or (not isinstance(mot, Nom) and est_pluriel(mot)):
        article = plural
    elif elision(mot):
        article = elided
    else:
        article = feminine if (genre_ or genre_de(mot)) == "f" else masculine
    return _keep_kind(mot, article + str(mot))


def le(mot: str, genre: Genre | None = None, pluriel: bool = False) -> str:
    """« la loi », « le décret », « l'arrêté », « les lois » (a known noun in the plural)."""
    return _article("le", mot, genre, pluriel)


def du(mot: str, genre: Genre | None = None, pluriel: bool = False) -> str:
    """« de la loi », « du décret », « de l'arrêté », « des lois »."""
    return _article("du", mot, genre, pluriel)


def au(mot: str, genre: Genre | None = None, pluriel: bool = False) -> str:
    """« à la loi », « au décret », « à l'arrêté », « aux lois »."""
    return _article("au", mot, genre, pluriel)


#: A place name's own article contracts with « de » and « à »: « du Pouzin », « aux Ollières ».
_PLACE_OF = (("Le ", "du "), ("Les ", "des "), ("La ", "de la "))
_PLACE_AT = (("Le ", "au "), ("Les ", "aux "))
#: Place names elide before a written vowel only: « de Hauteville », an « h » is not guessed.
_PLACE_VOWELS = "AEIOUYÂÉÈÊÎÔ"


def de_lieu(nom: str) -> str:
    """« de Cornas », « d'Alboussière », « du Pouzin », « des Ollières-sur-Eyrieux »."""
    for article, contracted in _PLACE_OF:
        if nom.startswith(article):
            return _keep_kind(nom, contracted + nom[len(article) :])
    if nom.startswith("L'"):
        return _keep_kind(nom, "de " + nom)
    return _keep_kind(nom, ("d'" if nom[:1].upper() in _PLACE_VOWELS else "de ") + nom)


def a_lieu(nom: str) -> str:
    """« à Cornas », « au Pouzin », « aux Ollières-sur-Eyrieux »."""
    for article, contracted in _PLACE_AT:
        if nom.startswith(article):
            return _keep_kind(nom, contracted + nom[len(article) :])
    return _keep_kind(nom, "à " + nom)


def _plural_word(word: str) -> str:
    if word.endswith("eau"):  # « niveau » → « niveaux », « bureau » → « bureaux »: no exception
        return word + "x"
    return word if word[-1:] in ("s", "x", "z") else word + "s"


def pluriel(mot: str, nombre: int | float = 2, forme: str | None = None) -> str:
    """`mot` agreeing with `nombre`: plural from 2 on (French keeps 0 and 1 singular).

    Without `forme`, each word takes an « s » (« objectif chiffré » → « objectifs chiffrés »);
    pass `forme` for anything else (« travail » → « travaux », « demande de logement »).
    """
    if abs(nombre) < 2:
        return mot
    return forme if forme is not None else " ".join(_plural_word(w) for w in mot.split(" "))


def compte(
    nombre: int,
    mot: str,
    forme: str | None = None,
    genre: Genre | None = None,
    en_lettres: bool = False,
) -> str:
    """« aucun objectif chiffré », « 1 objectif chiffré », « 2 objectifs chiffrés ».

    Zero reads « aucun » / « aucune » (gender from `genre` or ``GENRES``), never « 0 objectifs »;
    `en_lettres` writes the number in words, as deliberations do (« six ans »), agreeing with a
    feminine noun (« une orientation », « vingt et une communes »).
    """
    genre = genre or (mot.genre if isinstance(mot, Nom) else None)
    if nombre == 0:
        none = "aucune" if (genre or genre_de(mot)) == "f" else "aucun"
        return f"{none} {mot}"
    if en_lettres:
        feminine = (genre or genre_de(mot)) == "f"
        figure = (nombre_en_lettres_feminin if feminine else nombre_en_lettres)(nombre)
    else:
        figure = _nombre(nombre)
    return f"{figure} {pluriel(mot, nombre, forme)}"


def accorde(adjectif: str, genre: Genre = "m", nombre: int | float = 1) -> str:
    """An adjective or past participle agreeing: « atteint » → « atteinte », « atteints »."""
    word = adjectif
    if genre == "f" and not word.endswith("e"):
        word += "e"
    return _plural_word(word) if abs(nombre) >= 2 else word


def accorde_avec(adjectif: str, mot: str) -> str:
    """An adjective agreeing with a name: « conclu » with « la convention » → « conclue »."""
    plural = mot.pluriel if isinstance(mot, Nom) else est_pluriel(mot)
    return accorde(adjectif, genre_de(mot), 2 if plural else 1)


def majuscule(texte: str) -> str:
    """First letter in capital, the rest untouched (Jinja's `capitalize` lowers the rest)."""
    text = str(texte)
    return _keep_kind(texte, text[:1].upper() + text[1:])


def minuscule(texte: str) -> str:
    """First letter in lower case, the rest untouched: a sentence continued after « : »."""
    text = str(texte)
    return _keep_kind(texte, text[:1].lower() + text[1:])


FILTERS: dict[str, Callable[..., str]] = {
    "le": le,
    "du": du,
    "au": au,
    "de_lieu": de_lieu,
    "a_lieu": a_lieu,
    "pluriel": pluriel,
    "compte": compte,
    "accorde": accorde,
    "accorde_avec": accorde_avec,
    "majuscule": majuscule,
    "minuscule": minuscule,
}
