"""What a document is to the build: one `DocumentType` per document module, named `DOCUMENT`.

A document module gives its name, title, template, the formats it makes and the options it
accepts, and one function from (territory, facts, year, options) to a `Made` result: the
template's context with its images and attachments, or — for a Word template filled by docxtpl —
ready DOCX files. `cil build` and `cil check` read nothing else from the module, so a new
document is one module and one template folder (see `registry.discover`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from generator.documents.common import TEMPLATES, Gap, search_paths
from generator.indicators.facts import Facts
from generator.territory.schema import Territory

#: Every format cil makes; a Markdown document makes them all.
FORMATS = ("docx", "odt", "pdf", "html", "md")


class Kind(Enum):
    """How a document becomes files."""

    MARKDOWN = "markdown"  #: Jinja → Markdown → pandoc (and LibreOffice); `Made.context` is used
    WORD = "word"  #: a Word template filled per item; `Made.files` holds the DOCX files


@dataclass(frozen=True)
class Made:
    """One document made from the facts: what the template shows and what travels with it."""

    context: dict[str, Any] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)  #: beside the Markdown, by file name
    attachments: dict[str, bytes] = field(default_factory=dict)  #: extra outputs (a workbook)
    files: dict[str, bytes] = field(default_factory=dict)  #: Kind.WORD: DOCX by output stem
    warnings: list[str] = field(default_factory=list)  #: for `cil check`: never errors
    #: Printed on every page (footer), e.g. the audience of a restricted document; "" for none.
    notice: str = ""
    #: The cover's title when the figures make it ("Bilan annuel 2023 …"); "" for the type's.
    title: str = ""
    #: The cover's year when the figures make it (the year or years a bilan evaluates, "2023",
    #: "2021-2023"); "" for the year of the build.
    cover_year: str = ""


Options = Mapping[str, Any]
Make = Callable[[Territory, Facts, int, Options], Made]


@dataclass(frozen=True)
class DocumentType:
    """A document cil can make.

    `title` is the document's usual title; `titled`, when given, is the cover's title as the
    territory chooses it (a CIA merged into a plan of its own name). `output_name` names the
    files from the options (the bilan's period makes bilan-triennal). `check`, when given,
    replaces making the document in `cil check` (a Word template is checked without filling
    it).
    """

    name: str
    title: str
    template: str
    make: Make
    kind: Kind = Kind.MARKDOWN
    formats: tuple[str, ...] = FORMATS
    options: tuple[str, ...] = ()
    output_name: Callable[[Options], str] | None = None
    titled: Callable[[Territory], str] | None = None
    check: Make | None = None
    #: Where the template lives when the document brings its own folder (a plug-in's).
    templates: Path = TEMPLATES
    #: Place in listings and builds: the plan and its annexes, the CIA, the bilan, deliberations.
    rank: int = 100
    #: The title in the footer of every page ("CIA"); the title itself when empty.
    short_title: str = ""

    def title_for(self, territory: Territory) -> str:
        return self.titled(territory) if self.titled else self.title

    def accepted(self, options: Options) -> dict[str, Any]:
        """The options this document takes, out of all those given to the build."""
        return {k: v for k, v in options.items() if k in self.options}

    def stem(self, options: Options) -> str:
        """The files' name: an option that makes another document (bilan-triennal) names it."""
        return self.output_name(self.accepted(options)) if self.output_name else self.name

    def produced(self, formats: Sequence[str]) -> list[str]:
        """The requested formats this document makes (Word templates: no Markdown, no HTML)."""
        return [f for f in formats if f in self.formats]

    def search_paths(self, territory: Territory) -> list[Path]:
        """Overrides, then the document's own template folder (a plug-in's), then defaults."""
        overrides, *defaults = search_paths(territory)
        return list(dict.fromkeys([overrides, self.templates, *defaults]))
