"""`cil new`: a territory folder for an EPCI, from its SIREN and the official reference data.

The folder is complete enough to pass `cil check` and to build at once: the documents mark
what is missing, and the folder's README says what to fill first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.commands.thresholds import (
    Filled,
    OfficialThreshold,
    entry_for,
    fill_thresholds,
    read_official_table,
    source_of,
)
from generator.documents.cia_governance import LEVEL_BLOCKS
from generator.errors import DataErrors, Location, Problem, UsageError, display_path
from generator.formatting import nombre
from generator.messages import _, language
from generator.reference import CommuneIndex, Epci, departement_name, epci, normalize, source
from generator.resources import CONTENT, working_territories
from generator.territory.config import TerritoryConfig
from generator.territory.load import load_territory, table_specs

#: Usual bounds of the qualification classes, in %, written for the CIL to confirm or change.
_CLASSES = (("Faible", 0), ("Moyenne", 15), ("Forte", 33), ("Très forte", 60))
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: Settings written out by `_territory_yaml`; any other setting is listed as a comment.
_WRITTEN = {
    "siren",
    "nom",
    "nom_court",
    "annee",
    "premiere_annee_seuils",
    "documents",
    "partenaires",
    "objectifs",
    "accueil",
    "qualification",
    "secret_statistique",
}


@dataclass(frozen=True)
class NewTerritory:
    folder: Path
    epci: Epci
    files: list[Path]
    thresholds: Filled | None = None


def _french(message: str) -> str:
    """A msgid in French: the README is French, whatever the language of messages."""
    with language("fr"):
        return _(message)


def suggested_slug(name: str) -> str:
    """ "CC du Grand Pic Saint-Loup" reads "cc-du-grand-pic-saint-loup"."""
    return "-".join(normalize(name).split())


def _reference_epci(siren: str) -> Epci:
    where = Location(f"--siren {siren}")
    if not re.fullmatch(r"\d{9}", siren):
        raise DataErrors([Problem(where, _("a SIREN is nine digits, e.g. 200041366"))])
    try:
        return epci(siren)
    except KeyError:
        data = source()
        raise DataErrors(
            [
                Problem(
                    where,
                    _(
                        "no EPCI with this SIREN in the reference data ({package} {version}) —"
                        " check the SIREN on the EPCI's official records",
                        package=data["package"],
                        version=data["version"],
                    ),
                )
            ]
        ) from None


def _check_slug(slug: str, reference: Epci) -> None:
    if not _SLUG.match(slug):
        raise UsageError(
            _(
                '"{slug}" cannot name a territory: use lowercase letters, digits and hyphens, e.g.'
                ' "{suggested_slug}"',
                slug=slug,
                suggested_slug=suggested_slug(reference.nom),
            )
        )


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _other_settings() -> list[str]:
    """Optional settings that other modules declare, so that a new one is never hidden."""
    lines = []
    for name, field in TerritoryConfig.model_fields.items():
        if name not in _WRITTEN:
            lines.append(f"# {name}: {field.description or 'voir docs/territory-format.md'}")
    return lines


def _territory_yaml(reference: Epci, year: int) -> str:
    departements = sorted({c.departement for c in reference.communes})
    names = ", ".join(f"{departement_name(d)} ({d})" for d in departements)
    lines = [
        f"# {reference.nom} — {names}.",
        "# Nom, communes et département viennent du référentiel officiel (SIREN ci-dessous).",
        "# Réglages décrits dans docs/territory-format.md ; `cil check` valide ce fichier.",
        f'siren: "{reference.siren}"',
        f"# nom: {_yaml_text(reference.nom)}   # remplace le nom tiré du référentiel",
        f"nom_court: {_yaml_text(reference.nom)}   # sigle utilisé dans le texte, à raccourcir",
        f"annee: {year}                  # année des documents construits par défaut",
        "# premiere_annee_seuils: 2019   # première année du tableau des seuils du 1er quartile",
        "",
        "documents:",
        f"  auteur: {_yaml_text(reference.nom)}   # service ou cabinet auteur des documents",
        "  statut: Projet",
        "  # date: 2025-01-15             # date de la version ; son mois figure en couverture",
        "",
        "partenaires:",
        "  bailleurs: []                  # bailleurs sociaux présents sur le territoire",
        "  reservataires: []              # État, Département, Action Logement Services…",
        "",
        "# Quartiers prioritaires (QPV) : la CIA et le bilan sont refusés tant que « qpv » est",
        "# sans réponse. true : le territoire en compte, listés dans data/qpv.csv ; false : aucun.",
        "objectifs:",
        "  qpv:                           # à renseigner : true ou false",
        "",
        "# accueil:                        # à décommenter une fois les délais connus",
        "  # delai_entretien_jours: 30      # entretien accordé dans ce délai au demandeur",
        "  # delai_attente_moyen_mois: 10   # délai moyen d'attente d'un logement social",
        "  # delai_attente_annee: 2024      # année de ce délai moyen",
        "",
        "# Qualification du parc social : bornes basses des classes (en %) à valider par la CIL.",
        "qualification:",
        "  indicateur: part des ménages sous 40 % des plafonds PLUS",
        "  classes:",
        *[
            f"    - {{libelle: {level} concentration de ménages à faibles ressources, "
            f"a_partir_de: {bound}}}"
            for level, bound in _CLASSES
        ],
        "  residences_enjeu:",
        "    part_minimale: 40            # part sous 40 % PLUS (en %) d'une résidence à enjeu",
        "",
        "secret_statistique: 11          # effectifs inférieurs masqués dans les tableaux publiés",
    ]
    others = _other_settings()
    if others:
        lines += ["", "# Autres réglages possibles (voir docs/territory-format.md) :", *others]
    return "\n".join(lines) + "\n"


def _table_header(names: list[str]) -> str:
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerow(names)
    return stream.getvalue()


def _departement_blocks(reference: Epci) -> list[str]:
    """What content/ holds for the EPCI's département, and the blocks other départements have."""
    code = reference.communes[0].departement
    known = sorted({p.name for p in (CONTENT / "departements").glob("*/*") if p.is_file()})
    own = sorted(p.name for p in (CONTENT / "departements" / code).glob("*") if p.is_file())
    lines = [f"## Blocs du département ({departement_name(code)}, {code})", ""]
    if own:
        lines.append(f"`content/departements/{code}/` fournit : {', '.join(own)}.")
    else:
        lines.append(
            f"`content/departements/{code}/` n'existe pas encore : les documents "
            "signalent les passages qui en dépendent par **[à renseigner]**."
        )
    # The accord collectif also gives the priority levels the CIA would take from a PDALHPD
    # block (LEVEL_BLOCKS, in order of preference); the reverse is not true.
    preferred, fallback = LEVEL_BLOCKS
    missing = [n for n in known if n not in own and not (n == fallback and preferred in own)]
    if missing:
        lines += [
            "",
            "Blocs à écrire pour ce territoire, sur le modèle de ceux de `content/departements/` "
            "(`cil check` les liste tant qu'ils manquent et accepte ces chemins ; aucun texte "
            "d'un autre département ne les remplace) :",
            "",
            *[f"- `overrides/departements/{code}/{name}`" for name in missing],
        ]
    return lines


