"""The pages are French: so are the messages they show, whatever the server's language (the
suite runs with CIL_LANG=en, as an English-speaking server would)."""

from __future__ import annotations

import ast
import re

from starlette.testclient import TestClient

from tests.conftest import ROOT
from tests.web.conftest import log_in
from tests.web.test_changes import T, _upload, _workbook, guichets


def test_the_page_of_a_territory_with_an_error_shows_it_in_french(client: TestClient) -> None:
    log_in(client, "editeur")
    path = guichets(client)
    path.write_text(
        path.read_text(encoding="utf-8").replace("2,Toulaud,", "2,Touloud,"), encoding="utf-8"
    )
    page = client.get(T).text
    assert "commune inconnue « Touloud » — vouliez-vous dire « Toulaud » (07323) ?" in page
    assert "unknown commune" not in page and "did you mean" not in page


def test_an_upload_with_a_misspelt_commune_is_told_in_french(client: TestClient) -> None:
    log_in(client, "editeur")
    preview = _upload(client, _workbook(client, {("guichets", 3, "commune"): "Bofres"}))
    assert "commune inconnue « Bofres » — vouliez-vous dire « Boffres » (07035) ?" in preview


def test_the_server_language_comes_back_after_a_request(client: TestClient) -> None:
    from generator.messages import _

    log_in(client, "editeur")
    client.get(T)
    assert _("row {row}", row=3) == "row 3"


#: Values stored in the database, not words of a page (the template words each status).
_STORED = {"en attente", "en cours", "terminé", "échec"}
_FRENCH = re.compile(r"[À-ÿ]|\b(?:de|du|des|la|le|les|une?|et|ou|au|aux|sur|est)\b ")


def _french_written_outside_the_catalogue() -> list[str]:
    """Literals of generator/web/*.py that read as French: the pages' words are either in the
    templates (French only) or English msgids of the catalogue, shown in French."""
    found = []
    for path in sorted((ROOT / "generator" / "web").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "N_"):
                seen.update(id(inner) for inner in ast.walk(node))
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                seen.add(id(body[0].value))  # a docstring
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in seen
                and node.value not in _STORED
                and _FRENCH.search(node.value)
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def test_the_python_of_the_pages_writes_its_words_through_the_catalogue() -> None:
    assert _french_written_outside_the_catalogue() == []


def test_the_roles_and_refusals_read_in_french(client: TestClient) -> None:
    log_in(client, "editeur")
    page = client.get(T).text
    assert "éditeur de l&#39;EPCI" in page and "editor of the EPCI" not in page
    assert "Page introuvable" in client.get("/nulle-part").text
