"""The command line imports only what a command uses, a no-op rebuild only what deciding needs
(see docs/performance.md).

No timings here: what is checked is which modules are loaded, which does not vary with load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.builds.build import build
from generator.cli import FORMATS
from generator.documents.contract import FORMATS as DOCUMENT_FORMATS
from generator.errors import UsageError

HEAVY = ("matplotlib", "openpyxl", "docxtpl", "docx", "pydantic")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    loaded = loaded_after("import generator.cli")
    assert not [name for name in HEAVY if name in loaded]


def test_the_document_types_load_no_chart_or_workbook_library() -> None:
    loaded = loaded_after("from generator.documents.registry import documents\ndocuments()")
    assert not [name for name in ("matplotlib", "openpyxl", "docxtpl") if name in loaded]


def test_the_command_line_offers_the_formats_of_the_document_contract() -> None:
    assert FORMATS == DOCUMENT_FORMATS


# A no-op rebuild is decided from the manifest: no document type, no pydantic model of the
# territory, no Jinja, no converter.
NOT_FOR_A_NO_OP = (
    *HEAVY,
    "jinja2",
    "rapidfuzz",
    "babel",
    "generator.documents.registry",
    "generator.territory.load",
    "generator.builds.rendering",
)


def _rebuilt_in_a_fresh_process(out: Path, documents: list[str], formats: list[str]) -> set[str]:
    return loaded_after(
        "from pathlib import Path\n"
        "from generator.builds.build import build\n"
        f"result = build(None, {documents!r}, {formats!r}, out=Path({str(out)!r}))\n"
        "assert not result.rebuilt, result.rebuilt"
    )


def test_a_no_op_rebuild_loads_neither_the_document_types_nor_the_territory_models(tmp_path):
    build(None, ["annexes-ppgdid"], ["md", "html"], out=tmp_path)
    loaded = _rebuilt_in_a_fresh_process(tmp_path, ["annexes-ppgdid"], ["md", "html"])
    assert not [name for name in NOT_FOR_A_NO_OP if name in loaded]


def test_a_manifest_of_another_tool_version_is_decided_by_the_document_types(tmp_path):
    build(None, ["annexes-ppgdid"], ["md"], out=tmp_path)
    manifest = next(tmp_path.glob("*/*/manifest.json"))
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    recorded["catalogue"]["tool"] = "an earlier version"
    manifest.write_text(json.dumps(recorded), encoding="utf-8")
    loaded = _rebuilt_in_a_fresh_process(tmp_path, ["annexes-ppgdid"], ["md"])
    assert "generator.documents.registry" in loaded


def test_a_rebuild_of_another_document_than_the_manifest_lists_builds_it(tmp_path):
    build(None, ["annexes-ppgdid"], ["md"], out=tmp_path)
    assert build(None, ["ppgdid"], ["md"], out=tmp_path).rebuilt == ["ppgdid"]
    again = build(None, ["annexes-ppgdid", "ppgdid"], ["md"], out=tmp_path)
    assert again.rebuilt == []
    assert again.up_to_date == ["annexes-ppgdid", "ppgdid"]


def test_an_unknown_document_is_still_refused_when_the_manifest_is_there(tmp_path):
    build(None, ["annexes-ppgdid"], ["md"], out=tmp_path)
    with pytest.raises(UsageError, match='unknown document "cia2"'):
        build(None, ["cia2"], ["md"], out=tmp_path)
    with pytest.raises(UsageError, match='unknown format "rtf"'):
        build(None, ["annexes-ppgdid"], ["rtf"], out=tmp_path)


def test_asking_whether_libreoffice_is_installed_loads_no_converter() -> None:
    loaded = loaded_after("import generator.render as r\nr.libreoffice_available()")
    assert not [name for name in ("jinja2", "docx", "pypdf", "lxml") if name in loaded]


def test_every_name_of_the_render_package_is_found_where_it_says() -> None:
    import generator.render as render

    assert [getattr(render, name) for name in render.__all__]
    assert sorted(render.__all__) == sorted(render._WHERE)


def test_deliberations_as_docx_load_no_docx_finishing_and_ask_nothing_of_libreoffice(tmp_path):
    loaded = loaded_after(
        "from pathlib import Path\n"
        "from generator.builds.build import build\n"
        "from generator.render.installed import uno_python\n"
        f"build(None, ['deliberations'], ['docx'], out=Path({str(tmp_path)!r}), force=True)\n"
        "assert uno_python.cache_info().misses == 0, 'asked whether LibreOffice is installed'"
    )
    assert not [name for name in ("generator.render.docx_finish", "PIL") if name in loaded]


def test_a_build_sets_apart_what_its_imports_made_from_the_collector_once_when_asked(tmp_path):
    code = (
        "import gc, sys\n"
        "from pathlib import Path\n"
        "from generator.builds.build import build, set_imports_apart\n"
        f"build(None, ['annexes-ppgdid'], ['md'], out=Path({str(tmp_path)!r}), force=True)\n"
        "assert gc.get_freeze_count() == 0  # not asked: a server, the tests\n"
        "set_imports_apart()\n"
        f"build(None, ['annexes-ppgdid'], ['md'], out=Path({str(tmp_path)!r}), force=True)\n"
        "frozen = gc.get_freeze_count()\n"
        f"build(None, ['annexes-ppgdid'], ['md'], out=Path({str(tmp_path)!r}), force=True)\n"
        "print(gc.isenabled(), frozen > 10_000, gc.get_freeze_count() == frozen)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


def test_whether_libreoffice_is_installed_is_asked_once_when_asked_early() -> None:
    code = (
        "from generator.render import installed\n"
        "installed.ask_early()\n"
        "installed.ask_early()\n"
        "answer = installed.libreoffice_available()\n"
        "found = installed.soffice() is not None and installed.uno_python() is not None\n"
        "print(answer == found, installed.uno_python.cache_info().misses <= 1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
