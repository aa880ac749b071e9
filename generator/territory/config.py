"""territory.yaml: the identity and settings of a territory, validated option by option."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from generator.errors import Location, Problems
from generator.territory.cia_settings import CiaSettings
from generator.territory.objectives import Objectives
from generator.territory.ppgdid_settings import PpgdidSettings
from generator.territory.sittings import DeliberationSettings
from generator.territory.table_files import ReadError, checked_entry, shown_path
from generator.territory.yaml_files import YamlProblem, read_yaml

#: The years a territory's documents may be built for, by default or with --year.
FIRST_YEAR, LAST_YEAR = 2015, 2100


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentSettings(Strict):
    auteur: str = Field(description="author shown on the cover (EPCI service or consultancy)")
    statut: str = Field("Projet", description="status shown on the cover")
    date: dt.date | None = Field(None, description="date of the version, its month is shown")


class Partners(Strict):
    bailleurs: list[str] = Field(default_factory=list, description="social landlords")
    reservataires: list[str] = Field(default_factory=list, description="reservation holders")


class Reception(Strict):
    delai_entretien_jours: int | None = Field(None, ge=1, description="interview within N days")
    delai_attente_moyen_mois: Decimal | None = Field(None, ge=0)
    delai_attente_annee: int | None = Field(None, description="year of the average waiting time")
    zone_232_cgi: bool = Field(
        False,
        description="the territory lies in a zone of article 232 CGI: the interview delay may "
        "reach two months instead of one (L441-2-8)",
    )


class QualificationClass(Strict):
    libelle: str
    a_partir_de: Decimal = Field(ge=0, lt=100, description="lower bound, in %, included")


class StakeRule(Strict):
    part_minimale: Decimal = Field(ge=0, le=100, description="share under 40 % PLUS, in %")
    logements_minimum: int = Field(0, ge=0)


class Qualification(Strict):
    indicateur: str = "part des ménages sous 40 % des plafonds PLUS"
    classes: list[QualificationClass]
    residences_enjeu: StakeRule
    notes: str | None = None

    @field_validator("classes")
    @classmethod
    def bounds_increase_from_zero(
        cls, classes: list[QualificationClass]
    ) -> list[QualificationClass]:
        bounds = [c.a_partir_de for c in classes]
        if not bounds or bounds[0] != 0:
            raise ValueError("the first class must start at 0 (a_partir_de: 0)")
        if any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)):
            raise ValueError("the a_partir_de bounds must increase from one class to the next")
        return classes


class TerritoryConfig(Strict):
    siren: str = Field(pattern=r"^\d{9}$", description="SIREN of the EPCI, nine digits")
    nom: str | None = Field(None, description="name in documents; default from reference data")
    nom_court: str
    annee: int = Field(
        ge=FIRST_YEAR, le=LAST_YEAR, description="year of the documents built by default"
    )
    premiere_annee_seuils: int = Field(2019, description="first year of the threshold annex")
    documents: DocumentSettings
    partenaires: Partners = Partners()
    accueil: Reception = Reception()
    qualification: Qualification
    secret_statistique: int = Field(11, ge=1)
    ppgdid: PpgdidSettings | None = None
    objectifs: Objectives = Objectives()
    deliberations: DeliberationSettings = DeliberationSettings()
    cia: CiaSettings | None = None

    @model_validator(mode="before")
    @classmethod
    def siren_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("siren"), int):
            return {**data, "siren": f"{data['siren']:09d}"}
        return data


_MESSAGES = {
    "missing": "missing — this setting is required",
    "extra_forbidden": "unknown setting — check its spelling in docs/territory-format.md",
}


def setting_key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_config(path: Path, problems: Problems) -> TerritoryConfig | None:
    shown = shown_path(path)
    if not path.exists() and not path.is_symlink():
        problems.add(Location(shown), "missing file — every territory folder needs territory.yaml")
        return None
    try:
        checked_entry(path, path.parent)
        data = read_yaml(path)
    except ReadError as error:
        problems.add(Location(shown), str(error))
        return None
    except YamlProblem as error:
        problems.add(Location(shown, key=error.key), str(error))
        return None
    if not isinstance(data, dict):
        problems.add(Location(shown), "expected settings written as « key: value » lines")
        return None
    try:
        return TerritoryConfig.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            message = _MESSAGES.get(item["type"], item["msg"])
            found = item.get("input")
            if item["type"] not in _MESSAGES and not isinstance(found, dict | list):
                message += f', got "{found}"'
            problems.add(Location(shown, key=setting_key(item["loc"])), message)
        return None
