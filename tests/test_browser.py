"""End to end: the real server in Debian's Chromium, signed in as each demo role, read as a person reads it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import i18n
from tests.browser import sign_in_if_asked, copy_screenshot, sign_in
from tests.conftest import SAMPLE
from tests.reference_figures import headline_figures

pytestmark = pytest.mark.browser








def _open(browser, url: str, username: str = "liderazgo", lang: str = "es"):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    sign_in(page, username, f"demo-{username}", lang)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    if username != "municipal":  # one municipality's breakdowns are withheld: sentences, no chart
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=60_000)
    page.wait_for_timeout(2500)  # let deck.gl paint
    return page, requests


def _metrics(page) -> dict[str, str]:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values)}


def _canvas_painted(page, tmp_path) -> bool:
    shot = tmp_path / "map.png"
    page.locator('[data-testid="stDeckGlJsonChart"]').first.screenshot(path=str(shot))
    from PIL import Image

    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1_000_000)
    return colours is not None and len(colours) > 20  # many colours: outlines and classed fills drawn


def _outside_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if urlparse(url).hostname not in ("127.0.0.1", None)
            and not url.startswith(("data:", "blob:"))]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_overview_in_the_browser(server, browser, tmp_path, lang):
    page, requests = _open(browser, f"{server}/?lang={lang}", lang=lang)
    expected = headline_figures(SAMPLE)
    shown = _metrics(page)
    for indicator_id, value in expected.items():
        label = i18n.translate(f"indicator.{indicator_id}.label", lang)
        assert shown[label] == i18n.format_number(value, lang)
    assert _canvas_painted(page, tmp_path)
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    copy_screenshot(tmp_path / "overview.png", f"overview-{lang}.png")
    assert _outside_requests(requests) == []
    page.close()


def test_municipal_official_sees_only_their_municipality(server, browser, tmp_path):
    page, requests = _open(browser, f"{server}/overview", "municipal")  # their home is My municipality
    assert "San Pedro Necta" in page.locator('[data-testid="stMain"] [data-testid="stMarkdown"]').first.inner_text()
    everyone = headline_figures(SAMPLE)["people_served"]
    shown = _metrics(page)["Personas atendidas directamente"]
    assert shown != i18n.format_number(everyone, "es")
    # Their municipality's breakdowns by profile and by sex and age are withheld: one sentence each, no empty chart.
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert main.count(i18n.translate("publication.withheld", "es")) == 2
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert _canvas_painted(page, tmp_path)
    page.screenshot(path=str(tmp_path / "municipal.png"))
    copy_screenshot(tmp_path / "municipal.png", "overview-municipal.png")
    # A page of another role opened by its address says so, with no "Page not found" from Streamlit.
    page.goto(f"{server}/data?lang=es")
    sign_in_if_asked(page, "municipal", "demo-municipal", "es")
    page.get_by_text(i18n.translate("scope.page_not_for_role", "es", page="Datos")).wait_for(timeout=60_000)
    assert "Page not found" not in page.inner_text("body") and "/data?" in page.url
    assert _outside_requests(requests) == []
    page.close()


def test_wrong_password_gets_a_clear_message(server, browser):
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector("text=Entrar", timeout=60_000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no page list before sign-in
    sign_in(page, "liderazgo", "not-the-password", expect_success=False)
    page.wait_for_selector("text=Usuario o contraseña incorrectos.", timeout=30_000)
    assert page.locator('[data-testid="stMetricValue"]').count() == 0
    page.close()


def test_logs_hold_no_participant_data(server, browser, server_data_dir, server_log):
    """Run last in this module: the server log and the audit log name staff accounts, never participants."""
    import pandas as pd

    ids = set(pd.read_csv(SAMPLE / "participants.csv", dtype=str)["participant_id"])
    logs = [server_log.read_text(encoding="utf-8")]
    audit = server_data_dir / "audit.log"
    assert audit.exists()
    logs.append(audit.read_text(encoding="utf-8"))
    assert '"event": "sign_in"' in logs[1] or '"event":"sign_in"' in logs[1]
    assert [i for i in ids if any(i in text for text in logs)] == []


def test_page_link_opened_before_sign_in_returns_there_after_it(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{server}/my_municipality?municipio=1301")
    page.wait_for_selector("text=Entrar", timeout=60_000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    sign_in(page, "liderazgo", "demo-liderazgo")
    page.wait_for_selector("text=Mi municipio", timeout=60_000)
    try:
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    except PlaywrightTimeout:
        # Seen twice on a loaded 2-worker run (never alone, never idle): the page after sign-in stayed without
        # figures. A person reloads; the link and the sign-in cookie must still lead to the same page.
        page.reload()
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    assert "municipio=1301" in page.url
    assert "En Huehuetenango" in page.locator('[data-testid="stMain"]').inner_text()
    page.close()
