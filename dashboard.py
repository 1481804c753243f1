"""Entry point: page set-up, language, sign-in, navigation by role. No data work here."""

import streamlit as st

from auth.roles import can_see_page
from data_loaders.errors import LoaderError
from geo.errors import BoundaryError
from store.database import StoreError
from ui.errors import show_error
from ui import presentation, responsive
from ui.language import language_selector, t
from ui.sign_in import check_sign_in_configuration, require_sign_in

st.set_page_config(page_title="Conexión territorial", page_icon="🌎", layout="wide")
responsive.apply()  # phone widths: one style sheet, media queries only

language_selector()
check_sign_in_configuration()  # production refuses demo accounts and default cookie keys
scope = require_sign_in()  # stops here until signed in
presentation.switch()  # ?presentar=1: a clean full-width view for projecting

pages = {
    "overview": st.Page("pages/overview.py", title=t("nav.overview"), icon=":material/public:", default=True),
    "territorial_map": st.Page("pages/territorial_map.py", title=t("nav.territorial_map"), icon=":material/map:"),
    "reintegration": st.Page("pages/reintegration.py", title=t("nav.reintegration"), icon=":material/diversity_3:"),
    "prevention_network": st.Page("pages/prevention_network.py", title=t("nav.prevention_network"),
                                  icon=":material/hub:"),
    "my_municipality": st.Page("pages/my_municipality.py", title=t("nav.my_municipality"),
                               icon=":material/location_city:"),
    "forum_deck": st.Page("pages/forum_deck.py", title=t("nav.forum_deck"), icon=":material/slideshow:"),
    "data": st.Page("pages/data.py", title=t("nav.data"), icon=":material/upload_file:"),
    "methods": st.Page("pages/methods.py", title=t("nav.methods"), icon=":material/menu_book:"),
}
allowed = {page_id: page for page_id, page in pages.items() if can_see_page(scope, page_id)}
try:
    st.navigation(list(allowed.values())).run()
except (LoaderError, BoundaryError, StoreError) as error:
    show_error(error)
