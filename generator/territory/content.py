"""Schemas of the content blocks: every YAML file of content/, and its overrides, validated.

A territory replaces a block by a file of the same relative path under overrides/. Documents read
blocks as plain data, so a misspelt or missing key would surface as a traceback while rendering;
checked here with the territory, it is reported as a located error with the others.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.messages import _
from generator.territory.allocations import CONTINGENTS


class Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- blocs/ -------------------------------------------------------------------------------------


class LawContribution(Block):
    code: str
    apport: str


class CiaTexts(Block):
    """blocs/cia/textes.yaml: what each law brought, in the CIA's words."""

    textes: list[LawContribution]


class Visa(Block):
    """A visa of a deliberation: written out (`texte`) or a law of cadre-legal.yaml (`code`)."""

    texte: str | None = None
    code: str | None = None

    @model_validator(mode="after")
    def one_of_text_or_code(self) -> Visa:
        if (self.texte is None) == (self.code is None):
            raise ValueError(_("give either texte or code"))
        return self


class ReformLaw(Block):
    code: str
    nom: str | None = None


class ChairTitle(Block):
    """How the chair is named: in a sentence, above the signature, after the name."""

    phrase: str
    signature: str
    qualite: str


class CouncilArticles(Block):
    """One article per document a sitting may approve, and the authorisation to sign."""

    ppgdid: str
    annexes: str
    attributions: str
    bilan: str
    signature: str


class Council(Block):
    nom: str
    objet: str
    president: dict[Literal["M.", "Mme", "inconnu"], ChairTitle]
    delegation: str | None = None
    visas: list[str] = Field(default_factory=list)
    articles: CouncilArticles

    @model_validator(mode="after")
    def every_civility(self) -> Council:
        if len(self.president) != 3:
            raise ValueError(_('president needs "M.", "Mme" and "inconnu"'))
        return self


class Councils(Block):
    municipal: Council
    communautaire: Council
    bureau: Council


class DocumentNames(Block):
    """The name of each document a sitting may approve, for the act's objet."""

    ppgdid: str
    annexes: str
    document_cadre: str = Field(alias="document-cadre")
    cia: str
    bilan: str


class SittingWords(Block):
    """The words of an act around the sitting's data (Jinja texts, like the articles)."""

    entete_commune: str = Field(description="a commune's heading ({{ commune }})")
    la_commune: str = Field(description="the commune named with its article ({{ commune }})")
    ouverture: str = Field(description="the opening ({{ date }}, {{ heure }}: in words)")
    lieu_habituel: str = Field(description="the place when the sitting gives none")
    personne: str = Field(description="an empty list of members")
    fait_a: str = Field(description="where the act is signed ({{ commune }})")
    visa: str = Field(description="a text of cadre-legal.yaml ({{ nature }}, {{ numero }}...)")
    titre: str = Field(description="the Word file's title ({{ conseil }}, {{ date }})")
    statut: str = Field(description="the Word file's status")


class DeliberationTexts(Block):
    """blocs/deliberation-textes.yaml: visas, laws of the reform, guichet roles, documents,
    the words around the sitting's data, and by body its name, chair, delegation and
    articles."""

    visas: list[Visa | str]
    lois_reforme: list[ReformLaw | str]
    niveaux_guichets: dict[int, str]
    suppleance: dict[Literal["M.", "Mme"], str]
    documents: DocumentNames
    seance: SittingWords
    conseils: Councils

    @model_validator(mode="after")
    def three_levels(self) -> DeliberationTexts:
        if sorted(self.niveaux_guichets) != [1, 2, 3]:
            raise ValueError(_("niveaux_guichets needs the levels 1, 2 and 3"))
        return self


# --- departements/<code>/ -----------------------------------------------------------------------


class Measure(Block):
    nom: str
    porteur: str
    description: str
    saisine: str | None = None
    modalites: list[str] = []


class Support(Block):
    """departements/<code>/accompagnement.yaml: the support measures of the département."""

    departement: str
    plan: str
    generaliste: str
    budgetaire: str
    mesures: list[Measure]


class PriorityLevel(Block):
    numero: int
    intitule: str
    situations: list[str] = []
    note: str | None = None


class CollectiveAgreement(Block):
    """departements/<code>/accord-collectif.yaml: the accord collectif and its priority levels."""

    departement: str
    titre: str
    periode: str
    delai_anormalement_long_mois: int
    labellisation: str
    niveaux: list[PriorityLevel]
    cotation_syplo: str


class Pdalhpd(Block):
    """departements/<code>/pdalhpd.yaml: the priority levels of the département's plan."""

    departement: str
    titre: str
    niveaux: list[PriorityLevel]


