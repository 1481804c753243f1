"""Regional overview: headline figures, who is reached, trend and a regional map."""

import streamlit as st

import geo.payload as payload
from charts import maps, overview as charts, tables
from data_loaders.schemas import COUNTRIES, MIGRATION_PROFILES
from indicators.age_groups import age_group_codes
from indicators.registry import HEADLINE_INDICATORS
from indicators.territory import with_unit_names
from store import cached
from ui import layout
from ui.filters import sidebar_filters
from ui.language import current_language, date, number, t

lang = current_language()
filters = sidebar_filters()

st.title(t("overview.title"))
st.markdown(t("overview.intro", period=f"{date(filters.start, 'medium')} – {date(filters.end, 'medium')}"))

st.subheader(t("overview.headline"))
columns = st.columns(3) + st.columns(3)
for column, indicator_id in zip(columns, HEADLINE_INDICATORS):
    figure = cached.indicator(indicator_id, filters).iloc[0]
    caption = t("overview.sensitized.caveat") if indicator_id == "people_sensitized" else None
    layout.headline_metric(column, indicator_id, figure["value"], bool(figure["suppressed"]), caption)

left, right = st.columns(2)
by_profile = cached.indicator("people_served", filters, ("country", "migration_profile"))
countries = [c for c in COUNTRIES if not filters.countries or c in filters.countries]
with left:
    st.subheader(t("overview.by_country_profile"))
    st.plotly_chart(charts.country_profile_bars(by_profile, countries, list(MIGRATION_PROFILES), lang),
                    width="stretch", key="chart_country_profile")
with right:
    st.subheader(t("overview.pyramid"))
    pyramid = cached.indicator("people_served", filters, ("sex", "age_group"))
    st.plotly_chart(charts.pyramid(pyramid, age_group_codes(filters.bracket_set), lang),
                    width="stretch", key="chart_pyramid")

with st.expander(t("overview.table")):
    st.dataframe(tables.cross_table(by_profile, "country", "migration_profile", lang, t("chart.country"),
                                    countries, list(MIGRATION_PROFILES)), width="stretch")

st.subheader(t("overview.trend"))
st.plotly_chart(charts.quarterly_trend(cached.indicator("people_served", filters, ("quarter",)), lang),
                width="stretch", key="chart_trend")
st.caption(t("overview.trend.note"))

st.subheader(t("overview.map"))
by_department = with_unit_names(cached.indicator("people_served", filters, ("department",)), "department")
breaks = maps.class_breaks(by_department["value"])
labels = layout.map_labels()
features = maps.coloured_features(payload.map_geojson(None, "department"), by_department, breaks, labels, number)
map_column, legend_column = st.columns([4, 1])
with map_column:
    deck = maps.choropleth_deck(features, payload.region_outline_geojson(), payload.view_state_for(None, "department"),
                                f"<b>{{name}}</b><br/>{t('map.tooltip.value')}: {{value_label}}")
    st.pydeck_chart(deck, height=520, key="overview_map")
with legend_column:
    layout.map_legend(t("map.legend.title"), maps.legend_items(breaks, number, labels, maps.smallest_positive(by_department["value"])))

layout.privacy_note()
layout.source_footer()
