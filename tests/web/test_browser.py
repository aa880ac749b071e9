"""The application in Debian's chromium, driven by Selenium: what a person does, with the
keyboard; axe-core finds no serious or critical accessibility violation on any page; a
screenshot of each page goes to build/screenshots/."""

from __future__ import annotations

import base64
import io
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from openpyxl import load_workbook

from tests.web.conftest import PASSWORD, make_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("chromedriver") is None, reason="chromedriver is not installed"
    ),
]
ROOT = Path(__file__).resolve().parents[2]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SHOTS = ROOT / "build" / "screenshots"
T = "/t/cc-rhone-crussol"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    import uvicorn

    tmp = tmp_path_factory.mktemp("browser")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(make_app(tmp), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", tmp
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=fr",
    ):
        options.add_argument(argument)
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    # French date fields (« 17/03/2025 »): chromium takes their format from its environment's
    # locale, with its translations (Debian's chromium-l10n) installed.
    french = {**os.environ, "LANG": "fr_FR.UTF-8", "LANGUAGE": "fr"}
    service = Service(shutil.which("chromedriver"), env=french)
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def _wait(driver, condition, seconds: float = 30):  # noqa: ANN001, ANN202
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # While htmx swaps a part or the browser loads the next page, Chrome may answer that a node
    # is stale or "does not belong to the document": ask again until the timeout.
    ignored = (WebDriverException,)
    return WebDriverWait(driver, seconds, 0.2, ignored).until(condition)


def _text_appears(driver, text: str, seconds: float = 30) -> None:  # noqa: ANN001
    _wait(driver, lambda d: text in d.find_element("tag name", "body").text, seconds)