class Scale(Block):
    minimum: int
    maximum: int


class Principle(Block):
    titre: str
    texte: str


class DepartementCotation(Block):
    """departements/<code>/cotation.yaml: the département's cotation principles."""

    departement: str
    echelle: Scale
    principes: list[Principle]


class WaitingTime(Block):
    annee: int
    mois: float = Field(ge=0)
    source: str = Field(description="the origin of the figure, as documents cite it")
    releve: str | None = Field(None, description="where the figure was read")


class DepartementWaitingTimes(Block):
    """departements/<code>/delai-attente.yaml: the département's average waiting time by year."""

    departement: str
    delais: list[WaitingTime]

    @field_validator("delais")
    @classmethod
    def one_per_year(cls, delais: list[WaitingTime]) -> list[WaitingTime]:
        years = [d.annee for d in delais]
        if len(set(years)) != len(years):
            raise ValueError(_("give each year once"))
        return delais


class Labelling(Block):
    """departements/<code>/labellisation.yaml: how priority households are labelled."""

    departement: str
    outil: str
    services_habilites: list[str]
    motifs_apres_attribution: list[str]
    examen: str
    diffusion: str
    contingents: str


# --- national/ ----------------------------------------------------------------------------------


class Source(Block):
    """What was read to date a text or a rule, and when."""

    reference: str | None = None
    url: str | None = None
    lu_le: dt.date

    @model_validator(mode="after")
    def something_read(self) -> Source:
        if self.reference is None and self.url is None:
            raise ValueError(_("give the reference or the url of what was read"))
        return self


class _Dated(Block):
    fin: dt.date | None = None


class LegalText(_Dated):
    code: str
    nature: str
    numero: str | None = None
    date: dt.date
    titre: str
    sigle: str | None = None
    apport: str | None = None
    publication: dt.date = Field(description="day of publication in the Journal officiel")
    vigueur: dt.date = Field(description="day the text takes effect")
    remplace_par: str | None = Field(None, description="code of the text that replaced it")
    source: Source

    @model_validator(mode="after")
    def dates_in_order(self) -> LegalText:
        if self.publication < self.date or self.vigueur < self.publication:
            raise ValueError(_("expected date <= publication <= vigueur"))
        if self.fin is not None and self.fin < self.vigueur:
            raise ValueError(_("fin is before vigueur"))
        if self.remplace_par is not None and self.fin is None:
            raise ValueError(_("a text replaced (remplace_par) needs its last day (fin)"))
        return self


class RuleVersion(_Dated):
    debut: dt.date | None = None
    texte: str | None = Field(None, description="code of the text in cadre-legal.yaml")
    article: str
    valeurs: dict[str, float | int | bool | str | dt.date]
    verifie: bool = True
    raison: str | None = None
    source: Source

    @model_validator(mode="after")
    def unverified_says_why(self) -> RuleVersion:
        if not self.verifie and not self.raison:
            raise ValueError(_("a version with verifie: false needs its raison"))
        if self.debut and self.fin and self.fin < self.debut:
            raise ValueError(_("fin is before debut"))
        return self


