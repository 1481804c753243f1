"""Every table of the app goes through here: numbers sort as numbers and align right, and read as the
language writes them (hidden cells keep their reading, 'menos de 5' …)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.tables import sortable
from ui.language import current_language
from ui.memo import built


def dataframe(shown: pd.DataFrame, numbers: pd.DataFrame | None = None, **kwargs):
    """st.dataframe of a formatted table (`charts.tables.sortable`, built once per content); kwargs go to
    st.dataframe."""
    return st.dataframe(built(sortable, shown, current_language(), numbers), **kwargs)
