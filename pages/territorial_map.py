"""Territorial map: any indicator by department or municipality, drill-down, unit panel and table."""

import streamlit as st

from indicators.filter_specs import TERRITORIAL_MAP
from ui import headlines, layout, presentation
from ui import territorial_map as tmap
from ui.filters import sidebar
from ui.language import t
from ui.session import current_scope, guard_territory

scope = current_scope()
filters = guard_territory(sidebar(TERRITORIAL_MAP, scope), scope)

st.title(t("tmap.title"))
presentation.instruction(t("tmap.intro"), st.markdown)

view = tmap.view_controls(tmap.current_view(), filters)
tmap.mirror_in_link(view)
tmap.breadcrumb(view)

units, parent = tmap.view_values(view, filters, scope)
if units.empty:  # a sentence, not a blank map and an empty table
    st.info(tmap.empty_sentence(view))
    layout.privacy_note()
    layout.source_footer()
    st.stop()
sentence = headlines.map_indicator(units, view.indicator, view.map_level, tmap.formatter(view.indicator))
if sentence:
    presentation.headline(sentence)
map_column, side_column = st.columns([5, 2])
with map_column:
    legend = tmap.show_map(view, units)
    presentation.source_line(layout.data_date())
with side_column:
    layout.map_legend(t(f"indicator.{view.indicator}.label"), legend)
    st.divider()
    tmap.unit_panel(view, units, parent, filters, scope)

st.subheader(t("tmap.table.title"))
tmap.units_table(view, units)

layout.privacy_note()
layout.source_footer()