class Rule(Block):
    code: str
    objet: str
    domaine: Literal["documents", "cia", "seances"] = Field(
        "documents",
        description="what applies it: the documents, the CIA's objectives, or sittings' checks",
    )
    versions: list[RuleVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def versions_follow(self) -> Rule:
        for before, after in zip(self.versions, self.versions[1:], strict=False):
            if (
                before.fin is None
                or after.debut is None
                or after.debut != before.fin + dt.timedelta(1)
            ):
                raise ValueError(
                    _(
                        "rule {code}: each version but the last needs its fin, and the next one"
                        " starts the day after",
                        code=self.code,
                    )
                )
        return self


class Rules(Block):
    """national/regles.yaml: the dated rules the documents apply."""

    regles: list[Rule]


class CiaItem(_Dated):
    code: str
    article: str
    numero: str | None = None
    objet: str
    debut: dt.date | None = None
    texte: str | None = None
    section: str = Field(description="the CIA section that covers it")
    si: str | None = None
    facultatif: bool = Field(False, description="asked only where it applies (« le cas échéant »)")
    source: str


class CiaContent(Block):
    """national/cia-contenu.yaml: what the law asks of a CIA, and where the CIA says it."""

    points: list[CiaItem]


class LegalFramework(Block):
    """national/cadre-legal.yaml: the laws and decrees the documents cite."""

    textes: list[LegalText]


class StateQuota(Block):
    part_max: float = Field(description="at most this share of each landlord's dwellings")
    part_agents_etat_max: float = Field(description="of which at most this for State agents")


class ActionLogementCriterion(Block):
    critere: str
    points: str


class ActionLogement(Block):
    public: str
    plateforme: str
    source: str
    criteres: list[ActionLogementCriterion]


class Contingents(Block):
    """national/contingents.yaml: the State's quota and Action Logement's criteria."""

    etat: StateQuota
    action_logement: ActionLogement


class LegalCriterion(Block):
    code: str
    libelle: str
    reference: str | None = None
    public_l441_1: int | None = None


class LegalCriteria(Block):
    """national/cotation-criteres-legaux.yaml: priority criteria every cotation grid takes in."""

    verifie: bool
    raison: str | None = Field(None, description="why the list was not checked (verifie: false)")
    reference: str
    criteres: list[LegalCriterion]

    @model_validator(mode="after")
    def unverified_says_why(self) -> LegalCriteria:
        if not self.verifie and not self.raison:
            raise ValueError(_("verifie: false needs its raison"))
        return self


class Abbreviation(Block):
    """A glossary entry: the title of a law of cadre-legal.yaml (`texte`) or a `definition`."""

    sigle: str
    texte: str | None = None
    definition: str | None = None

    @model_validator(mode="after")
    def one_of_text_or_definition(self) -> Abbreviation:
        if (self.texte is None) == (self.definition is None):
            raise ValueError(_("give either texte or definition"))
        return self


class Glossary(Block):
    """national/glossaire.yaml: abbreviations and their meaning."""

    sigles: list[Abbreviation]


class LegalPoint(Block):
    code: str
    article: str
    numero: str | None = None
    objet: str
    verifie: bool
    source: str | None = None
    raison: str | None = Field(None, description="why a point is not verified")
    facultatif: bool = False
    debut: dt.date | None = Field(None, description="first day the law asks it")

    @model_validator(mode="after")
    def unverified_says_why(self) -> LegalPoint:
        if not self.verifie and not self.raison:
            raise ValueError(_("a point with verifie: false needs its raison"))
        if self.verifie and not self.source:
            raise ValueError(_("a verified point needs its source"))
        return self


class Covered(Block):
    point: str
    si: str | None = None


class Chapter(Block):
    code: str
    titre: str
    couvre: list[Covered]


class PpgdidContent(Block):
    """national/ppgdid-contenu.yaml: what the law asks of a PPGDID, and where the plan says it."""

    points: list[LegalPoint]
    chapitres: list[Chapter]


class ApplicantInformation(_Dated):
    """A piece of information the law entitles an applicant to, with its article."""

    code: str
    texte: str
    article: str
    debut: dt.date | None = None
    verifie: bool
    raison: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def says_what_was_read(self) -> ApplicantInformation:
        if not self.verifie and not self.raison:
            raise ValueError(_("an item with verifie: false needs its raison"))
        if self.verifie and not self.source:
            raise ValueError(_("an item with verifie: true needs its source"))
        return self


class ApplicantRights(Block):
    """national/information-demandeur.yaml: what an applicant has the right to be told."""

    informations: list[ApplicantInformation]


class DiscriminationCriterion(_Dated):
    libelle: str
    appartenance: bool = Field(
        False, description="one of « l'appartenance, vraie ou supposée, à » an ethnie, a nation…"
    )
    debut: dt.date | None = None
    texte: str | None = Field(None, description="the law that added or removed it")
    verifie: bool = True
    raison: str | None = Field(None, description="why its dates are not verified")
    source: str | None = Field(None, description="what was read of its dates, and when")

    @model_validator(mode="after")
    def unverified_says_why(self) -> DiscriminationCriterion:
        if not self.verifie and not self.raison:
            raise ValueError(_("a criterion with verifie: false needs its raison"))
        return self


class Penalty(Block):
    emprisonnement_ans: int
    amende: int


class LegalPersonsFine(Block):
    reference: str
    multiple_amende: int = Field(description="the fine of a person, times this")


class DiscriminationPenalties(Penalty):
    reference: str
    lieu_public: Penalty
    personnes_morales: LegalPersonsFine


class Discrimination(Block):
    """national/discrimination.yaml: criteria of art. 225-1 of the code pénal, dated, and the
    penalties of art. 225-2."""

    reference: str
    criteres: list[DiscriminationCriterion]
    peines: DiscriminationPenalties


class PriorityPublics(Block):
    """national/publics-prioritaires-l441-1.yaml: the priority households of art. L441-1 CCH."""

    reference: str
    publics: list[str]


def _placeholders(*allowed: str) -> Any:
    """A validator: the words name no placeholder but `allowed` (figures the documents fill)."""

    def check(words: str) -> str:
        try:
            fields = {n for _, n, _, _ in string.Formatter().parse(words) if n is not None}
        except ValueError as error:
            raise ValueError(_("unbalanced braces: {error}", error=error)) from error
        if fields - set(allowed):
            unknown = ", ".join(sorted(f"{{{f}}}" for f in fields - set(allowed)))
            known = ", ".join(f"{{{a}}}" for a in allowed) or "none"
            raise ValueError(
                _("unknown placeholder {unknown} — allowed: {known}", unknown=unknown, known=known)
            )
        return words

    return check


class TableWords(Block):
    """The title and sheet name of an indicator table; each table adds its own `colonnes`."""

    titre: str
    feuille: str = Field(max_length=31, description="the workbook's sheet name")


class DatedTableWords(TableWords):
    """A table of one evaluated year: its title may name it."""

    titre: str = Field(description="{annee}: the evaluated year")

    _titre = field_validator("titre")(_placeholders("annee"))


class SocialHousingColumns(Block):
    annee: str
    parc: str
    parc_plai: str
    part_plai: str
    produits: str
    produits_plai: str
    mis_en_service: str
    mis_en_service_plai: str


class SocialHousingLabels(TableWords):
    colonnes: SocialHousingColumns


class DemandColumns(Block):
    annee: str
    demandes: str
    demandes_premier_acces: str
    demandes_mutation: str
    attributions: str
    attributions_premier_acces: str
    attributions_mutation: str
    tension: str
    tension_mutations: str


class DemandLabels(TableWords):
    colonnes: DemandColumns
    notes: list[str] = Field(default_factory=list, description="shown under the table")


class ShareColumns(Block):
    annee: str
    attributions: str
    effectif: str = Field(description="the group's allocations")
    part: str
    ecart_objectif: str = Field(description="shown when the group has a target")
    evolution: str


class ShareLabels(TableWords):
    colonnes: ShareColumns


class FirstQuartileColumns(Block):
    annee: str
    seuil: str = Field(description="the first quartile's income threshold")
    attributions_hors_qpv: str
    premier_quartile: str
    part: str
    ecart_objectif: str
    evolution: str
    manquantes: str = Field(description="allocations missing to reach the target")


class FirstQuartileLabels(TableWords):
    colonnes: FirstQuartileColumns


class MotiveColumns(Block):
    motif: str
    attributions: str
    part: str


class MotiveLabels(DatedTableWords):
    colonnes: MotiveColumns


class PriorityColumns(Block):
    contingent: str
    attributions: str
    part_attributions: str = Field(description="the contingent's share of all allocations")
    dalo: str
    prioritaires: str
    part: str
    objectif: str
    ecart_objectif: str


class PriorityLabels(DatedTableWords):
    colonnes: PriorityColumns


class ScaleColumns(Block):
    entite: str = Field(description="the commune, landlord or contingent")
    attributions: str
    hors_qpv: str = Field(description="shown when the territory has QPV")
    premier_quartile: str
    part: str
    objectif: str = Field(description="shown when a landlord or contingent has its own target")
    ecart_objectif: str
    manquantes: str


class ScaleLabels(DatedTableWords):
    colonnes: ScaleColumns


class OtherQuartilesColumns(Block):
    annee: str
    attributions_qpv: str = Field(description="allocations in QPV")
    autres_quartiles: str = Field(description="of which to households of quartiles 2 to 4")
    part: str
    ecart_objectif: str
    evolution: str
    manquantes: str = Field(description="allocations missing to reach the target")


class OtherQuartilesLabels(TableWords):
    colonnes: OtherQuartilesColumns


class QpvScaleColumns(Block):
    entite: str = Field(description="the commune, landlord or contingent")
    attributions_qpv: str
    autres_quartiles: str
    part: str
    objectif: str = Field(description="shown when a landlord or contingent has its own target")
    ecart_objectif: str
    manquantes: str


class QpvScaleLabels(DatedTableWords):
    colonnes: QpvScaleColumns


class ProfileColumns(Block):
    caracteristique: str
    modalite: str
    effectif: str = Field(description="the count, shown when the profile is of one year")
    part: str


class ProfileLabels(TableWords):
    """A profile's words; several years of it show one column of shares per year."""

    titre: str = Field(description="{annees}: the year or years of the profile")
    colonnes: ProfileColumns

    _titre = field_validator("titre")(_placeholders("annees"))


class TargetedColumns(Block):
    annee: str
    demandes: str
    part_demande: str
    attributions: str
    part_attributions: str
    tension: str


class TargetedLabels(TableWords):
    colonnes: TargetedColumns


class ComparedColumns(Block):
    categorie: str
    demandes: str = Field(description="{annee_demandes}: the year of the applications shown")
    part_demandes: str
    attributions: str = Field(description="{periode}: the years of the allocations added up")
    part_attributions: str

    _demandes = field_validator("demandes")(_placeholders("annee_demandes"))
    _attributions = field_validator("attributions")(_placeholders("periode"))


class ComparedLabels(TableWords):
    colonnes: ComparedColumns


class CommitmentColumns(Block):
    entite: str = Field(description="the landlord or contingent")
    attributions: str = Field(description="its allocations of the reference year")
    hors_qpv: str
    cible_q1: str = Field(description="shown when a partner has its own target")
    engagement_q1: str = Field(description="{cible_q1}: the EPCI's first-quartile target")
    en_qpv: str
    cible_qpv: str
    engagement_qpv: str = Field(description="{cible_qpv}: the EPCI's other-quartiles target")
    non_reserves: str = Field(description="a landlord's allocations on its own dwellings")
    cible_prioritaires: str
    engagement_prioritaires: str = Field(
        description="{cible_prioritaires}: the rate of the non-reserved dwellings"
    )

    _figures = field_validator("*")(_placeholders("cible_q1", "cible_qpv", "cible_prioritaires"))


class CommitmentNotes(Block):
    commitments: str = Field(description="how a commitment is computed")
    grouped: str = Field(description="{regroupes}: the landlords grouped under secrecy")
    unknown: str = Field(description="what an unknown cell means")

    _regroupes = field_validator("grouped")(_placeholders("regroupes"))


class CommitmentLabels(DatedTableWords):
    colonnes: CommitmentColumns
    notes_calculees: CommitmentNotes
    inconnu: str = Field(description="an unknown figure (never 0)")
    par_an: str = Field(description="{nombre}: a partner's target given as allocations a year")

    _par_an = field_validator("par_an")(_placeholders("nombre"))


class TableLabels(Block):
    """The words of the indicator tables, by table key; indicators compute under keys only."""

    autres_quartiles_qpv: OtherQuartilesLabels
    demandes_attributions: DemandLabels
    engagements_bailleur: CommitmentLabels
    engagements_contingent: CommitmentLabels
    demandes_premier_quartile: TargetedLabels
    demandes_prioritaires: TargetedLabels
    logements_sociaux: SocialHousingLabels
    mutations: ShareLabels
    premier_quartile: FirstQuartileLabels
    prioritaires_contingents: PriorityLabels
    profil_attributaires_mutations: ProfileLabels
    profil_attributaires_premier_quartile: ProfileLabels
    profil_demandes: ProfileLabels
    profil_mutations: ProfileLabels
    profil_premier_quartile: ProfileLabels
    profil_prioritaires: ProfileLabels
    q1_bailleur: ScaleLabels
    q1_commune: ScaleLabels
    q1_contingent: ScaleLabels
    qpv_bailleur: QpvScaleLabels
    qpv_commune: QpvScaleLabels
    qpv_contingent: QpvScaleLabels
    repartition_composition: ComparedLabels
    repartition_financement: ComparedLabels
    repartition_motif: ComparedLabels
    repartition_typologie: ComparedLabels
    prioritaires_motifs: MotiveLabels
    prioritaires_annees: ShareLabels
    travailleurs_essentiels: ShareLabels


class ObjectiveLabels(Block):
    """The bilan's objectives, by the key their result is computed under."""

    premier_quartile: str
    autres_quartiles_qpv: str
    prioritaires: str = Field(description="{echelle}: the contingent, or all of them")
    mutations: str
    travailleurs_essentiels: str

    _prioritaires = field_validator("prioritaires")(_placeholders("echelle"))


class ScaleNames(Block):
    """How a sentence names all contingents together and each contingent."""

    ensemble: str
    contingents: dict[str, str]

    @field_validator("contingents")
    @classmethod
    def known_contingents(cls, named: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(named) - set(CONTINGENTS))
        if unknown:
            raise ValueError(
                _(
                    "unknown contingent {unknown} — choose among {contingents}",
                    unknown=", ".join(unknown),
                    contingents=", ".join(CONTINGENTS),
                )
            )
        return named


#: The rows that add up members whose counts are all secret (`lignes`).
GROUPED_ROWS = (
    "autres_communes",
    "autres_bailleurs",
    "autres_contingents",
    "autres_motifs",
    "autres_modalites",
)


class RowLabels(Block):
    """The rows a computation adds to a table, by key; placeholders are its figures."""

    ensemble: str = Field(description="all together")
    non_ventile: str = Field(description="what the members listed do not account for")
    non_renseigne: str = Field(description="applications or allocations of no given category")
    autre_motif: str = Field(description="priority allocations of no listed motive")
    autres_communes: str = Field(description="{nombre} communes whose counts are all secret")
    autres_bailleurs: str = Field(description="{nombre} landlords whose counts are all secret")
    autres_contingents: str = Field(description="{nombre} contingents, counts all secret")
    autres_motifs: str = Field(description="{nombre} motives whose counts are all secret")
    autres_modalites: str = Field(description="{nombre} categories whose counts are all secret")

    _fixed = field_validator("ensemble", "non_ventile", "non_renseigne", "autre_motif")(
        _placeholders()
    )
    _grouped = field_validator(*GROUPED_ROWS)(_placeholders("nombre", "seuil"))


class SourceLabels(Block):
    """The sources the figures name when the data name none."""

    attributions: str = Field(description="allocation records without a source")


class PriorityShareChart(Block):
    """The CIA's chart of the theoretical priority share; {part}: the contingent's share."""

    titre: str
    etat: str
    agents_etat: str
    autres: str
    ensemble: str
    source: str = Field(description="the article that sets the State's share ({article})")

    _parts = field_validator("etat", "agents_etat", "autres")(_placeholders("part"))
    _article = field_validator("source")(_placeholders("article"))


class CoverageWords(Block):
    """The CIA's completeness table: the part covering each legal item, by section key, and
    what to give (and where: `a_donner`, for cil check) for an item that depends on it, and
    what it is in the reader's words (`a_dire`, for the document), by condition key."""

    sections: dict[str, str]
    a_donner: dict[str, str]
    a_dire: dict[str, str]

    @field_validator("a_donner", "a_dire")
    @classmethod
    def every_condition(cls, words: dict[str, str]) -> dict[str, str]:
        missing = sorted(set(COVERAGE_CONDITIONS) - set(words))
        if missing:
            raise ValueError(_("missing {names}", names=", ".join(missing)))
        return words


#: The conditions of content/national/cia-contenu.yaml (`si`), worded in `cia.couverture`.
COVERAGE_CONDITIONS = (
    "bailleurs",
    "reservataires",
    "orientations",
    "renouvellement_urbain",
    "travailleurs_essentiels",
    "residences_par_bailleur",
)


class CiaLabels(Block):
    """The CIA's words built around data: an action's pilot and contributors, a signatory
    commune, the chart of the theoretical priority share."""

    pilote: str = Field(description="{nom}: the action's pilot")
    contributeurs: str = Field(description="{noms}: the action's contributors")
    signataire_commune: str = Field(description="{de_commune}: « de Cornas », « d'Alboussière »")
    part_prioritaires: PriorityShareChart
    couverture: CoverageWords

    _pilote = field_validator("pilote")(_placeholders("nom"))
    _contributeurs = field_validator("contributeurs")(_placeholders("noms"))
    _commune = field_validator("signataire_commune")(_placeholders("de_commune"))


class NoteLabels(Block):
    """Notes computed with a table, by key; placeholders are the figures the computation gives."""

    taux_seul: str = Field(description="{annees}: the years whose source gives the rate only")
    secret_communes: str = Field(description="{membres}, {seuil}: communes added up in one row")
    secret_bailleurs: str = Field(description="{membres}, {seuil}: landlords added up in one row")
    secret_contingents: str = Field(description="{membres}, {seuil}: contingents added up")
    secret_motifs: str = Field(description="{membres}, {seuil}: motives added up in one row")
    secret_modalites: str = Field(
        description="{caracteristique}, {membres}, {seuil}: a profile's categories added up"
    )
    objectif_ensemble: str
    objectif_ensemble_theorique: str = Field(description="when contingents are not broken down")
    parts_publiees: str = Field(description="a profile shows shares published without counts")
    quartile_inconnu: str = Field(
        description="{annee}, {nombre}: allocations of unknown quartile left out of a share"
    )
    quartile_inconnu_un: str = Field(description="{annee}: one such allocation")
    quartile_inconnu_secret: str = Field(
        description="{annee}, {seuil}: fewer than the secrecy threshold, not counted"
    )

    _taux_seul = field_validator("taux_seul")(_placeholders("annees"))
    _secret = field_validator(
        "secret_communes", "secret_bailleurs", "secret_contingents", "secret_motifs"
    )(_placeholders("membres", "seuil"))
    _secret_profile = field_validator("secret_modalites")(
        _placeholders("caracteristique", "membres", "seuil")
    )
    _fixed = field_validator("objectif_ensemble", "objectif_ensemble_theorique", "parts_publiees")(
        _placeholders()
    )
    _unknown = field_validator("quartile_inconnu")(_placeholders("annee", "nombre"))
    _unknown_one = field_validator("quartile_inconnu_un")(_placeholders("annee"))
    _unknown_secret = field_validator("quartile_inconnu_secret")(_placeholders("annee", "seuil"))


class ProfileGroupNames(Block):
    """How the profiles' chart names each group, by its table key."""

    profil_demandes: str
    profil_mutations: str
    profil_premier_quartile: str
    profil_prioritaires: str
    profil_attributaires_premier_quartile: str
    profil_attributaires_mutations: str


class ChartWordLabels(Block):
    """The words a chart draws and says around its figures (render/charts.py ChartWords)."""

    part_constatee: str
    objectif: str
    objectif_valeur: str
    objectif_dit: str
    objectif_groupe: str
    secret: str
    non_disponible: str
    non_disponible_court: str
    en_annee: str
    serie: str
    courbe: str
    barres: str
    barre_repartie: str
    source: str

    _target = field_validator("objectif_valeur", "objectif_dit", "objectif_groupe")(
        _placeholders("objectif")
    )
    _plain = field_validator(
        "part_constatee", "objectif", "secret", "non_disponible", "non_disponible_court"
    )(_placeholders())
    _year = field_validator("en_annee")(_placeholders("valeur", "annee"))
    _series = field_validator("serie")(_placeholders("nom", "liste"))
    _said = field_validator("courbe", "barres", "barre_repartie")(_placeholders("legende", "liste"))
    _source = field_validator("source")(_placeholders("source"))


class ChartLabels(Block):
    """The bilan's chart titles and series names, and the words of every chart."""

    premier_quartile: str
    premier_quartile_bailleurs: str
    autres_quartiles_qpv: str
    autres_quartiles_qpv_bailleurs: str
    attributions_commune: str
    attributions_bailleur: str
    prioritaires_contingents: str
    contingents: str
    demandes_attributions: str
    serie_demandes: str
    serie_attributions: str
    tension: str
    profils_plai: str = Field(description="the share under the PLAI ceiling, group by group")
    groupes_profils: ProfileGroupNames
    sans_source: str = Field(description="the source shown when the data give none")
    mots: ChartWordLabels


class BilanTypes(Block):
    annuel: str
    triennal: str
    final: str


class BilanLabels(Block):
    """The bilan's title and the first lines of its workbook."""

    titre: str = Field(description="{type}: annuel, triennal or final; {etendue}: the years")
    types: BilanTypes
    classeur: list[str] = Field(description="{titre}: the bilan's; {secret_max}: largest hidden")
    source: str = Field(description="{source}: one origin of the figures")
    lisez_moi: str = Field(max_length=31, description="the workbook's first sheet's name")

    _titre = field_validator("titre")(_placeholders("type", "etendue"))
    _source = field_validator("source")(_placeholders("source"))

    @field_validator("classeur")
    @classmethod
    def known_figures(cls, lines: list[str]) -> list[str]:
        check = _placeholders("titre", "secret_max")
        return [check(line) for line in lines]


class GuichetLevels(Block):
    """The title of each level of guichet (1, 2, 3)."""

    niveau_1: str
    niveau_2: str
    niveau_3: str


class GuichetStatuses(Block):
    ouvert: str
    prevu: str
    prevu_le: str = Field(description="{ouverture}: the planned opening")

    _prevu_le = field_validator("prevu_le")(_placeholders("ouverture"))


class StockClasses(Block):
    """A class of the stock's qualification, by its bounds (in %)."""

    moins_de: str = Field(description="{haut}: the upper bound")
    entre: str = Field(description="{bas}, {haut}: the bounds")
    a_partir_de: str = Field(description="{bas}: the lower bound")

    _moins_de = field_validator("moins_de")(_placeholders("haut"))
    _entre = field_validator("entre")(_placeholders("bas", "haut"))
    _a_partir_de = field_validator("a_partir_de")(_placeholders("bas"))


class NotAnalysed(Block):
    insuffisant: str
    non_renseigne: str


class AnnexLabels(Block):
    """The PPGDID annexes' words: guichet levels and statuses, classes of the stock."""

    niveaux: GuichetLevels
    statuts: GuichetStatuses
    classes: StockClasses
    non_analyse: NotAnalysed
    ensemble_parc: str


class CotationColumns(Block):
    critere: str
    ponderation: str
    points: str
    plafond: str
    nature: str
    saisie: str
    demandes: str = Field(description="the requests a criterion applies to, with one grid")


class CotationLabels(Block):
    """The PPGDID's cotation grid: titles of its grids, columns, a legal criterion left out."""

    grille_unique: str
    grille_premieres_demandes: str
    grille_mutations: str
    colonnes: CotationColumns
    non_pris_en_compte: str


class AudienceMentions(Block):
    """The mention printed on every page of a document of restricted audience, by document."""

    bilan: str = Field(description="the bilan when territory.yaml says diffusion.bilan: restreinte")
    cia: str = Field(description="the CIA when territory.yaml says diffusion.cia: restreinte")


class Audiences(Block):
    restreinte: AudienceMentions


class LawTitleLabels(Block):
    """How a text of national/cadre-legal.yaml is titled, with or without its number."""

    numerote: str = Field(description="{nature}, {numero}, {date}, {titre}")
    sans_numero: str = Field(description="{nature}, {date}, {titre}")

    _numbered = field_validator("numerote")(_placeholders("nature", "numero", "date", "titre"))
    _plain = field_validator("sans_numero")(_placeholders("nature", "date", "titre"))


class ComparisonLabels(Block):
    """The title and status of `cil diff`'s report, whose body is templates/diff/."""

    titre: str = Field(description="{avant}, {apres}: the two years compared")
    statut: str

    _titre = field_validator("titre")(_placeholders("avant", "apres"))


class Labels(Block):
    tableaux: TableLabels
    objectifs: ObjectiveLabels
    lignes: RowLabels
    sources: SourceLabels
    cia: CiaLabels
    echelles: ScaleNames
    notes: NoteLabels
    graphiques: ChartLabels
    bilan: BilanLabels
    annexes: AnnexLabels
    cotation: CotationLabels
    diffusion: Audiences
    textes_de_loi: LawTitleLabels
    comparaison: ComparisonLabels


class ChecklistItem(Block):
    """One line of a guichet's checklist: a point of the law, a local text or a figure."""

    loi: str | None = Field(None, description="code of national/information-demandeur.yaml")
    texte: str | None = None
    donnee: Literal["delai-attente", "demandes-attributions"] | None = None

    @model_validator(mode="after")
    def one_kind(self) -> ChecklistItem:
        if sum(v is not None for v in (self.loi, self.texte, self.donnee)) != 1:
            raise ValueError(_("give one of loi, texte or donnee"))
        return self


class LevelChecklist(Block):
    niveau: Literal[1, 2, 3]
    informations: list[ChecklistItem] = Field(min_length=1)


class GuichetChecklists(Block):
    """blocs/ppgdid/guichets-informations.yaml: what each level of guichet tells applicants."""

    niveaux: list[LevelChecklist]

    @field_validator("niveaux")
    @classmethod
    def each_level_once(cls, niveaux: list[LevelChecklist]) -> list[LevelChecklist]:
        levels = [n.niveau for n in niveaux]
        if len(set(levels)) != len(levels):
            raise ValueError(_("give each level once"))
        return niveaux


class WorkbookWords(Block):
    """blocs/classeur.yaml: the words of `cil workbook`'s notes, in French."""

    lisez_moi: list[str] = Field(description="lines of the notes sheet; {territoire}, {annee}")
    entetes: list[str] = Field(min_length=5, max_length=5)
    exigences: dict[str, str] = Field(description="« obligatoire », « attendue » as shown")
    colonnes: dict[str, str] = Field(description="note of each column, by table.column")
    reglages: dict[str, str] = Field(description="note of each setting, by path without items")


#: The blocks a territory's override is laid over, key by key (`yaml_files.overlaid`), instead
#: of replacing them: it writes only the words it changes.
OVERLAID = frozenset({"blocs/libelles.yaml"})

#: The schema of each content file, by its path under content/ (`*`: any département).
SCHEMAS: dict[str, type[Block]] = {
    "blocs/cia/textes.yaml": CiaTexts,
    "blocs/deliberation-textes.yaml": DeliberationTexts,
    "blocs/classeur.yaml": WorkbookWords,
    "blocs/ppgdid/guichets-informations.yaml": GuichetChecklists,
    "blocs/libelles.yaml": Labels,
    "departements/*/accompagnement.yaml": Support,
    "departements/*/accord-collectif.yaml": CollectiveAgreement,
    "departements/*/cotation.yaml": DepartementCotation,
    "departements/*/delai-attente.yaml": DepartementWaitingTimes,
    "departements/*/labellisation.yaml": Labelling,
    "departements/*/pdalhpd.yaml": Pdalhpd,
    "national/cadre-legal.yaml": LegalFramework,
    "national/cia-contenu.yaml": CiaContent,
    "national/regles.yaml": Rules,
    "national/contingents.yaml": Contingents,
    "national/discrimination.yaml": Discrimination,
    "national/information-demandeur.yaml": ApplicantRights,
    "national/cotation-criteres-legaux.yaml": LegalCriteria,
    "national/glossaire.yaml": Glossary,
    "national/ppgdid-contenu.yaml": PpgdidContent,
    "national/publics-prioritaires-l441-1.yaml": PriorityPublics,
}
