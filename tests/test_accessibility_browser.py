"""Accessibility end to end: axe-core (bundled by axe-playwright-python) on every page each role may see, in
both languages, and a keyboard walk through the sign-in and one page's filters (docs/accessibility.md)."""

from __future__ import annotations

import json
import os

import pytest

from auth.messages import auth_text
from auth.roles import HOME_PAGE_BY_ROLE, PAGES_BY_ROLE, Role
from tests.browser import sign_in
from tests.test_language_browser import VISIBLE_TEXT, leaks

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")

USERS = {"liderazgo": Role.LEADERSHIP, "municipal": Role.MUNICIPAL_OFFICIAL, "presentador": Role.PRESENTER,
         "datos": Role.DATA_MANAGER}
LANGS = ("es", "en")

# Streamlit's own widgets that the project cannot change, each excluded narrowly: (rule id, CSS selector, why).
# A node of a violation is dropped only when the rule id matches AND the node matches the selector.
STREAMLIT_OWN: list[tuple[str, str, str]] = [
    # A disabled selectbox (My municipality: department before a country is chosen) greys its label out.
    # WCAG 1.4.3 exempts inactive controls; axe checks the label apart from the control, and the grey is
    # Streamlit's disabled style.
    ("color-contrast", '[data-testid="stSelectbox"]:has(input:disabled) [data-testid="stWidgetLabel"] *',
     "inactive control, exempt under WCAG 1.4.3"),
]

