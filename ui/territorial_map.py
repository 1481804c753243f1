"""Widgets, state and panels of the territorial map page: the view lives in the session and in the link."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import geo.payload as payload
import i18n
from charts import map_details, maps
from charts.static_maps import choropleth_figure
from data_loaders.schemas import COUNTRIES
from geo.units import territorial_units
from indicators import map_views
from indicators.filters import Filters
from indicators.map_views import MapView
from indicators.scope import ScopeLike
from store import cached
from ui import layout, page_exports, presentation
from ui.exports import chart_downloads, table_downloads
from ui.language import current_language, labels, number, share, t
from ui.maps import MAP_PIXELS
from ui.tables import dataframe as table_view

VIEW_KEY = "tmap.view"
LINK_READ_KEY = "tmap.link_read"
REGION = ""  # the country selector's option for the whole region (None reads as "no choice" in a selectbox)
WIDGETS = {"indicator": "tmap.indicator", "country": "tmap.country", "level": "tmap.level"}


# --- state: session first, mirrored in the link ---------------------------------------------

def current_view() -> MapView:
    """The view of this session; a shared link decides on the page's first run in the session."""
    if LINK_READ_KEY not in st.session_state:
        st.session_state[LINK_READ_KEY] = True
        params = {key: st.query_params.get(key) for key in map_views.QUERY_KEYS.values()}
        if any(params.values()):
            st.session_state[VIEW_KEY] = map_views.view_from_query(params)
    view = map_views.clean_view(st.session_state.get(VIEW_KEY, MapView()))
    st.session_state[VIEW_KEY] = view
    return view


def mirror_in_link(view: MapView) -> None:
    """Keep ?pais=&departamento=… in the URL so that the link reproduces the view."""
    wanted = map_views.view_to_query(view)
    for key in map_views.QUERY_KEYS.values():
        if key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]


def set_view(view: MapView) -> None:
    """Callback target: a new view (from a click, the breadcrumb or a widget)."""
    st.session_state[VIEW_KEY] = map_views.clean_view(view)


def _from_widget(part: str) -> None:
    view = st.session_state[VIEW_KEY]
    value = st.session_state[WIDGETS[part]]
    if part == "indicator":
        set_view(view.with_(indicator=value))
    elif part == "country":
        set_view(view.with_(country=value or None, department=None, selected=None))
    else:
        set_view(view.with_(level=value, department=None, selected=None))


def view_controls(view: MapView, filters: Filters) -> MapView:
    """Indicator, country (or region) and level selectors, kept in step with the view."""
    countries = [REGION] + [c for c in COUNTRIES if not filters.countries or c in filters.countries]
    if (view.country or REGION) not in countries:
        view = view.with_(country=None, department=None, selected=None)
        set_view(view)
    levels = map_views.levels_for(view.country)
    st.session_state[WIDGETS["indicator"]] = view.indicator
    st.session_state[WIDGETS["country"]] = view.country or REGION
    # the level drawn, not the one chosen: a drilled department shows municipalities, so the radio says so
    st.session_state[WIDGETS["level"]] = view.map_level if view.map_level in levels else levels[0]
    first, second, third = st.columns([2, 1, 1])
    first.selectbox(t("tmap.control.indicator"), map_views.territorial_indicators(),
                    format_func=labels("indicator", ".label"), key=WIDGETS["indicator"],
                    on_change=_from_widget, args=("indicator",))
    second.selectbox(t("tmap.control.country"), countries,
                     format_func={c: t("tmap.region") if c == REGION else t(f"country.{c}") for c in countries}.get,
                     key=WIDGETS["country"], on_change=_from_widget, args=("country",))
    third.radio(t("tmap.control.level"), levels, format_func=labels("tmap.level"), horizontal=True,
                key=WIDGETS["level"], on_change=_from_widget, args=("level",),
                help=t("tmap.control.level_help"))
    return st.session_state[VIEW_KEY]


# --- breadcrumb --------------------------------------------------------------------------------

def unit_name(country: str, level: str, code: str) -> str:
    units = territorial_units()
    match = units[(units["country"] == country) & (units["level"] == level) & (units["code"] == code)]
    return match["name"].iloc[0] if len(match) else code


def _part_label(part: str, view: MapView) -> str:
    if part == "region":
        return t("tmap.region")
    if part in COUNTRIES:
        return t(f"country.{part}")
    kind, code = part.split(":", 1)
    level = "department" if kind == "department" else view.map_level
    return unit_name(view.country or code.split("-")[0], level, code.split("-")[-1])


