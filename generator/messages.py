"""The words of user-facing messages (errors, warnings), in the reader's language.

Messages are written in English in the code, each wrapped in `_()` with named fields, and
translated from the catalogue of the language in use (French for the web pages, the system's
language for the command line). This module is the seam: the catalogue and the choice of language
are filled in by the messages work of this round.
"""

from __future__ import annotations


def _(message: str, /, **fields: object) -> str:
    """The message in the language in use, its `{fields}` filled."""
    return message.format(**fields) if fields else message
