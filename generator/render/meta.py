"""What the rendering layer knows about a document besides its text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class DocumentMeta:
    """Cover page, footer and file properties of one document."""

    title: str  # "Annexes du Plan partenarial de gestion de la demande ..."
    organisation: str  # "Communauté de communes Rhône Crussol"
    year: int  # 2025
    status: str  # "Projet" / "Version approuvée"
    author: str  # "Service habitat" or a consultancy name
    date: str  # already formatted, e.g. "janvier 2025"
    lang: str = "fr-FR"
    notice: str = ""  # printed on every page, under the footer: "Diffusion restreinte : ..."
    short_title: str = ""  # the footer's: "CIA"; the title when empty
    #: Long forms a too-wide table header may shorten, with their short forms (a glossary).
    abbreviations: tuple[tuple[str, str], ...] = ()
    #: The year the cover shows when it is not `year` (a bilan's evaluated year or period).
    cover_year: str = ""

    @property
    def shown_year(self) -> str:
        return self.cover_year or str(self.year)

    @property
    def footer_title(self) -> str:
        return self.short_title or self.title

    @property
    def timestamp(self) -> datetime:
        """January 1st of `year`: the one date written into files, so renders are identical."""
        return datetime(self.year, 1, 1, tzinfo=UTC)

    @property
    def source_date_epoch(self) -> str:
        """`timestamp` as pandoc's SOURCE_DATE_EPOCH."""
        return str(int(self.timestamp.timestamp()))

    @property
    def iso_timestamp(self) -> str:
        return self.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
