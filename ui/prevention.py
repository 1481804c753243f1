"""Pieces of the Prevention network page: the sections that lay out the network
(map, graph, metrics) and its protected reach (agents trained, people sensitized)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

import i18n
from charts import network as charts
from data_loaders.schemas import ATTENDANCE_AGE_GROUPS
from exports import network_tables
from exports.page_tables import PageTable
from exports.tables import TableNotes
from geo import payload
from indicators.age_groups import DEFAULT_BRACKET_SET, age_group_codes
from indicators.filter_specs import SIDES
from indicators.filters import Filters
from indicators.network import NetworkMetrics, Reach, cascade_ratio, degree_ranking, graph_layout, \
    institution_reach, municipality_reach, ratio_hidden, side_by_side
from store import network as store
from ui import layout, page_exports, presentation
from ui import network_headlines as headlines
from ui.exports import chart_downloads
from ui.language import current_language, labels, number, share, t
from ui.memo import built
from ui.tables import dataframe as table_view

KEY = "network"
MAP_HEIGHT = 600
CLOSE_UP_HEIGHT = 330


def intro(filters: Filters) -> None:
    st.markdown(t("network.intro", start=filters.start.year, end=filters.end.year))


def period(filters: Filters) -> str:
    """'2023–2024', or '2024' for one year."""
    first, last = filters.start.year, filters.end.year
    return str(first) if first == last else f"{first}–{last}"


def headline(agents: Reach, people: Reach, filters: Filters) -> None:
    """One sentence, then agents trained, people sensitized and people reached per agent."""
    presentation.headline(headlines.reach(agents, people, period(filters)))
    columns = st.columns(3)
    layout.headline_metric(columns[0], "agents_trained", agents.value, agents.is_suppressed, hidden=agents.hidden)
    layout.headline_metric(columns[1], "people_sensitized", people.value, people.is_suppressed,
                           t("network.sensitized.caveat"), hidden=people.hidden)
    columns[2].metric(t("network.cascade.label"), _ratio(cascade_ratio(people, agents), ratio_hidden(
        (agents.is_suppressed, agents.hidden), (people.is_suppressed, people.hidden))),
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


@dataclasses.dataclass(frozen=True)
class _NetworkMaps:
    """The border area and the Desaguadero close-up as drawn (decks) and as their PNG/SVG (static builders)."""
    area: object
    close_up: object
    area_static: object  # () -> go.Figure, built on a download click
    close_up_static: object


def _network_maps(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str) -> _NetworkMaps:
    """Both maps of the shown network, built once per network, language and data version (`ui.memo.built`
    keys on the data version too: the geometry and the deck JSON were rebuilt on every run)."""
    everyone = store.institutions()
    units = _around(store.units_around(everyone))
    hosts = set(zip(everyone["country"], everyone["municipality_code"]))
    departments = {"type": "FeatureCollection",
                   "features": [f for c in ("BOL", "PER") for f in payload.map_geojson(c, "department")["features"]]}
    tooltip = (f"<b>{{name}}</b><br/>{{type_label}} · {{country_label}}<br/>"
               f"{t('network.tooltip.agents')}: {{agents_label}}<br/>{t('indicator.people_sensitized.label')}: {{people_label}}")
    filled, outlines = charts.unit_features(units, lang), payload.region_outline_geojson()
    border = store.border_line()
    # Widths a little under the columns' on a laptop screen, so the framing holds on smaller ones too.
    area_bounds = charts.bounds_of(everyone, units, charts.DESAGUADERO)
    area = payload.view_state_for_bounds(area_bounds, width=540, height=MAP_HEIGHT, padding=0.06)
    desaguadero = everyone[[(c, k) in charts.DESAGUADERO
                            for c, k in zip(everyone["country"], everyone["municipality_code"])]]
    close_bounds = charts.bounds_of(desaguadero, {"features": []}, set())
    close = payload.view_state_for_bounds(close_bounds, width=380, height=CLOSE_UP_HEIGHT, padding=0.12)
    close_labels = charts.close_up_labels(everyone, {
        c: f"{_unit_name(units, c, k)} ({t(f'country.{c}')})" for c, k in charts.DESAGUADERO})
    area_labels = charts.spread_labels(charts.place_labels(everyone, {unit: _unit_name(units, *unit)
                                                                      for unit in hosts - charts.DESAGUADERO}),
                                       area["zoom"])
    layers = (outlines, departments, filled, border)
    title, close_title = t("network.export.static_map"), t("network.export.static_close_up")
    return _NetworkMaps(
        area=charts.network_map(nodes, edges, payload.region_outline_geojson(area), departments, filled, border,
                                area_labels, area, tooltip, lang),
        close_up=charts.network_map(nodes, edges, payload.region_outline_geojson(close), departments, filled, border,
                                    close_labels, close, tooltip, lang, point_pixels=8),
        area_static=lambda: charts.static_network_map(nodes, edges, *layers, area_labels, area_bounds, lang,
                                                      title=title),
        close_up_static=lambda: charts.static_network_map(nodes, edges, *layers, close_labels,
                                                          _widened(close_bounds), lang, marker_size=16,
                                                          title=close_title))


def binational_map(nodes: pd.DataFrame, edges: pd.DataFrame, metrics: NetworkMetrics) -> None:
    """The border area (every institution in view) and a close-up of the two Desaguadero units, with the
    legends, each with its sentence and PNG/SVG of the same map drawn as a static figure; the units drawn
    are the same whatever the filters."""
    lang = current_language()
    maps = built(_network_maps, nodes, edges, lang)
    data_date = layout.data_date()
    presentation.headline(headlines.network_map(metrics, sorted(set(nodes["country"]))))
    map_column, side_column = st.columns([3, 2])
    with map_column:
        st.pydeck_chart(maps.area, height=MAP_HEIGHT, key="network_map")
        chart_downloads(maps.area_static, "prevention_network_map", key=f"{KEY}.export.map")
        presentation.source_line(data_date)
    with side_column:
        st.markdown(f"**{t('network.map.close_up')}**")
        presentation.headline(headlines.close_up(nodes, edges, charts.DESAGUADERO))
        st.pydeck_chart(maps.close_up, height=CLOSE_UP_HEIGHT, key="network_map_close_up")
        chart_downloads(maps.close_up_static, "prevention_network_desaguadero", key=f"{KEY}.export.close_up")
        presentation.source_line(data_date)
        types, lines = charts.legend(lang)
        left, right = st.columns(2)
        with left:
            layout.map_legend(t("network.legend.types"), types)
        with right:
            layout.map_legend(t("network.legend.map"), lines)
    st.caption(t("network.map.caption"))
    presentation.instruction(t("network.map.hover"))


def _widened(bounds: tuple[float, float, float, float], margin: float = 0.15) -> tuple[float, float, float, float]:
    """Bounds with `margin` (fraction of their size) more on every side: room for the close-up's labels."""
    west, south, east, north = bounds
    dx, dy = (east - west) * margin, (north - south) * margin
    return west - dx, south - dy * 2, east + dx, north + dy


