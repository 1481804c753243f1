"""The one place that turns typed errors into what the user sees, in the session's language."""

from __future__ import annotations

import streamlit as st

import settings
from data_loaders.errors import LoaderError
from geo.errors import BoundaryError
from store.database import StoreError
from ui.language import current_language, t

MAX_SHOWN_PROBLEMS = 50


def show_error(error: Exception) -> None:
    """Render a known error as a translated message with its details; re-raise anything else."""
    lang = current_language()
    if isinstance(error, LoaderError):
        st.error(t("error.loader.title", count=len(error.problems)))
        st.markdown("\n".join(f"- {p.message(lang)}" for p in error.problems[:MAX_SHOWN_PROBLEMS]))
    elif isinstance(error, BoundaryError):
        st.error(t("error.boundary.title"))
        st.markdown(error.message(lang))
    elif isinstance(error, StoreError):
        st.error(t("error.store.title"))
        st.caption(t("error.store.detail", detail=str(error)))
        st.info(t("error.store.hint", path=settings.data_dir()))
    else:
        raise error
