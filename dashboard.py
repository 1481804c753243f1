"""Entry point: page set-up, language, sign-in, navigation by role. No data work here."""

import streamlit as st

from auth.roles import can_see_page, home_page
from data_loaders.errors import LoaderError
from geo.errors import BoundaryError
from store.database import StoreError
from ui.errors import show_error
from ui import layout, presentation
from ui.language import current_language, language_selector, t
from ui.session import open_home_by_its_name, page_refused, refused_page, refused_view
from ui.sign_in import check_sign_in_configuration, register_hidden_navigation, require_sign_in
from ui.streamlit_fixes import keep_upload_answers_across_reruns, run_again_until_the_pages_are_known

keep_upload_answers_across_reruns()  # a file dropped while the page runs is not lost (ui/streamlit_fixes.py)
st.set_page_config(page_title="Conexión territorial", page_icon="🌎", layout="wide")
run_again_until_the_pages_are_known(register_hidden_navigation)  # before any widget (ui/streamlit_fixes.py)

language_selector()
st.html(layout.page_style(current_language()))  # before the sign-in form; a style-only st.html takes no room
check_sign_in_configuration()  # production refuses demo accounts and default cookie keys
scope = require_sign_in()  # stops here until signed in
presentation.switch()  # ?presentar=1: a clean full-width view for projecting

# page id -> (file, icon); the role's home page is the default one (a municipal official lands on theirs).
PAGES = {
    "overview": ("pages/overview.py", ":material/public:"),
    "territorial_map": ("pages/territorial_map.py", ":material/map:"),
    "reintegration": ("pages/reintegration.py", ":material/diversity_3:"),
    "prevention_network": ("pages/prevention_network.py", ":material/hub:"),
    "my_municipality": ("pages/my_municipality.py", ":material/location_city:"),
    "forum_deck": ("pages/forum_deck.py", ":material/slideshow:"),
    "data": ("pages/data.py", ":material/upload_file:"),
    "methods": ("pages/methods.py", ":material/menu_book:"),
}
home = home_page(scope)
allowed = {page_id: st.Page(path, title=t(f"nav.{page_id}"), icon=icon, default=page_id == home)
           for page_id, (path, icon) in PAGES.items() if can_see_page(scope, page_id)}
open_home_by_its_name(home)  # /overview, /my_municipality?municipio=… : the home page, not "Page not found"
not_for_role = [st.Page(refused_view(page_id, allowed[home]), title=t(f"nav.{page_id}"), url_path=page_id,
                        visibility="hidden") for page_id in PAGES if page_id not in allowed]
refused = refused_page(allowed)  # ?page=data for a role without it: say so, not a silent redirect
try:
    chosen = st.navigation([allowed[home], *(page for page_id, page in allowed.items() if page_id != home),
                            *not_for_role])
    if refused:
        page_refused(refused, allowed[home])
    else:
        chosen.run()
except (LoaderError, BoundaryError, StoreError) as error:
    show_error(error)
