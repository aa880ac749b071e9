"""Fictional allocation data for examples, tests and benchmarks: seeded, hence reproducible.

Six years of allocations, one row each as a partner would export them from the SNE, with
realistic proportions (first quartile, priority households and their motives, mutations, key
workers), several landlords and reservation holders, and QPV in the largest communes (one by
default, listed in qpv.csv; `tables` takes any number of QPV and any landlords); the
applications, their breakdowns, the thresholds and the social housing of the same years. Every
row says « Données fictives » in its source, so that every table and chart built from it says
so too. `python -m generator.commands.fictional FOLDER` writes the tables into FOLDER/data.
Applicants and beneficiaries carry an age, an activity and a resources band, so that the
profiles of the CIA and the bilan have every dimension.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from generator.reference import Commune

SEED = 2025
YEARS = tuple(range(2019, 2025))
SOURCE = f"Données fictives générées par cil (graine {SEED})"
LANDLORDS = {
    "Habitat du Val": 0.38,
    "Logis Exemple": 0.27,
    "SA HLM Modèle": 0.2,
    "Toit Fictif": 0.15,
}
CONTINGENTS = {
    "État": 0.26,
    "Action Logement": 0.24,
    "Département": 0.06,
    "Commune": 0.16,
    "Non réservé": 0.28,
}
QPV_NAMES = (
    "Les Tilleuls",
    "Le Plateau",
    "Les Marronniers",
    "La Source",
    "Le Moulin",
    "Les Acacias",
    "Bellevue",
    "Les Peupliers",
)
PRIORITY_CHANCE = {"État": 0.92, "Action Logement": 0.2, "Département": 0.3, "Commune": 0.24}
MOTIVES = {
    "Hébergé chez un tiers": 0.34,
    "Dépourvu de logement": 0.14,
    "Hébergé temporairement": 0.12,
    "Situation de handicap": 0.16,
    "Menacé d'expulsion": 0.08,
    "Victime de violences": 0.1,
    "Logement indigne ou non décent": 0.06,
}
COMPOSITIONS = {  # composition: (weight, household sizes)
    "Personne seule": (0.4, (1,)),
    "Couple sans enfant": (0.1, (2,)),
    "Couple avec enfants": (0.2, (3, 4, 5, 6)),
    "Famille monoparentale": (0.27, (2, 3, 4)),
    "Autre": (0.03, (2, 3)),
}
TYPES_BY_SIZE = {1: ("T1", "T2"), 2: ("T2", "T3"), 3: ("T3", "T4"), 4: ("T4", "T5 et plus")}
FINANCINGS = {"PLUS": 0.68, "PLAI": 0.2, "PLS": 0.08, "Autre": 0.04}
APPLICATION_MOTIVES = {
    "Logement trop cher": 0.18,
    "Logement trop petit": 0.17,
    "Divorce ou séparation": 0.12,
    "Sans logement propre": 0.2,
    "Logement inadapté au handicap": 0.08,
    "Rapprochement du travail": 0.1,
    "Autre motif": 0.15,
}
PROFESSIONS = (
    "Aide-soignant",
    "Aide à domicile",
    "Agent d'entretien",
    "Enseignant",
    "Conducteur de bus",
    "Employé du commerce alimentaire",
    "Sapeur-pompier",
)
#: Age group of the applicant: (weight, youngest, oldest); the groups of `AGE_GROUPS`.
AGES = {
    "Moins de 25 ans": (0.11, 18, 24),
    "25 à 39 ans": (0.36, 25, 39),
    "40 à 64 ans": (0.41, 40, 64),
    "65 ans et plus": (0.12, 65, 88),
}
#: Professional situation of the applicant, by age group.
ACTIVITIES = {
    "Moins de 25 ans": {
        "Actifs": 0.45,
        "Demandeurs d'emploi": 0.25,
        "Étudiants ou apprentis": 0.22,
        "Autres sans activité": 0.08,
    },
    "25 à 39 ans": {"Actifs": 0.6, "Demandeurs d'emploi": 0.24, "Autres sans activité": 0.16},
    "40 à 64 ans": {
        "Actifs": 0.52,
        "Demandeurs d'emploi": 0.22,
        "Retraités": 0.06,
        "Autres sans activité": 0.2,
    },
    "65 ans et plus": {"Retraités": 0.92, "Autres sans activité": 0.08},
}
#: Resources against the PLAI and PLUS ceilings, for a household of the first quartile or not.
RESOURCES = {
    True: {"Sous le plafond PLAI": 0.97, "Entre les plafonds PLAI et PLUS": 0.03},
    False: {
        "Sous le plafond PLAI": 0.52,
        "Entre les plafonds PLAI et PLUS": 0.4,
        "Au-dessus du plafond PLUS": 0.08,
    },
}
THRESHOLDS = {2019: 8912, 2020: 9204, 2021: 9087, 2022: 9593, 2023: 9871, 2024: 10404}
RECORD_COLUMNS = (
    "date_bail",
    "commune",
    "qpv",
    "bailleur",
    "contingent",
    "mutation",
    "premier_quartile",
    "ressources_uc",
    "dalo",
    "prioritaire",
    "motif_priorite",
    "travailleur_essentiel",
    "profession",
    "composition",
    "taille_menage",
    "age",
    "activite",
    "ressources",
    "typologie",
    "financement",
    "motif_demande",
    "source",
)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"


def _record(
    rng: random.Random,
    year: int,
    communes: Sequence[Commune],
    qpv_communes: Sequence[str],
    landlords: dict[str, float],
) -> dict:
    commune = rng.choices(communes, weights=[c.population**1.3 for c in communes])[0]
    in_qpv = commune.insee in qpv_communes and rng.random() < 0.4
    contingent = _pick(rng, CONTINGENTS)
    priority = rng.random() < PRIORITY_CHANCE.get(contingent, 0.18)
    dalo = priority and contingent == "État" and rng.random() < 0.12
    # First-quartile allocations outside QPV rise slowly towards the 25 % target.
    first_chance = (0.12 if in_qpv else 0.19 + 0.012 * (year - YEARS[0])) + 0.08 * priority
    first = rng.random() < first_chance
    threshold = THRESHOLDS[year]
    resources = threshold * (rng.uniform(0.35, 0.98) if first else rng.uniform(1.02, 2.6))
    composition = _pick(rng, {k: w for k, (w, _) in COMPOSITIONS.items()})
    size = rng.choice(COMPOSITIONS[composition][1])
    worker = not priority and rng.random() < 0.11
    # Records of the first three years carry the quartile; later ones only the resources.
    explicit = year < YEARS[3]
    return {
        "date_bail": dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
        "commune": commune.nom,
        "qpv": _yes(in_qpv),
        "bailleur": _pick(rng, landlords),
        "contingent": contingent,
        "mutation": _yes(rng.random() < 0.21),
        "premier_quartile": _yes(first) if explicit else "",
        "ressources_uc": "" if explicit else str(round(resources)),
        "dalo": _yes(dalo),
        "prioritaire": _yes(priority),
        "motif_priorite": _pick(rng, MOTIVES) if priority and rng.random() < 0.93 else "",
        "travailleur_essentiel": _yes(worker),
        "profession": rng.choice(PROFESSIONS) if worker else "",
        "composition": composition,
        "taille_menage": str(size),
        "typologie": rng.choice(TYPES_BY_SIZE[min(size, 4)]),
        "financement": _pick(rng, FINANCINGS),
        "motif_demande": _pick(rng, APPLICATION_MOTIVES),
        "source": SOURCE,
    }


def _profile(rng: random.Random, first: bool) -> dict[str, str]:
    """Age, activity and resources band of one household (drawn from their own generator, so
    that the other fields keep the values they had before these were added)."""
    group = _pick(rng, {k: w for k, (w, _, _) in AGES.items()})
    _, youngest, oldest = AGES[group]
    return {
        "age": str(rng.randint(youngest, oldest)),
        "activite": _pick(rng, ACTIVITIES[group]),
        "ressources": _pick(rng, RESOURCES[first]),
    }


def _is_first(record: dict) -> bool:
    if record["premier_quartile"]:
        return bool(record["premier_quartile"] == "oui")
    return int(record["ressources_uc"]) < THRESHOLDS[record["date_bail"].year]


def qpv_communes(communes: Sequence[Commune], qpv_count: int = 1) -> list[Commune]:
    """The communes with QPV: the largest ones, about one for every three QPV."""
    largest = sorted(communes, key=lambda c: (-c.population, c.insee))
    return largest[: max(1, min(len(largest), -(-qpv_count // 3)))]


def qpv_rows(communes: Sequence[Commune], qpv_count: int = 1) -> list[list[str]]:
    """`qpv_count` fictional QPV (code, name, commune), spread over the largest communes."""
    hosts = qpv_communes(communes, qpv_count)
    rows = []
    for number in range(1, qpv_count + 1):
        commune = hosts[(number - 1) % len(hosts)]
        departement = commune.departement.rjust(3, "0")
        turn, index = divmod(number - 1, len(QPV_NAMES))
        name = QPV_NAMES[index] + (f" {turn + 1}" if turn else "")
        rows.append([f"QN{departement}{number:02d}N", name, commune.nom, SOURCE])
    return rows


def allocation_records(
    communes: Sequence[Commune],
    seed: int = SEED,
    landlords: dict[str, float] = LANDLORDS,
    qpv_count: int = 1,
) -> list[dict]:
    """Six years of fictional allocations, one dict per allocation, sorted by lease date."""
    rng, profiles = random.Random(seed), random.Random(seed + 3)
    in_qpv = [c.insee for c in qpv_communes(communes, qpv_count)]
    records = []
    for year in YEARS:
        volume = 190 + 12 * (year - YEARS[0]) + rng.randrange(-15, 16)
        volume = volume * max(1, len(landlords) // 4)
        records += [_record(rng, year, communes, in_qpv, landlords) for _ in range(volume)]
    for record in records:
        record.update(_profile(profiles, _is_first(record)))
    return sorted(records, key=lambda r: (r["date_bail"], r["commune"], r["bailleur"]))


def _split(rng: random.Random, total: int, weights: dict[str, float]) -> Counter:
    return Counter(_pick(rng, weights) for _ in range(total))


def applications(records: list[dict], seed: int = SEED) -> tuple[list[list], list[list]]:
    """Applications active at each year end, and their breakdowns, in proportion to allocations."""
    rng, profiles = random.Random(seed + 1), random.Random(seed + 4)
    rows, breakdowns = [], []
    for year in YEARS:
        allocated = sum(r["date_bail"].year == year for r in records)
        total = round(allocated * rng.uniform(7.2, 8.8))
        mutations = round(total * rng.uniform(0.28, 0.33))
        first = round(total * rng.uniform(0.22, 0.26))
        priority = round(total * rng.uniform(0.3, 0.38))
        dalo = round(priority * rng.uniform(0.03, 0.05))
        rows.append([year, "", total, mutations, first, priority, dalo, "", "", SOURCE, ""])
        for population, size in (
            ("demandes", total),
            ("demandes du premier quartile", first),
            ("demandes prioritaires", priority),
            ("demandes en mutation", mutations),
        ):
            weights = {k: w for k, (w, _) in COMPOSITIONS.items()}
            for category, n in sorted(_split(rng, size, weights).items()):
                breakdowns.append([year, population, "composition familiale", category, n])
            if population in ("demandes", "demandes du premier quartile"):
                types = {"T1": 0.14, "T2": 0.34, "T3": 0.32, "T4": 0.16, "T5 et plus": 0.04}
                for category, n in sorted(_split(rng, size, types).items()):
                    breakdowns.append([year, population, "typologie", category, n])
            if population in ("demandes", "demandes prioritaires"):
                for category, n in sorted(_split(rng, size, APPLICATION_MOTIVES).items()):
                    breakdowns.append([year, population, "motif de la demande", category, n])
            breakdowns += _profile_breakdowns(profiles, year, population, size)
    return rows, [[*b, "", SOURCE, ""] for b in breakdowns]


#: How the profile of each group of applicants leans from that of all applicants.
_AGE_LEAN = {"demandes en mutation": {"Moins de 25 ans": 0.4, "65 ans et plus": 1.5}}
_FIRST_QUARTILE_SHARE = {
    "demandes": 0.24,
    "demandes du premier quartile": 1.0,
    "demandes prioritaires": 0.45,
    "demandes en mutation": 0.2,
}


def _profile_breakdowns(rng: random.Random, year: int, population: str, size: int) -> list[list]:
    """Age groups, activity and resources band of `size` applications of `population`."""
    lean = _AGE_LEAN.get(population, {})
    ages = {k: w * lean.get(k, 1) for k, (w, _, _) in AGES.items()}
    by_age = _split(rng, size, ages)
    activities: Counter = Counter()
    for group in sorted(by_age):
        activities += _split(rng, by_age[group], ACTIVITIES[group])
    first = _FIRST_QUARTILE_SHARE[population]
    resources = {
        band: first * RESOURCES[True].get(band, 0) + (1 - first) * RESOURCES[False][band]
        for band in RESOURCES[False]
    }
    rows = []
    for dimension, counts in (
        ("âge", by_age),
        ("activité", activities),
        ("ressources", _split(rng, size, resources)),
    ):
        rows += [[year, population, dimension, k, n] for k, n in sorted(counts.items())]
    return rows


def social_housing(seed: int = SEED) -> list[list]:
    rng = random.Random(seed + 2)
    rows, stock, plai = [], 2780, 318
    for year in YEARS:
        produced = rng.randrange(38, 72)
        produced_plai = round(produced * rng.uniform(0.28, 0.36))
        commissioned = rng.randrange(30, 64)
        commissioned_plai = round(commissioned * rng.uniform(0.25, 0.35))
        rows.append(
            [
                year,
                "",
                stock,
                plai,
                produced,
                produced_plai,
                commissioned,
                commissioned_plai,
                "",
                SOURCE,
                "",
            ]
        )
        stock, plai = stock + commissioned, plai + commissioned_plai
    return rows


def _csv(header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(
        [[v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row] for row in rows]
    )
    return out.getvalue().encode("utf-8")


def tables(
    communes: Sequence[Commune],
    seed: int = SEED,
    landlords: dict[str, float] = LANDLORDS,
    qpv_count: int = 1,
) -> dict[str, bytes]:
    """Every data table of the fictional territory, as CSV bytes by file name."""
    records = allocation_records(communes, seed, landlords, qpv_count)
    demand, breakdowns = applications(records, seed)
    return {
        "qpv.csv": _csv(("code", "nom", "communes", "source"), qpv_rows(communes, qpv_count)),
        "attributions.csv": _csv(RECORD_COLUMNS, [[r[c] for c in RECORD_COLUMNS] for r in records]),
        "demandes.csv": _csv(
            (
                "annee",
                "commune",
                "demandes",
                "mutations",
                "premier_quartile",
                "prioritaires",
                "dalo",
                "part_premier_quartile",
                "part_prioritaires",
                "source",
                "notes",
            ),
            demand,
        ),
        "repartitions.csv": _csv(
            ("annee", "population", "dimension", "modalite", "nombre", "part", "source", "notes"),
            breakdowns,
        ),
        "logements_sociaux.csv": _csv(
            (
                "annee",
                "commune",
                "parc",
                "parc_plai",
                "produits",
                "produits_plai",
                "mis_en_service",
                "mis_en_service_plai",
                "part_plai",
                "source",
                "notes",
            ),
            social_housing(seed),
        ),
        "seuils_quartile.csv": _csv(
            ("annee", "seuil_annuel", "source", "notes"),
            [[year, value, SOURCE, ""] for year, value in THRESHOLDS.items()],
        ),
    }


def write_tables(folder: Path, seed: int = SEED) -> list[Path]:
    """Write the fictional tables into FOLDER/data for the EPCI named in FOLDER/territory.yaml."""
    from generator.reference import epci
    from generator.territory.load import territory_config

    communes = epci(territory_config(folder).siren).communes
    written = []
    for name, data in tables(communes, seed).items():
        path = folder / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for written in write_tables(Path(sys.argv[1])):
        print(f"wrote {written}")
