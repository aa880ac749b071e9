"""`cil new`: a territory for any SIREN of the reference data, valid and buildable at once."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.reference import CommuneIndex, epci
from generator.territory.load import load_territory, table_specs

GRAND_PIC_SAINT_LOUP = "200022986"  # Hérault (34): no département block in content/
CHAMONIX = "200023372"  # Haute-Savoie (74): no département block either
RHONE_CRUSSOL = "200041366"  # Ardèche (07): content/departements/07/ has the accord collectif


def new(tmp_path: Path, slug: str, siren: str, *extra: str):  # noqa: ANN201 - click Result
    args = ["new", slug, "--siren", siren, "--year", "2025", "--into", str(tmp_path), *extra]
    return CliRunner().invoke(main, args)


def plain(text: str) -> str:
    """French typography (tested in test_typography.py) read as plain text."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")


def declare_no_qpv(folder):
    """The one setting a CIA and a bilan cannot go without: whether the territory has QPV,
    answered on the line `cil new` leaves for it, as a user would."""
    yaml_file = folder / "territory.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    answered = re.sub(r"^  qpv:\s*#.*$", "  qpv: false", text, count=1, flags=re.MULTILINE)
    assert answered != text, "cil new leaves a qpv: line to answer"
    yaml_file.write_text(answered, encoding="utf-8")


