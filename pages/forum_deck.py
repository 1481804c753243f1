"""Forum deck: the overview's headline figures, MISKA outcomes by sex and age, the prevention network's reach
and the territorial map, one per screen with previous / next, and the PPTX deck and PDF brief of them."""

import streamlit as st

from exports.forum import build_forum, wanted_views
from indicators.filter_specs import FORUM_DECK
from ui import forum, layout, presentation
from ui.filters import sidebar
from ui.language import current_language, t
from ui.session import current_scope

scope = current_scope()
lang = current_language()
filters = sidebar(FORUM_DECK, scope)
views = wanted_views(filters)

st.title(t("nav.forum_deck"))
presentation.instruction(t("forum.intro"))
index = forum.current_view(len(views))
forum.navigation(index, len(views), "top")
# Only the view on screen is computed; the files compute every view when their button is clicked.
shown = build_forum(filters, scope, lang, views=(views[index],))
forum.show(shown.views[0], shown.source)

forum.deck_downloads(shown, lambda: build_forum(filters, scope, lang))

layout.privacy_note()  # the view carries the date and source under its chart: no second source line
