"""territory.yaml: the identity and settings of a territory, validated option by option."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rapidfuzz import process

from generator.errors import Location, Problems
from generator.messages import _
from generator.territory import columns
from generator.territory.cia_settings import CiaSettings
from generator.territory.objectives import Objectives
from generator.territory.ppgdid_settings import PpgdidSettings
from generator.territory.sittings import DeliberationSettings
from generator.territory.table_files import ReadError, checked_entry, shown_path
from generator.territory.validation_messages import explained
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
            raise ValueError(_("the first class must start at 0 (a_partir_de: 0)"))
        if any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)):
            raise ValueError(_("the a_partir_de bounds must increase from one class to the next"))
        return classes


#: Who reads a document: anyone (statistical secrecy applies) or named partners (counts shown).
Audience = Literal["publique", "restreinte"]
PUBLIC: Audience = "publique"
RESTRICTED: Audience = "restreinte"
#: A restricted document hides nothing: no count is under a threshold of 1.
NO_SECRECY = 1


class Diffusion(Strict):
    """The audience of each document that shows allocation counts."""

    bilan: Audience = Field(
        PUBLIC, description="publique (published: small counts masked) or restreinte (the CIL)"
    )
    cia: Audience = Field(
        PUBLIC, description="publique, or restreinte (an annex for the partners who sign it)"
    )


class TerritoryConfig(Strict):
    siren: str = Field(description="SIREN of the EPCI, nine digits")
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
    diffusion: Diffusion = Diffusion()
    ppgdid: PpgdidSettings | None = None
    objectifs: Objectives = Objectives()
    deliberations: DeliberationSettings = DeliberationSettings()
    cia: CiaSettings | None = None

    def audience(self, document: str) -> Audience:
        """The audience of `document` (bilan, cia); every other document is public."""
        audience: Audience = getattr(self.diffusion, document, PUBLIC)
        return audience

    def secrecy_threshold(self, document: str) -> int:
        """Counts under this are masked in `document`: none in a restricted one."""
        return self.secret_statistique if self.audience(document) == PUBLIC else NO_SECRECY

    @model_validator(mode="before")
    @classmethod
    def siren_as_text(cls, data: Any) -> Any:
        """A SIREN typed as a number, or in groups (« 200 041 366 »), is the SIREN meant."""
        if isinstance(data, dict) and isinstance(data.get("siren"), int):
            return {**data, "siren": f"{data['siren']:09d}"}
        if isinstance(data, dict) and isinstance(data.get("siren"), str):
            return {**data, "siren": re.sub(r"[ \u00a0\u202f]", "", data["siren"])}
        return data

    @field_validator("siren")
    @classmethod
    def nine_digits(cls, siren: str) -> str:
        if not re.fullmatch(r"\d{9}", siren):
            raise ValueError(_("a SIREN is nine digits, as on the EPCI's record in the SIRENE"))
        return siren


def setting_key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _as_written(loc: tuple[Any, ...], data: dict[str, Any]) -> tuple[Any, ...]:
    """A partner's target is written under its objective (objectifs.premier_quartile_hors_qpv.
    Habitat du Val), though validated in objectifs.partenaires: its place is where it was
    written; a « taux » the user did not write (a bare rate) is not named either."""
    goals = data.get("objectifs")
    if loc[:2] != ("objectifs", "partenaires") or not isinstance(goals, dict):
        return loc
    if "partenaires" in goals:
        return loc
    written = ("objectifs", *loc[2:])
    if len(loc) > 4 and loc[4] == "taux":
        value = goals.get(loc[2], {}).get(loc[3]) if isinstance(goals.get(loc[2]), dict) else None
        if not isinstance(value, dict):
            return written[:3]
    return written


_YES, _NO = {"oui", "vrai"}, {"non", "faux"}
_FRENCH_DECIMAL = re.compile(r"^-?\d+,\d+$")
_FRENCH_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{4}$|^\d{1,2}(er)?\s+\S+\s+\d{4}$")


def _unwrapped(annotation: Any) -> list[Any]:
    """The types an annotation allows: `X | None` and `list[X]` give X."""
    args = get_args(annotation)
    if get_origin(annotation) in (list, tuple) and args:
        return _unwrapped(args[0])
    if args and get_origin(annotation) is not Literal:
        return [t for arg in args for t in _unwrapped(arg)]
    return [annotation]


def _model_fields(model: Any, key: str) -> list[Any]:
    is_model = isinstance(model, type) and issubclass(model, BaseModel)
    info = model.model_fields.get(key) if is_model else None
    return _unwrapped(info.annotation) if info is not None else []


def as_meant(model: type[BaseModel], data: Any) -> Any:
    """Settings as a French user types them, read as meant before validation: « oui »/« non »
    for yes/no, « 10,5 » for a decimal, « 15/01/2025 » for a date. Only where the setting's
    type is that one: a text « non » stays a text."""
    if isinstance(data, list):
        return [as_meant(model, item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        kinds = _model_fields(model, key) if isinstance(key, str) else []
        if isinstance(value, str):
            raw = value.strip()
            if bool in kinds and raw.casefold() in _YES | _NO:
                value = raw.casefold() in _YES
            elif (Decimal in kinds or float in kinds) and _FRENCH_DECIMAL.match(raw):
                value = raw.replace(",", ".")
            elif dt.date in kinds and _FRENCH_DATE.match(raw):
                with contextlib.suppress(columns.CellError):  # validation says it is wrong
                    value = columns.date(raw)
        else:
            models = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
            if len(models) == 1:
                value = as_meant(models[0], value)
        out[key] = value
    return out


def _suggestion(loc: tuple[Any, ...]) -> str:
    """« did you mean … » for a misspelt setting, from the settings of its section."""
    model: Any = TerritoryConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        models = [k for k in _model_fields(model, part) if isinstance(k, type)]
        models = [k for k in models if issubclass(k, BaseModel)]
        if len(models) != 1:
            return ""
        model = models[0]
    if not isinstance(loc[-1], str):
        return ""
    guess = process.extractOne(loc[-1], list(model.model_fields), score_cutoff=70)
    return str(guess[0]) if guess else ""


def load_config(path: Path, problems: Problems) -> TerritoryConfig | None:
    shown = shown_path(path)
    if not path.exists() and not path.is_symlink():
        problems.add(
            Location(shown), _("missing file — every territory folder needs territory.yaml")
        )
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
        problems.add(Location(shown), _("expected settings written as « key: value » lines"))
        return None
    try:
        return TerritoryConfig.model_validate(as_meant(TerritoryConfig, data))
    except ValidationError as error:
        for item in error.errors():
            message = explained(item)
            if item["type"] == "extra_forbidden" and (meant := _suggestion(item["loc"])):
                message = _('unknown setting — did you mean "{name}"?', name=meant)
            problems.add(Location(shown, key=setting_key(_as_written(item["loc"], data))), message)
        return None
