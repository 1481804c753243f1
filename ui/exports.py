"""Download buttons for charts (PNG for slides, SVG) and tables (CSV, Excel, optional HXL row).

Files are made only when a button is clicked: `st.download_button` takes a callable
(deferred generation, run on the server when the browser asks for the file), so a rerun of
the page renders no image. `on_click="ignore"` keeps the page from rerunning on download.
Chart images are cached by figure JSON (`exports.images.figure_image`). A chart whose image is
drawn from another figure than the one on screen (a map's static twin) is passed as a function
that builds it: it is then built on click too, not on every rerun. Each download is written to
the audit log with its kind and item name only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exports import images, tables
from exports.tables import TableNotes
from ui import presentation
from ui.language import current_language, t

MIME = {"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PNG_SIZE = (int(images.SLIDE_WIDTH * images.SLIDE_SCALE), int(images.SLIDE_HEIGHT * images.SLIDE_SCALE))


def _username() -> str | None:
    from ui.session import SCOPE_KEY

    return getattr(st.session_state.get(SCOPE_KEY), "username", None)


def logged(make: Callable[[], bytes], kind: str, item: str, lang: str, username: str | None) -> Callable[[], bytes]:
    """`make`, writing one 'export' line to the audit log once the file is made (kind, item, language)."""
    def build() -> bytes:
        from auth.audit_log import log_event

        data = make()
        log_event("export", username, kind=kind, item=item, language=lang)
        return data

    return build


FigureSource = go.Figure | Callable[[], go.Figure]  # a figure, or what builds it when a file is asked for


def chart_image(figure: FigureSource, fmt: str) -> bytes:
    """The chart as a slide image: text enlarged for projection, 1920 x 1080 PNG or the same as SVG."""
    figure = figure if isinstance(figure, go.Figure) else figure()
    return images.figure_image(images.for_slides(figure).to_json(), fmt)


def chart_downloads(figure: FigureSource, name: str, key: str | None = None) -> None:
    """PNG (1920 x 1080) and SVG buttons for `figure` (or a function building it, called on click); `name`
    (ASCII, snake_case) names the files."""
    if presentation.is_on():  # a projected view carries no buttons
        return
    if images.chromium_path() is None:
        st.caption(t("exports.chart.unavailable"))
        return
    lang, username, key = current_language(), _username(), key or f"exports.chart.{name}"
    with st.container(horizontal=True, vertical_alignment="center"):
        st.download_button(t("exports.chart.png"), logged(lambda: chart_image(figure, "png"), "png", name, lang,
                                                          username),
                           file_name=f"{name}_{lang}.png", mime=MIME["png"], on_click="ignore",
                           icon=":material/image:", key=f"{key}.png",
                           help=t("exports.chart.png_help", width=PNG_SIZE[0], height=PNG_SIZE[1]))
        st.download_button(t("exports.chart.svg"), logged(lambda: chart_image(figure, "svg"), "svg", name, lang,
                                                          username),
                           file_name=f"{name}_{lang}.svg", mime=MIME["svg"], on_click="ignore",
                           icon=":material/draw:", key=f"{key}.svg", help=t("exports.chart.svg_help"))


@st.fragment
def table_downloads(frame: pd.DataFrame, name: str, notes: TableNotes, headers: Mapping[str, str] | None = None,
                    indicator: str | None = None, level: str | None = None, key: str | None = None,
                    hxl_tags: Mapping[str, str] | None = None) -> None:
    """CSV and Excel buttons for `frame` (canonical columns; see exports.tables) and an 'add HXL row' box.

    A fragment: ticking the box reruns these three widgets, not the page.
    """
    if presentation.is_on():  # a projected view carries no buttons
        return
    lang, username, key = current_language(), _username(), key or f"exports.table.{name}"
    with st.container(horizontal=True, vertical_alignment="center"):
        hxl = st.checkbox(t("exports.table.hxl"), key=f"{key}.hxl", help=t("exports.table.hxl_help"),
                          width="content")
        options = dict(headers=headers, hxl=hxl, indicator=indicator, level=level, hxl_tags=hxl_tags)
        suffix = "_hxl" if hxl else ""
        st.download_button(t("exports.table.csv"),
                           logged(lambda: tables.csv_bytes(frame, lang, **options), "csv", name, lang, username),
                           file_name=f"{name}_{lang}{suffix}.csv", mime=MIME["csv"], on_click="ignore",
                           icon=":material/download:", key=f"{key}.csv", help=t("exports.table.csv_help"))
        st.download_button(t("exports.table.xlsx"),
                           logged(lambda: tables.xlsx_bytes(frame, notes, **options), "xlsx", name, lang, username),
                           file_name=f"{name}_{lang}{suffix}.xlsx", mime=MIME["xlsx"], on_click="ignore",
                           icon=":material/table_view:", key=f"{key}.xlsx", help=t("exports.table.xlsx_help"))