def test_new_territory_passes_check_and_lists_its_gaps(tmp_path):
    result = new(tmp_path, "cc-grand-pic-saint-loup", GRAND_PIC_SAINT_LOUP)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "cc-grand-pic-saint-loup"
    refused = CliRunner().invoke(main, ["check", str(folder)])
    assert refused.exit_code == 1
    assert 'territory.yaml, setting "objectifs.qpv"' in refused.output
    declare_no_qpv(folder)
    checked = CliRunner().invoke(main, ["check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "cc-grand-pic-saint-loup 2025: data and templates are valid." in checked.output
    assert "no block accord-collectif.yaml for département 34" in checked.output
    assert "no guichet of level 1" in checked.output


def test_a_new_territory_leaves_the_qpv_question_visible_and_says_how_to_answer(tmp_path):
    assert new(tmp_path, "cc-rvv", RHONY_VISTRE_VIDOURLE).exit_code == 0
    folder = tmp_path / "cc-rvv"
    text = (folder / "territory.yaml").read_text(encoding="utf-8")
    assert "objectifs:\n  qpv:   " in text and "# à renseigner : true ou false" in text
    assert load_territory(folder).config.objectifs.qpv is None
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "`qpv: true` et les lister dans `data/qpv.csv`" in readme
    assert "sinon écrire `qpv: false`" in readme
    assert "`guichets.csv` — guichets d'accueil par niveau" in readme  # French in any locale
    assert (folder / "data" / "qpv.csv").read_text(encoding="utf-8").startswith("code,nom,communes")


def test_new_territories_build_with_their_gaps_listed(tmp_path):
    for slug, siren, formats in (
        ("cc-grand-pic-saint-loup", GRAND_PIC_SAINT_LOUP, "md,docx"),
        ("cc-chamonix", CHAMONIX, "md"),
    ):
        assert new(tmp_path, slug, siren).exit_code == 0
        declare_no_qpv(tmp_path / slug)
        out = tmp_path / "out"
        built = CliRunner().invoke(
            main, ["build", str(tmp_path / slug), "--format", formats, "--out", str(out)]
        )
        assert built.exit_code == 0, built.output
        assert "values are missing and marked [à renseigner]" in built.output
        annexes = (out / slug / "2025" / "annexes-ppgdid.md").read_text(encoding="utf-8")
        assert "\\[à renseigner\\]" in annexes


def test_identity_and_communes_come_from_the_reference_data(tmp_path):
    assert new(tmp_path, "cc-grand-pic-saint-loup", GRAND_PIC_SAINT_LOUP).exit_code == 0
    folder = tmp_path / "cc-grand-pic-saint-loup"
    territory = load_territory(folder)
    assert territory.config.siren == GRAND_PIC_SAINT_LOUP
    assert territory.year == 2025
    assert territory.name == "Communauté de communes du Grand Pic Saint-Loup"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "## Communes (36," in readme
    assert "| Saint-Gély-du-Fesc | 34255 | 10\u202f472 |" in readme
    assert "`content/departements/34/` fournit : pdalhpd.yaml." in readme
    assert "accord-collectif.yaml" in readme.split("Blocs à écrire")[1]


def test_readme_names_the_blocks_of_the_departement_when_content_has_them(tmp_path):
    assert new(tmp_path, "rhone-crussol", RHONE_CRUSSOL).exit_code == 0
    readme = (tmp_path / "rhone-crussol" / "README.md").read_text(encoding="utf-8")
    provided = next(line for line in readme.splitlines() if "fournit :" in line)
    assert provided.startswith("`content/departements/07/` fournit : ")
    assert "accord-collectif.yaml" in provided


def test_every_declared_table_is_created_empty_with_its_header(tmp_path):
    assert new(tmp_path, "cc-chamonix", CHAMONIX).exit_code == 0
    index = CommuneIndex(epci(CHAMONIX).communes)
    for spec in table_specs():
        path = tmp_path / "cc-chamonix" / "data" / f"{spec.name}.csv"
        rows = list(csv.reader(path.open(encoding="utf-8")))
        assert rows == [[column.name for column in spec.columns(index)]], spec.name


def test_an_existing_folder_is_never_overwritten(tmp_path):
    assert new(tmp_path, "cc-chamonix", CHAMONIX).exit_code == 0
    marker = tmp_path / "cc-chamonix" / "data" / "guichets.csv"
    marker.write_text("kept", encoding="utf-8")
    again = new(tmp_path, "cc-chamonix", CHAMONIX)
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert marker.read_text(encoding="utf-8") == "kept"


def test_unknown_siren_is_a_located_error_and_creates_nothing(tmp_path):
    result = new(tmp_path, "inconnu", "123456789")
    assert result.exit_code == 1
    assert "--siren 123456789:\n  no EPCI with this SIREN in the reference data" in result.output
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_a_slug_must_be_lowercase_words_joined_by_hyphens(tmp_path):
    result = new(tmp_path, "CC Chamonix", CHAMONIX)
    assert result.exit_code == 2
    assert 'e.g. "cc-de-la-vallee-de-chamonix-mont-blanc"' in result.output
    assert not any(tmp_path.iterdir())


def test_a_departement_with_an_accord_collectif_needs_no_pdalhpd_block():
    from generator.commands.scaffold import _departement_blocks
    from generator.reference import epci

    lines = _departement_blocks(epci("200041366"))  # CC Rhône Crussol, Ardèche
    assert not any("pdalhpd.yaml" in line for line in lines)


RHONY_VISTRE_VIDOURLE = "243000569"  # Gard (30): content/departements/ has nothing for it
FICTIONAL_ACCORD = """\
departement: "30"
titre: Accord collectif fictif du Gard
periode: 2031-2033
delai_anormalement_long_mois: 97
labellisation: Labellisation fictive.
niveaux:
  - {numero: 1, intitule: Niveau fictif un, situations: []}
cotation_syplo: un critère fictif
"""


def test_a_territory_of_a_departement_without_blocks_lists_them_as_gaps(tmp_path):
    assert new(tmp_path, "cc-rvv", RHONY_VISTRE_VIDOURLE).exit_code == 0
    folder = tmp_path / "cc-rvv"
    declare_no_qpv(folder)
    checked = CliRunner().invoke(main, ["check", str(folder)])
    assert checked.exit_code == 0, checked.output
    override = "cc-rvv/overrides/departements/30/"
    for fact in (
        "accord-collectif.yaml: accord collectif (priority levels, délai anormalement long)",
        "pdalhpd.yaml: PDALHPD (its name and priority levels)",
    ):
        assert override + fact in checked.output
    assert "data/seuils_quartile.csv: first-quartile threshold of 2024" in checked.output
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "- `overrides/departements/30/accord-collectif.yaml`" in readme


def test_a_territory_of_a_departement_without_blocks_builds_with_visible_gaps(tmp_path):
    assert new(tmp_path, "cc-rvv", RHONY_VISTRE_VIDOURLE).exit_code == 0
    declare_no_qpv(tmp_path / "cc-rvv")
    out = tmp_path / "out"
    built = CliRunner().invoke(
        main, ["build", str(tmp_path / "cc-rvv"), "--format", "md", "--out", str(out)]
    )
    assert built.exit_code == 0, built.output
    folder = out / "cc-rvv" / "2025"
    texts = {p.stem: plain(p.read_text(encoding="utf-8")) for p in folder.glob("*.md")}
    assert "## Accord collectif départemental\n\nNiveaux de priorité" in texts["annexes-ppgdid"]
    assert "droit au logement opposable : **\\[à renseigner\\]** mois." in texts["ppgdid"]
    assert "Niveaux de priorité du département : **\\[à renseigner\\]**" in texts["cia"]
    for text in texts.values():  # never the words of another département
        for other in ("Ardèche", "Hérault", "13 mois"):
            assert other not in text


def test_the_override_path_the_readme_recommends_is_accepted_and_read(tmp_path):
    assert new(tmp_path, "cc-rvv", RHONY_VISTRE_VIDOURLE).exit_code == 0
    folder = tmp_path / "cc-rvv"
    declare_no_qpv(folder)
    block = folder / "overrides" / "departements" / "30" / "accord-collectif.yaml"
    block.parent.mkdir(parents=True)
    block.write_text(FICTIONAL_ACCORD, encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "provides departements/30/accord-collectif.yaml" in checked.output
    assert "misnamed" not in checked.output
    assert "no block accord-collectif.yaml" not in checked.output
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(folder), "--format", "md", "--out", str(out)])
    assert built.exit_code == 0, built.output
    ppgdid = plain((out / "cc-rvv" / "2025" / "ppgdid.md").read_text(encoding="utf-8"))
    assert "Au-delà de 97 mois sans proposition adaptée" in ppgdid


def test_a_block_written_for_another_departement_is_named_in_a_warning(tmp_path):
    assert new(tmp_path, "cc-rvv", RHONY_VISTRE_VIDOURLE).exit_code == 0
    folder = tmp_path / "cc-rvv"
    declare_no_qpv(folder)
    block = folder / "overrides" / "departements" / "13" / "accord-collectif.yaml"
    block.parent.mkdir(parents=True)
    block.write_text(FICTIONAL_ACCORD.replace('"30"', '"13"'), encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert (
        "warning: overrides/departements/13/accord-collectif.yaml is read only by territories of "
        "département 13; this one is in département 30: move it to overrides/departements/30/"
    ) in checked.output
