"""End to end in Debian's Chromium: the re-authentication cookie survives a reload and sign-out removes it."""

from __future__ import annotations


import pytest

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
