"""cil's own files are found in one place, and a project's territories come before the examples."""

from __future__ import annotations

from generator import resources

from .conftest import ROOT


def test_in_the_checkout_the_data_is_the_repository_root():
    assert resources.ROOT == ROOT
    assert (resources.TEMPLATES / "reference.docx").is_file()
    assert (resources.CONTENT / "national" / "cadre-legal.yaml").is_file()
    assert (resources.EXAMPLES / "cc-rhone-crussol" / "territory.yaml").is_file()


def test_a_project_folder_uses_its_own_territories(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resources.territories() == resources.EXAMPLES
    (tmp_path / "territories").mkdir()
    assert resources.territories() == tmp_path / "territories"
    assert resources.working_territories() == tmp_path / "territories"
