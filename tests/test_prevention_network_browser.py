"""Prevention network end to end in Debian's Chromium: both maps paint, the charts draw, the figures read
as in the data, in Spanish and English, and nothing is fetched from outside 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

import i18n
from tests.browser import copy_screenshot, sign_in, sign_in_if_asked
from tests.test_prevention_network import expected

pytestmark = pytest.mark.browser

MAP = '[data-testid="stDeckGlJsonChart"]'


def _outside(requests: list[str]) -> list[str]:
    return [url for url in requests if urlparse(url).hostname not in ("127.0.0.1", None)
            and not url.startswith(("data:", "blob:"))]


def _colours(path) -> int:
    from PIL import Image

    colours = Image.open(path).convert("RGB").getcolors(maxcolors=1_000_000)
    return 0 if colours is None else len(colours)


def test_page_paints_maps_and_charts_offline_in_both_languages(server, browser, tmp_path):
    figures = expected()
    # A tall window: Streamlit scrolls inside its main block, so the screenshot shows the whole page.
    page = browser.new_page(viewport={"width": 1440, "height": 4300})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/?lang=es")
    sign_in(page, "liderazgo", "demo-liderazgo", "es")
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    for lang in ("es", "en"):
        page.goto(f"{server}/prevention_network?lang={lang}")
        sign_in_if_asked(page, "liderazgo", "demo-liderazgo", lang)
        page.wait_for_selector(f"text={i18n.translate('network.title', lang)}", timeout=90_000)
        page.wait_for_selector(f"{MAP} canvas", timeout=90_000)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=90_000)
        page.wait_for_timeout(4000)  # let deck.gl paint
        assert page.locator(f"{MAP} canvas").count() == 2
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 7
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert i18n.format_number(figures["people"], lang) in body
        assert i18n.translate("network.map.title", lang) in body
        map_shot = tmp_path / f"map_{lang}.png"
        page.locator(MAP).first.screenshot(path=str(map_shot))
        assert _colours(map_shot) > 200  # outlines, the highlighted units, ties and points, not a blank canvas
        shot = tmp_path / f"page_{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        copy_screenshot(shot, f"prevention-network-{lang}.png")
    assert _outside(requests) == []
