"""Entry point: page set-up, language, navigation. No data work here."""

import streamlit as st

from data_loaders.errors import LoaderError
from geo.errors import BoundaryError
from store.database import StoreError
from ui.errors import show_error
from ui.language import language_selector, t

st.set_page_config(page_title="Conexión territorial", page_icon="🌎", layout="wide")

language_selector()
pages = [st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/public:", default=True)]
try:
    st.navigation(pages).run()
except (LoaderError, BoundaryError, StoreError) as error:
    show_error(error)
