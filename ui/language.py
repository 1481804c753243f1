"""The session's language: from the URL (?lang=en), remembered in the session, switchable in the sidebar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd
import streamlit as st

import i18n
import settings

_WIDGET_KEY = "language"
# Set by `speaking`: files written outside a session (the static public edition) in a language of their own.
_SPOKEN: ContextVar[str | None] = ContextVar("spoken_language", default=None)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Within the block, every message and number of the ui helpers is in `lang`, not the session's."""
    token = _SPOKEN.set(i18n.normalise_language(lang))
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def current_language() -> str:
    """The language chosen in this session (or by `speaking`); the URL decides on the first run."""
    if _SPOKEN.get() is not None:
        return _SPOKEN.get()
    if _WIDGET_KEY not in st.session_state:
        from_url = st.query_params.get("lang")
        st.session_state[_WIDGET_KEY] = i18n.normalise_language(from_url or settings.get("default_language"))
    return st.session_state[_WIDGET_KEY]


def t(key: str, **params: object) -> str:
    """The message `key` in the session's language."""
    return i18n.translate(key, current_language(), **params)


def labels(prefix: str, suffix: str = ""):
    """A widget `format_func` showing `<prefix>.<code><suffix>` in the language of this run.

    The language is fixed when the widget is drawn: Streamlit may call a format function
    again outside the script run (AppTest does), where the session is not at hand.
    """
    lang = current_language()
    return lambda code: i18n.translate(f"{prefix}.{code}{suffix}", lang)


def number(value: object, decimals: int = 0) -> str:
    return i18n.format_number(None if pd.isna(value) else value, current_language(), decimals)


def share(value: object, decimals: int = 1) -> str:
    return i18n.format_share(None if pd.isna(value) else value, current_language(), decimals)


def date(value: dt.date, style: str = "long") -> str:
    return i18n.format_date(value, current_language(), style)


def language_selector() -> None:
    """Sidebar switch; keeps ?lang= in the URL so a shared link opens in the same language."""
    current_language()  # seeds the widget's state from the URL on the first run
    st.sidebar.radio(
        i18n.translate("language.label", current_language()), i18n.LANGUAGES, horizontal=True,
        format_func=lambda code: i18n.translate(f"language.{code}", code), key=_WIDGET_KEY,
    )
    if st.query_params.get("lang") != current_language():
        st.query_params["lang"] = current_language()
