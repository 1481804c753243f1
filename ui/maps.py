"""The people-served choropleth with its legend, for the whole region or a territorial user's units."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import geo.payload as payload
from charts import maps
from charts.static_maps import choropleth_figure
from geo.units import has_layer
from indicators.scope import ScopeLike
from indicators.territory import with_unit_names
from ui import layout
from ui.language import number, t


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


def people_served_views(values: pd.DataFrame, scope: ScopeLike, title: str | None = None):
    """(deck, legend items, static figure) of people served by `map_extent(scope)` level, nothing outside the scope.

    The static figure (charts.static_maps) draws the same coloured units and legend, so the
    map exports as PNG/SVG (pydeck cannot be rendered to an image).
    """
    country, level, codes = map_extent(scope)
    values = with_unit_names(values, level)
    breaks = maps.class_breaks(values["value"])
    labels = layout.map_labels()
    units = _only(payload.map_geojson(country, level), codes)
    features = maps.coloured_features(units, values, breaks, labels, number)
    view_state = payload.view_state_for(country, level, codes)
    deck = maps.choropleth_deck(features, payload.region_outline_geojson(view_state), view_state,
                                f"<b>{{name}}</b><br/>{t('map.tooltip.value')}: {{value_label}}")
    items = maps.legend_items(breaks, number, labels, maps.smallest_positive(values["value"]))
    return deck, items, choropleth_figure(features, payload.region_outline_geojson(), items, t("map.legend.title"),
                                          title)


def people_served_map(values: pd.DataFrame, scope: ScopeLike, key: str, title: str | None = None) -> go.Figure:
    """Draw the people-served choropleth with its legend; return its static figure (for the image downloads)."""
    deck, items, figure = people_served_views(values, scope, title)
    map_column, legend_column = st.columns([4, 1])
    with map_column:
        st.pydeck_chart(deck, height=520, key=key)
    with legend_column:
        layout.map_legend(t("map.legend.title"), items)
    return figure
