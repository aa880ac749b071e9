"""How wide a text is in the document's font: the widths of table columns are measured, not
guessed from a count of characters (an « m » is three times an « i »).

The font is the house font (Carlito, metric-compatible with Calibri) found with fontconfig;
without it, an average advance per character keeps the layout usable, only less exact."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from PIL import ImageFont

HOUSE_FONT = "Carlito"
_UNITS = 1000  # the font is loaded at 1000 px: a width in px is a width in thousandths of an em
_AVERAGE_ADVANCE = 0.52  # of an em, Carlito's mean over French text, when the font is missing


@cache
def font_file(family: str = HOUSE_FONT, bold: bool = False) -> str | None:
    """Path of the TrueType file of `family` (bold or regular), as fontconfig resolves it."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    try:
        done = subprocess.run(
            [fc_match, "--format=%{file}\n%{family}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    path, _, families = done.stdout.partition("\n")
    # fc-match always answers something: only the family asked for measures the right text.
    if done.returncode != 0 or family.lower() not in families.lower():
        return None
    return path or None


@cache
def _font(family: str, bold: bool) -> ImageFont.FreeTypeFont | None:
    path = font_file(family, bold)
    return ImageFont.truetype(path, _UNITS) if path else None


def text_width(text: str, points: float, bold: bool = False, family: str = HOUSE_FONT) -> float:
    """Width of `text` on one line, in points, at a size of `points`."""
    font = _font(family, bold)
    if font is None:
        return len(text) * _AVERAGE_ADVANCE * points * (1.08 if bold else 1.0)
    return font.getlength(text) * points / _UNITS


# Spaces a line may break at; no-break spaces (U+00A0, U+202F, U+2007) keep "12,5 %" one word.
_BREAKABLE = (" ", "\t", "\n", "\u2028")


def words(text: str) -> list[str]:
    """The pieces of `text` a line never breaks inside (split at breakable spaces and after a
    hyphen, as word processors do)."""
    pieces: list[str] = []
    for chunk in text.translate({ord(c): " " for c in _BREAKABLE}).split(" "):
        while "-" in chunk[1:-1]:
            cut = chunk.index("-", 1) + 1
            pieces.append(chunk[:cut])
            chunk = chunk[cut:]
        if chunk:
            pieces.append(chunk)
    return pieces


def longest_word_width(text: str, points: float, bold: bool = False) -> float:
    """Width in points of the widest unbreakable piece of `text` (0 for an empty text)."""
    return max((text_width(w, points, bold) for w in words(text)), default=0.0)
