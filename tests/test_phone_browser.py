"""A shared link opened on a phone (390 x 844, touch): every page a role can open reads top to bottom,
with no horizontal scrolling and nothing cut at the right edge, in Debian's Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import _wait_until_idle, copy_screenshot, sign_in, sign_in_if_asked

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}

# Visible elements whose box ends past the viewport's right edge. A box clipped by an ancestor that
# scrolls or hides overflow (a table scrolling inside itself) counts only as far as that ancestor shows it.
# Only the outermost offender of a chain is listed, so the message names the cause, not its children.
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  const offenders = [];
  // Streamlit's page frame (stMain and above) scrolls too: a box it clips is the page scrolling sideways.
  const content = document.querySelector('[data-testid="stMainBlockContainer"]');
  const clippedRight = (el) => {
    let right = el.getBoundingClientRect().right;
    for (let a = el.parentElement; a && a !== content && content.contains(a); a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x !== 'visible') right = Math.min(right, a.getBoundingClientRect().right);
    }
    return right;
  };
  const flagged = new Set();
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    if (box.bottom < 0 || box.right < 0) continue;  // off-canvas to the left or above (the closed sidebar)
    if (el.closest('[data-testid="stSidebar"][aria-expanded="false"]')) continue;
    if (clippedRight(el) <= width + 1) continue;
    flagged.add(el);
    if (el.parentElement && flagged.has(el.parentElement)) continue;
    const id = el.getAttribute('data-testid') || el.closest('[data-testid]')?.getAttribute('data-testid') || '';
    const text = (el.innerText || '').trim().slice(0, 40).replace(/\\s+/g, ' ');
    offenders.push(`${el.tagName.toLowerCase()}[${id}] right=${Math.round(box.right)} «${text}»`);
  }
  const main = document.querySelector('[data-testid="stMain"]');
  const scrollWidth = Math.max(document.documentElement.scrollWidth, main.scrollWidth);
  // Read top to bottom: a column holding text, a chart or a map spans the width (only rows of figures pair up).
  const full = content.getBoundingClientRect().width;
  const narrow = [...document.querySelectorAll('[data-testid="stColumn"]')]
    .filter(c => c.querySelector('h2, h3, ul, [data-testid="stDeckGlJsonChart"], [data-testid="stPlotlyChart"]'))
    .filter(c => !c.querySelector('[data-testid="stMetric"]') || c.querySelector('[data-testid="stHorizontalBlock"]'))
    .filter(c => c.getBoundingClientRect().width < 0.8 * full)
    .map(c => `${Math.round(c.getBoundingClientRect().width)} px «${(c.innerText || '').trim().slice(0, 30)}»`);
  return {scrollWidth, innerWidth: width, offenders: offenders.slice(0, 15), narrow};
}
"""


def _open(context, server: str, link: str, username: str, lang: str):
    page = context.new_page()
    page.goto(server + link)
    sign_in_if_asked(page, username, f"demo-{username}", lang)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    _wait_until_idle(page)
    # Charts drawn and maps painted before measuring: their boxes are the ones that overflow.
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                     .every(c => c.querySelector('.main-svg'))""", timeout=60_000)
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')]
                                     .every(c => c.querySelector('canvas'))""", timeout=60_000)
    return page


def _screenshot_whole(page, path: Path) -> None:
    """The page scrolls inside stMain, not the document: grow the viewport's height to all of it for the
    picture (the width, which decides the layout, stays the phone's), then give the phone its height back."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": PHONE["viewport"]["width"], "height": max(height, PHONE["viewport"]["height"])})
    page.wait_for_timeout(500)  # one layout pass of the taller frame (the picture only; nothing is asserted on it)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(PHONE["viewport"])


def _assert_fits(page, name: str, tmp_path: Path) -> None:
    found = page.evaluate(OVERFLOW_JS)  # measured at the phone's own size, before the picture
    shot = tmp_path / f"{name}.png"
    _screenshot_whole(page, shot)
    copy_screenshot(shot, f"phone-{name}.png")
    if os.environ.get("PHONE_SHOTS"):  # a folder to keep before/after pairs in
        folder = Path(os.environ["PHONE_SHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(shot.read_bytes())
    assert found["scrollWidth"] <= found["innerWidth"] and not found["offenders"], (
        f"{name}: page {found['scrollWidth']} px wide in a {found['innerWidth']} px viewport; "
        f"past the right edge: {found['offenders']}")
    assert not found["narrow"], f"{name}: side-by-side columns at phone width: {found['narrow']}"


@pytest.fixture(scope="module")
def phone(browser, server):
    """One phone per user, signed in once on the home page (the overview)."""
    contexts = {}

    def signed_in(username: str):
        if username not in contexts:
            context = browser.new_context(**PHONE)
            page = context.new_page()
            page.goto(server)
            sign_in(page, username, f"demo-{username}", "es")
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=90_000)
            page.close()
            contexts[username] = context
        return contexts[username]

    yield signed_in
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("username, link, lang, name", [
    ("municipal", "/my_municipality?municipio=1306&pais=GTM", "es", "municipal-my-municipality-es"),
    ("municipal", "/my_municipality?municipio=1306&pais=GTM&lang=en", "en", "municipal-my-municipality-en"),
    ("municipal", "/overview?lang=es", "es", "municipal-overview-es"),
    ("liderazgo", "/?lang=en", "en", "liderazgo-overview-en"),
    ("liderazgo", "/territorial_map?lang=es", "es", "liderazgo-territorial-map-es"),
    ("liderazgo", "/reintegration?lang=es", "es", "liderazgo-reintegration-es"),
    ("liderazgo", "/prevention_network?lang=es", "es", "liderazgo-prevention-network-es"),
    ("liderazgo", "/methods?lang=en", "en", "liderazgo-methods-en"),
])
def test_page_fits_a_phone(phone, server, tmp_path, username, link, lang, name):
    page = _open(phone(username), server, link, username, lang)
    try:
        _assert_fits(page, name, tmp_path)
    finally:
        page.close()
