"""Pieces of the Prevention network page: its sidebar filters and the sections that lay out the network
(map, graph, metrics) and its protected reach (agents trained, people sensitized)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import i18n
from charts import network as charts
from data_loaders.schemas import ATTENDANCE_AGE_GROUPS, INSTITUTION_TYPES, SESSION_AUDIENCES, SESSION_TOPICS
from geo import payload
from indicators.age_groups import BRACKET_SETS, DEFAULT_BRACKET_SET, age_group_codes
from indicators.filters import Filters, default_period
from indicators.network import NetworkMetrics, Reach, cascade_ratio, degree_ranking, graph_layout, \
    institution_reach, municipality_reach, people_per_agent, side_by_side
from store import network as store
from ui import layout
from ui.filters import YEARS
from ui.language import current_language, number, share, t

KEY = "network"
SIDES = ("both", "BOL", "PER")
MAP_HEIGHT = 600
CLOSE_UP_HEIGHT = 330


def _all(options: tuple[str, ...], prefix: str, key: str, label_key: str) -> tuple[str, ...]:
    return tuple(st.sidebar.multiselect(t(label_key), options, format_func=lambda c: t(f"{prefix}.{c}"),
                                        placeholder=t("filters.all"), key=f"{KEY}.{key}"))


def sidebar_filters() -> Filters:
    """The page's own filters (keys network.*): period, country side, institution type, topic, audience,
    age groups of agents; the programme is always the prevention network."""
    side = st.sidebar
    side.subheader(t("filters.header"))
    start, end = default_period()
    first, last = side.select_slider(t("filters.period"), options=YEARS, value=(start.year, end.year),
                                     key=f"{KEY}.period")
    chosen = side.radio(t("network.filters.side"), SIDES, horizontal=True, key=f"{KEY}.side",
                        format_func=lambda c: t("network.filters.both") if c == "both" else t(f"country.{c}"))
    types = _all(INSTITUTION_TYPES, "institution_type", "institution_types", "network.filters.institution_type")
    topics = _all(SESSION_TOPICS, "topic", "topics", "network.filters.topic")
    audiences = _all(SESSION_AUDIENCES, "audience", "audiences", "network.filters.audience")
    side.caption(t("network.filters.sessions_only"))
    bracket_set = side.selectbox(t("filters.age_set"), tuple(BRACKET_SETS),
                                 index=tuple(BRACKET_SETS).index(DEFAULT_BRACKET_SET),
                                 format_func=lambda c: t(f"age_set.{c}"), key=f"{KEY}.bracket_set")
    return Filters(start=dt.date(first, 1, 1), end=dt.date(last, 12, 31),
                   countries=() if chosen == "both" else (chosen,), programmes=("prevention_network",),
                   institution_types=types, topics=topics, audiences=audiences, bracket_set=bracket_set)


def intro(filters: Filters) -> None:
    st.markdown(t("network.intro", start=filters.start.year, end=filters.end.year))


def headline(agents: Reach, people: Reach, filters: Filters) -> None:
    """Agents trained, people sensitized and people reached per agent."""
    columns = st.columns(3)
    layout.headline_metric(columns[0], "agents_trained", agents.value, agents.is_suppressed,
                           t("network.agents.not_by_session") if filters.topics or filters.audiences else None)
    layout.headline_metric(columns[1], "people_sensitized", people.value, people.is_suppressed,
                           t("network.sensitized.caveat"))
    columns[2].metric(t("network.cascade.label"), _ratio(cascade_ratio(people, agents),
                                                         agents.is_suppressed or people.is_suppressed),
                      help=t("network.cascade.definition"))


def _unit_name(units: dict, country: str, code: str) -> str:
    return next((f["properties"]["name"] for f in units["features"]
                 if (f["properties"]["country"], f["properties"]["code"]) == (country, code)), code)


def _around(units_wanted: tuple[tuple[str, str], ...]) -> dict:
    wanted = set(units_wanted)
    features = [f for country in sorted({c for c, _ in wanted})
                for f in payload.map_geojson(country, "municipality")["features"]
                if (f["properties"]["country"], f["properties"]["code"]) in wanted]
    return {"type": "FeatureCollection", "features": features}


def binational_map(nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    """The border area (every institution in view) and a close-up of the two Desaguadero units, with the
    legends; the units drawn are the same whatever the filters."""
    lang = current_language()
    everyone = store.institutions()
    units = _around(store.units_around(everyone))
    hosts = set(zip(everyone["country"], everyone["municipality_code"]))
    departments = {"type": "FeatureCollection",
                   "features": [f for c in ("BOL", "PER") for f in payload.map_geojson(c, "department")["features"]]}
    tooltip = (f"<b>{{name}}</b><br/>{{type_label}} · {{country_label}}<br/>"
               f"{t('network.tooltip.agents')}: {{agents_label}}<br/>{t('network.tooltip.people')}: {{people_label}}")
    filled, outlines = charts.unit_features(units, lang), payload.region_outline_geojson()
    border = store.border_line()
    # Widths a little under the columns' on a laptop screen, so the framing holds on smaller ones too.
    area = payload.view_state_for_bounds(charts.bounds_of(everyone, units, charts.DESAGUADERO), width=540,
                                         height=MAP_HEIGHT, padding=0.06)
    desaguadero = everyone[[(c, k) in charts.DESAGUADERO
                            for c, k in zip(everyone["country"], everyone["municipality_code"])]]
    close = payload.view_state_for_bounds(charts.bounds_of(desaguadero, {"features": []}, set()), width=380,
                                          height=CLOSE_UP_HEIGHT, padding=0.12)
    close_labels = charts.close_up_labels(everyone, {
        c: f"{_unit_name(units, c, k)} ({t(f'country.{c}')})" for c, k in charts.DESAGUADERO})
    area_labels = charts.place_labels(everyone, {unit: _unit_name(units, *unit)
                                                 for unit in hosts - charts.DESAGUADERO})
    map_column, side_column = st.columns([3, 2])
    with map_column:
        st.pydeck_chart(charts.network_map(nodes, edges, outlines, departments, filled, border, area_labels, area,
                                           tooltip, lang),
                        height=MAP_HEIGHT, key="network_map")
    with side_column:
        st.markdown(f"**{t('network.map.close_up')}**")
        st.pydeck_chart(charts.network_map(nodes, edges, outlines, departments, filled, border, close_labels,
                                           close, tooltip, lang, point_pixels=8),
                        height=CLOSE_UP_HEIGHT, key="network_map_close_up")
        types, lines = charts.legend(lang)
        left, right = st.columns(2)
        with left:
            layout.map_legend(t("network.legend.types"), types)
        with right:
            layout.map_legend(t("network.legend.map"), lines)
    st.caption(t("network.map.caption"))


def network_metrics_row(metrics: NetworkMetrics) -> None:
    columns = st.columns(4)
    columns[0].metric(t("network.metric.institutions"), number(metrics.institutions),
                      help=t("network.metric.institutions.help"))
    columns[1].metric(t("network.metric.ties"), number(metrics.ties), help=t("network.metric.ties.help"))
    columns[2].metric(t("network.metric.cross_border"), number(metrics.cross_border_ties),
                      help=t("network.metric.cross_border.help"))
    columns[3].metric(t("network.metric.density"), "–" if metrics.density is None else share(metrics.density),
                      help=t("network.metric.density.help"))


def network_graph(nodes: pd.DataFrame, edges: pd.DataFrame, metrics: NetworkMetrics) -> None:
    """The network's metrics, the graph of institutions and ties, and the five most connected institutions."""
    lang = current_language()
    network_metrics_row(metrics)
    if len(set(nodes["country"])) < 2 and len(nodes):
        st.caption(t("network.one_side"))
    ranking = degree_ranking(nodes, edges, top=len(nodes))
    degrees = dict(zip(ranking["institution_id"], ranking["degree"]))
    graph_column, side_column = st.columns([5, 3])
    with graph_column:
        if nodes.empty:
            st.info(t("network.graph.empty"))
        else:
            figure = charts.network_graph(nodes, edges, graph_layout(nodes, edges), degrees, lang)
            st.plotly_chart(figure, width="stretch", key="network_graph")
        st.caption(t("network.graph.caption"))
    with side_column:
        st.markdown(f"**{t('network.top.title')}**")
        top = ranking.head(5)
        degree, name = t("network.column.degree"), t("network.column.institution")
        st.dataframe(pd.DataFrame({degree: [number(d) for d in top["degree"]], name: top["name"]}),
                     hide_index=True, width="stretch",
                     column_config={degree: st.column_config.TextColumn(width="small")})
        st.caption(t("network.top.caption"))


