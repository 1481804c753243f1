"""My municipality end to end: deep link, PDF download and no request leaving 127.0.0.1, in Debian's Chromium."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest

import i18n
from publication.protection import PUBLISHED, SMALL
from tests.reference_figures import published_fate
from pypdf import PdfReader

from tests.browser import copy_screenshot, sign_in, sign_in_if_asked
from tests.test_my_municipality import expected

pytestmark = pytest.mark.browser






def _open(browser, server: str, link: str, username: str, lang: str = "es"):
    """Sign in on the home page, then open the shared link in the same browser (the sign-in cookie is kept)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1100}, accept_downloads=True)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server)
    sign_in(page, username, f"demo-{username}", "es")  # the home page opens in Spanish
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    page.goto(server + link)
    sign_in_if_asked(page, username, f"demo-{username}", lang)
    page.wait_for_selector('text=' + ("Mi municipio" if lang == "es" else "My municipality"), timeout=90_000)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=60_000)
    page.wait_for_timeout(2500)  # let deck.gl paint
    return page, requests


def _only_local(requests: list[str]) -> None:
    outside = [r for r in requests if urlparse(r).hostname not in ("127.0.0.1", None) and not r.startswith("data:")
               and not r.startswith("blob:")]
    assert not outside, outside


def test_deep_link_opens_the_municipality_and_the_pdf_downloads(server, browser, tmp_path):
    page, requests = _open(browser, server, "/my_municipality?municipio=1301&pais=GTM", "liderazgo")
    figures = expected("GTM", "municipality_code", "1301")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Mi municipio" in body
    assert f"En Huehuetenango, {figures['people_served']} personas recibieron" in body
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    copy_screenshot(tmp_path / "page.png", "my-municipality-huehuetenango.png")
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("button", name="Descargar la ficha en PDF").click()
    target = tmp_path / "ficha.pdf"
    download_info.value.save_as(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert "Huehuetenango" in text and f"{figures['people_served']} personas" in text
    assert _employed_sentence("1301", "es", figures["miska_employed"]) in text
    assert "municipio=1301" in page.url
    _only_local(requests)
    page.close()


def _employed_sentence(code: str, lang: str, count: object = None) -> str:
    """The factsheet's and page's employed clause for a Guatemalan municipality, by the fate of its cell."""
    fate = published_fate("miska_employed", "2023-01-01", "2024-12-31", ("GTM", "municipality", code))
    if fate == PUBLISHED:
        return i18n.translate("municipality.sentence.employed", lang, count=count)
    if fate == SMALL:
        return i18n.translate("municipality.sentence.employed.small", lang, count=i18n.hidden_mark(SMALL, lang))
    return i18n.translate("municipality.sentence.employed.protected", lang)


def test_official_deep_link_and_english(server, browser, tmp_path):
    page, requests = _open(browser, server, "/my_municipality?municipio=1306&lang=en", "municipal", "en")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "My municipality" in body and "San Pedro Necta" in body
    # Their home page opened by its own address: no "Page not found" from Streamlit, the link's place kept.
    assert "municipio=1306" in page.url and "Page not found" not in page.inner_text("body")
    # San Pedro Necta's employed are fewer than 5: the sentence says so, as the metric does.
    assert published_fate("miska_employed", "2023-01-01", "2024-12-31", ("GTM", "municipality", "1306")) == SMALL
    assert _employed_sentence("1306", "en") in " ".join(body.split())
    page.screenshot(path=str(tmp_path / "official.png"), full_page=True)
    copy_screenshot(tmp_path / "official.png", "my-municipality-official-en.png")
    _only_local(requests)
    page.close()
