"""The territorial map's deck: selectable units, a '·' marker on protected units, and the side
panel's sex × age table. Builds on `charts.maps` (classes and legend).
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

import i18n
from charts.maps import CompactDeck, class_colour, hidden_tooltip
from charts.tables import shown_counts
from charts.style import BASE_COLOUR, HOVER_COLOUR, NO_DATA_COLOUR, OUTLINE_COLOUR, SUPPRESSED_COLOUR, ZERO_COLOUR, MAP_LABEL_FONT, hex_to_rgba

UNITS_LAYER = "units"
OUTLINES_LAYER = "outlines"
MARKERS_LAYER = "protected_markers"
SELECTED_LINE = [224, 122, 31, 255]
# Zero must not read as "no data" (white, outlined) nor as a class: a light sand (charts.style).
ZERO_FILL = ZERO_COLOUR
# A system font stack: nothing is fetched (deck.gl draws text from a local canvas atlas).


def unit_features(geojson: dict, named: pd.DataFrame, breaks: list[float], labels: dict[str, str],
                  format_value, selected: str | None = None) -> dict:
    """Features of the cached payload with fill, value_label, rank_label and department_label added.

    `named` has country, code, value, suppressed, rank; units absent from it have no data
    (white, outlined). Geometry dicts are shared with the cached payload, never copied.
    """
    by_key = {(r.country, r.code): r for r in named.itertuples(index=False)}
    features = []
    for feature in geojson["features"]:
        props = feature["properties"]
        row = by_key.get((props["country"], props["code"]))
        if row is None:
            style = {"fill": hex_to_rgba(NO_DATA_COLOUR), "value_label": labels["tooltip_no_data"], "rank_label": "–",
                     "state": "no_data"}
        elif bool(row.suppressed):
            style = {"fill": hex_to_rgba(SUPPRESSED_COLOUR, 230),
                     "value_label": hidden_tooltip(labels, getattr(row, "hidden", None)),
                     "rank_label": "–", "state": "suppressed"}
        else:
            value = float(row.value)
            colour = ZERO_FILL if value == 0 else class_colour(value, breaks)
            style = {"fill": hex_to_rgba(colour, 235), "value_label": format_value(value),
                     "rank_label": str(int(row.rank)) if not pd.isna(row.rank) else "–",
                     "state": "zero" if value == 0 else "value"}
        style["line"] = SELECTED_LINE if selected and props["code"] == selected else hex_to_rgba(OUTLINE_COLOUR, 220)
        style["department_label"] = props.get("department_name") or props.get("name") or ""
        features.append({"type": "Feature", "id": feature.get("id"), "geometry": feature["geometry"],
                         "properties": {**props, **style}})
    return {"type": "FeatureCollection", "features": features}


def protected_markers(features: dict, centroids: pd.DataFrame) -> list[dict]:
    """One '·' label point per protected unit, at its label point (centroids: country, code, lon, lat)."""
    points = {(r.country, r.code): (r.lon, r.lat) for r in centroids.itertuples(index=False)}
    markers = []
    for feature in features["features"]:
        props = feature["properties"]
        point = points.get((props["country"], props["code"]))
        if props["state"] == "suppressed" and point:
            markers.append({"position": [point[0], point[1]], "text": i18n.SUPPRESSED_MARK})
    return markers


def territorial_deck(features: dict, outlines: dict, markers: list[dict], view: dict, tooltip_html: str) -> pdk.Deck:
    """Region outlines (base), selectable units (layer id 'units'), then '·' markers on protected units."""
    base = pdk.Layer(
        "GeoJsonLayer", outlines, id=OUTLINES_LAYER, stroked=True, filled=True, get_fill_color=hex_to_rgba(BASE_COLOUR),
        get_line_color=hex_to_rgba(OUTLINE_COLOUR, 160), line_width_min_pixels=0.6, pickable=False,
    )
    units = pdk.Layer(
        "GeoJsonLayer", features, id=UNITS_LAYER, stroked=True, filled=True, get_fill_color="properties.fill",
        get_line_color="properties.line", line_width_min_pixels=0.8, pickable=True, opacity=1,
        auto_highlight=True, highlight_color=hex_to_rgba(HOVER_COLOUR),
    )
    layers = [base, units]
    if markers:
        layers.append(pdk.Layer(
            "TextLayer", markers, id=MARKERS_LAYER, get_position="position", get_text="text", get_size=28,
            get_color=[31, 41, 51, 255], font_family=MAP_LABEL_FONT, font_weight="bold", pickable=False,
            get_text_anchor="'middle'", get_alignment_baseline="'center'", character_set=[i18n.SUPPRESSED_MARK],
        ))
    return CompactDeck(
        layers=layers, initial_view_state=pdk.ViewState(**view), map_provider=None,
        tooltip={"html": tooltip_html, "style": {"backgroundColor": "white", "color": "#1F2933", "fontSize": "13px"}},
    )


def sex_age_table(cells: pd.DataFrame, age_column: str, age_order: list[str], lang: str,
                  row_title: str) -> pd.DataFrame:
    """Sex (rows) × age group (columns) of formatted counts; hidden cells read as their kind ('menos de 5' …)."""
    wide = cells.assign(shown=shown_counts(cells, lang)).pivot(index="sex", columns=age_column, values="shown")
    shown = wide.reindex(columns=[a for a in age_order if a in wide.columns])
    shown.index = [i18n.translate(f"sex.{code}", lang) for code in shown.index]
    shown.columns = [i18n.translate(f"age_group.{code}", lang) for code in shown.columns]
    shown.index.name = row_title
    return shown
