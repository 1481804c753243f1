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
        page.goto(f"{server}/overview?lang=es")  # a page's address, as a shared link is
        page.wait_for_selector("text=Entrar", timeout=60_000)
        # One click, the first session of a just-started server: Streamlit's first run in a process gave
        # the form ids no later run uses, and that submission was lost (ui/streamlit_fixes.py).
        sign_in(page, "liderazgo", "demo-liderazgo", expect_success=False)
        page.wait_for_selector("text=SCOPE liderazgo", timeout=60_000)
        assert page.get_by_label("Contraseña").count() == 0
        page.wait_for_function("document.cookie.includes('conexion_sign_in=')", timeout=60_000)
        _assert_ran_once(page)  # the sign-in ran the page once (issue 15: it took three runs)

        page.reload()  # a new session: signed in again from the cookie, without the form
        page.wait_for_selector("text=SCOPE liderazgo", timeout=60_000)
        _assert_ran_once(page)  # opened with the cookie: once (it took two)

        page.get_by_role("button", name="Cerrar sesión").click()
        page.wait_for_selector("text=Entrar", timeout=60_000)
        page.wait_for_function("!document.cookie.includes('conexion_sign_in=')", timeout=60_000)
        page.reload()
        page.wait_for_selector("text=Entrar", timeout=60_000)
        assert page.locator("text=SCOPE").count() == 0
        browser.close()


def _assert_ran_once(page) -> None:
    """The signed-in page ran once in this session: the library's cookie component reported its value and
    reran the page, so a sign-in ran it three times and every page opened with the cookie twice."""
    page.wait_for_selector("text=SIGNED-IN RUNS 1", timeout=60_000)
    page.wait_for_timeout(3_000)  # a component's report comes within a second or two
    assert page.locator("text=SIGNED-IN RUNS 1").count() == 1


def test_a_cookie_that_is_not_valid_shows_the_form(server):
    """The cookie is checked as the library checks it: signed with the configured key, not expired, naming
    an existing account; anything else gets the sign-in form."""
    import jwt
    from playwright.sync_api import sync_playwright

    def token(username: str | None, days: float, key: str = DEMO_COOKIE_KEY) -> str:
        claims = {"exp_date": (dt.datetime.now() + dt.timedelta(days=days)).timestamp()}
        return jwt.encode(claims | ({"username": username} if username else {}), key, algorithm="HS256")

    cookies = {"forged": token("liderazgo", 1, "another-key-than-the-configured-one-0123456789"),
               "expired": token("liderazgo", -1), "no such account": token("nobody", 1),
               "no account named": token(None, 1), "valid": token("liderazgo", 1)}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for case, value in cookies.items():
            context = browser.new_context()
            context.add_cookies([{"name": COOKIE_NAME, "value": value, "url": server}])
            page = context.new_page()
            page.goto(server)
            page.wait_for_selector("text=SCOPE liderazgo" if case == "valid" else "text=Entrar", timeout=60_000)
            page.wait_for_timeout(1_000)
            assert page.locator("text=SCOPE").count() == (case == "valid"), case
            context.close()
        browser.close()


def test_the_first_person_on_a_just_started_dashboard_signs_in_with_one_click(tmp_path, sample_store_file,
                                                                              demo_credentials):
    """Streamlit's first run in a process (pages not yet registered) gave the form ids no later run uses: the
    first person's submission was lost and the form came back empty (ui/streamlit_fixes.py)."""
    import shutil

    from playwright.sync_api import sync_playwright

    require_chromium()
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(sample_store_file, data / sample_store_file.name)
    with streamlit_server(data, tmp_path / "streamlit.log", demo_credentials) as url, \
            sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(f"{url}/?lang=es")
        sign_in(page, "liderazgo", "demo-liderazgo", expect_success=False)  # one click
        page.get_by_role("button", name="Cerrar sesión").wait_for(timeout=60_000)
        assert page.get_by_label("Contraseña").count() == 0
        browser.close()
