"""Pieces of the forum deck page (one view per screen, previous / next, the view in the URL) and the
deck and brief download buttons, also offered on the overview."""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from auth.roles import can_see_page
from charts.style import PRIMARY, TEXT
from exports import forum as assembly, images
from exports.forum import Forum, ForumView
from indicators.filters import Filters
from ui import presentation
from ui.exports import logged
from ui.language import current_language, t

KEY = "forum"
VIEW_KEY = f"{KEY}.view"  # 0-based index of the view on screen
URL_PARAM = "vista"  # 1-based, so that ?vista=2 is the second view
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf"}


def view_from_link(value: object, total: int) -> int:
    """0-based view index from the link's ?vista= (1-based); the first view when missing or not a number."""
    try:
        return min(max(int(str(value).strip()) - 1, 0), total - 1)
    except (TypeError, ValueError):
        return 0


def current_view(total: int) -> int:
    """The view on screen: the link decides on the first run, the buttons after; kept in the URL."""
    if VIEW_KEY not in st.session_state:
        st.session_state[VIEW_KEY] = view_from_link(st.query_params.get(URL_PARAM), total)
    index = min(max(int(st.session_state[VIEW_KEY]), 0), total - 1)
    st.session_state[VIEW_KEY] = index
    st.query_params[URL_PARAM] = str(index + 1)
    return index


def _move(step: int, total: int) -> None:
    st.session_state[VIEW_KEY] = min(max(st.session_state.get(VIEW_KEY, 0) + step, 0), total - 1)


def navigation(index: int, total: int, where: str) -> None:
    """"Previous" · "View 2 of 4" · "Next" (buttons, no keyboard needed); `where` tells the two rows apart."""
    with st.container(horizontal=True, vertical_alignment="center", horizontal_alignment="distribute"):
        st.button(t("forum.previous"), key=f"{KEY}.previous.{where}", on_click=_move, args=(-1, total),
                  disabled=index == 0, icon=":material/arrow_back:")
        st.markdown(f'<p data-testid="forum-position" style="margin:0;font-weight:600;color:{TEXT}">'
                    f'{html.escape(t("forum.position", n=index + 1, total=total))}</p>', unsafe_allow_html=True)
        st.button(t("forum.next"), key=f"{KEY}.next.{where}", on_click=_move, args=(1, total),
                  disabled=index == total - 1, icon=":material/arrow_forward:", type="primary")


def show(view: ForumView, source: str) -> None:
    """One view as a screen: title, the sentence large, the chart full width, how to read it, date and source."""
    st.header(view.title, anchor=False)
    st.markdown(f'<p data-testid="forum-headline" style="font-size:1.7rem;line-height:1.3;font-weight:600;'
                f'color:{PRIMARY};margin:0.2rem 0 0.8rem">{html.escape(view.headline)}</p>',
                unsafe_allow_html=True)
    presentation.chart(view.figure, width="stretch", key=f"{KEY}.chart.{view.key}",
                    config={"displaylogo": False})
    if view.caption:
        st.caption(view.caption)
    st.caption(source)


def _username() -> str | None:
    from ui.session import current_scope

    return current_scope().username


def _file_name(stem: str, forum: Forum, extension: str) -> str:
    years = forum.period.replace("–", "-")
    return f"{stem}_{years}_{forum.lang}.{extension}"


def deck_downloads(forum: Forum, complete: Callable[[], Forum]) -> None:
    """PPTX deck and PDF brief of every view of the deck (`complete` builds them, only when a button is
    clicked); `forum` is what is on screen (its period and language name the files). Under their own
    heading, and not at all when presenting (a projected screen has no buttons, so no heading either)."""
    if presentation.is_on():
        return
    st.subheader(t("forum.downloads"))
    if images.chromium_path() is None:
        st.caption(t("forum.download.unavailable"))
        return
    username, item = _username(), f"forum_deck_{forum.period}"
    with st.container(horizontal=True):
        st.download_button(t("forum.download.pptx"),
                           logged(lambda: assembly.deck_bytes(complete()), "pptx", item, forum.lang, username),
                           file_name=_file_name("conexion_forum_deck", forum, "pptx"), mime=MIME["pptx"],
                           on_click="ignore", icon=":material/slideshow:", key=f"{KEY}.download.pptx",
                           help=t("forum.download.pptx_help"), type="primary")
        st.download_button(t("forum.download.pdf"),
                           logged(lambda: assembly.brief_bytes(complete()), "pdf", f"forum_brief_{forum.period}",
                                  forum.lang, username),
                           file_name=_file_name("conexion_forum_brief", forum, "pdf"), mime=MIME["pdf"],
                           on_click="ignore", icon=":material/picture_as_pdf:", key=f"{KEY}.download.pdf",
                           help=t("forum.download.pdf_help"))


def brief_download(filters: Filters, scope, key: str = "overview.export.brief") -> None:
    """The PDF brief of a page's current filters (for roles that see the forum deck); built on click."""
    if not can_see_page(scope, "forum_deck") or images.chromium_path() is None or presentation.is_on():
        return
    lang = current_language()
    period = f"{filters.start.isoformat()}_{filters.end.isoformat()}"
    make = lambda: assembly.brief_bytes(assembly.build_forum(filters, scope, lang))  # noqa: E731
    st.download_button(t("forum.download.pdf"), logged(make, "pdf", f"overview_brief_{period}", lang, scope.username),
                       file_name=f"conexion_brief_{period}_{lang}.pdf", mime=MIME["pdf"], on_click="ignore",
                       icon=":material/picture_as_pdf:", key=key, help=t("forum.download.pdf_overview_help"))
