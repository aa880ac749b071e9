"""An application over copies of the example territories, with one account per role."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator.web.access import hash_password
from generator.web.app import Settings, create_app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot-de-passe-de-test"
CORNAS = "07070"
#: (user name, role, territories, commune)
ACCOUNTS = [
    ("admin", "admin", "", ""),
    ("consultante", "consultant", "cc-rhone-crussol,exemple-fictif", ""),
    ("editeur", "editor", "cc-rhone-crussol", ""),
    ("editeur-pic", "editor", "cc-grand-pic-saint-loup", ""),
    ("mairie-cornas", "secretariat", "cc-rhone-crussol", CORNAS),
    ("lecteur", "reader", "cc-rhone-crussol", ""),
]
_HASH = hash_password(PASSWORD)


def make_app(tmp: Path):  # noqa: ANN201 - Starlette
    territories = tmp / "territories"
    if not territories.exists():
        for name in ("cc-rhone-crussol", "exemple-fictif", "cc-grand-pic-saint-loup"):
            shutil.copytree(ROOT / "territories" / name, territories / name)
    app = create_app(Settings(data=tmp / "data", territories=territories, workers=1))
    store = app.state.application.store
    for username, role, slugs, commune in ACCOUNTS:
        if not store.user_named(username):
            store.add_user(username, _HASH, role, slugs, commune)
    return app


@pytest.fixture
def app(tmp_path: Path):  # noqa: ANN201
    return make_app(tmp_path)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/connexion")
    response = client.post(
        "/connexion",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app) as test_client:
        yield test_client


def form_fields(html: str) -> dict[str, str]:
    """The values a browser would send for the inputs and selects of a page."""
    from html.parser import HTMLParser

    fields: dict[str, str] = {}

    class Reader(HTMLParser):
        select: str | None = None
        first: bool = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            name = found.get("name")
            if tag == "input" and name and found.get("type") not in ("checkbox", "file"):
                fields[name] = found.get("value") or ""
            elif tag == "select" and name:
                self.select, self.first = name, True
            elif tag == "option" and self.select:
                if self.first or "selected" in found:
                    self.option = True
                    self.first = False
                    fields[self.select] = found.get("value") or ""
                    self.pending = "value" not in found
                else:
                    self.pending = False

        def handle_data(self, data: str) -> None:
            if self.select and getattr(self, "pending", False):
                fields[self.select] = data.strip()
                self.pending = False

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self.select = None

    Reader().feed(html)
    return fields