def _ratio(value: float | None, protected: bool) -> str:
    """A ratio with one decimal; '·' when a count it divides is protected, '–' when there is none (no agent)."""
    if value is None:
        return i18n.SUPPRESSED_MARK if protected else "–"
    return number(value, 1)


def _count(value: object, suppressed: bool) -> str:
    return i18n.SUPPRESSED_MARK if suppressed or pd.isna(value) else number(value)


def by_country(agents: Reach, people: Reach, filters: Filters) -> None:
    """Agents, people sensitized and people per agent on each side of the border shown."""
    rows = side_by_side(agents.breakdowns["country"], people.breakdowns["country"], ["country"])
    rows = rows[rows["country"].isin(filters.countries or SIDES[1:])]
    ratios = [people_per_agent(a, sa, p, sp) for a, sa, p, sp in zip(rows["agents"], rows["agents_suppressed"],
                                                                     rows["people"], rows["people_suppressed"])]
    st.dataframe(pd.DataFrame({
        t("chart.country"): [t(f"country.{c}") for c in rows["country"]],
        t("network.column.agents"): [_count(v, s) for v, s in zip(rows["agents"], rows["agents_suppressed"])],
        t("network.column.people"): [_count(v, s) for v, s in zip(rows["people"], rows["people_suppressed"])],
        t("network.column.ratio"): [_ratio(r, sa or sp) for r, sa, sp in zip(ratios, rows["agents_suppressed"],
                                                                          rows["people_suppressed"])],
    }), hide_index=True, width="stretch")


