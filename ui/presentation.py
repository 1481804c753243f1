"""Presentation mode for forums: any page as a clean, full-width view for a projector.

On: no sidebar, no toolbar, larger type, one headline sentence above each chart and the
data date and source under it. It is in the URL (?presentar=1) so a prepared link opens
ready to project, and remembered during the session like the language.
"""

from __future__ import annotations

import html

import streamlit as st

from charts.style import MUTED, PRIMARY, TEXT, for_projector
from ui.language import t

_KEY = "presentation"
URL_PARAM = "presentar"

# Hides the sidebar and Streamlit's own chrome, widens the page and enlarges type.
_STYLE = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{ max-width: 100% !important; padding: 1.5rem 3rem 2rem !important; }}
[data-testid="stMain"] p, [data-testid="stMain"] li {{ font-size: 1.3rem; }}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{ font-size: 3.4rem !important; color: {PRIMARY}; line-height: 1.15; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.25rem !important; }}
h1 {{ font-size: 2.8rem !important; color: {PRIMARY}; }}
h2, h3 {{ font-size: 1.2rem !important; color: {MUTED} !important; font-weight: 600 !important; }}
[data-testid="stExpander"], [data-testid="stDownloadButton"] {{ display: none !important; }}
[data-testid="stMain"] [data-baseweb="select"] div, [data-testid="stMain"] input, [data-testid="stMain"] [data-testid="stWidgetLabel"] p,
[data-testid="stMain"] button p {{ font-size: 1.3rem !important; }}
[data-testid="stMain"] [data-testid="stTable"] th, [data-testid="stMain"] [data-testid="stTable"] td {{ font-size: 1.3rem !important; }}
[data-testid="stMain"] [data-testid="stCaptionContainer"], [data-testid="stMain"] [data-testid="stCaptionContainer"] p {{ font-size: 1.2rem !important; }}
[data-testid="map-legend"] {{ font-size: 1.2rem !important; }}
.st-key-presentation_exit {{ position: fixed; top: 0.5rem; right: 0.75rem; z-index: 1000; width: auto !important; opacity: 0.6;
  background: rgba(255, 255, 255, 0.9); border-radius: 0.5rem; padding: 0 0.4rem; }}
.st-key-presentation_exit:hover, .st-key-presentation_exit:focus-within {{ opacity: 1; }}
.st-key-presentation_exit button p {{ font-size: 1rem !important; }}
</style>
"""


def is_on() -> bool:
    """Whether this session presents; the URL decides on the first run."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = st.query_params.get(URL_PARAM) in ("1", "true", "si", "sí", "yes")
    return bool(st.session_state[_KEY])


def _keep_in_url() -> None:
    if is_on():
        st.query_params[URL_PARAM] = "1"
    else:
        st.query_params.pop(URL_PARAM, None)


def switch() -> None:
    """The sidebar toggle, and in presentation mode the style and a discreet way out."""
    is_on()  # seeds the widget's state from the URL on the first run
    st.sidebar.toggle(t("presentation.toggle"), key=_KEY, help=t("presentation.toggle_help"))
    _keep_in_url()
    if is_on():
        st.markdown(_STYLE, unsafe_allow_html=True)
        # Fixed in the top right corner by the style (.st-key-presentation_exit): out of the slide.
        st.button(t("presentation.exit"), key="presentation_exit", on_click=_leave, type="tertiary",
                     icon=":material/close_fullscreen:")


def _leave() -> None:
    st.session_state[_KEY] = False


def headline(sentence: str) -> None:
    """The one sentence that says what a chart shows; larger and coloured when presenting."""
    size = "2rem" if is_on() else "1.05rem"
    st.markdown(
        f'<p data-testid="chart-headline" style="font-size:{size};font-weight:600;color:{TEXT};'
        f'margin:0.2rem 0 0.4rem">{html.escape(sentence)}</p>',
        unsafe_allow_html=True,
    )


def source_line(data_date: str) -> None:
    """Data date and source under a chart when presenting (a slide may be photographed on its own)."""
    if is_on():
        st.caption(t("presentation.source", date=data_date))


def chart(figure, **options) -> None:
    """Every Plotly chart goes on the page through here: when presenting, its axes, ticks, legend and
    hover text are enlarged for the back of the room (the figure itself stays as the exports use it)."""
    st.plotly_chart(for_projector(figure) if is_on() else figure, **options)


def instruction(text: str, show=st.caption) -> None:
    """How to use a page ("Haga clic…", "Elija…") with `show` (st.caption, st.info, st.markdown): nothing
    when presenting, an audience has no mouse."""
    if not is_on():
        show(text)
