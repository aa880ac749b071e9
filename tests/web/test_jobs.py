"""Builds in the worker pool, their files and zip; the sitting form's checks and its
deliberation; a job interrupted by a restart marked failed."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from docx import Document
from starlette.testclient import TestClient

from generator.web.store import FAILED, RUNNING
from tests.web.conftest import csrf_of, form_fields, log_in, make_app

T = "/t/cc-rhone-crussol"
CORNAS = f"{T}/seances/07070"


def _text(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _finished(client: TestClient, job_url: str, seconds: float = 240) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(job_url, headers={"HX-Request": "true"}).text
        if "hx-trigger" not in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{job_url} still running after {seconds} s")


def test_a_build_runs_in_the_background_and_its_files_download(client: TestClient) -> None:
    log_in(client, "editeur")
    form = client.get(f"{T}/construire").text
    response = client.post(
        f"{T}/construire",
        data={
            "csrf": csrf_of(form),
            "documents": ["deliberations"],
            "formats": ["docx"],
            "year": "2025",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    job_url = response.headers["location"]
    page = _finished(client, job_url)
    assert "terminé" in page, page
    name = "deliberation-cornas-2025-03-17.docx"
    assert name in page
    docx = client.get(f"{job_url}/fichiers/{name}")
    assert "Cornas" in _text(docx.content)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{job_url}/tout.zip").content))
    assert name in archive.namelist()
    assert client.get(f"{job_url}/fichiers/..%2f..%2fcil.sqlite3").status_code == 404
    client.cookies.clear()
    log_in(client, "mairie-cornas")  # a build job is the territory's, not the commune's
    assert client.get(job_url).status_code == 403
    log_in(client, "editeur-pic")
    assert (
        client.get(job_url.replace("cc-rhone-crussol", "cc-grand-pic-saint-loup")).status_code
        == 404
    )


def test_the_sitting_form_warns_of_a_missing_quorum_as_it_is_filled(client: TestClient) -> None:
    log_in(client, "mairie-cornas")
    page = client.get(CORNAS).text
    assert 'value="COLLOMBET"' in page and 'value="2025-03-17"' in page
    fields = {
        "csrf": csrf_of(page),
        "date": "2025-03-17",
        "heure": "20:30",
        "en_exercice": "19",
        "presents": "9",
        "suffrages": "9",
        "pour": "9",
        "contre": "0",
        "abstention": "0",
        "convocation": "11/03/2025",
        "affichage": "11/03/2025",
        "numero_acte": "2025-10",
    }
    checks = client.post(f"{CORNAS}/verifier", data=fields).text
    assert "quorum non atteint : 9 présents sur 19 en exercice, 10 nécessaires" in checks
    assert '<span class="lieu">Présents</span>' in checks  # the field as the form names it
    fields["pour"] = "12"
    checks = client.post(f"{CORNAS}/verifier", data=fields).text
    assert "plus que les 9 suffrages exprimés" in checks


@pytest.mark.libreoffice
def test_a_secretariat_saves_its_sitting_and_gets_the_deliberation(client: TestClient) -> None:
    log_in(client, "mairie-cornas")
    page = client.get(CORNAS).text
    fields = form_fields(page)
    assert fields["m0_nom"] == "COLLOMBET" and fields["m0_presence"] == "présent"
    fields["lieu"] = "salle des fêtes"
    response = client.post(CORNAS, data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = _finished(client, response.headers["location"])
    assert "deliberation-cornas-2025-03-17.docx" in page, page
    assert "deliberation-cornas-2025-03-17.pdf" in page
    assert "transmission-cornas-2025-03-17.pdf" in page
    docx = client.get(
        f"{response.headers['location']}/fichiers/deliberation-cornas-2025-03-17.docx"
    )
    assert "salle des fêtes" in _text(docx.content)
    territories = client.app.state.application.settings.territories  # type: ignore[attr-defined]
    sittings = (territories / "cc-rhone-crussol" / "data" / "seances.csv").read_text(
        encoding="utf-8"
    )
    assert "salle des fêtes" in sittings


def test_a_job_interrupted_by_a_restart_is_marked_failed(tmp_path) -> None:  # noqa: ANN001
    app = make_app(tmp_path)
    store = app.state.application.store
    job = store.add_job("cc-rhone-crussol", "build", "editeur", {"year": 2025})
    store.update_job(job, status=RUNNING)
    restarted = make_app(tmp_path).state.application.store.job(job)
    assert restarted["status"] == FAILED and "redémarrage" in restarted["detail"]


def test_the_years_page_shows_the_comparison_and_offers_the_redline(client: TestClient) -> None:
    from generator.web.jobs import DIFF, run_job

    application = client.app.state.application  # type: ignore[attr-defined]
    store = application.store
    request = {"from": 2024, "to": 2025, "documents": ["annexes-ppgdid"]}
    job = store.add_job("cc-rhone-crussol", DIFF, "editeur", request)
    folder = application.settings.territories / "cc-rhone-crussol"
    run_job(str(store.path), job, DIFF, str(folder), request, str(application.out))
    log_in(client, "lecteur")
    page = client.get(f"{T}/annees").text
    assert f'href="{T}/annees/{job}">Changements de 2024 à 2025</a>' in page
    assert "Seuils de ressources du premier quartile" in page  # the latest comparison, shown
    assert 'action="/t/cc-rhone-crussol/annees"' not in page  # a reader compares nothing
    shown = client.get(f"{T}/annees/{job}").text
    assert '<span class="marque-ecart ajout">Ajouté</span> 2024 · 10 719 € · 893 €' in shown
    assert f'href="{T}/travaux/{job}/fichiers/annexes-ppgdid.redline.docx"' in shown
    files = client.get(f"{T}/travaux/{job}").text
    assert "annexes-ppgdid.redline.docx" in files and f'href="{T}/annees/{job}"' in files
    redline = client.get(f"{T}/travaux/{job}/fichiers/annexes-ppgdid.redline.docx")
    assert redline.status_code == 200 and redline.content.startswith(b"PK")


def test_builds_run_at_a_lower_priority_than_the_pages(tmp_path) -> None:  # noqa: ANN001
    import os

    from generator.web.jobs import NICENESS, Workers
    from generator.web.store import Store

    workers = Workers(Store(tmp_path / "cil.sqlite3"), 1)
    try:
        assert workers.pool().submit(os.nice, 0).result(60) == min(19, os.nice(0) + NICENESS)
    finally:
        workers.shutdown()
