"""Reintegration (MISKA) end to end in Debian's Chromium: charts painted, figures a person reads, no request
leaving 127.0.0.1, screenshots in both languages and in presentation mode."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

import i18n

from tests.browser import copy_screenshot, sign_in, sign_in_if_asked
from tests.test_reintegration import oracle
from tests.test_reintegration_exports import CHARTS as DRAWN  # the charts the sample's published figures allow

pytestmark = pytest.mark.browser

CHARTS = '[data-testid="stPlotlyChart"] .main-svg'


def _open(page, server: str, lang: str) -> None:
    page.goto(server + f"/reintegration?lang={lang}")
    sign_in_if_asked(page, "liderazgo", "demo-liderazgo", lang)
    _open_loaded(page)


def _open_loaded(page) -> None:
    page.wait_for_selector(CHARTS, timeout=90_000)
    page.wait_for_function(f"document.querySelectorAll('{CHARTS}').length >= {len(DRAWN)}", timeout=90_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(2500)  # let Plotly finish drawing


def test_reintegration_page_in_both_languages_offline(server, browser, tmp_path):
    # A tall viewport: Streamlit scrolls inside its own container, so this is how the whole page is captured.
    page = browser.new_page(viewport={"width": 1440, "height": 7200})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server)
    sign_in(page, "liderazgo", "demo-liderazgo", "es")
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    expected = oracle()

    _open(page, server, "es")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert (f"Entre 2023 y 2024, {expected['enrolled']} personas participaron en MISKA; {expected['employed']} "
            f"consiguieron empleo y {expected['enterprise']} iniciaron o consolidaron un emprendimiento.") in body
    assert "Del ingreso a los resultados" in body and "Políticas municipales de migración" in body
    # Every chart has drawn its marks (bars, heatmap cells, markers), not only an empty frame.
    painted = page.evaluate("""[...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart =>
        chart.querySelectorAll('.point, .heatmaplayer image, .scatterlayer path.js-line').length)""")
    assert len(painted) >= len(DRAWN) and all(count > 0 for count in painted), painted
    page.screenshot(path=str(tmp_path / "es.png"))
    copy_screenshot(tmp_path / "es.png", "reintegration-es.png")

    _open(page, server, "en")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert (f"Between 2023 and 2024, {expected['enrolled']} people took part in MISKA; {expected['employed']} found a "
            f"job and {expected['enterprise']} started or consolidated an enterprise.") in body
    assert "participaron" not in body
    page.screenshot(path=str(tmp_path / "en.png"))
    copy_screenshot(tmp_path / "en.png", "reintegration-en.png")

    # Presentation mode (a prepared link): no sidebar, no download buttons, a sentence above every chart.
    page.goto(server + "/reintegration?lang=es&presentar=1")
    sign_in_if_asked(page, "liderazgo", "demo-liderazgo", "es")
    _open_loaded(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stDownloadButton"]').first.is_visible() is False
    sentences = page.locator('[data-testid="chart-headline"]').all_inner_texts()
    assert len(sentences) == len(DRAWN) and sentences[0].replace("\xa0", " ") == (
        f"{expected['employed']} de {expected['enrolled']} participantes consiguieron empleo "
        f"({i18n.format_share(expected['employed'] / expected['enrolled'], 'es')})").replace("\xa0", " ")
    page.screenshot(path=str(tmp_path / "present.png"))
    copy_screenshot(tmp_path / "present.png", "reintegration-presentation-es.png")

    outside = [r for r in requests if urlparse(r).hostname not in ("127.0.0.1", None)
               and not r.startswith(("data:", "blob:"))]
    assert not outside, outside
    page.close()
