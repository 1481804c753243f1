"""Run the dashboard headless (AppTest) as a signed-in demo user.

The sign-in form itself is tested in tests/test_auth_app.py; here the library's session
keys are preset, as a signed-in session has them.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


def home_file(username: str) -> str:
    """The page file a demo user lands on (their role's home page)."""
    from auth.demo import DEMO_ACCOUNTS
    from auth.roles import Role, Scope, home_page

    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    territory = tuple(tuple(m.split(":")) for m in account.municipalities)
    return f"pages/{home_page(Scope(username, Role(account.role), territory))}.py"


def run_dashboard(username: str = "liderazgo", query: dict | None = None, lang: str | None = None,
                  page: str | None = None, timeout: float = 120) -> AppTest:
    """The dashboard after one run as `username`, with query params, optionally switched to `page`."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = username
    for key, value in (query or {}).items():
        app.query_params[key] = value
    if lang:
        app.query_params["lang"] = lang
    app.run()
    if page and page != home_file(username):
        app.switch_page(page).run()
    return app


def open_reintegration_tables(app: AppTest) -> AppTest:
    """Open every table of the Reintegration page (each is drawn only while its expander is open) and rerun."""
    from ui import reintegration

    for part in reintegration.TABLES:
        app.session_state[reintegration.table_key(part)] = True
    return app.run()
