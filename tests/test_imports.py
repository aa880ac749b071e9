"""The command line imports only what a command uses (see docs/performance.md).

No timings here: what is checked is which modules are loaded, which does not vary with load."""

from __future__ import annotations

import subprocess
import sys

from generator.cli import FORMATS
from generator.documents.contract import FORMATS as DOCUMENT_FORMATS

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
