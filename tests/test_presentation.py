"""Presentation mode: from the URL, remembered in the session, hides the sidebar and says so in the URL."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.signed_in import APP, run_dashboard

HIDES_SIDEBAR = '[data-testid="stSidebar"]'


def _styles(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_a_link_with_presentar_opens_in_presentation_mode(fresh_caches):
    app = run_dashboard("presentador", query={"presentar": "1"})
    assert not app.exception, app.exception
    assert app.toggle(key="presentation").value is True
    assert HIDES_SIDEBAR in _styles(app)
    assert any(b.key == "presentation_exit" for b in app.button)


def test_presentation_is_off_by_default(fresh_caches):
    app = run_dashboard("presentador")
    assert app.toggle(key="presentation").value is False
    assert HIDES_SIDEBAR not in _styles(app)
    assert "presentar" not in app.query_params


def test_a_session_in_presentation_mode_keeps_it_in_the_url(fresh_caches):
    # Reruns after a widget change lose the dashboard's own elements under AppTest; the switch
    # itself is exercised in the browser (tests/test_presentation_browser.py).
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "presentador"
    app.session_state["presentation"] = True
    app.run()
    assert not app.exception, app.exception
    assert HIDES_SIDEBAR in _styles(app)
    assert app.query_params.get("presentar") == "1"


def test_a_projected_view_has_no_download_buttons_or_export_boxes(fresh_caches):
    normal = run_dashboard("presentador")
    assert normal.get("download_button") and normal.checkbox
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "presentador"
    app.session_state["presentation"] = True
    app.run()
    assert not app.exception, app.exception
    assert app.get("download_button") == [] and list(app.checkbox) == []
