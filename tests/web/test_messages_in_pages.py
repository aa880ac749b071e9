"""The pages are French: so are the messages they show, whatever the server's language (the
suite runs with CIL_LANG=en, as an English-speaking server would)."""

from __future__ import annotations

from starlette.testclient import TestClient

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
