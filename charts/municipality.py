"""Figures of the My municipality page and factsheet: profile mix by level and the locator map (pydeck and Plotly)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

import i18n
from charts.maps import CompactDeck
from charts.overview import PROFILE_COLOURS
from charts.style import ACCENT, MARK_GREY, MUTED, OUTLINE_COLOUR, PRIMARY, MAP_LABEL_FONT, base_layout, hex_to_rgba

LEVEL_COLOURS = (ACCENT, PRIMARY, MARK_GREY)  # municipality, department, reference


def profile_mix_drawable(profiles: pd.DataFrame, levels: list[str]) -> bool:
    """Whether some level has every profile published: only then can its shares be drawn (a share of a
    total with a hidden part would reveal the part)."""
    return any(not profiles[profiles["level"] == level]["suppressed"].fillna(True).astype(bool).any()
               and len(profiles[profiles["level"] == level]) > 0 for level in levels)


def profile_mix(profiles: pd.DataFrame, levels: list[str], headers: list[str], lang: str) -> go.Figure:
    """Share of each migration profile among the people served at each level (published counts only)."""
    figure = go.Figure()
    categories = list(dict.fromkeys(profiles["migration_profile"]))
    for level, header, colour in zip(levels, headers, LEVEL_COLOURS):
        rows = profiles[profiles["level"] == level].set_index("migration_profile").reindex(categories)
        hidden = rows["suppressed"].fillna(True).astype(bool)
        total = rows["value"].sum(skipna=True) if not hidden.any() else None
        shares = [None if (total in (None, 0) or pd.isna(v)) else float(v) / float(total) for v in rows["value"]]
        # A share is never 'fewer than k': with a part hidden it reads as hiding its parts, or not published.
        kind = i18n.share_kind(rows["hidden"][hidden] if "hidden" in rows else [None] * int(hidden.sum()))
        figure.add_bar(
            y=[i18n.translate(f"migration_profile.{c}", lang) for c in categories],
            x=[s or 0 for s in shares], orientation="h", name=header, marker_color=colour,
            text=["–" if s is None and total == 0 else i18n.hidden_mark(kind, lang) if s is None
                  else i18n.format_share(s, lang, 0) for s in shares],
            textposition="outside", hovertemplate="%{y}: %{text}<extra>%{fullData.name}</extra>",
        )
    layout = base_layout()
    layout.update(barmode="group", height=340, xaxis=dict(tickformat=".0%", range=[0, 1.15],
                                                           title=i18n.translate("municipality.chart.share", lang)),
                  yaxis=dict(autorange="reversed"))
    figure.update_layout(**layout)
    return figure


def _rings(geometry: dict | None) -> list[list[list[float]]]:
    """Exterior rings of a Polygon or MultiPolygon GeoJSON geometry."""
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def outline_path(features: list[dict]) -> tuple[list, list]:
    """(xs, ys) of every polygon ring of GeoJSON `features`, rings separated by None (one Plotly line trace)."""
    xs: list = []
    ys: list = []
    for feature in features:
        for ring in _rings(feature["geometry"]):
            xs += [point[0] for point in ring] + [None]
            ys += [point[1] for point in ring] + [None]
    return xs, ys


def locator_figure(context: dict, neighbours: dict, selected: dict, bounds: tuple[float, float, float, float],
                   width: int = 520, height: int = 440) -> go.Figure:
    """A static locator map: country units outlined, the department's units in grey, the municipality in colour.

    Drawn with filled Scatter paths (no geo trace), so exporting it needs no internet.
    """
    figure = go.Figure()
    for features, fill, line in ((context, "rgba(0,0,0,0)", "#B8BEC6"), (neighbours, "#E4E7EB", "#FFFFFF"),
                                 (selected, ACCENT, OUTLINE_COLOUR)):
        xs, ys = outline_path(features["features"])
        if xs:
            figure.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill,
                               line=dict(color=line, width=0.8), hoverinfo="skip", showlegend=False)
    min_lon, min_lat, max_lon, max_lat = bounds
    pad_x, pad_y = (max_lon - min_lon) * 0.08, (max_lat - min_lat) * 0.08
    layout = base_layout()
    layout.update(width=width, height=height, margin=dict(l=0, r=0, t=0, b=0),
                  xaxis=dict(visible=False, range=[min_lon - pad_x, max_lon + pad_x]),
                  yaxis=dict(visible=False, range=[min_lat - pad_y, max_lat + pad_y], scaleanchor="x",
                             scaleratio=1 / math.cos(math.radians((min_lat + max_lat) / 2))))
    figure.update_layout(**layout)
    return figure


def label_point(features: list[dict]) -> list[float] | None:
    """[lon, lat] where a unit's name is written: the middle of its largest ring's extent (a position, not a figure)."""
    rings = [ring for feature in features for ring in _rings(feature["geometry"])]
    if not rings:
        return None
    ring = max(rings, key=len)
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return [(min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2]


def locator_deck(context: dict, neighbours: dict, selected: dict, view: dict, tooltip_html: str) -> pdk.Deck:
    """The same locator as an offline pydeck map (map_provider=None: no basemap tiles).

    The department's other units are named on hover, the highlighted one is also labelled on the map.
    """
    layers = [
        pdk.Layer("GeoJsonLayer", data=context, stroked=True, filled=False, get_line_color=[184, 190, 198, 255],
                  line_width_min_pixels=1),
        pdk.Layer("GeoJsonLayer", data=neighbours, stroked=True, filled=True, pickable=True,
                  get_fill_color=[228, 231, 235, 255], get_line_color=[255, 255, 255, 255], line_width_min_pixels=1,
                  auto_highlight=True, highlight_color=[200, 205, 212, 255]),
        pdk.Layer("GeoJsonLayer", data=selected, stroked=True, filled=True, pickable=True,
                  get_fill_color=hex_to_rgba(ACCENT, 230), get_line_color=hex_to_rgba(OUTLINE_COLOUR),
                  line_width_min_pixels=2),
    ]
    anchor = label_point(selected["features"])
    if anchor is not None:
        name = selected["features"][0]["properties"].get("name", "")
        layers.append(pdk.Layer("TextLayer", data=[{"position": anchor, "name": name}], get_position="position",
                                get_text="name", get_size=15, get_color=[31, 41, 51, 255], font_family=MAP_LABEL_FONT, font_weight=700,
                                outline_width=3, outline_color=[255, 255, 255, 255],
                                font_settings={"sdf": True}, get_pixel_offset=[0, -18]))
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**view), map_provider=None,
                       tooltip={"html": tooltip_html})


def _bounds(features: list[dict]) -> tuple[float, float, float, float]:
    points = [point for feature in features for ring in _rings(feature["geometry"]) for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def locator_payload(country: str, department_code: str, code: str) -> tuple[dict, dict, dict, tuple]:
    """(country outlines, the department's units, the highlighted unit, bounds to show) as GeoJSON.

    Where no municipal polygons are shipped (Colombia), the department is highlighted in the country.
    """
    from geo import payload
    from geo.units import has_layer

    departments = payload.map_geojson(country, "department")
    pick = lambda geojson, test: {"type": "FeatureCollection",  # noqa: E731
                                  "features": [f for f in geojson["features"] if test(f["properties"])]}
    if has_layer(country, "municipality"):
        municipalities = payload.map_geojson(country, "municipality")
        neighbours = pick(municipalities, lambda p: p["department_code"] == department_code)
        selected = pick(municipalities, lambda p: p["code"] == code)
    else:
        neighbours = pick(departments, lambda p: False)
        selected = pick(departments, lambda p: p["code"] == department_code)
    shown = neighbours["features"] or selected["features"] or departments["features"]
    return _shapes_only(departments), _names_only(neighbours), selected, _bounds(shown)


def _names_only(geojson: dict) -> dict:
    """The department's units with their names only: named on hover, so the official can place theirs."""
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": f["geometry"], "properties": {"name": f["properties"]["name"]}}
                         for f in geojson["features"]]}


def _shapes_only(geojson: dict) -> dict:
    """Context outlines without names or codes: a locator shows where, not which other units."""
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": f["geometry"], "properties": {}} for f in geojson["features"]]}