CHARTS_READY = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  // Elements of the previous run fade out (data-stale) and would read as low-contrast text.
  if (document.querySelector('[data-stale="true"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const decks = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  return plots.every(p => p.querySelector('.main-svg')) && decks.every(d => d.querySelector('canvas'));
}"""


def _wait_ready(page) -> None:
    page.wait_for_function(CHARTS_READY, timeout=90_000, polling=250)
    # A rerun may start just after the first paint (cookie component, query params): wait until it is over too.
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    # Elements of the finished run fade back from the stale look: contrast is measured once they are opaque.
    page.wait_for_function(SETTLED, timeout=30_000, polling=100)


SETTLED = """() => !document.querySelector('[data-stale="true"]') && document.getAnimations().every(
  a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""


def _axe(page, axe) -> list[dict]:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = []
    for violation in results.response["violations"]:
        selectors = [selector for rule, selector, _ in STREAMLIT_OWN if rule == violation["id"]]
        nodes = [node for node in violation["nodes"] if not _matches_any(page, node["target"], selectors)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


def _matches_any(page, target: list[str], selectors: list[str]) -> bool:
    if not selectors or len(target) != 1:  # a target inside an iframe or shadow root: never excluded
        return False
    return page.evaluate("([target, selectors]) => { const e = document.querySelector(target);"
                         " return !!e && selectors.some(s => e.matches(s)); }", [target[0], selectors])


def _nav_links(page) -> list[tuple[str, str]]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for(timeout=60_000)
    return [(link.get_attribute("href"), link.inner_text().strip()) for link in links.all()]


@pytest.fixture(scope="module")
def tour(server, browser):
    """Every page each role may open, in both languages, visited once (one browser context per role and
    language): axe's violations, the text a person reads there, and the sidebar after sign-in."""
    from types import SimpleNamespace

    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    report: dict[tuple[str, str, str], list[dict]] = {}
    texts: dict[tuple[str, str, str], str] = {}
    sidebars: dict[tuple[str, str], str] = {}
    for user in USERS:
        for lang in LANGS:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{server}/?lang={lang}")
            report[(user, lang, "sign-in")] = _signed_out_checked(page, axe, lang) if user == "liderazgo" else []
            sign_in(page, user, f"demo-{user}", lang)
            page.get_by_role("button", name=auth_text("sign_out", lang)).wait_for(timeout=90_000)
            sidebars[(user, lang)] = page.locator('[data-testid="stSidebar"]').inner_text()
            for href, _ in _nav_links(page):
                path = href.rstrip("/").rsplit("/", 1)[-1] if href.rstrip("/") != server else ""
                page.locator(f'[data-testid="stSidebarNav"] a[href="{href}"]').click()
                page.wait_for_url(f"**/{path}*" if path else f"{server}/**")
                _wait_ready(page)
                home = HOME_PAGE_BY_ROLE.get(USERS[user], "overview")  # the default page has no path
                report[(user, lang, path or home)] = _axe(page, axe)
                texts[(user, lang, path or home)] = page.evaluate(VISIBLE_TEXT)
            context.close()
    if os.environ.get("A11Y_DUMP"):
        with open(os.environ["A11Y_DUMP"], "w") as out:
            json.dump({" ".join(key): value for key, value in report.items()}, out, indent=1)
    return SimpleNamespace(violations=report, texts=texts, sidebars=sidebars)


@pytest.fixture(scope="module")
def axe_report(tour):
    """{(user, lang, page path): violations}."""
    return tour.violations


def _signed_out_checked(page, axe, lang: str) -> list[dict]:
    page.get_by_role("button", name=auth_text("sign_in.submit", lang)).first.wait_for(timeout=60_000)
    # Idle, nothing stale, and the page's own style applied (on a first load the form can paint before it).
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-stale="true"]')
        && [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
             .every(c => getComputedStyle(c).opacity === '1')""", timeout=60_000)
    return _axe(page, axe)


def _blocking(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in violations if v["impact"] in BLOCKING]


def test_every_role_sees_every_page_it_may(axe_report):
    for user, role in USERS.items():
        seen = {path for (u, _, path) in axe_report if u == user} - {"sign-in"}
        assert seen == set(PAGES_BY_ROLE[role]), user


def test_each_role_signs_in_and_the_sidebar_names_its_role(tour):
    for user, role in USERS.items():
        for lang in LANGS:
            assert auth_text(f"role.{role.value}", lang) in tour.sidebars[(user, lang)], (user, lang)


def test_every_page_reads_in_one_language(tour):
    """No text of the other language, no number in its format, on any page of any role (issue 14)."""
    found = {" ".join(key): leaks(text, key[1]) for key, text in tour.texts.items()}
    assert {key: lines for key, lines in found.items() if lines} == {}


def test_no_serious_or_critical_wcag_violations(axe_report):
    failures = {" ".join(key): _blocking(violations) for key, violations in axe_report.items()}
    assert {key: found for key, found in failures.items() if found} == {}


FOCUSED = """() => { const e = document.activeElement;
  return e ? (e.getAttribute('aria-label') || e.id || e.innerText || e.tagName).trim().slice(0, 60) : ''; }"""


def _tab_until(page, done, limit: int = 60) -> list[str]:
    """Press Tab until `done(page)` holds (or `limit` presses); the focused elements in order."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        visited.append(page.evaluate(FOCUSED))
        if done(page):
            break
    return visited


def _focus_in(selector: str):
    return lambda page: page.evaluate(f"() => !!document.activeElement?.closest('{selector}')")


def test_sign_in_and_filters_work_from_the_keyboard(server, browser):
    """Sign in with the keyboard only, then reach every filter of the overview's sidebar with Tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/?lang=es")
    username = page.get_by_label(auth_text("sign_in.username", "es"), exact=True).first
    password = page.get_by_label(auth_text("sign_in.password", "es"), exact=True).first
    submit = page.get_by_role("button", name=auth_text("sign_in.submit", "es")).first
    submit.wait_for(timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)

    def is_focused(locator):
        return lambda _: locator.evaluate("e => e === document.activeElement")

    for _ in range(3):  # a just-started server may rerun under the form and drop what was typed (tests.browser)
        page.locator("body").focus()
        _tab_until(page, is_focused(username))
        assert is_focused(username)(page), "the username box is not reachable with Tab"
        page.keyboard.type("liderazgo")
        _tab_until(page, is_focused(password), limit=5)
        assert is_focused(password)(page), "Tab from the username does not lead to the password"
        page.keyboard.type("demo-liderazgo")
        _tab_until(page, is_focused(submit), limit=10)
        assert is_focused(submit)(page), "the sign-in button is not reachable with Tab"
        page.keyboard.press("Enter")
        try:
            password.wait_for(state="detached", timeout=20_000)
            break
        except Exception:
            continue
    _wait_ready(page)

    # Every filter of the sidebar (a text box, combobox or slider thumb) gets the focus in turn.
    filters = page.locator('[data-testid="stSidebarUserContent"]').locator(
        'input:not([type=hidden]):not([disabled]), [role="slider"]')
    names = [f.evaluate("e => e.getAttribute('aria-label') || e.id") for f in filters.all()]
    assert names, "no filters found in the sidebar"
    reached: set[str] = set()
    page.locator('[data-testid="stSidebarNav"] a').first.focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("() => document.activeElement.getAttribute('aria-label') || document.activeElement.id"))
        if set(names) <= reached:
            break
    assert set(names) <= reached, f"not reachable with Tab: {set(names) - reached}"
    context.close()
