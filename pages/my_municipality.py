"""My municipality: one municipality against its department and the programme, a shareable link and a PDF factsheet."""

import streamlit as st

from store.municipal import municipal_profile
from ui import layout
from ui import municipality as section
from ui.language import t
from ui.session import current_scope

scope = current_scope()

st.title(t("municipality.title"))
chosen = section.pick_municipality(scope)
if chosen is None:
    st.info(t("municipality.pick.prompt"))
    st.stop()

profile = municipal_profile(chosen, scope=scope)
st.markdown(t("municipality.intro.territorial" if scope.is_territorial else "municipality.intro",
              period=f"{profile.start.year}–{profile.end.year}"))
section.share_link(chosen)

if not profile.has_activity:
    section.no_activity(profile)
    section.locator(profile)
    layout.source_footer()
    st.stop()

main, side = st.columns([3, 2])
with main:
    section.summary(profile)
    section.headline(profile)
with side:
    section.locator(profile)
section.download(profile, scope)
section.comparison(profile)
section.people(profile)
section.components(profile)
section.policies_and_organisations(profile)

layout.privacy_note()
layout.source_footer()
