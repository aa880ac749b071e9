"""Content blocks have schemas: a misspelt key in a default or an override is a located error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.errors import Problems
from generator.resources import CONTENT
from generator.territory.content import SCHEMAS
from generator.territory.content_check import read_block, schema_of

from .conftest import ROOT

DELIBERATION_TEXTS = "blocs/deliberation-textes.yaml"


def override(territory: Path, relative: str, old: str, new: str) -> Path:
    """Copy the default block into the territory's overrides and change one piece of it."""
    path = territory / "overrides" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (CONTENT / relative).read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "path", sorted(CONTENT.rglob("*.yaml")), ids=lambda p: p.relative_to(CONTENT).as_posix()
)
def test_every_default_block_has_a_schema_and_follows_it(path):
    schema = schema_of(path.relative_to(CONTENT).as_posix())
    assert schema is not None, "add its schema to generator/territory/content.py"
    problems = Problems()
    read_block(path, schema, problems)
    assert not problems, problems.items


def test_every_schema_names_a_block_of_content():
    found = {p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml")}
    for pattern in SCHEMAS:
        assert any(Path(f).match(pattern) for f in found), pattern


def test_misspelt_key_in_an_override_is_located_with_a_suggestion(territory_copy):
    override(territory_copy, DELIBERATION_TEXTS, "lois_reforme:", "lois_reformes:")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    shown = "overrides/blocs/deliberation-textes.yaml"
    assert f'{shown}, setting "lois_reformes":\n  unknown key — did you mean "lois_reforme"?' in (
        result.output
    )
    assert f'{shown}, setting "lois_reforme":\n  missing — this key is required' in result.output


def test_a_wrong_value_deep_in_a_block_names_its_key(territory_copy):
    override(territory_copy, "national/contingents.yaml", "part_max: 0.30", "part_max: un quart")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert 'contingents.yaml, setting "etat.part_max":' in result.output
    assert 'got "un quart"' in result.output


def test_an_override_that_is_not_yaml_is_reported_not_raised(territory_copy):
    path = territory_copy / "overrides" / "national" / "glossaire.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("sigles: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "glossaire.yaml:\n  not valid YAML" in result.output


def test_blocks_of_another_departement_are_not_read(territory_copy):
    other = territory_copy / "overrides" / "departements" / "34" / "pdalhpd.yaml"
    other.parent.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "departements" / "34" / "pdalhpd.yaml", other)
    other.write_text("titre: [unused, by an Ardèche territory]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 0, result.output


def test_a_law_cited_by_a_code_missing_from_the_legal_framework_is_located(territory_copy):
    path = territory_copy / "overrides" / "national" / "glossaire.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("sigles:\n  - {sigle: ALUR, texte: alure}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert 'glossaire.yaml, setting "sigles[1].texte":' in result.output
    assert 'no text "alure" in national/cadre-legal.yaml — did you mean "alur"?' in result.output


LABELS = "blocs/libelles.yaml"


def test_an_override_of_the_labels_rewords_a_bilan_table(territory_copy, tmp_path):
    path = override(
        territory_copy,
        LABELS,
        "titre: Parc social et production",
        "titre: Le parc et sa production",
    )
    text = path.read_text(encoding="utf-8")
    text = text.replace("PLAI financés", "PLAI agréés", 1)
    text = text.replace(
        "      demandes: Demandes actives au 31/12\n", "      demandes: Demandes en cours\n", 1
    )
    # the charts read their table by key: a reworded column does not lose its chart (the
    # first-quartile curve: the demand table of the seed has one year, which draws no chart)
    text = text.replace("      part: Part\n", "      part: Part du premier quartile\n", 1)
    text = text.replace("La tension rapporte", "Le rapport rapporte", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(territory_copy), "--doc", "bilan", "--format", "md", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    bilan = (out / "cc-rhone-crussol" / "2025" / "bilan.md").read_text(encoding="utf-8")
    assert "Le parc et sa production" in bilan
    # the column is empty in the seed: the reworded title is in the sentence naming it unknown
    assert "PLAI agréés" in bilan
    assert "Parc social et production" not in bilan
    assert "PLAI financés" not in bilan
    assert "Demandes en cours" in bilan
    assert "Le rapport rapporte les demandes actives" in bilan
    assert "Part du premier quartile" in bilan
    assert (out / "cc-rhone-crussol" / "2025" / "bilan-2023-premier-quartile.png").exists()


def test_a_misspelt_key_in_the_labels_override_is_located(territory_copy):
    override(territory_copy, LABELS, "      produits_plai:", "      produit_plai:")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    shown = "overrides/blocs/libelles.yaml"
    assert (
        f'{shown}, setting "tableaux.logements_sociaux.colonnes.produit_plai":\n'
        '  unknown key — did you mean "produits_plai"?'
    ) in result.output


def test_a_labels_override_holds_only_the_words_it_changes(territory_copy, tmp_path):
    """Laid over the default key by key: one key is a whole override, and the labels cil adds
    later reach a territory that overrode others."""
    path = territory_copy / "overrides" / LABELS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "tableaux:\n  logements_sociaux:\n    titre: Le parc et sa production\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 0, result.output
    assert "libelles.yaml, setting" not in result.output  # no key missing
    out = tmp_path / "out"
    args = ["build", str(territory_copy), "--doc", "bilan", "--format", "md", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    target = out / "cc-rhone-crussol" / "2025"
    bilan = (target / "bilan.md").read_text(encoding="utf-8")
    assert "Le parc et sa production" in bilan
    assert "Parc social et production" not in bilan
    assert "Demandes actives au 31/12" in bilan  # a default of the same table, kept
    manifest = (target / "manifest.json").read_text(encoding="utf-8")
    assert f"default:{LABELS}" in manifest  # the default it lies over is a dependency too
    path.write_text("tableaux:\n  logements_sociaux:\n    titres: Le parc\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert (
        'overrides/blocs/libelles.yaml, setting "tableaux.logements_sociaux.titres":\n'
        '  unknown key — did you mean "titre"?'
    ) in result.output


def test_a_labels_title_gets_the_evaluated_year_and_a_wrong_placeholder_is_located(
    territory_copy, tmp_path
):
    title = "titre: Attributions {annee} aux ménages prioritaires par motif de priorité"
    path = override(territory_copy, LABELS, title, "titre: Motifs de priorité en {annee}")
    out = tmp_path / "out"
    args = ["build", str(territory_copy), "--doc", "bilan", "--format", "md", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    bilan = (out / "cc-rhone-crussol" / "2025" / "bilan.md").read_text(encoding="utf-8")
    assert "Motifs de priorité en 2023" in bilan
    assert "{annee}" not in bilan
    text = path.read_text(encoding="utf-8").replace("en {annee}", "en {année}")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert 'setting "tableaux.prioritaires_motifs.titre"' in result.output
    assert "unknown placeholder {année}" in result.output


def test_a_wrong_placeholder_in_a_column_label_is_located(territory_copy):
    override(
        territory_copy,
        LABELS,
        "      attributions: Attributions {periode}\n",
        "      attributions: Attributions {periodes}\n",
    )
    result = CliRunner().invoke(main, ["check", str(territory_copy)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "tableaux.repartition_composition.colonnes.attributions" in result.output
    assert "unknown placeholder {periodes} — allowed: {periode}" in result.output


def test_the_completeness_table_words_every_condition_of_the_cia():
    """Each condition an item of cia-contenu.yaml may depend on (`si`) is worded in
    blocs/libelles.yaml (cia.couverture.a_donner), which its schema requires."""
    from generator.documents.cia_law import CONDITIONS
    from generator.territory.content import COVERAGE_CONDITIONS

    assert set(CONDITIONS) == set(COVERAGE_CONDITIONS)
    items = yaml.safe_load((CONTENT / "national" / "cia-contenu.yaml").read_text(encoding="utf-8"))
    used = {i["si"] for i in _items(items) if isinstance(i, dict) and "si" in i}
    assert used <= set(CONDITIONS)


def _items(node):
    """Every mapping of a YAML tree."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _items(value)
    elif isinstance(node, list):
        for value in node:
            yield from _items(value)
