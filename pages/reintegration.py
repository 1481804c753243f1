"""Reintegration (MISKA): funnel, outcomes by sex x age group, ethnicity and profile, reintegration scores,
territory, municipal policies and base organisations."""

import streamlit as st

from indicators.filter_specs import REINTEGRATION
from store import cached
from store import reintegration as store
from ui import layout
from ui import reintegration as section
from ui.filters import sidebar
from ui.language import t
from ui.session import current_scope, guard_territory

scope = current_scope()
filters = guard_territory(sidebar(REINTEGRATION, scope), scope)
with cached.progress("reintegration.progress.figures"):  # seconds when these filters are new
    figures = store.figures(filters, scope=scope)

st.title(t("reintegration.title"))
st.markdown(t("reintegration.intro"))
st.caption(t("reintegration.scope", period=f"{filters.start.year}–{filters.end.year}"))
section.summary(figures)
section.headline(figures)
section.funnel(figures)
section.sex_age(figures, filters)
section.groups(figures)
section.dimensions(figures)
section.territory(figures)
section.structural(filters, store.policies(filters, scope=scope), store.organisations(filters, scope=scope))
section.definitions_expander(figures)

layout.privacy_note()
layout.source_footer()
