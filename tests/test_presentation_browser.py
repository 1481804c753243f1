"""Language switch and presentation mode in Debian's Chromium, on the overview and the Reintegration page.

A person switches to English in the sidebar, turns presentation mode on (the sidebar and the
download buttons disappear, the headline sentences stay, the link says ?presentar=1), goes to
another page (still presenting, still in English) and leaves presentation mode.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser import copy_screenshot, sign_in, sign_in_if_asked

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
SENTENCE = '[data-testid="chart-headline"]'


def _outside(requests: list[str]) -> list[str]:
    return [url for url in requests if urlparse(url).hostname not in ("127.0.0.1", None)
            and not url.startswith(("data:", "blob:"))]


def _idle(page) -> None:
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(1500)


def test_switch_language_and_presentation_mode_on_two_pages(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server)
    sign_in(page, "presentador", "demo-presentador", "es")
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    _idle(page)

    page.locator(SIDEBAR).get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Regional overview").wait_for(timeout=60_000)
    _idle(page)
    assert "lang=en" in page.url

    page.locator(SIDEBAR).get_by_text("Presentation mode", exact=True).click()
    page.get_by_role("button", name="Leave presentation").wait_for(timeout=60_000)
    _idle(page)
    assert not page.locator(SIDEBAR).is_visible()
    assert "presentar=1" in page.url
    sentences = page.locator(SENTENCE).all_inner_texts()
    assert sentences and sentences[0].startswith("More than 1,400 people served directly")
    assert page.locator('[data-testid="stDownloadButton"]').first.is_hidden()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    copy_screenshot(tmp_path / "overview.png", "presentation-overview-en.png")

    # Another page of the same session: still English, still presenting (the sidebar is hidden,
    # so the page is opened by its address, as a presenter's prepared link would).
    page.goto(f"{server}/reintegration?lang=en&presentar=1")
    sign_in_if_asked(page, "presentador", "demo-presentador", "en")
    page.get_by_role("heading", name="Reintegration (MISKA)").wait_for(timeout=90_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=90_000)
    _idle(page)
    assert not page.locator(SIDEBAR).is_visible()
    page.screenshot(path=str(tmp_path / "reintegration.png"), full_page=True)
    copy_screenshot(tmp_path / "reintegration.png", "presentation-reintegration-en.png")

    page.get_by_role("button", name="Leave presentation").click()
    page.locator(SIDEBAR).wait_for(state="visible", timeout=60_000)
    _idle(page)
    assert "presentar" not in page.url
    assert page.get_by_role("heading", name="Reintegration (MISKA)").is_visible()
    assert _outside(requests) == []


def _font_px(page, selector: str) -> float:
    """The smallest rendered font size of the SVG texts matching `selector` in the Plotly charts."""
    return page.evaluate("""(selector) => Math.min(...[...document.querySelectorAll(
        '[data-testid="stPlotlyChart"] ' + selector)].map(e => parseFloat(getComputedStyle(e).fontSize)))""", selector)


def test_a_projected_page_reads_from_the_back_of_the_room(server, browser):
    # A 1280x720 projector: charts' ticks and legends are large, the way out sits in the top right
    # corner and stays there while the presenter scrolls.
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/?lang=es&presentar=1")
    sign_in_if_asked(page, "presentador", "demo-presentador", "es")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg .xtick text', timeout=90_000)
    _idle(page)
    assert _font_px(page, ".xtick text") >= 18 and _font_px(page, ".ytick text") >= 18
    assert _font_px(page, ".legendtext") >= 18

    exit_button = page.get_by_role("button", name="Salir de la presentación")
    box = exit_button.bounding_box()
    assert box["y"] < 60 and box["x"] + box["width"] > 1280 - 60, box
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, 1500)")
    page.wait_for_function("document.querySelector('[data-testid=\"stMain\"]').scrollTop > 0")
    assert exit_button.bounding_box()["y"] == box["y"]
    page.close()
