"""Accounts: an administrator creates, edits, disables them and resets their password; nobody
else can, even with their own valid form token; everyone changes their own password."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator.web.accounts import AccountForm, account_problems, password_problem
from generator.web.store import Store
from tests.web.conftest import ACCOUNTS, CORNAS, PASSWORD, csrf_of, log_in

T = "/t/cc-rhone-crussol"
NEW_PASSWORD = "un-autre-mot-de-passe"
TERRITORIES = {"cc-rhone-crussol": {CORNAS, "07102"}, "exemple-fictif": {"99001"}}


def _id(client: TestClient, username: str) -> int:
    found = client.app.state.application.store.user_named(username)  # type: ignore[attr-defined]
    assert found is not None
    return int(found[0].id)


def _login_status(client: TestClient, username: str, password: str) -> int:
    client.cookies.clear()
    page = client.get("/connexion")
    return client.post(
        "/connexion",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    ).status_code


def _new_account(client: TestClient, **fields: object) -> object:
    token = csrf_of(client.get("/comptes").text)
    data = {
        "csrf": token,
        "username": "mairie-saint-peray",
        "role": "secretariat",
        "territories": ["cc-rhone-crussol"],
        "commune": "07281",
        "password": NEW_PASSWORD,
        "confirmation": NEW_PASSWORD,
        **fields,
    }
    return client.post("/comptes", data=data, follow_redirects=False)


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS if a[1] != "admin"])
def test_only_an_administrator_sees_or_changes_accounts(client: TestClient, username: str) -> None:
    log_in(client, username)
    token = csrf_of(client.get("/mon-compte").text)  # their own valid token: only the role lacks
    admin = _id(client, "admin")
    for page in ("/comptes", f"/comptes/{admin}"):
        assert client.get(page, follow_redirects=False).status_code == 403, page
    attempts = {
        "/comptes": {"username": "intrus", "role": "admin", "password": PASSWORD * 2},
        f"/comptes/{admin}": {"role": "reader", "territories": "cc-rhone-crussol"},
        f"/comptes/{admin}/mot-de-passe": {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
        f"/comptes/{admin}/etat": {"etat": "desactive"},
    }
    for url, data in attempts.items():
        response = client.post(url, data={"csrf": token, **data}, follow_redirects=False)
        assert response.status_code == 403, url
    assert _login_status(client, "admin", PASSWORD) == 303  # nothing changed
    assert client.app.state.application.store.user_named("intrus") is None  # type: ignore[attr-defined]


def test_account_pages_need_a_session(client: TestClient) -> None:
    for page in ("/comptes", "/comptes/1", "/mon-compte"):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/connexion"


def test_account_forms_without_their_csrf_token_are_refused(client: TestClient) -> None:
    log_in(client, "admin")
    editor = _id(client, "editeur")
    for url, data in {
        "/comptes": {"username": "x", "role": "admin", "password": NEW_PASSWORD},
        f"/comptes/{editor}": {"role": "admin"},
        f"/comptes/{editor}/mot-de-passe": {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
        f"/comptes/{editor}/etat": {"etat": "desactive"},
        "/mon-compte": {"current": PASSWORD, "password": NEW_PASSWORD},
    }.items():
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403 and "jeton" in response.text, url
    assert _login_status(client, "editeur", PASSWORD) == 303


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS])
def test_every_role_reaches_its_own_account_page(client: TestClient, username: str) -> None:
    log_in(client, username)
    page = client.get("/mon-compte")
    assert page.status_code == 200 and "Changer mon mot de passe" in page.text
    assert ('href="/comptes"' in page.text) == (username == "admin")


# --- an administrator -------------------------------------------------------------------------


def test_an_administrator_creates_a_secretariat_that_lands_on_its_sitting(
    client: TestClient,
) -> None:
    log_in(client, "admin")
    response = _new_account(client)
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = client.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "Le compte a été créé" in page
    assert "Saint-Péray (07281)</option>" in page and 'value="07281" selected' in page
    listing = client.get("/comptes").text
    assert "mairie-saint-peray" in listing and "Saint-Péray" in listing
    client.cookies.clear()
    login = client.get("/connexion")
    landed = client.post(
        "/connexion",
        data={
            "username": "mairie-saint-peray",
            "password": NEW_PASSWORD,
            "csrf": csrf_of(login.text),
        },
        follow_redirects=False,
    )
    assert landed.headers["location"] == f"{T}/seances/07281"
    assert client.get(f"{T}/seances/{CORNAS}").status_code == 403


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"username": "editeur"}, "Cet identifiant est déjà pris."),
        ({"username": "../x"}, "commence par une lettre ou un chiffre"),
        ({"role": "editor", "territories": ["cc-rhone-crussol", "exemple-fictif"]}, "un seul"),
        ({"role": "consultant", "territories": []}, "au moins un territoire"),
        ({"territories": ["nowhere"]}, "existe plus : rechargez la page"),
        ({"commune": ""}, "Choisissez la commune"),
        ({"commune": "34099"}, "appartient pas au territoire coché"),
        ({"role": "superuser"}, "Choisissez un rôle"),
        ({"password": "court", "confirmation": "court"}, "au moins 10 caractères"),
        ({"confirmation": "pas-le-meme-mot"}, "Les deux saisies du mot de passe diffèrent."),
    ],
)
def test_a_wrong_account_is_refused_with_what_to_fix(
    client: TestClient, fields: dict[str, object], said: str
) -> None:
    log_in(client, "admin")
    before = len(client.app.state.application.store.users())  # type: ignore[attr-defined]
    response = _new_account(client, **fields)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert said in response.text and "Rien n'a été enregistré" in response.text  # type: ignore[attr-defined]
    assert 'class="probleme"' in response.text  # said by the field too  # type: ignore[attr-defined]
    assert len(client.app.state.application.store.users()) == before  # type: ignore[attr-defined]


def test_a_new_role_applies_to_the_open_session_at_once(app) -> None:  # noqa: ANN001
    with TestClient(app) as admin, TestClient(app) as editor:
        log_in(editor, "editeur")
        assert editor.get(f"{T}/construire").status_code == 200
        log_in(admin, "admin")
        account = _id(admin, "editeur")
        token = csrf_of(admin.get(f"/comptes/{account}").text)
        response = admin.post(
            f"/comptes/{account}",
            data={"csrf": token, "role": "reader", "territories": ["exemple-fictif"]},
            follow_redirects=False,
        )
        assert response.headers["location"] == f"/comptes/{account}?fait=modifie"
        assert editor.get(f"{T}/construire").status_code == 403
        assert editor.get("/t/exemple-fictif").status_code == 200
        user = admin.app.state.application.store.user(account)  # type: ignore[attr-defined]
        assert (user.role, user.territories, user.commune) == ("reader", ("exemple-fictif",), "")


def test_a_disabled_account_is_logged_out_and_cannot_log_in_until_reactivated(app) -> None:  # noqa: ANN001
    with TestClient(app) as admin, TestClient(app) as reader:
        log_in(reader, "lecteur")
        log_in(admin, "admin")
        account = _id(admin, "lecteur")
        token = csrf_of(admin.get(f"/comptes/{account}").text)
        admin.post(f"/comptes/{account}/etat", data={"csrf": token, "etat": "desactive"})
        assert reader.get(T, follow_redirects=False).headers["location"] == "/connexion"
        assert _login_status(reader, "lecteur", PASSWORD) == 401
        assert "désactivé" in admin.get("/comptes").text
        admin.post(f"/comptes/{account}/etat", data={"csrf": token, "etat": "actif"})
        assert _login_status(reader, "lecteur", PASSWORD) == 303


def test_an_administrator_can_neither_disable_nor_demote_their_own_account(
    client: TestClient,
) -> None:
    log_in(client, "admin")
    account = _id(client, "admin")
    page = client.get(f"/comptes/{account}").text
    assert "Désactiver le compte" not in page
    token = csrf_of(page)
    refused = client.post(f"/comptes/{account}/etat", data={"csrf": token, "etat": "desactive"})
    assert refused.status_code == 400 and "propre compte" in refused.text
    demoted = client.post(
        f"/comptes/{account}",
        data={"csrf": token, "role": "reader", "territories": ["cc-rhone-crussol"]},
    )
    assert demoted.status_code == 400 and "un autre administrateur" in demoted.text
    assert client.get("/comptes").status_code == 200


def test_a_reset_password_replaces_the_old_one_and_closes_the_sessions(app) -> None:  # noqa: ANN001
    with TestClient(app) as admin, TestClient(app) as editor:
        log_in(editor, "editeur")
        log_in(admin, "admin")
        account = _id(admin, "editeur")
        token = csrf_of(admin.get(f"/comptes/{account}").text)
        short = admin.post(
            f"/comptes/{account}/mot-de-passe",
            data={"csrf": token, "password": "court", "confirmation": "court"},
        )
        assert short.status_code == 400
        done = admin.post(
            f"/comptes/{account}/mot-de-passe",
            data={"csrf": token, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
        )
        assert "Le mot de passe a été remplacé" in done.text
        assert editor.get(T, follow_redirects=False).status_code == 303
        assert _login_status(editor, "editeur", PASSWORD) == 401
        assert _login_status(editor, "editeur", NEW_PASSWORD) == 303
        stored = admin.app.state.application.store.user_named("editeur")[1]  # type: ignore[attr-defined]
        assert stored.startswith("$argon2id$")


# --- one's own password -----------------------------------------------------------------------


def test_a_user_changes_their_own_password_after_giving_the_current_one(app) -> None:  # noqa: ANN001
    with TestClient(app) as client, TestClient(app) as elsewhere:
        log_in(elsewhere, "mairie-cornas")
        log_in(client, "mairie-cornas")
        token = csrf_of(client.get("/mon-compte").text)
        wrong = client.post(
            "/mon-compte",
            data={
                "csrf": token,
                "current": "faux",
                "password": NEW_PASSWORD,
                "confirmation": NEW_PASSWORD,
            },
        )
        assert wrong.status_code == 400 and "Le mot de passe actuel est incorrect." in wrong.text
        different = client.post(
            "/mon-compte",
            data={
                "csrf": token,
                "current": PASSWORD,
                "password": NEW_PASSWORD,
                "confirmation": "autre-chose-encore",
            },
        )
        assert different.status_code == 400 and "diffèrent" in different.text
        done = client.post(
            "/mon-compte",
            data={
                "csrf": token,
                "current": PASSWORD,
                "password": NEW_PASSWORD,
                "confirmation": NEW_PASSWORD,
            },
        )
        assert done.status_code == 200 and "Votre mot de passe a été changé" in done.text
        assert client.get(f"{T}/seances/{CORNAS}").status_code == 200  # this session stays
        assert elsewhere.get(f"{T}/seances/{CORNAS}", follow_redirects=False).status_code == 303
        assert _login_status(elsewhere, "mairie-cornas", PASSWORD) == 401
        assert _login_status(elsewhere, "mairie-cornas", NEW_PASSWORD) == 303


def test_guessing_the_current_password_is_rate_limited(client: TestClient) -> None:
    log_in(client, "lecteur")
    token = csrf_of(client.get("/mon-compte").text)
    data = {
        "csrf": token,
        "current": "faux",
        "password": NEW_PASSWORD,
        "confirmation": NEW_PASSWORD,
    }
    said = [client.post("/mon-compte", data=data).text for _ in range(6)]
    assert "Trop de tentatives" in said[5] and "Trop de tentatives" not in said[0]


# --- the rules, directly ----------------------------------------------------------------------


def test_roles_bound_to_one_territory_need_exactly_one() -> None:
    for role in ("editor", "secretariat"):
        form = AccountForm("x", role, ("cc-rhone-crussol", "exemple-fictif"), CORNAS)
        assert account_problems(form, TERRITORIES, taken=False)["territories"] == "one"
    consultant = AccountForm("x", "consultant", ("cc-rhone-crussol", "exemple-fictif"))
    assert account_problems(consultant, TERRITORIES, taken=False) == {}


def test_an_administrator_keeps_no_territory_and_only_a_secretariat_keeps_a_commune() -> None:
    assert AccountForm("x", "admin", ("exemple-fictif",), CORNAS).stored() == ("admin", "", "")
    editor = AccountForm("x", "editor", ("cc-rhone-crussol",), CORNAS)
    assert editor.stored() == ("editor", "cc-rhone-crussol", "")
    secretariat = AccountForm("x", "secretariat", ("cc-rhone-crussol",), CORNAS)
    assert secretariat.stored() == ("secretariat", "cc-rhone-crussol", CORNAS)


def test_password_rules() -> None:
    assert password_problem("123456789", "123456789") == "short"
    assert password_problem("x" * 201, "x" * 201) == "long"
    assert password_problem(NEW_PASSWORD, NEW_PASSWORD + " ") == "different"
    assert password_problem(NEW_PASSWORD, NEW_PASSWORD) == ""


def test_a_data_folder_made_before_accounts_could_be_disabled_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "cil.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, "
            "password_hash TEXT NOT NULL, role TEXT NOT NULL, "
            "territories TEXT NOT NULL DEFAULT '', commune TEXT NOT NULL DEFAULT '')"
        )
        db.execute("INSERT INTO users VALUES (1, 'ancien', 'h', 'reader', 'x', '')")
    user = Store(path).user(1)
    assert user is not None and user.username == "ancien" and not user.disabled
