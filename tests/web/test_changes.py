"""Uploads shown as a preview, applied only when valid and confirmed, recorded and undone;
two people changing the same table get a conflict, never a silent overwrite."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from starlette.testclient import TestClient

from tests.web.conftest import csrf_of, log_in

T = "/t/cc-rhone-crussol"


def _workbook(client: TestClient, change: dict[tuple[str, int, str], str]) -> bytes:
    response = client.get(f"{T}/classeur.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    for (sheet, row, column), value in change.items():
        header = [c.value for c in book[sheet][1]]
        book[sheet].cell(row, header.index(column) + 1, value)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _upload(client: TestClient, data: bytes, name: str = "classeur.xlsx", table: str = "") -> str:
    token = csrf_of(client.get(T).text)
    response = client.post(
        f"{T}/import", data={"csrf": token, "table": table}, files={"fichier": (name, data)}
    )
    return response.text


def _confirm(client: TestClient, preview: str) -> int:
    action = re.search(r'action="(/t/[^"]+/confirmer)"', preview)
    base = re.search(r'name="base" value="([^"]*)"', preview)
    assert action and base, preview
    response = client.post(
        action.group(1),
        data={"csrf": csrf_of(preview), "base": base.group(1)},
        follow_redirects=False,
    )
    return response.status_code


def guichets(client: TestClient) -> Path:
    territories = client.app.state.application.settings.territories  # type: ignore[attr-defined]
    return territories / "cc-rhone-crussol" / "data" / "guichets.csv"


def test_a_misspelt_commune_is_located_fixed_in_the_form_then_applied_and_undone(
    client: TestClient,
) -> None:
    log_in(client, "editeur")
    original = guichets(client).read_bytes()
    preview = _upload(client, _workbook(client, {("guichets", 3, "commune"): "Bofres"}))
    assert "rien n'a été enregistré" in preview
    assert "feuille « guichets », ligne 3, colonne « commune »" in preview
    assert "Boffres" in preview  # the suggestion
    assert guichets(client).read_bytes() == original
    fix = re.search(r'action="(/t/[^"]+/corriger)"', preview)
    assert fix
    fixed = client.post(
        fix.group(1), data={"csrf": csrf_of(preview), "cell:guichets!3!commune": "Boffres"}
    ).text
    assert "Ce fichier ne change aucune table" in fixed  # back to what is on disk
    preview = _upload(client, _workbook(client, {("guichets", 3, "statut"): "prévu"}))
    assert "1 modifiée(s)" in preview and "statut « ouvert » → « prévu »" in preview
    assert guichets(client).read_bytes() == original  # nothing before the confirmation
    assert _confirm(client, preview) == 303
    assert b"Boffres,,,,,pr" in guichets(client).read_bytes()
    history = client.get(f"{T}/historique").text
    assert "Import de classeur.xlsx : guichets" in history and "editeur" in history
    undo = re.search(r'action="(/t/[^"]+/annuler)"', history)
    assert undo
    assert client.post(undo.group(1), data={"csrf": csrf_of(history)}).status_code == 200
    assert guichets(client).read_bytes() == original
    assert "annulée" in client.get(f"{T}/historique").text


def test_a_workbook_upload_copies_the_territory_once_and_writes_nothing_before_confirmation(
    client: TestClient, monkeypatch
) -> None:  # noqa: ANN001
    import shutil

    log_in(client, "editeur")
    book = _workbook(client, {("guichets", 3, "statut"): "prévu"})
    folder = guichets(client).parent.parent
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    copied: list[Path] = []
    real = shutil.copytree

    def copytree(source, target, *args, **kwargs):  # noqa: ANN001, ANN202
        copied.append(Path(source).resolve())
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(shutil, "copytree", copytree)
    preview = _upload(client, book)
    assert "1 modifiée(s)" in preview
    # one scratch copy to validate in; the territory itself is read in place
    assert [c for c in copied if c.name == "data"] == [(folder / "data").resolve()]
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_two_people_changing_the_same_table_get_a_conflict(app) -> None:  # noqa: ANN001
    with TestClient(app) as first, TestClient(app) as second:
        log_in(first, "editeur")
        log_in(second, "consultante")
        mine = _upload(first, _workbook(first, {("guichets", 3, "statut"): "prévu"}))
        theirs = _upload(second, _workbook(second, {("guichets", 4, "statut"): "prévu"}))
        assert _confirm(first, mine) == 303
        written = guichets(first).read_bytes()
        response = second.post(
            re.search(r'action="(/t/[^"]+/confirmer)"', theirs).group(1),  # type: ignore[union-attr]
            data={
                "csrf": csrf_of(theirs),
                "base": re.search(r'name="base" value="([^"]*)"', theirs).group(1),
            },  # type: ignore[union-attr]
        )
        assert response.status_code == 409 and "Conflit" in response.text
        assert guichets(first).read_bytes() == written


def test_one_table_uploaded_as_csv_is_previewed_row_by_row(client: TestClient) -> None:
    log_in(client, "editeur")
    rows = guichets(client).read_text(encoding="utf-8").splitlines()
    rows.append("1,Cornas,Mairie,,,,ouvert,,")
    preview = _upload(client, "\n".join(rows).encode(), "guichets.csv", table="guichets")
    assert "1 ligne(s) ajoutée(s)" in preview and "Mairie" in preview


def test_unsafe_or_oversized_uploads_are_refused_before_reading(client: TestClient) -> None:
    log_in(client, "editeur")
    assert "pas un classeur Excel" in _upload(client, b"not a zip at all")
    stream = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", "<x/>")
    assert "liens vers d&#39;autres fichiers" in _upload(client, stream.getvalue())
    assert "trop volumineux" in _upload(client, b"0" * 10_000_001)
    assert "choisissant la table" in _upload(client, b"a,b\n", "table.csv")


def test_values_left_to_fill_are_typed_in_the_form_checked_then_written(client: TestClient) -> None:
    log_in(client, "editeur")
    page = client.get(T).text
    assert 'name="gap:data/guichets.csv!2!adresse"' in page
    base = re.search(r'name="base" value="([^"]*)"', page)
    assert base
    original = guichets(client).read_bytes()
    wrong = client.post(
        f"{T}/renseigner",
        data={
            "csrf": csrf_of(page),
            "base": base.group(1),
            "gap:data/cotation.csv!2!points": "beaucoup",
        },
    )
    assert wrong.status_code == 400 and "Rien n&#39;a été enregistré" in wrong.text
    right = client.post(
        f"{T}/renseigner",
        data={
            "csrf": csrf_of(page),
            "base": base.group(1),
            "gap:data/guichets.csv!2!adresse": "1 place de la Mairie",
        },
        follow_redirects=False,
    )
    assert right.status_code == 303
    assert b"Alboussi\xc3\xa8re,,1 place de la Mairie," in guichets(client).read_bytes()
    assert guichets(client).read_bytes().count(b"\n") == original.count(b"\n")
    stale = client.post(
        f"{T}/renseigner",
        data={
            "csrf": csrf_of(page),
            "base": base.group(1),
            "gap:data/guichets.csv!3!adresse": "2 rue",
        },
    )
    assert stale.status_code == 409  # the form was shown before the first change


def test_a_consultant_creates_a_territory_from_a_siren_and_may_open_it(client: TestClient) -> None:
    log_in(client, "consultante")
    page = client.get("/territoires").text
    wrong = client.post("/territoires", data={"csrf": csrf_of(page), "slug": "../x", "siren": "1"})
    assert wrong.status_code == 400 and "Nom court invalide" in wrong.text
    unknown = client.post(
        "/territoires", data={"csrf": csrf_of(page), "slug": "cc-x", "siren": "123"}
    )
    assert unknown.status_code == 400
    created = client.post(
        "/territoires",
        data={"csrf": csrf_of(page), "slug": "cc-nouvelle", "siren": "200022986"},
        follow_redirects=False,
    )
    assert created.status_code == 303 and created.headers["location"] == "/t/cc-nouvelle"
    assert client.get("/t/cc-nouvelle").status_code == 200
    assert "cc-nouvelle" in client.get("/territoires").text


def test_pages_asking_at_once_check_a_changed_territory_once(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import shutil
    import threading

    from generator.web import territories
    from tests.web.conftest import ROOT

    folder = tmp_path / "cc-rhone-crussol"
    shutil.copytree(ROOT / "territories" / "cc-rhone-crussol", folder)
    checked = []
    real = territories.check
    monkeypatch.setattr(territories, "check", lambda path: checked.append(path) or real(path))
    pages = [threading.Thread(target=territories.status, args=(folder,)) for _ in range(4)]
    for page in pages:
        page.start()
    for page in pages:
        page.join()
    assert len(checked) == 1
    (folder / "data" / "guichets.csv").write_text("organisme\n", encoding="utf-8")
    assert territories.status(folder).errors and len(checked) == 2


def test_values_left_to_fill_are_grouped_by_table_and_line_named_by_its_commune() -> None:
    from generator.web.territories import gap_tables
    from tests.web.conftest import ROOT

    folder = ROOT / "territories" / "cc-rhone-crussol"
    cells = [
        ("data/guichets.csv", 3, "horaires", "opening hours"),
        ("data/guichets.csv", 2, "contact", "a contact"),
        ("data/guichets.csv", 2, "adresse", "an address"),
    ]
    (table,) = gap_tables(folder, cells)
    assert table.file == "data/guichets.csv"
    assert table.columns == ["adresse", "contact", "horaires"]  # in the file's order
    assert table.rows == [
        (2, "Alboussière", ["an address", "a contact", None]),
        (3, "Boffres", [None, None, "opening hours"]),
    ]
