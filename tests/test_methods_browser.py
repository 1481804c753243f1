"""Methods page end to end in Debian's Chromium: what a presenter reads, the contents links, no outside request."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser import copy_screenshot, sign_in, sign_in_if_asked
from tests.conftest import SAMPLE
from tests.reference_figures import headline_figures

pytestmark = pytest.mark.browser


def test_presenter_reads_where_the_headline_figures_come_from(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server)
    sign_in(page, "presentador", "demo-presentador", "es")
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    page.goto(server + "/methods?lang=en")
    sign_in_if_asked(page, "presentador", "demo-presentador", "en")
    page.wait_for_selector("text=Where each headline figure comes from", timeout=90_000)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    page.wait_for_selector("text=Boundaries: sources and licences", timeout=90_000)
    page.wait_for_timeout(2000)
    body = page.locator('[data-testid="stMain"]').inner_text()
    served = headline_figures(SAMPLE)["people_served"]
    assert "Methods and sources" in body and f"{served:,}" in body
    assert "The parts add up to the total:" in body and f"= {served:,}." in body
    assert "mapsPERU-GPL-3.0.txt" in body
    page.screenshot(path=str(tmp_path / "methods.png"), full_page=True)
    copy_screenshot(tmp_path / "methods.png", "methods-en.png")
    page.get_by_role("link", name="Data sources and dates").click()  # the contents jump to their section
    page.wait_for_timeout(1000)
    assert page.locator("#data").is_visible()
    assert page.locator("#data").evaluate("e => e.getBoundingClientRect().top") < 400
    outside = [r for r in requests if urlparse(r).hostname not in ("127.0.0.1", None)
               and not r.startswith(("data:", "blob:"))]
    assert outside == []
    page.close()
