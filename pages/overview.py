"""Regional overview: headline figures, who is reached, trend and a regional map."""

import streamlit as st

from charts import overview as charts, tables
from data_loaders.schemas import COUNTRIES, MIGRATION_PROFILES
from indicators.age_groups import age_group_codes
from indicators.filter_specs import OVERVIEW
from indicators.registry import HEADLINE_INDICATORS
from store import cached
from store.municipal import place_of
from exports import page_tables
from ui import headlines, layout, page_exports, presentation
from ui import municipality as municipality_section
from ui.forum import brief_download
from ui.exports import chart_downloads
from ui.filters import sidebar
from ui.language import current_language, date, t
from ui.maps import map_extent, overview_breakdowns, people_served_map
from ui.memo import built
from ui.session import current_scope, guard_territory
from ui.tables import dataframe as table_view

lang = current_language()
scope = current_scope()
filters = guard_territory(sidebar(OVERVIEW, scope), scope)

st.title(t("overview.title"))
period = f"{date(filters.start, 'medium')} – {date(filters.end, 'medium')}"
# A municipal official's overview speaks of their territory, not of the four countries.
places = [place_of(municipality) for municipality in scope.municipalities] if scope.is_territorial else []
if places:
    st.markdown(t("overview.intro.territorial", names=", ".join(place.name for place in places), period=period))
else:
    st.markdown(t("overview.intro", period=period))
years = f"{filters.start.year}–{filters.end.year}" if filters.start.year != filters.end.year else str(filters.start.year)
data_date = layout.data_date()
layout.scope_banner(scope, filters)

# The total and its breakdowns are published together, so they are protected together.
map_level = map_extent(scope)[1]
served, (by_profile, pyramid, by_unit, trend) = cached.linked("people_served", filters, overview_breakdowns(scope),
                                                              scope=scope)

st.subheader(t("overview.headline"))
presentation.headline(headlines.people_served(served["value"].iloc[0], bool(served["suppressed"].iloc[0]), years))
columns = st.columns(3) + st.columns(3)
for column, indicator_id in zip(columns, HEADLINE_INDICATORS):
    figure = (served if indicator_id == "people_served" else cached.indicator(indicator_id, filters, scope=scope)).iloc[0]
    caption = t("overview.sensitized.caveat") if indicator_id == "people_sensitized" else None
    layout.headline_metric(column, indicator_id, figure["value"], bool(figure["suppressed"]), caption,
                           hidden=figure.get("hidden"))

left, right = st.columns(2)
countries = [c for c in COUNTRIES if c in set(by_profile["country"])]
with left:
    st.subheader(t("overview.by_country_profile"))
    presentation.headline(headlines.country_profile(by_profile))
    if not layout.withheld_note(by_profile):  # a withheld breakdown is a sentence, not an empty chart
        bars = built(charts.country_profile_bars, by_profile, countries, list(MIGRATION_PROFILES), lang)
        presentation.chart(bars, width="stretch", key="chart_country_profile")
        chart_downloads(bars, "people_served_by_country_profile", key="overview.export.country_profile")
        presentation.source_line(data_date)
with right:
    st.subheader(t("overview.pyramid"))
    presentation.headline(headlines.pyramid(pyramid))
    if not layout.withheld_note(pyramid):
        sex_age = built(charts.pyramid, pyramid, age_group_codes(filters.bracket_set), lang)
        presentation.chart(sex_age, width="stretch", key="chart_pyramid")
        chart_downloads(sex_age, "people_served_by_sex_age", key="overview.export.pyramid")
        presentation.source_line(data_date)

with st.expander(t("overview.table")):
    table_view(tables.cross_table(by_profile, "country", "migration_profile", lang, t("chart.country"),
                                    countries, list(MIGRATION_PROFILES)), width="stretch")
    page_exports.downloads(
        page_tables.country_profile(by_profile, countries, list(MIGRATION_PROFILES), lang, t("chart.country")),
        "people_served_by_country_profile", page_exports.notes(t("overview.by_country_profile"), "people_served"),
        key="overview.export.country_profile_table", indicator="people_served")

st.subheader(t("overview.trend"))
presentation.headline(headlines.trend(trend))
if not layout.withheld_note(trend):
    quarters = built(charts.quarterly_trend, trend, lang)
    presentation.chart(quarters, width="stretch", key="chart_trend")
    chart_downloads(quarters, "people_served_by_quarter", key="overview.export.trend")
    presentation.source_line(data_date)
    st.caption(t("overview.trend.note"))

if places:  # one unit's choropleth is a lone polygon: show where it lies in its department instead
    for place in places:
        st.subheader(t("overview.map.territorial", name=place.name, department=place.department_name))
        municipality_section.place_locator(place, key=f"overview_locator_{place.country}_{place.code}")
    st.page_link("pages/my_municipality.py", label=t("municipality.home.link", name=places[0].name),
                 icon=":material/location_city:",
                 query_params={"municipio": places[0].code, "pais": places[0].country, "lang": lang})
else:
    map_title = t("overview.map")
    st.subheader(map_title)
    presentation.headline(headlines.map_units(by_unit, map_level))
    layout.withheld_note(by_unit)
    map_figure = people_served_map(by_unit, scope, key="overview_map", title=map_title)
    if map_figure is not None:  # None: no unit has data, a sentence says so
        chart_downloads(map_figure, "people_served_map", key="overview.export.map")
    presentation.source_line(data_date)

brief_download(filters, scope)  # the PDF brief of these filters, for leadership and presenters

layout.privacy_note()
layout.source_footer()
