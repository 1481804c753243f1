"""The signed-in user's scope for this session, and the guard that refuses out-of-scope requests."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from indicators.filters import Filters
from indicators.scope import OutOfScopeError, ScopeLike, scoped_filters
from ui.language import current_language, t

SCOPE_KEY = "scope"


def current_scope() -> ScopeLike:
    """The scope set by dashboard.py after sign-in; pages never run without one.

    On a fresh server, a link straight to a page (/my_municipality?municipio=1306) runs the
    page file alone, without dashboard.py (Streamlit's pages/ folder routing). The hidden
    navigation is registered then and the browser reloads the same address once, so the
    sign-in form and, after it, the page open through dashboard.py.
    """
    if SCOPE_KEY not in st.session_state:
        from ui.sign_in import register_hidden_navigation

        register_hidden_navigation()
        if st.query_params.get("signin") != "1":
            st.query_params["signin"] = "1"
            components.html("<script>window.parent.location.reload();</script>", height=0)
        st.info(t("scope.not_signed_in"))
        st.stop()
    return st.session_state[SCOPE_KEY]


def guard_territory(filters: Filters, scope: ScopeLike) -> Filters:
    """The filters narrowed to the scope, or a clear 'not in your territory' message and no figure."""
    try:
        return scoped_filters(filters, scope)
    except OutOfScopeError as error:
        from auth.audit_log import log_event

        log_event("out_of_scope_request", getattr(scope, "username", None),
                  requested=[f"{c}-{code}" for c, code in error.requested])
        st.error(t("scope.not_in_territory"))
        link_home_municipality(scope)
        st.stop()


def link_home_municipality(scope: ScopeLike) -> None:
    """For a municipal official: a link to My municipality on their own (first) municipality."""
    if not getattr(scope, "is_territorial", False):
        return
    from store.municipal import municipalities_offered

    country, code = scope.municipalities[0]
    offered = municipalities_offered(scope)
    names = offered[(offered["country"] == country) & (offered["code"] == code)]["name"]
    name = names.iloc[0] if len(names) else code
    st.page_link("pages/my_municipality.py", label=t("scope.back_to_municipality", name=name),
                 icon=":material/location_city:",
                 query_params={"municipio": code, "pais": country, "lang": current_language()})


def refused_page(allowed: dict) -> str | None:
    """The id of a page the user asked for (URL path /data or ?page=data) that their role may not open."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from auth.roles import PAGE_IDS

    ctx = get_script_run_ctx()
    requested = (ctx.pages_manager.intended_page_name if ctx else None) or st.query_params.get("page")
    return requested if requested in PAGE_IDS and requested not in allowed else None


def open_home_by_its_name(home_id: str) -> None:
    """Streamlit serves the default page only at "/": asked for by its own address (/overview, an official's
    shared /my_municipality?municipio=…) it would answer "Page not found". Asked by name, run the default page."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx and ctx.pages_manager.intended_page_name == home_id:
        ctx.pages_manager.set_script_intent("", "")


def refused_view(page_id: str, home: st.Page):
    """What runs at the address of a page the role may not open (a hidden page of the navigation, so
    Streamlit never answers "Page not found" there, before or after sign-in)."""
    def refused() -> None:
        page_refused(page_id, home)
    refused.__name__ = f"refused_{page_id}"
    return refused


def page_refused(page_id: str, home: st.Page) -> None:
    """A short message instead of the page, and a link to the user's home page."""
    st.title(t(f"nav.{page_id}"))
    st.warning(t("scope.page_not_for_role", page=t(f"nav.{page_id}")), icon=":material/lock:")
    st.page_link(home, label=t("scope.go_home", page=home.title), icon=home.icon,
                 query_params={"lang": current_language()})