def _readme(reference: Epci, slug: str, year: int) -> str:
    specs = table_specs()
    communes = sorted(reference.communes, key=lambda c: c.nom)
    total = sum(c.population for c in communes)
    lines = [
        f"# {reference.nom}",
        "",
        f"Dossier du territoire créé par `cil new {slug} --siren {reference.siren}`.",
        "",
        "## À faire",
        "",
        "1. Relire `territory.yaml` : nom court, auteur et statut des documents, partenaires, "
        "délais d'accueil, classes de qualification du parc. Répondre à `qpv` sous `objectifs` "
        "(sans réponse, la CIA et le bilan sont refusés) : si le territoire compte des quartiers "
        "prioritaires, écrire `qpv: true` et les lister dans `data/qpv.csv` (code, nom, "
        "communes) ; sinon écrire `qpv: false`. Dans le classeur : la feuille qpv, ou « non » "
        "au réglage `objectifs.qpv` de la feuille Objectifs.",
        "2. Remplir les tables de `data/` (leur ligne d'en-tête est écrite ; une table sans "
        "objet pour ce territoire reste vide) :",
        *[f"   - `{s.name}.csv` — {_french(s.description)}" for s in specs],
        "3. Seuils du premier quartile : `cil thresholds import ANNEXE.xlsx "
        f"{slug} --year {year}` les lit dans l'annexe de l'arrêté annuel (CSV ou XLSX : "
        "code département, département, nom de l'EPCI, SIRET, seuil en euros), une fois par "
        f"année depuis la première du tableau (`premiere_annee_seuils`).",
        f"4. `cil check {slug}` valide les données et liste ce qui reste à renseigner ; "
        f"`cil workbook export {slug}` prépare un classeur Excel de toutes les tables.",
        f"5. Construire les documents : `cil build {slug} --year {year}`.",
        "",
        "Les colonnes de chaque table sont décrites dans `docs/territory-format.md`. "
        "Une valeur inconnue reste vide : jamais « A compléter ».",
        "",
        *_departement_blocks(reference),
        "",
        f"## Communes ({len(communes)}, {nombre(total)} habitants)",
        "",
        "Noms officiels à employer dans les tables (ou le code INSEE).",
        "",
        "| Commune | Code INSEE | Population |",
        "|---|---|--:|",
        *[f"| {c.nom} | {c.insee} | {nombre(c.population)} |" for c in communes],
    ]
    return "\n".join(lines) + "\n"