def network_metrics_row(metrics: NetworkMetrics) -> None:
    columns = st.columns(4)
    columns[0].metric(t("network.metric.institutions"), number(metrics.institutions),
                      help=t("network.metric.institutions.help"))
    columns[1].metric(t("network.metric.ties"), number(metrics.ties), help=t("network.metric.ties.help"))
    columns[2].metric(t("network.metric.cross_border"), number(metrics.cross_border_ties),
                      help=t("network.metric.cross_border.help"))
    columns[3].metric(t("network.metric.density"), "–" if metrics.density is None else share(metrics.density),
                      help=t("network.metric.density.help"))


def _graph_figure(nodes: pd.DataFrame, edges: pd.DataFrame, degrees: dict, lang: str):
    return charts.network_graph(nodes, edges, graph_layout(nodes, edges), degrees, lang)


def network_graph(nodes: pd.DataFrame, edges: pd.DataFrame, metrics: NetworkMetrics) -> None:
    """The network's metrics, the graph of institutions and ties, and the five most connected institutions."""
    lang = current_language()
    network_metrics_row(metrics)
    if len(set(nodes["country"])) < 2 and len(nodes):
        st.caption(t("network.one_side"))
    ranking = built(degree_ranking, nodes, edges, top=len(nodes))
    degrees = dict(zip(ranking["institution_id"], ranking["degree"]))
    presentation.headline(headlines.graph(ranking))
    graph_column, side_column = st.columns([5, 3])
    with graph_column:
        if nodes.empty:
            st.info(t("network.graph.empty"))
        else:
            figure = built(_graph_figure, nodes, edges, degrees, lang)
            presentation.chart(figure, width="stretch", key="network_graph")
            chart_downloads(figure, "prevention_network_graph", key=f"{KEY}.export.graph")
            presentation.source_line(layout.data_date())
        st.caption(t("network.graph.caption"))
    with side_column:
        st.markdown(f"**{t('network.top.title')}**")
        top = network_tables.most_connected(ranking, lang)
        # A static table: long institution names wrap instead of being cut.
        st.table(shown(top), hide_index=True)
        st.caption(t("network.top.caption"))
        _downloads(top, "prevention_network_most_connected", _notes(t("network.top.title"), degree=True), "top")


