"""Forum deck: the overview's headline figures, MISKA outcomes by sex and age, the prevention network's reach
and the territorial map, one per screen with previous / next, and the PPTX deck and PDF brief of them."""

import streamlit as st

from exports.forum import build_forum
from ui import forum, layout
from ui.language import current_language, t
from ui.session import current_scope

scope = current_scope()
filters = forum.sidebar_period()
deck = build_forum(filters, scope, current_language())

st.title(t("nav.forum_deck"))
st.caption(t("forum.intro"))
index = forum.current_view(len(deck.views))
forum.navigation(index, len(deck.views), "top")
forum.show(deck.views[index], deck.source)

st.subheader(t("forum.downloads"))
forum.deck_downloads(deck)

layout.privacy_note()
layout.source_footer()