def breadcrumb(view: MapView) -> None:
    """Region › country › department (› unit): every part but the last goes back up."""
    row = st.container(horizontal=True, vertical_alignment="center", key="tmap_breadcrumb")
    parts = map_views.breadcrumb(view)
    for index, (part, target) in enumerate(parts):
        if index:
            row.markdown("›")
        label = _part_label(part, view)
        if target is None:
            row.markdown(f"**{label}**")
        else:
            row.button(label, key=f"tmap.crumb.{part}", type="tertiary", on_click=set_view, args=(target,))


# --- figures -------------------------------------------------------------------------------------

def map_values(indicator_id: str, filters: Filters, level: str, scope: ScopeLike) -> pd.DataFrame:
    """Per-unit values (named, ranked) from the cached indicator layer.

    Counts: the units and their total are protected together (cached.linked); shares come
    from cached.indicator (value is a fraction, with numerator and denominator).
    """
    if map_views.is_share(indicator_id):
        frame = cached.indicator(indicator_id, filters, (level,), scope=scope)
    else:
        _, (frame,) = cached.linked(indicator_id, filters, ((level,),), scope=scope)
    return map_views.with_ranks(map_views.named_units(frame, level))


def view_values(view: MapView, filters: Filters, scope: ScopeLike) -> tuple[pd.DataFrame, pd.Series | None]:
    """(units drawn, the drilled department's row one level up, if any)."""
    units = map_values(view.indicator, map_views.map_filters(filters, view), view.map_level, scope)
    if not (view.department and view.country):
        return units, None
    parents = map_values(view.indicator, map_views.map_filters(filters, view.with_(department=None, level="department")),
                         "department", scope)
    parent = map_views.unit_row(parents, view.country, view.department)
    if view.map_level == "municipality":
        parent_suppressed = parent is not None and bool(parent["suppressed"])
        hidden = units["hidden"].where(units["suppressed"].astype(bool), i18n.WITHHELD if parent_suppressed else None)
        units = map_views.with_ranks(map_views.protected_by_parent(units, parent_suppressed).assign(hidden=hidden))
    return units, parent


def formatter(indicator_id: str):
    return share if map_views.is_share(indicator_id) else number


# --- the map -------------------------------------------------------------------------------------

def _map_geojson(view: MapView) -> dict:
    units = payload.map_geojson(view.country, view.map_level)
    if view.map_level == "municipality" and view.department:
        units = {"type": "FeatureCollection",
                 "features": [f for f in units["features"] if f["properties"]["department_code"] == view.department]}
    return units


def _view_state(view: MapView, units: pd.DataFrame | None = None) -> dict:
    """Fit the territory shown: a drilled department, the chosen country, or (region) the units with data
    (`units`, the map's rows; all units when not given)."""
    if view.country is None:
        layer = {(f["properties"]["country"], f["properties"]["code"])
                 for f in payload.map_geojson(None, view.map_level)["features"]}
        rows = zip(units["country"], units["code"]) if units is not None else ()
        ids = [f"{c}-{code}" for c, code in rows if (c, code) in layer]
        return payload.view_state_for(None, view.map_level, ids or None, **MAP_PIXELS)
    if view.map_level == "municipality" and view.department:
        codes = [c for c in territorial_units().query("country == @view.country and level == 'municipality' "
                                                      "and department_code == @view.department")["code"]]
        layer_codes = {f["properties"]["code"] for f in payload.map_geojson(view.country, "municipality")["features"]}
        return payload.view_state_for(view.country, "municipality", [c for c in codes if c in layer_codes],
                                      **MAP_PIXELS)
    return payload.view_state_for(view.country, view.map_level, **MAP_PIXELS)


def view_title(view: MapView) -> str:
    """'<indicator> by <level> · <place>': the title of the map's exported image."""
    parts = [part for part, _ in map_views.breadcrumb(view) if not part.startswith("unit:")]
    return t("page_exports.map_title", indicator=t(f"indicator.{view.indicator}.label"),
             level=t(f"page_exports.level.{view.map_level}"), place=_part_label(parts[-1], view))