def reach(agents: Reach, people: Reach, filters: Filters) -> None:
    """Reach by country, over time, by municipality, by sex and age group, by topic and audience."""
    lang = current_language()
    st.header(t("network.reach.title"))
    left, right = st.columns([2, 3])
    with left:
        st.subheader(t("network.reach.by_country"))
        by_country(agents, people, filters)
        st.caption(t("network.cascade.definition"))
    with right:
        st.subheader(t("network.reach.cumulative"))
        st.plotly_chart(charts.cumulative_chart(agents.cumulative, people.cumulative, lang), width="stretch",
                        key="network_cumulative")
        st.caption(t("network.reach.cumulative.caption"))
    st.subheader(t("network.reach.by_municipality"))
    units = municipality_reach(agents.breakdowns["municipality"], people.breakdowns["municipality"])
    if units.empty:
        st.caption(t("network.reach.none"))
    else:
        st.plotly_chart(charts.municipality_bars(units, lang), width="stretch", key="network_municipalities")
    left, right = st.columns(2)
    with left:
        st.subheader(t("network.reach.agents_sex_age"))
        st.plotly_chart(charts.sex_age_bars(agents.breakdowns["sex_age"], "age_group",
                                            age_group_codes(filters.bracket_set), lang),
                        width="stretch", key="network_agents_sex_age")
        if filters.topics or filters.audiences:
            st.caption(t("network.agents.not_by_session"))
    with right:
        st.subheader(t("network.reach.people_sex_age"))
        st.plotly_chart(charts.sex_age_bars(people.breakdowns["sex_age"], "attendance_age_group",
                                            list(ATTENDANCE_AGE_GROUPS), lang, "network.chart.attendances"),
                        width="stretch", key="network_people_sex_age")
        st.caption(t("network.reach.attendance_ages"))
    left, right = st.columns(2)
    with left:
        st.subheader(t("network.reach.by_topic"))
        st.plotly_chart(charts.category_bars(people.breakdowns["topic"], "topic", lang), width="stretch",
                        key="network_topics")
    with right:
        st.subheader(t("network.reach.by_audience"))
        st.plotly_chart(charts.category_bars(people.breakdowns["audience"], "audience", lang, charts.PRIMARY),
                        width="stretch", key="network_audiences")


def institutions_table(nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Every institution shown with its agents, people reached and partners (expander)."""
    ranking = degree_ranking(nodes, edges, top=len(nodes))
    degrees = dict(zip(ranking["institution_id"], ranking["degree"]))
    with st.expander(t("network.institutions.table")):
        st.dataframe(pd.DataFrame({
            t("network.column.institution"): nodes["name"],
            t("network.column.type"): [t(f"institution_type.{c}") for c in nodes["type"]],
            t("chart.country"): [t(f"country.{c}") for c in nodes["country"]],
            t("indicator.agents_trained.label"): [_count(v, s) for v, s in zip(nodes["agents"],
                                                                               nodes["agents_suppressed"])],
            t("indicator.people_sensitized.label"): [_count(v, s) for v, s in zip(nodes["people"],
                                                                                   nodes["people_suppressed"])],
            t("network.column.degree"): [number(degrees.get(i, 0)) for i in nodes["institution_id"]],
        }), hide_index=True, width="stretch")


def with_reach(nodes: pd.DataFrame, agents: Reach, people: Reach) -> pd.DataFrame:
    return institution_reach(nodes, agents.breakdowns["institution"], people.breakdowns["institution"])


def definitions() -> None:
    with st.expander(t("network.definitions.title")):
        st.markdown(t("network.definitions.body"))
