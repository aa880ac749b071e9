"""French formatting helpers, exposed to templates as Jinja filters (see ``FILTERS``).

Conventions, chosen once so that every document reads the same way:

* thousands separator U+202F NARROW NO-BREAK SPACE and decimal comma, as Babel gives for fr_FR;
* U+202F before "%" and U+00A0 NO-BREAK SPACE before "€", so that a unit never wraps away from
  its number (the typography of render/typography.py, which every document goes through);
* every negative number is written with U+2212 MINUS SIGN ("−3"), never a hyphen-minus;
* rounding is half up on the decimal value as written (2.5 → 3, 0.125 → 0.13), because
  readers and auditors recompute figures by hand; Babel alone would round half to even;
* missing data is marked elsewhere: None, NaN, infinities and bools raise ValueError, so that
  a template bug is loud instead of printing "None" in an official document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

LOCALE = "fr_FR"
MINUS = "\u2212"  # MINUS SIGN
NBSP = "\u00a0"  # NO-BREAK SPACE, before units
NNBSP = "\u202f"  # NARROW NO-BREAK SPACE, thousands separator (Babel's fr_FR group symbol)

Number = int | float | Decimal


def _decimal(value: object) -> Decimal:
    """Convert to an exact Decimal, refusing what would hide a template bug."""
    if value is None or isinstance(value, bool):
        raise ValueError(
            f"expected a number, got {value!r} (missing data must be handled upstream)"
        )
    if not isinstance(value, int | float | Decimal):
        raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")
    # str() keeps the shortest repr of a float: 0.125 stays 0.125, not 0.12499999...
    result = value if isinstance(value, Decimal) else Decimal(str(value))
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return result


def _round(value: Decimal, decimales: int) -> Decimal:
    """Round half up to `decimales` places; a result equal to zero loses its sign (-0 → 0)."""
    if decimales < 0:
        raise ValueError(f"decimales must be >= 0, got {decimales}")
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimales + 2)
        rounded = value.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


@lru_cache(maxsize=16384)
def _format(value: Decimal, decimales: int, signe: bool = False) -> str:
    """Format an already rounded value; `signe` adds "+" to positive values (evolutions).

    Cached: a big table repeats the same few hundred figures, and Babel takes ~70 µs a call.
    (Equal Decimals written differently, 1.0 and 1.00, share a result: both were rounded to
    `decimales` places before they got here, and the pattern fixes the places shown.)"""
    pattern = "#,##0" + ("." + "0" * decimales if decimales else "")
    # Babel quantizes in the current context: big integers need more than 28 digits.
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimales + 2)
        text = format_decimal(abs(value), format=pattern, locale=LOCALE)
    if value < 0:
        return MINUS + text
    return "+" + text if signe and value > 0 else text


def nombre(value: Number | None, decimales: int = 0) -> str:
    """1014 → "1 014" (U+202F), 19.56 with 1 decimal → "19,6"."""
    return _format(_round(_decimal(value), decimales), decimales)


def pourcent(ratio: Number | None, decimales: int = 1) -> str:
    """A ratio as a percentage: 0.196 → "19,6 %"; rounding applies to the percentage."""
    return _format(_round(_decimal(ratio) * 100, decimales), decimales) + NNBSP + "%"


def pourcent_cible(ratio: Number) -> str:
    """A target: 25 % or 42,5 %, its decimal shown only when it has one."""
    value = _decimal(ratio)
    return pourcent(value, 0 if (value * 100) == (value * 100).to_integral_value() else 1)


def points(value: Number | None, decimales: int = 1) -> str:
    """Signed gap in percentage points: 1.8 → "+1,8 point", 2.5 → "+2,5 points".

    French keeps "point" singular below 2 (judged on the rounded value, as printed).
    """
    rounded = _round(_decimal(value), decimales)
    unite = "points" if abs(rounded) >= 2 else "point"
    return _format(rounded, decimales, signe=True) + " " + unite


def evolution(ratio: Number | None, decimales: int = 1) -> str:
    """Signed relative change from a ratio: 0.052 → "+5,2 %", -0.1 → "−10,0 %"."""
    rounded = _round(_decimal(ratio) * 100, decimales)
    return _format(rounded, decimales, signe=True) + NNBSP + "%"


def euros(value: Number | None, decimales: int = 0) -> str:
    """9684 → "9 684 €"; cents only when asked (decimales=2 → "1 234,50 €")."""
    return nombre(value, decimales) + NBSP + "€"


def date_longue(d: date) -> str:
    """17 mars 2025; "1er mars 2025" on the first, as French administrative style wants."""
    jour = "1er" if d.day == 1 else str(d.day)
    return f"{jour} {format_date(d, 'MMMM y', locale=LOCALE)}"


def date_courte(d: date) -> str:
    """17/03/2025."""
    return format_date(d, "dd/MM/yyyy", locale=LOCALE)


def mois_annee(d: date) -> str:
    """mars 2025 (reporting periods)."""
    return format_date(d, "MMMM y", locale=LOCALE)


def nombre_en_lettres(n: int) -> str:
    """16 → "seize"; num2words uses the traditional spelling ("deux mille vingt-cinq")."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"expected an int, got {n!r}")
    return num2words(n, lang="fr")


def nombre_en_lettres_feminin(n: int) -> str:
    """Number in words agreeing with a feminine noun (heure, minute): 21 → "vingt et une"."""
    return re.sub(r"\bun$", "une", nombre_en_lettres(n))


def date_en_lettres(d: date) -> str:
    """Deliberation style: "l'an deux mille vingt-cinq, le dix-sept mars" ("le premier mars")."""
    jour = "premier" if d.day == 1 else nombre_en_lettres(d.day)
    mois = format_date(d, "MMMM", locale=LOCALE)
    return f"l'an {nombre_en_lettres(d.year)}, le {jour} {mois}"


def heure_en_lettres(t: time) -> str:
    """20:30 → "vingt heures trente", 1:05 → "une heure cinq", 21:01 → "vingt et une heures une".

    num2words only knows the masculine "un": heures and minutes are feminine, hence
    nombre_en_lettres_feminin.
    """
    unite = "heures" if t.hour >= 2 else "heure"
    texte = f"{nombre_en_lettres_feminin(t.hour)} {unite}"
    return f"{texte} {nombre_en_lettres_feminin(t.minute)}" if t.minute else texte


def liste(items: Iterable[str]) -> str:
    """French enumeration, no serial comma: ["a", "b", "c"] → "a, b et c"."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


FILTERS: dict[str, Callable[..., str]] = {
    "nombre": nombre,
    "pourcent": pourcent,
    "pourcent_cible": pourcent_cible,
    "points": points,
    "evolution": evolution,
    "euros": euros,
    "date_longue": date_longue,
    "date_courte": date_courte,
    "mois_annee": mois_annee,
    "date_en_lettres": date_en_lettres,
    "heure_en_lettres": heure_en_lettres,
    "nombre_en_lettres": nombre_en_lettres,
    "liste": liste,
}
