"""Official French administrative division (communes, EPCI, départements).

Data: a compact extract of the npm package @etalab/decoupage-administratif (MIT), built by
scripts/update_reference.py into data/decoupage.json.gz.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from rapidfuzz import fuzz, process

__all__ = [
    "Commune",
    "CommuneIndex",
    "Epci",
    "commune",
    "departement_name",
    "epci",
    "normalize",
    "source",
]

NATURES_LONGUES = {
    "CC": "communauté de communes",
    "CA": "communauté d'agglomération",
    "CU": "communauté urbaine",
    "METRO": "métropole",
    "MET69": "métropole",  # Métropole de Lyon (collectivité à statut particulier)
}
SUGGEST_CUTOFF = 80.0  # rapidfuzz ratio (0-100) on normalised names


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    nom: str
    departement: str
    population: int
    codes_postaux: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Epci:
    siren: str
    nom: str
    nature: str
    communes: tuple[Commune, ...]

    @property
    def nature_longue(self) -> str:
        return NATURES_LONGUES[self.nature]


#: The few small parts of the extract kept once it has been read (source, départements).
_KEPT: dict[str, Any] = {}


def _read() -> dict[str, Any]:
    """The whole extract, parsed. Not kept: as Python objects it weighs 17 MiB, for the dozen
    communes of one EPCI that a build needs (what is asked from it is kept instead)."""
    blob = files(__package__).joinpath("data", "decoupage.json.gz").read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(blob))
    _KEPT.update(source=data["source"], departements=data["departements"])
    return data


def _kept(part: str) -> Any:
    if part not in _KEPT:
        _read()
    return _KEPT[part]


def source() -> dict[str, str]:
    """Package, version and license of the data."""
    return dict(_kept("source"))


def departement_name(code: str) -> str:
    """Name of a département ("07" -> "Ardèche"); KeyError when unknown."""
    return str(_kept("departements")[code])


def _commune(data: dict[str, Any], insee: str) -> Commune:
    nom, departement, population, codes_postaux = data["communes"][insee]
    return Commune(insee, nom, departement, population, tuple(codes_postaux))


@lru_cache(maxsize=64)
def commune(insee: str) -> Commune:
    """Current commune by INSEE code; KeyError when unknown."""
    return _commune(_read(), insee)


@lru_cache(maxsize=64)
def epci(siren: str) -> Epci:
    """EPCI by SIREN, with its member communes; KeyError when unknown."""
    data = _read()
    try:
        nom, nature, membres = data["epci"][siren]
    except KeyError:
        raise KeyError(f"unknown EPCI SIREN: {siren!r}") from None
    return Epci(siren, nom, nature, tuple(_commune(data, code) for code in membres))


_SAINT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize(text: str) -> str:
    """Loose comparison key: lowercase, no accents, "st" -> "saint", single spaces."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(_SAINT.get(w, w) for w in words)


class CommuneIndex:
    """Strict resolution of user-typed commune names/codes against a set of communes."""

    def __init__(self, communes: Iterable[Commune]) -> None:
        self.communes: tuple[Commune, ...] = tuple(communes)
        self._by_code = {c.insee: c for c in self.communes}
        by_name: dict[str, list[Commune]] = {}
        for c in self.communes:
            by_name.setdefault(c.nom, []).append(c)
        # A name shared by two communes (different départements) must be given as a code.
        self._by_name = {nom: cs[0] for nom, cs in by_name.items() if len(cs) == 1}
        self.ambiguous: frozenset[str] = frozenset(by_name.keys() - self._by_name.keys())
        self._keys = {i: normalize(c.nom) for i, c in enumerate(self.communes)}

    def resolve(self, text: str) -> Commune | None:
        """Commune whose exact official name or INSEE code is `text` (stripped), else None."""
        key = text.strip()
        return self._by_code.get(key) or self._by_name.get(key)

    def suggest(self, text: str) -> Commune | None:
        """Closest official name (for an error message), or None if nothing is close enough."""
        query = normalize(text)
        if not query:
            return None
        best = process.extractOne(query, self._keys, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
        return None if best is None else self.communes[best[2]]
