"""The public edition opened from file:// in Debian's Chromium with the network blocked: charts drawn,
headline figures as the dashboard publishes them for the presenter, language and page links that work."""

from __future__ import annotations

from pathlib import Path

import pytest

import i18n
from exports import public_site
from indicators.filter_specs import OVERVIEW
from ui.language import speaking

HEADLINES = ("people_served", "miska_participants", "miska_employed", "miska_enterprises", "agents_trained",
             "people_sensitized")


@pytest.fixture(scope="module")
def site(tmp_path_factory, data_dir) -> Path:
    import streamlit as st

    st.cache_data.clear()
    return public_site.build_site(tmp_path_factory.mktemp("public") / "edition").folder


@pytest.fixture(scope="module")
def offline_page(browser):
    """A page whose every request that is not a local file is aborted (and recorded)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    outside: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith("file://"):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, outside, errors
    context.close()


def _presenter_headlines(lang: str) -> list[str]:
    """The overview's six figures for the presenter, from the functions the dashboard uses."""
    from exports.forum import headline_rows
    from exports.public_pages import PUBLIC_SCOPE, default_filters, shown_count

    with speaking(lang):
        return [shown_count(value, suppressed, hidden)
                for _, value, suppressed, hidden in headline_rows(default_filters(OVERVIEW), PUBLIC_SCOPE)]


def _charts_drawn(page) -> int:
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
                           timeout=20_000)
    return page.locator(".js-plotly-plot").count()


def test_opens_offline_from_file_with_charts_figures_and_links(site, offline_page):
    page, outside, errors = offline_page
    page.goto((site / "index.html").as_uri())
    page.get_by_test_id("choose-es").click()
    page.wait_for_url("**/es/index.html")
    assert _charts_drawn(page) >= 4
    values = page.get_by_test_id("figure-value").all_inner_texts()
    labels = page.get_by_test_id("figure-label").all_inner_texts()
    assert labels == [i18n.translate(f"indicator.{i}.label", "es") for i in HEADLINES]
    assert values == _presenter_headlines("es")

    page.get_by_test_id("language-link").click()  # the same page in English
    page.wait_for_url("**/en/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("figure-value").all_inner_texts() == _presenter_headlines("en")

    for name in ("reintegration", "prevention_network", "territorial_map"):
        page.get_by_role("link", name=i18n.translate(f"nav.{name}", "en"), exact=True).click()
        page.wait_for_url(f"**/en/{name}.html")
        assert _charts_drawn(page) >= 4, name
    page.get_by_role("link", name=i18n.translate("nav.methods", "en"), exact=True).click()
    page.wait_for_url("**/en/methods.html")
    assert i18n.translate("methods.title", "en") in page.locator("h1").inner_text()
    assert outside == [] and errors == []
