"""Every page for every role, including guessed addresses of another territory or commune."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import ACCOUNTS, PASSWORD, csrf_of, log_in, make_app

T, OTHER = "/t/cc-rhone-crussol", "/t/cc-grand-pic-saint-loup"
PAGES = [
    "/territoires",
    T,
    f"{T}/classeur.xlsx",
    f"{T}/historique",
    f"{T}/construire",
    f"{T}/annees",
    f"{T}/seances/07070",  # Cornas
    f"{T}/seances/07102",  # Guilherand-Granges
    OTHER,
    f"{OTHER}/classeur.xlsx",
    f"{OTHER}/historique",
    f"{OTHER}/construire",
]
OK, NO = 200, 403
EXPECTED = {
    "admin": [OK] * 12,
    "consultante": [OK, OK, OK, OK, OK, OK, OK, OK, NO, NO, NO, NO],
    "editeur": [NO, OK, OK, OK, OK, OK, OK, OK, NO, NO, NO, NO],
    "editeur-pic": [NO, NO, NO, NO, NO, NO, NO, NO, OK, OK, OK, OK],
    "mairie-cornas": [NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO, NO],
    "lecteur": [OK, OK, OK, OK, OK, OK, NO, NO, NO, NO, NO, NO],
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path_factory.mktemp("web"))) as client:
        yield client


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS])
def test_every_page_answers_as_the_role_allows(shared: TestClient, username: str) -> None:
    shared.cookies.clear()
    log_in(shared, username)
    got = [shared.get(page, follow_redirects=False).status_code for page in PAGES]
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, EXPECTED[username], strict=True))


@pytest.mark.parametrize("username", ["mairie-cornas", "lecteur", "editeur-pic"])
def test_forms_that_change_data_are_refused_without_the_right(
    shared: TestClient, username: str
) -> None:
    shared.cookies.clear()
    log_in(shared, username)
    own = {"mairie-cornas": f"{T}/seances/07070", "lecteur": T, "editeur-pic": OTHER}[username]
    token = csrf_of(shared.get(own).text)  # the session's own token: only the right is missing
    for url in (f"{T}/import", f"{T}/construire", f"{T}/annees", f"{T}/historique/1/annuler"):
        response = shared.post(url, data={"csrf": token}, follow_redirects=False)
        assert response.status_code == 403, url


def test_pages_need_a_session(shared: TestClient) -> None:
    shared.cookies.clear()
    for page in PAGES:
        response = shared.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/connexion"


@pytest.mark.parametrize(
    "url",
    [
        "/t/..%2f..%2fetc",
        "/t/CC-RHONE-CRUSSOL",
        "/t/nowhere",
        "/t/cc-rhone-crussol/seances/07O70",
        "/t/cc-rhone-crussol/seances/99999",
    ],
)
def test_guessed_or_crafted_addresses_lead_nowhere(shared: TestClient, url: str) -> None:
    shared.cookies.clear()
    log_in(shared, "admin")
    assert shared.get(url).status_code in (403, 404)


def test_a_form_without_its_csrf_token_is_refused(shared: TestClient) -> None:
    shared.cookies.clear()
    log_in(shared, "admin")
    response = shared.post("/territoires", data={"slug": "x", "siren": "200022986"})
    assert response.status_code == 403
    assert "jeton" in response.text


def test_login_is_rate_limited(client: TestClient) -> None:
    page = client.get("/connexion")
    token = csrf_of(page.text)
    codes = [
        client.post(
            "/connexion", data={"username": "lecteur", "password": "faux", "csrf": token}
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    right = client.post(
        "/connexion", data={"username": "lecteur", "password": PASSWORD, "csrf": token}
    )
    assert right.status_code == 429  # even the right password waits


def test_the_session_cookie_is_strict_and_pages_refuse_framing(client: TestClient) -> None:
    page = client.get("/connexion")
    response = client.post(
        "/connexion",
        data={"username": "editeur", "password": PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert response.headers["x-frame-options"] == "DENY"
