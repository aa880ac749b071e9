"""Rendering layer: Jinja templates to Markdown, Markdown to DOCX/ODT/HTML/PDF.

It knows nothing about housing policy: it receives a template name, a context and
document metadata.
"""

from generator.render.docx_finish import has_toc
from generator.render.escape import LINE_BREAK, attribute, escape_markdown, image, table
from generator.render.libreoffice import (
    LibreOffice,
    LibreOfficeError,
    convert_with_libreoffice,
    libreoffice_available,
)
from generator.render.meta import DocumentMeta
from generator.render.pandoc import PandocError, markdown_to_docx, markdown_to_html, markdown_to_odt
from generator.render.templates import (
    TemplateProblem,
    make_environment,
    render_markdown,
    templates_used,
)
from generator.render.typography import typeset, typeset_markdown
from generator.render.zipfix import normalise_zip

__all__ = [
    "LINE_BREAK",
    "DocumentMeta",
    "LibreOffice",
    "LibreOfficeError",
    "PandocError",
    "TemplateProblem",
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
