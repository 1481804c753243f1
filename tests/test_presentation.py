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


# --- Reads from the back of a room (issue 14) ---------------------------------------------------

import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import plotly.graph_objects as go  # noqa: E402

from charts.style import PROJECTOR_FONT, PROJECTOR_TICKS, base_layout, for_projector  # noqa: E402

I18N = Path(__file__).resolve().parents[1] / "i18n"


def _session(page: str | None = None, query: dict | None = None, presenting: bool = True) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=180)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = "presentador"
    app.session_state["presentation"] = presenting
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def _texts(app) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info]
                     + [h.value for h in app.subheader])


def test_a_projected_chart_has_every_text_enlarged_and_the_export_figure_is_left_alone():
    figure = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h", text=[1, 2], textfont=dict(size=12)),
                       layout=base_layout())
    figure.update_layout(height=300, xaxis=dict(title="n", tickfont=dict(size=11)), legend=dict(font=dict(size=12)))
    figure.add_annotation(text="1.470", font=dict(size=60), x=0, y=0)
    figure.add_annotation(text="nota", font=dict(size=11), x=1, y=1)
    projected = for_projector(figure)
    assert projected.layout.font.size == PROJECTOR_FONT
    assert projected.layout.xaxis.tickfont.size == PROJECTOR_TICKS
    assert projected.layout.xaxis.title.font.size == PROJECTOR_FONT
    assert projected.layout.yaxis.tickfont.size == PROJECTOR_TICKS
    assert projected.layout.legend.font.size == PROJECTOR_TICKS
    assert projected.layout.hoverlabel.font.size == PROJECTOR_TICKS
    assert projected.data[0].textfont.size == PROJECTOR_TICKS
    assert [a.font.size for a in projected.layout.annotations] == [60, PROJECTOR_TICKS]  # big numbers stay big
    assert projected.layout.height > 300
    assert figure.layout.font.size == 13 and figure.layout.xaxis.tickfont.size == 11 and figure.layout.height == 300


def test_every_chart_of_a_projected_page_is_drawn_for_the_projector(fresh_caches):
    def font_sizes(app):
        return [json.loads(chart.proto.spec)["layout"]["font"]["size"] for chart in app.get("plotly_chart")]

    presenting = font_sizes(_session())
    assert presenting and set(presenting) == {PROJECTOR_FONT}
    assert PROJECTOR_FONT not in font_sizes(_session(presenting=False))


def test_instructions_and_the_orphan_downloads_heading_are_gone_when_presenting(fresh_caches):
    normal = _texts(_session("pages/territorial_map.py", presenting=False))
    assert "Haga clic" in normal
    projected = _texts(_session("pages/territorial_map.py"))
    assert "Haga clic" not in projected and "Elija un indicador" not in projected

    deck = _session("pages/forum_deck.py")
    texts = _texts(deck)
    assert "Para llevar al foro" not in texts and "Cada enlace abre" not in texts
    sources = [c.value for c in deck.caption if "Fuente" in c.value]
    assert len(sources) == 1, sources  # one source line under the one chart of the view


def test_attendances_are_never_labelled_as_people_in_any_catalogue():
    # 1.550 counts attendances (someone at two sessions counts twice): a presenter must not read it as people.
    said_as_people = re.compile(r"personas? sensibilizad|people sensiti[sz]ed|person sensiti[sz]ed|personas alcanzadas"
                                r"|people reached per", re.IGNORECASE)
    for path in sorted(I18N.glob("*.json")):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            assert not said_as_people.search(value), f"{path.name}: {key}"
    es = json.loads((I18N / "es.json").read_text(encoding="utf-8"))
    en = json.loads((I18N / "en.json").read_text(encoding="utf-8"))
    assert es["indicator.people_sensitized.label"].startswith("Asistencias")
    assert "attendances" in en["indicator.people_sensitized.label"].lower()
