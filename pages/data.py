"""Placeholder until the page is built."""

import streamlit as st

from ui.language import t

st.title(t("nav.data"))