def shown(table: PageTable) -> pd.DataFrame:
    """An export frame as the page shows it: headers in the page's language, counts formatted, hidden ones read
    as their kind, as the files read them (numbers written with the language's separators; texts as they are)."""
    columns = {}
    kinds = table.frame.attrs.get("hidden", {})
    for column in table.frame.columns:
        values = table.frame[column]
        if pd.api.types.is_integer_dtype(values):
            columns[table.headers[column]] = [i18n.format_count(v, current_language(), k) for v, k in zip(
                values, kinds.get(column, [None] * len(values)))]
        else:
            columns[table.headers[column]] = [number(v, 1) if isinstance(v, float) else v for v in values]
    return pd.DataFrame(columns)


def _downloads(table: PageTable, name: str, notes: TableNotes, part: str) -> None:
    """CSV / Excel (and the HXL box) under a table; none when presenting (nothing to download on a projector)."""
    if not presentation.is_on():
        page_exports.downloads(table, name, notes, key=f"{KEY}.export.{part}")


def _notes(title: str, degree: bool = False) -> TableNotes:
    """Definitions of agents trained, people sensitized and the cascade ratio (and degree), source, data date."""
    notes = page_exports.notes(title, "agents_trained", "people_sensitized")
    extra = ((t("network.cascade.label"), t("network.cascade.definition")),)
    if degree:
        extra += ((t("network.column.degree"), t("network.top.caption")),)
    return dataclasses.replace(notes, definitions=notes.definitions + extra)


def _ratio(value: float | None, hidden: str | None) -> str:
    """A ratio with one decimal; the reading of its kind of hidden when a count it divides is hidden
    (`indicators.network.ratio_hidden`), '–' when there is none (no agent)."""
    if value is None:
        return "–" if hidden is None else i18n.hidden_mark(hidden, current_language())
    return number(value, 1)


def by_country(agents: Reach, people: Reach, filters: Filters) -> None:
    """Agents, people sensitized and people per agent on each side of the border shown, with its files."""
    rows = side_by_side(agents.breakdowns["country"], people.breakdowns["country"], ["country"])
    table = network_tables.by_country(rows[rows["country"].isin(filters.countries or SIDES[1:])],
                                      current_language())
    table_view(shown(table), hide_index=True, width="stretch")
    _downloads(table, "prevention_network_by_country", _notes(t("network.export.notes.by_country")), "by_country")