def _write_folder(target: Path, reference: Epci, slug: str, year: int) -> list[Path]:
    index = CommuneIndex(reference.communes)
    files = {
        Path("territory.yaml"): _territory_yaml(reference, year),
        Path("README.md"): _readme(reference, slug, year),
    }
    for spec in table_specs():
        header = [column.name for column in spec.columns(index)]
        files[Path("data") / f"{spec.name}.csv"] = _table_header(header)
    for relative, text in files.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text, encoding="utf-8")
    return sorted(files)


def _official_thresholds(path: Path, siren: str, year: int) -> OfficialThreshold:
    """The EPCI's row of the arrêté's annex, checked before anything is created."""
    found = entry_for(read_official_table(path, default=year), siren)
    if isinstance(found, str):
        raise DataErrors([Problem(Location(display_path(path)), found)])
    return found


def new_territory(
    slug: str,
    siren: str,
    year: int | None = None,
    parent: Path | None = None,
    thresholds: Path | None = None,
) -> NewTerritory:
    """Create parent/slug (default: ./territories/slug) from the reference data, with the
    thresholds of the arrêté's annex `thresholds` if given; never overwrites a folder."""
    parent = parent or working_territories()
    reference = _reference_epci(siren)
    _check_slug(slug, reference)
    year = year or dt.date.today().year
    if not 2015 <= year <= 2100:
        raise UsageError(_("--year {year}: expected a year between 2015 and 2100", year=year))
    official = _official_thresholds(thresholds, reference.siren, year) if thresholds else None
    target = parent / slug
    if target.exists():
        raise UsageError(
            _("{target} already exists: choose another name", target=display_path(target))
        )
    parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=parent, prefix=f".{slug}."))
    try:
        relative = _write_folder(scratch, reference, slug, year)
        filled = None
        if official is not None and thresholds is not None:
            filled = fill_thresholds(scratch, official, source_of(thresholds), year)
            filled.territory, filled.file = slug, target / "data" / Path(filled.file or "").name
        load_territory(scratch, year)  # a scaffold that does not load is our bug, not the user's
        scratch.rename(target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return NewTerritory(target, reference, [target / r for r in relative], filled)
