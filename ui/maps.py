"""The people-served choropleth with its legend, for the whole region or a territorial user's units."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import geo.payload as payload
from charts import maps
from charts.static_maps import choropleth_figure
from data_loaders.schemas import COUNTRIES
from geo.units import has_layer
from indicators.scope import ScopeLike
from indicators.territory import with_unit_names
from ui import layout
from ui.language import number, t
from ui.memo import built


def map_extent(scope: ScopeLike) -> tuple[str | None, str, list[str] | None]:
    """(country, level, codes to draw): all departments, or a territorial user's own units only."""
    if not scope.is_territorial:
        return None, "department", None
    country = scope.municipalities[0][0]
    if has_layer(country, "municipality"):
        return country, "municipality", [code for c, code in scope.municipalities if c == country]
    return country, "department", sorted({code[:2] for c, code in scope.municipalities if c == country})


def overview_breakdowns(scope: ScopeLike) -> tuple[tuple[str, ...], ...]:
    """What the overview publishes with people served: country × profile, sex × age, the map's units, quarters.

    One definition, used wherever the overview's figure is repeated (forum deck, methods), so
    the same total is protected the same way everywhere.
    """
    return (("country", "migration_profile"), ("sex", "age_group"), (map_extent(scope)[1],), ("quarter",))


def _only(geojson: dict, codes: list[str] | None) -> dict:
    if codes is None:
        return geojson
    return {"type": "FeatureCollection",
            "features": [f for f in geojson["features"] if f["properties"]["code"] in set(codes)]}


# The map's drawn size on a laptop (4/5 of the main column, 520 px high), a little under, so that
# fitting bounds never crops the edge units (the 800 × 500 default cut Guatemala and Bolivia).
MAP_PIXELS = {"width": 620, "height": 460}


def frame_options(values: pd.DataFrame, scope: ScopeLike) -> list[str]:
    """What the map can be framed on: the whole extent ("") and, for the region, each country with data
    (the region spans Guatemala to Bolivia: a department of Guatemala is a few pixels wide there)."""
    country, _, _ = map_extent(scope)
    if country is not None:
        return [""]
    return [""] + [c for c in COUNTRIES if c in set(values["country"])]


def framed_view(values: pd.DataFrame, scope: ScopeLike, frame_on: str = "") -> dict:
    """The view fitting the units with data (of `frame_on`, a country, when given), not the region's polygons."""
    country, level, codes = map_extent(scope)
    with_data = values[values["country"] == frame_on] if frame_on else values
    layer = {(f["properties"]["country"], f["properties"]["code"]) for f in payload.map_geojson(country, level)["features"]}
    ids = [f"{c}-{code}" for c, code in zip(with_data["country"], with_data["code"]) if (c, code) in layer]
    if codes is not None:
        ids = [i for i in ids if i.split("-", 1)[1] in set(codes)] or [f"{country}-{code}" for code in codes]
    if not ids:
        return payload.view_state_for(country, level, codes, **MAP_PIXELS)
    return payload.view_state_for(None, level, ids, **MAP_PIXELS)


def people_served_views(values: pd.DataFrame, scope: ScopeLike, title: str | None = None, frame_on: str = ""):
    """(deck, legend items, static figure builder) of people served by `map_extent(scope)` level, nothing
    outside the scope.

    The static figure (charts.static_maps) draws the same coloured units and legend, so the
    map exports as PNG/SVG (pydeck cannot be rendered to an image); it is a function, called when
    an image is asked for: building it took half of the overview's rerun.
    """
    country, level, codes = map_extent(scope)
    values = with_unit_names(values, level)
    labels = layout.map_labels()
    classes = maps.classify(values["value"], number, labels)
    units = _only(payload.map_geojson(country, level), codes)
    features = maps.coloured_features(units, values, classes.breaks, labels, number)
    view_state = framed_view(values, scope, frame_on)
    deck = maps.choropleth_deck(features, payload.region_outline_geojson(view_state), view_state,
                                f"<b>{{name}}</b><br/>{t('map.tooltip.value')}: {{value_label}}")
    legend_title = t("map.legend.title")
    return deck, classes.legend, lambda: choropleth_figure(features, payload.region_outline_geojson(), classes.legend,
                                                           legend_title, title)


def people_served_map(values: pd.DataFrame, scope: ScopeLike, key: str,
                      title: str | None = None) -> Callable[[], go.Figure] | None:
    """Draw the people-served choropleth with its legend; return what builds its static figure (for the image
    downloads), or None when no unit has data (a sentence says so instead of a blank map)."""
    if values.empty:
        st.info(t("map.empty"))
        return None
    options = frame_options(values, scope)
    frame_on = ""
    if len(options) > 2:
        names = {c: t("tmap.region") if c == "" else t(f"country.{c}") for c in options}
        frame_on = st.segmented_control(t("map.frame"), options, format_func=names.get, default="",
                                        key=f"{key}.frame") or ""
    deck, items, figure = built(people_served_views, values, scope, title, frame_on)
    map_column, legend_column = st.columns([4, 1])
    with map_column:
        st.pydeck_chart(deck, height=520, key=f"{key}.{frame_on or 'region'}")
    with legend_column:
        layout.map_legend(t("map.legend.title"), items)
    return figure
