"""Regional overview: headline figures, who is reached, trend and a regional map."""

import streamlit as st

from charts import overview as charts, tables
from data_loaders.schemas import COUNTRIES, MIGRATION_PROFILES
from indicators.age_groups import age_group_codes
from indicators.registry import HEADLINE_INDICATORS
from store import cached
from ui import headlines, layout, presentation
from ui.filters import sidebar_filters
from ui.language import current_language, date, t
from ui.maps import map_extent, people_served_map
from ui.session import current_scope, guard_territory

lang = current_language()
scope = current_scope()
filters = guard_territory(sidebar_filters(scope), scope)

st.title(t("overview.title"))
st.markdown(t("overview.intro", period=f"{date(filters.start, 'medium')} – {date(filters.end, 'medium')}"))
years = f"{filters.start.year}–{filters.end.year}" if filters.start.year != filters.end.year else str(filters.start.year)
data_date = layout.data_date()
layout.scope_banner(scope, filters)

# The total and its breakdowns are published together, so they are protected together.
map_level = map_extent(scope)[1]
served, (by_profile, pyramid, by_unit, trend) = cached.linked(
    "people_served", filters, (("country", "migration_profile"), ("sex", "age_group"), (map_level,), ("quarter",)),
    scope=scope)

st.subheader(t("overview.headline"))
presentation.headline(headlines.people_served(served["value"].iloc[0], bool(served["suppressed"].iloc[0]), years))
columns = st.columns(3) + st.columns(3)
for column, indicator_id in zip(columns, HEADLINE_INDICATORS):
    figure = (served if indicator_id == "people_served" else cached.indicator(indicator_id, filters, scope=scope)).iloc[0]
    caption = t("overview.sensitized.caveat") if indicator_id == "people_sensitized" else None
    layout.headline_metric(column, indicator_id, figure["value"], bool(figure["suppressed"]), caption)

left, right = st.columns(2)
countries = [c for c in COUNTRIES if c in set(by_profile["country"])]
with left:
    st.subheader(t("overview.by_country_profile"))
    presentation.headline(headlines.country_profile(by_profile))
    st.plotly_chart(charts.country_profile_bars(by_profile, countries, list(MIGRATION_PROFILES), lang),
                    width="stretch", key="chart_country_profile")
    presentation.source_line(data_date)
with right:
    st.subheader(t("overview.pyramid"))
    presentation.headline(headlines.pyramid(pyramid))
    st.plotly_chart(charts.pyramid(pyramid, age_group_codes(filters.bracket_set), lang),
                    width="stretch", key="chart_pyramid")
    presentation.source_line(data_date)

with st.expander(t("overview.table")):
    st.dataframe(tables.cross_table(by_profile, "country", "migration_profile", lang, t("chart.country"),
                                    countries, list(MIGRATION_PROFILES)), width="stretch")

st.subheader(t("overview.trend"))
presentation.headline(headlines.trend(trend))
st.plotly_chart(charts.quarterly_trend(trend, lang), width="stretch", key="chart_trend")
presentation.source_line(data_date)
st.caption(t("overview.trend.note"))

st.subheader(t("map.title.municipality") if scope.is_territorial else t("overview.map"))
presentation.headline(headlines.map_units(by_unit, map_level))
people_served_map(by_unit, scope, key="overview_map")
presentation.source_line(data_date)

layout.privacy_note()
layout.source_footer()
