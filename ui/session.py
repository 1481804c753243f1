"""The signed-in user's scope for this session, and the guard that refuses out-of-scope requests."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from indicators.filters import Filters
from indicators.scope import OutOfScopeError, ScopeLike, scoped_filters
from ui.language import t

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
        st.stop()