def _audit(driver, name: str) -> None:  # noqa: ANN001
    """A screenshot of the whole page, then axe-core: no serious or critical violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    whole = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": whole}
    )
    (SHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))  # the whole page
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
        ".then(r => done(r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));"
    )
    assert result == [], f"{name}: {result}"


def _log_in(driver, base: str, username: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.keys import Keys

    driver.delete_all_cookies()
    driver.get(f"{base}/connexion")
    _audit(driver, "01-connexion")
    field = driver.find_element("id", "username")
    field.send_keys(username, Keys.TAB)  # keyboard only: tab to the password, Enter submits
    driver.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    _wait(driver, lambda d: "/connexion" not in d.current_url)


def _cookies(driver) -> dict[str, str]:  # noqa: ANN001
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def test_an_editor_fixes_an_upload_in_the_form_builds_and_reads_the_pdf(
    server, browser, tmp_path
) -> None:  # noqa: ANN001
    base, _ = server
    driver = browser
    _log_in(driver, base, "editeur")
    _text_appears(driver, "État des données")
    _audit(driver, "02-territoire")
    exported = httpx2.get(f"{base}{T}/classeur.xlsx", cookies=_cookies(driver))
    book = load_workbook(io.BytesIO(exported.content))
    book["guichets"]["B3"] = "Bofres"  # misspelt commune
    book["guichets"]["G4"] = "prévu"  # and a real change
    upload = tmp_path / "classeur.xlsx"
    book.save(upload)
    driver.find_element("id", "fichier").send_keys(str(upload))
    driver.find_element("css selector", "form[action$='/import'] button[type=submit]").click()
    _text_appears(driver, "feuille « guichets », ligne 3, colonne « commune »")
    assert "vouliez-vous dire « Boffres »" in driver.page_source
    _audit(driver, "03-envoi-erreur")
    fix = driver.find_element("id", "fix1")
    fix.clear()
    fix.send_keys("Boffres")
    fix.submit()
    _text_appears(driver, "Le fichier est valide")
    assert "1 modifiée(s)" in driver.page_source
    _audit(driver, "04-envoi-apercu")
    driver.find_element("css selector", "form[action$='/confirmer'] button").click()
    _text_appears(driver, "Historique des modifications")
    _audit(driver, "05-historique")
    driver.get(f"{base}{T}/construire")
    driver.find_element("id", "doc-deliberations").click()
    driver.find_element("id", "fmt-docx").click()  # PDF only
    _audit(driver, "06-construire")
    driver.find_element("css selector", "form[action$='/construire'] button").click()
    _text_appears(driver, "terminé", 240)
    link = driver.find_element("partial link text", "deliberation-cornas-2025-03-17.pdf")
    pdf = httpx2.get(link.get_attribute("href"), cookies=_cookies(driver))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "d.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Cornas" in text and "17 mars 2025" in text
    _wait(
        driver,
        lambda d: d.execute_script(
            "return [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        ),
    )
    _audit(driver, "07-travail-vignettes")
    driver.get(f"{base}{T}/annees")
    _audit(driver, "08-annees")
    driver.find_element("css selector", "form[action$='/annees'] button").click()
    _text_appears(driver, "terminé", 300)
    driver.find_element("partial link text", "Voir les changements").click()
    _text_appears(driver, "Seuils de ressources du premier quartile")
    assert "en modifications suivies (Word)" in driver.page_source
    _audit(driver, "12-comparaison")


def test_a_secretariat_sees_the_quorum_warning_as_it_fills_the_sitting(server, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.keys import Keys

    base, _ = server
    driver = browser
    _log_in(driver, base, "mairie-cornas")
    _text_appears(driver, "Séance du conseil municipal de Cornas")
    present = driver.find_element("id", "presents")
    present.send_keys(Keys.CONTROL, "a")
    present.send_keys("9", Keys.TAB)  # leaving the field checks the sitting
    _text_appears(driver, "quorum non atteint")
    driver.execute_script("document.getElementById('controles').scrollIntoView({block: 'center'})")
    _audit(driver, "09-seance-quorum")


def test_a_secretariat_produces_the_cornas_deliberation_without_the_terminal(
    server, browser, tmp_path
) -> None:  # noqa: ANN001
    from selenium.webdriver.common.keys import Keys

    from generator.render import libreoffice_available

    base, _ = server
    driver = browser
    _log_in(driver, base, "mairie-cornas")
    _text_appears(driver, "Séance du conseil municipal de Cornas")
    place = driver.find_element("id", "lieu")
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("salle des fêtes", Keys.TAB)
    driver.find_element("css selector", "form.formulaire button[type=submit]").send_keys(
        Keys.ENTER  # the keyboard alone
    )
    _text_appears(driver, "terminé", 240)
    made = "pdf" if libreoffice_available() else "docx"
    link = driver.find_element("partial link text", f"deliberation-cornas-2025-03-17.{made}")
    _wait(
        driver,
        lambda d: d.execute_script(
            "return [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        ),
        120,
    )
    _audit(driver, "17-seance-deliberation")
    act = httpx2.get(link.get_attribute("href"), cookies=_cookies(driver))
    assert act.status_code == 200
    if made == "pdf":
        (tmp_path / "d.pdf").write_bytes(act.content)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "d.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        text = " ".join(text.split())
        assert "salle des fêtes" in text and "17 mars 2025" in text
        assert "transmission-cornas-2025-03-17.pdf" in driver.page_source


def test_an_editor_is_refused_another_territory(server, browser) -> None:  # noqa: ANN001
    base, _ = server
    driver = browser
    _log_in(driver, base, "editeur")
    driver.get(f"{base}/t/cc-grand-pic-saint-loup")
    _text_appears(driver, "Accès refusé")
    _audit(driver, "10-acces-refuse")
    _log_in(driver, base, "consultante")
    _text_appears(driver, "Créer un territoire")
    _audit(driver, "11-territoires")


def _focused(driver) -> str:  # noqa: ANN001
    return str(driver.switch_to.active_element.get_attribute("id"))


def test_an_administrator_creates_an_account_with_the_keyboard_alone(server, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.keys import Keys

    base, _ = server
    driver = browser
    _log_in(driver, base, "admin")
    driver.get(f"{base}/comptes")
    _text_appears(driver, "Créer un compte")
    _audit(driver, "13-comptes")

    def fill(username: str) -> None:
        field = driver.find_element("id", "username")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(username, Keys.TAB)
        assert _focused(driver) == "role"
        driver.switch_to.active_element.send_keys("secr", Keys.TAB)  # typed: « secrétariat »
        driver.switch_to.active_element.send_keys(Keys.TAB)  # past « what each role may do »
        assert _focused(driver) == "territoire-cc-grand-pic-saint-loup"
        driver.switch_to.active_element.send_keys(Keys.TAB)
        checkbox = driver.switch_to.active_element
        if not checkbox.is_selected():
            checkbox.send_keys(Keys.SPACE)
        driver.switch_to.active_element.send_keys(Keys.TAB, Keys.TAB)
        assert _focused(driver) == "commune"
        driver.switch_to.active_element.send_keys("Saint-Péray", Keys.TAB)
        assert _focused(driver) == "password"
        driver.switch_to.active_element.send_keys(PASSWORD, Keys.TAB)
        driver.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)

    fill("editeur")  # taken: refused, said next to the field
    _text_appears(driver, "Cet identifiant est déjà pris.")
    assert driver.find_element("id", "username").get_attribute("aria-invalid") == "true"
    _audit(driver, "14-comptes-erreur")
    fill("mairie-saint-peray")
    _text_appears(driver, "Le compte a été créé.")
    assert "Saint-Péray (07281)" in driver.find_element("id", "commune").text
    _audit(driver, "15-compte")

    _log_in(driver, base, "mairie-saint-peray")
    _text_appears(driver, "Séance du conseil municipal de Saint-Péray")
    driver.find_element("css selector", "a[href='/mon-compte']").click()
    _text_appears(driver, "Changer mon mot de passe")
    field = driver.find_element("id", "current")
    field.send_keys(PASSWORD, Keys.TAB)
    driver.switch_to.active_element.send_keys("un-nouveau-mot-de-passe", Keys.TAB)
    driver.switch_to.active_element.send_keys("un-nouveau-mot-de-passe", Keys.ENTER)
    _text_appears(driver, "Votre mot de passe a été changé")
    _audit(driver, "16-mon-compte")
