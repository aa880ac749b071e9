"""Rendering layer: Jinja templates to Markdown, Markdown to DOCX/ODT/HTML/PDF.

It knows nothing about housing policy: it receives a template name, a context and
document metadata.

Each name is imported from its module when first used: the up-to-date check of a build asks
`libreoffice_available` and must not pay for Jinja, python-docx or pypdf (a no-op rebuild
imports only what it needs, see docs/performance.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.render.escape import LINE_BREAK, attribute, escape_markdown, image, table
    from generator.render.installed import ask_early, libreoffice_available
    from generator.render.libreoffice import (
        LibreOffice,
        LibreOfficeError,
        convert_with_libreoffice,
    )
    from generator.render.meta import DocumentMeta
    from generator.render.pandoc import (
        PandocError,
        markdown_to_docx,
        markdown_to_html,
        markdown_to_odt,
    )
    from generator.render.templates import (
        TemplateProblem,
        make_environment,
        render_markdown,
        templates_used,
    )
    from generator.render.toc import has_toc
    from generator.render.typography import typeset, typeset_markdown
    from generator.render.zipfix import normalise_zip

_MODULES = {
    "escape": ["LINE_BREAK", "attribute", "escape_markdown", "image", "table"],
    "installed": ["ask_early", "libreoffice_available"],
    "libreoffice": ["LibreOffice", "LibreOfficeError", "convert_with_libreoffice"],
    "meta": ["DocumentMeta"],
    "pandoc": ["PandocError", "markdown_to_docx", "markdown_to_html", "markdown_to_odt"],
    "templates": ["TemplateProblem", "make_environment", "render_markdown", "templates_used"],
    "toc": ["has_toc"],
    "typography": ["typeset", "typeset_markdown"],
    "zipfix": ["normalise_zip"],
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "LINE_BREAK",
    "DocumentMeta",
    "LibreOffice",
    "LibreOfficeError",
    "PandocError",
    "TemplateProblem",
    "ask_early",
    "attribute",
    "convert_with_libreoffice",
    "escape_markdown",
    "has_toc",
    "image",
    "libreoffice_available",
    "make_environment",
    "markdown_to_docx",
    "markdown_to_html",
    "markdown_to_odt",
    "normalise_zip",
    "render_markdown",
    "table",
    "templates_used",
    "typeset",
    "typeset_markdown",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # imported once
    return value
