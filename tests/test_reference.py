from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.reference import CommuneIndex, Epci, departement_name, epci, source

ROOT = Path(__file__).resolve().parent.parent
NPM_PACKAGE = Path("/tmp/npmref/package")
RHONE_CRUSSOL = "200041366"
RHONE_CRUSSOL_COMMUNES = {
    "Alboussière",
    "Boffres",
    "Champis",
    "Charmes-sur-Rhône",
    "Châteaubourg",
    "Cornas",
    "Guilherand-Granges",
    "Saint-Georges-les-Bains",
    "Saint-Péray",
    "Saint-Romain-de-Lerps",
    "Saint-Sylvestre",
    "Soyons",
    "Toulaud",
}


@pytest.fixture(scope="module")
def crussol() -> Epci:
    return epci(RHONE_CRUSSOL)


@pytest.fixture(scope="module")
def index(crussol: Epci) -> CommuneIndex:
    return CommuneIndex(crussol.communes)


def test_source() -> None:
    assert source() == {
        "package": "@etalab/decoupage-administratif",
        "version": "6.0.0",
        "license": "MIT",
    }


def test_rhone_crussol(crussol: Epci) -> None:
    assert crussol.nom == "CC Rhône Crussol"
    assert crussol.nature == "CC"
    assert crussol.nature_longue == "communauté de communes"
    assert len(crussol.communes) == 13
    assert {c.nom for c in crussol.communes} == RHONE_CRUSSOL_COMMUNES
    assert {c.departement for c in crussol.communes} == {"07"}
    by_name = {c.nom: c for c in crussol.communes}
    assert by_name["Guilherand-Granges"].insee == "07102"
    assert by_name["Guilherand-Granges"].population > 10_000
    assert departement_name("07") == "Ardèche"


def test_grand_pic_saint_loup() -> None:
    e = epci("200022986")
    assert e.nom == "CC du Grand Pic Saint-Loup"
    assert len(e.communes) == 36
    assert {c.departement for c in e.communes} == {"34"}
    assert departement_name("34") == "Hérault"


def test_metropole_nature() -> None:
    assert epci("200046977").nature_longue == "métropole"  # Métropole de Lyon (MET69)


def test_unknown_siren() -> None:
    with pytest.raises(KeyError):
        epci("999999999")


def test_resolve_exact_only(index: CommuneIndex) -> None:
    assert index.resolve("Guilherand-Granges").insee == "07102"
    assert index.resolve("  07102 ").nom == "Guilherand-Granges"
    assert index.resolve(" Saint-Péray\t").insee == "07281"
    for variant in ["Guilherand Granges", "guilherand-granges", "St-Péray", "Saint-Peray", ""]:
        assert index.resolve(variant) is None
    assert index.resolve("Valence") is None
    assert index.resolve("26362") is None  # Valence: a real commune, outside the territory


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Guilhaud-Granges", "07102"),
        ("Guilha rand-Granges", "07102"),
        ("Touloud", "07323"),
        ("St-Georges-les-Bains", "07240"),
        ("Saint Romain de Lerps", "07293"),
        ("Chateaubourg", "07059"),
        ("Charmes sur Rhône", "07055"),
        ("St-Péray", "07281"),
    ],
)
def test_suggest(index: CommuneIndex, typed: str, expected: str) -> None:
    suggestion = index.suggest(typed)
    assert suggestion is not None
    assert suggestion.insee == expected


@pytest.mark.parametrize("typed", ["Paris", "Valence", "", "  -  "])
def test_suggest_nothing_close(index: CommuneIndex, typed: str) -> None:
    assert index.suggest(typed) is None


def test_ambiguous_name_needs_code() -> None:
    e = epci("200070852")  # CC Usses et Rhône: two "Seyssel" (Ain and Haute-Savoie)
    idx = CommuneIndex(e.communes)
    seyssels = [c for c in e.communes if c.nom == "Seyssel"]
    assert {c.departement for c in seyssels} == {"01", "74"}
    assert idx.resolve("Seyssel") is None
    assert all(idx.resolve(c.insee) == c for c in seyssels)


@given(st.data())
def test_resolve_property(index: CommuneIndex, data: st.DataObject) -> None:
    c = data.draw(st.sampled_from(index.communes))
    assert index.resolve(c.nom) == c
    assert index.resolve(c.insee) == c
    assert index.resolve(f" {c.nom}\n") == c
    text = data.draw(st.text())
    exact = {x.nom for x in index.communes} | {x.insee for x in index.communes}
    if text.strip() not in exact:
        assert index.resolve(text) is None


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "update_reference", ROOT / "scripts" / "update_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_is_deterministic(tmp_path: Path) -> None:
    if not NPM_PACKAGE.is_dir():
        pytest.skip(f"{NPM_PACKAGE} absent")
    script = _load_script()
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    script.main([str(NPM_PACKAGE), "-o", str(first)])
    script.main([str(NPM_PACKAGE), "-o", str(second)])
    shipped = files("generator.reference").joinpath("data", "decoupage.json.gz").read_bytes()
    assert first.read_bytes() == second.read_bytes() == shipped
    assert len(shipped) < 1_500_000