def _chart(figure, name: str, key: str, sentence: str) -> None:
    """A reach chart with its sentence above, and its downloads and source line under it."""
    presentation.headline(sentence)
    presentation.chart(figure, width="stretch", key=key)
    chart_downloads(figure, name, key=f"{KEY}.export.{key.removeprefix('network_')}")
    presentation.source_line(layout.data_date())


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
        _chart(built(charts.cumulative_chart, agents.cumulative, people.cumulative, lang),
               "prevention_network_cumulative",
               "network_cumulative", headlines.cumulative(agents.cumulative, people.cumulative))
        st.caption(t("network.reach.cumulative.caption"))
    st.subheader(t("network.reach.by_municipality"))
    units = built(municipality_reach, agents.breakdowns["municipality"], people.breakdowns["municipality"])
    if units.empty:
        st.caption(t("network.reach.none"))
    elif not layout.withheld_note(pd.concat([agents.breakdowns["municipality"], people.breakdowns["municipality"]])):
        _chart(built(charts.municipality_bars, units, lang), "prevention_network_by_municipality",
               "network_municipalities",
               headlines.municipalities(units))
    left, right = st.columns(2)
    with left:
        st.subheader(t("network.reach.agents_sex_age"))
        frame = agents.breakdowns["sex_age"]
        if not layout.withheld_note(frame):
            _chart(built(charts.sex_age_bars, frame, "age_group", age_group_codes(DEFAULT_BRACKET_SET), lang),
                   "prevention_agents_by_sex_age", "network_agents_sex_age",
                   headlines.sex_age(frame, "age_group", "agents"))
    with right:
        st.subheader(t("network.reach.people_sex_age"))
        frame = people.breakdowns["sex_age"]
        if not layout.withheld_note(frame):
            _chart(built(charts.sex_age_bars, frame, "attendance_age_group", list(ATTENDANCE_AGE_GROUPS), lang,
                                       "network.chart.attendances"),
                   "prevention_attendances_by_sex_age", "network_people_sex_age",
                   headlines.sex_age(frame, "attendance_age_group", "people"))
            st.caption(t("network.reach.attendance_ages"))
    left, right = st.columns(2)
    with left:
        st.subheader(t("network.reach.by_topic"))
        if not layout.withheld_note(people.breakdowns["topic"]):
            _chart(built(charts.category_bars, people.breakdowns["topic"], "topic", lang),
                   "prevention_attendances_by_topic",
                   "network_topics", headlines.category(people.breakdowns["topic"], "topic"))
    with right:
        st.subheader(t("network.reach.by_audience"))
        if not layout.withheld_note(people.breakdowns["audience"]):
            _chart(built(charts.category_bars, people.breakdowns["audience"], "audience", lang, charts.PRIMARY),
                   "prevention_attendances_by_audience", "network_audiences",
                   headlines.category(people.breakdowns["audience"], "audience"))


def institutions_table(nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Every institution shown with its agents, people reached and partners (expander), with its files."""
    ranking = built(degree_ranking, nodes, edges, top=len(nodes))
    table = network_tables.institutions(nodes, dict(zip(ranking["institution_id"], ranking["degree"])),
                                        current_language())
    with st.expander(t("network.institutions.table")):
        table_view(shown(table), hide_index=True, width="stretch")
        _downloads(table, "prevention_network_institutions", _notes(t("network.institutions.table"), degree=True),
                   "institutions")


def with_reach(nodes: pd.DataFrame, agents: Reach, people: Reach) -> pd.DataFrame:
    return institution_reach(nodes, agents.breakdowns["institution"], people.breakdowns["institution"])


def definitions() -> None:
    with st.expander(t("network.definitions.title")):
        st.markdown(t("network.definitions.body"))
