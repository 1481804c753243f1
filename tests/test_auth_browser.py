"""End to end in Debian's Chromium: the re-authentication cookie survives a reload and sign-out removes it."""

from __future__ import annotations

import datetime as dt

import pytest

from auth.demo import COOKIE_NAME, DEMO_COOKIE_KEY

from tests.apps.auth_support import demo_text, write_yaml
from tests.browser import launch_chromium, sign_in, require_chromium, streamlit_server
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
APP = ROOT / "tests" / "apps" / "sign_in_app.py"


@pytest.fixture
def server(tmp_path):
    require_chromium()
    credentials = write_yaml(tmp_path / "config" / "credentials.yaml", demo_text())
    with streamlit_server(tmp_path / "data", tmp_path / "streamlit.log", credentials, app=APP) as url:
        yield url


def test_cookie_keeps_the_session_and_sign_out_ends_it(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(60_000)  # a loaded 2-core CI machine renders slowly
        page.goto(server)
        page.wait_for_selector("text=Entrar", timeout=60_000)
        sign_in(page, "liderazgo", "demo-liderazgo")
        page.wait_for_selector("text=SCOPE liderazgo", timeout=60_000)
        assert page.get_by_label("Contraseña").count() == 0
        page.wait_for_function("document.cookie.includes('conexion_sign_in=')", timeout=60_000)

        page.reload()  # a new session: signed in again from the cookie, without the form
        page.wait_for_selector("text=SCOPE liderazgo", timeout=60_000)

        page.get_by_role("button", name="Cerrar sesión").click()
        page.wait_for_selector("text=Entrar", timeout=60_000)
        page.wait_for_function("!document.cookie.includes('conexion_sign_in=')", timeout=60_000)
        page.reload()
        page.wait_for_selector("text=Entrar", timeout=60_000)
        assert page.locator("text=SCOPE").count() == 0
        browser.close()


def test_a_sign_in_and_a_page_opened_with_the_cookie_run_the_page_once(server):
    """Issue 15: the library's cookie component reported its value and reran the page, so a sign-in ran it
    three times and every page opened with the cookie twice. The page now runs once for each."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context().new_page()
        page.set_default_timeout(60_000)
        page.goto(server)
        page.wait_for_selector("text=Entrar", timeout=60_000)
        sign_in(page, "liderazgo", "demo-liderazgo")
        page.wait_for_selector("text=SIGNED-IN RUNS 1", timeout=60_000)
        page.wait_for_function("document.cookie.includes('conexion_sign_in=')", timeout=60_000)
        page.wait_for_timeout(3_000)  # a component's report comes within a second or two
        assert page.locator("text=SIGNED-IN RUNS 1").count() == 1

        page.reload()  # a new session, signed in from the cookie
        page.wait_for_selector("text=SIGNED-IN RUNS 1", timeout=60_000)
        page.wait_for_timeout(3_000)
        assert page.locator("text=SIGNED-IN RUNS 1").count() == 1
        assert page.get_by_label("Contraseña").count() == 0
        browser.close()


@pytest.mark.parametrize("claims, key", [
    ({"username": "liderazgo", "days": 1}, "another-key-than-the-configured-one-0123456789"),  # forged
    ({"username": "liderazgo", "days": -1}, DEMO_COOKIE_KEY),  # expired
    ({"username": "nobody", "days": 1}, DEMO_COOKIE_KEY),  # an account that does not exist
    ({"days": 1}, DEMO_COOKIE_KEY),  # no account named
])
def test_a_cookie_that_is_not_valid_shows_the_form(server, claims, key):
    """The cookie is checked as the library checks it: signed with the configured key, not expired, naming
    an existing account; anything else gets the sign-in form."""
    import jwt
    from playwright.sync_api import sync_playwright

    payload = {"exp_date": (dt.datetime.now() + dt.timedelta(days=claims["days"])).timestamp()}
    payload |= {"username": claims["username"]} if "username" in claims else {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context()
        context.add_cookies([{"name": COOKIE_NAME, "value": jwt.encode(payload, key, algorithm="HS256"),
                              "url": server}])
        page = context.new_page()
        page.goto(server)
        page.wait_for_selector("text=Entrar", timeout=60_000)
        page.wait_for_timeout(2_000)
        assert page.locator("text=SCOPE").count() == 0
        browser.close()