def build_deck(view: MapView, units: pd.DataFrame):
    """(deck, legend items, static figure builder) for `view`: geometry from the cached payload, values and
    labels from `units`; the static figure (same fills and legend), built when asked for, is what the PNG/SVG
    downloads render."""
    labels = layout.map_labels()
    fmt = formatter(view.indicator)
    classes = maps.classify(units["value"], fmt, labels)
    features = map_details.unit_features(_map_geojson(view), units, classes.breaks, labels, fmt, view.selected)
    countries = (view.country,) if view.country else tuple({f["properties"]["country"] for f in features["features"]})
    centroids = pd.concat([payload.centroids(c, view.map_level).assign(country=c) for c in countries],
                          ignore_index=True)
    markers = map_details.protected_markers(features, centroids)
    tooltip = (f"<b>{{name}}</b><br/>{t('tmap.tooltip.department')}: {{department_label}}<br/>"
               f"{t(f'indicator.{view.indicator}.label')}: {{value_label}}<br/>{t('tmap.tooltip.rank')}: {{rank_label}}")
    view_state = _view_state(view, units)
    deck = map_details.territorial_deck(features, payload.region_outline_geojson(view_state), markers, view_state,
                                        tooltip)
    legend_title, title = t(f"indicator.{view.indicator}.label"), view_title(view)
    return deck, classes.legend, lambda: choropleth_figure(features, payload.region_outline_geojson(), classes.legend,
                                                           legend_title, title)


def empty_sentence(view: MapView) -> str:
    """What the page says instead of a blank map and table when no unit of the view has data."""
    place = _part_label([part for part, _ in map_views.breadcrumb(view) if not part.startswith("unit:")][-1], view)
    return t("tmap.empty", place=place, indicator=t(f"indicator.{view.indicator}.label"))


def _on_map_select(map_key: str) -> None:
    view = st.session_state[VIEW_KEY]
    selection = (st.session_state.get(map_key) or {}).get("selection") or {}
    objects = (selection.get("objects") or {}).get(map_details.UNITS_LAYER) or []
    if not objects:
        set_view(view.with_(selected=None))
        return
    picked = objects[0]
    set_view(map_views.select_unit(view, picked.get("properties", picked)))


def map_key(view: MapView) -> str:
    return f"tmap.map.{view.country}.{view.department}.{view.map_level}"


def show_map(view: MapView, units: pd.DataFrame) -> list:
    """Draw the map (a click selects a unit); return its legend items for the side column."""
    deck, legend, figure = build_deck(view, units)
    key = map_key(view)
    st.pydeck_chart(deck, height=540, key=key, on_select=partial(_on_map_select, key),
                    selection_mode="single-object")
    presentation.instruction(t("tmap.click_hint"))
    chart_downloads(figure, _file_stem(view), key="tmap.export.map")
    return legend


# --- side panel ----------------------------------------------------------------------------------

def unit_panel(view: MapView, units: pd.DataFrame, parent: pd.Series | None, filters: Filters,
               scope: ScopeLike) -> None:
    """The selected unit's figure, rank and sex × age group table (protected with the unit's total)."""
    unit = view.panel_unit
    if unit is None:
        presentation.instruction(t("tmap.panel.hint"), st.info)
        return
    country, level, code = unit
    row = parent if level == "department" and view.map_level == "municipality" else \
        map_views.unit_row(units, country, code)
    names = territorial_units()
    info = names[(names["country"] == country) & (names["level"] == level) & (names["code"] == code)]
    st.subheader(unit_name(country, level, code))
    where = t(f"country.{country}") if level == "department" else \
        f"{info['department_name'].iloc[0] if len(info) else ''}, {t(f'country.{country}')}"
    st.caption(f"{t(f'tmap.level.{level}.one')} · {where}")
    label = t(f"indicator.{view.indicator}.label")
    if row is None:
        st.metric(label, "–")
        st.caption(t("tmap.panel.no_data"))
        return
    if bool(row["suppressed"]):
        kind = row.get("hidden")
        st.metric(label, i18n.hidden_mark(kind, current_language()), help=i18n.hidden_reason(kind, current_language()))
        st.caption(t("tmap.panel.protected"))
        return
    st.metric(label, formatter(view.indicator)(row["value"]))
    if map_views.is_share(view.indicator):
        parts = {part: i18n.format_count(row[part], current_language(), row.get(f"{part}_hidden"))
                 for part in ("numerator", "denominator")}
        st.caption(t("tmap.panel.share_parts", **parts))
    if not pd.isna(row.get("rank")) and level == view.map_level:
        st.caption(t("tmap.panel.rank", rank=int(row["rank"]), total=int(units["rank"].notna().sum())))
    _sex_age(view, filters, scope, country, level, code)


