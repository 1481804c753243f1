"""Methods and sources: definitions, where each headline figure comes from, privacy rules, data and licences.

Generated from the indicator registry, settings and the store (aggregates only), in the chosen language.
"""

import streamlit as st

from indicators.filters import Filters
from ui import layout
from ui import methods as section
from ui.language import t
from ui.session import current_scope, guard_territory

scope = current_scope()
filters = guard_territory(Filters(), scope)  # the overview's default period, narrowed to the user's territory

st.title(t("methods.title"))
st.markdown(t("methods.intro"))
section.table_of_contents()

section.header("headlines")
layout.scope_banner(scope, filters)
section.headline_sources(filters, scope, section.territory_text(filters, scope))
section.header("indicators")
section.indicator_definitions()
section.header("measures")
section.page_measures()
section.header("age_sets")
section.age_sets()
section.header("weights")
section.reintegration_weights()
section.header("privacy")
section.privacy_rules()
section.header("data")
section.data_sources(scope)
section.header("boundaries")
section.boundaries()

section.footer()
