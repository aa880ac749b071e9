"""The documents cil knows: every module of a package that defines a `DOCUMENT`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from generator.documents.contract import DocumentType


def discover(package: str) -> dict[str, DocumentType]:
    """Each `DocumentType` found at module level of `package`'s modules, by name, in rank order.

    Helper modules (tables, texts shared by documents) define no `DOCUMENT` and are skipped."""
    found: list[DocumentType] = []
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        document = vars(module).get("DOCUMENT")
        if isinstance(document, DocumentType):
            found.append(document)
    return {d.name: d for d in sorted(found, key=lambda d: (d.rank, d.name))}


@cache
def documents() -> dict[str, DocumentType]:
    """The documents bundled with cil."""
    return discover("generator.documents")