def _sex_age(view: MapView, filters: Filters, scope: ScopeLike, country: str, level: str, code: str) -> None:
    from charts.map_details import sex_age_table
    from charts.tables import shown_counts
    from indicators.age_groups import age_group_codes
    from data_loaders.schemas import ATTENDANCE_AGE_GROUPS

    base = map_views.panel_indicator(view.indicator)
    breakdown = map_views.panel_breakdown(view.indicator)
    total, (cells,) = cached.linked(base, map_views.unit_filters(filters, country, level, code), (breakdown,),
                                    scope=scope)
    ages = list(ATTENDANCE_AGE_GROUPS) if breakdown[1] == "attendance_age_group" else \
        age_group_codes(filters.bracket_set)
    st.markdown(f"**{t('tmap.panel.by_sex_age', indicator=t(f'indicator.{base}.label'))}**")
    table_view(sex_age_table(cells, breakdown[1], ages, current_language(), t("chart.sex")), width="stretch",
               key="tmap.panel.table")
    shown_total = shown_counts(total, current_language())[0]
    st.caption(t("tmap.panel.total", total=shown_total))
    layout.hidden_caption(cells, total)


# --- the table and its export ------------------------------------------------------------------

def table_headers(indicator_id: str) -> dict[str, str]:
    """Column titles of the map's table (canonical column -> title in the page's language)."""
    headers = {"country": t("chart.country"), "department_name": t("tmap.table.department"),
               "code": t("tmap.table.code"), "name": t("tmap.table.name"),
               "value": t(f"indicator.{indicator_id}.label"), "rank": t("tmap.table.rank")}
    for part in ("numerator", "denominator"):
        key = f"indicator.{indicator_id}.{part}"
        headers[part] = t(key) if i18n.has_message(key, current_language()) else t(f"tmap.table.{part}")
    return headers


def _file_stem(view: MapView) -> str:
    """people_served_GTM_13_municipality: what the files of this view are called."""
    department = f"_{view.department}" if view.department else ""
    return f"{view.indicator}_{view.country or 'region'}{department}_{view.map_level}"


def shown_table(table: pd.DataFrame, headers: dict[str, str], share_indicator: bool) -> pd.DataFrame:
    """The map's table as the page shows it: country names, formatted figures, hidden ones read as their
    kind (the kinds `table` carries through `exports.tables.with_hidden`, as its files do; a hidden unit's
    missing rank reads as not published, as in its files)."""
    lang = current_language()
    value_format = (lambda v: i18n.format_share(v, lang)) if share_indicator else (lambda v: i18n.format_number(v, lang))
    kinds = table.attrs.get("hidden", {})

    def read(column: str, fmt) -> list:
        given = kinds.get(column, [None] * len(table))
        return [i18n.hidden_mark(kind, lang) if pd.isna(v) else fmt(v) for v, kind in zip(table[column], given)]

    shown = table.assign(country=[t(f"country.{c}") for c in table["country"]],
                         value=pd.Series(read("value", value_format), index=table.index, dtype=object))
    for column in ("numerator", "denominator", "rank"):
        if column in shown:
            shown[column] = pd.Series(read(column, lambda v: i18n.format_number(v, lang)), index=table.index,
                                      dtype=object)
    return shown.rename(columns=headers)


def units_table(view: MapView, units: pd.DataFrame) -> None:
    """The map's numbers as a sortable table, with its CSV and Excel downloads (the same rows and columns)."""
    headers = table_headers(view.indicator)
    share_indicator = map_views.is_share(view.indicator)
    table = map_views.table_frame(units, share_indicator)
    numbers = table[[c for c in ("value", "numerator", "denominator", "rank") if c in table]].rename(columns=headers)
    table_view(shown_table(table, headers, share_indicator), numbers, width="stretch", hide_index=True, key="tmap.table")
    title = f"{t('tmap.table.title')}: {view_title(view)}"
    definitions = dict.fromkeys((map_views.panel_indicator(view.indicator), view.indicator))
    table_downloads(table, _file_stem(view), page_exports.notes(title, *definitions), headers=headers,
                    indicator=view.indicator, level=view.map_level, key="tmap.export.table")
    st.caption(t("tmap.table.note"))
    presentation.instruction(t("tmap.table.sort_hint"))
    layout.hidden_caption(units)
