"""Offline pydeck choropleths: classed colours, and three states never confused (no data, protected, zero).

No basemap (map_provider=None): country outlines of the region are the base layer, so
nothing is fetched from the internet.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

import i18n
from charts.style import (BASE_COLOUR, HOVER_COLOUR, NO_DATA_COLOUR, OUTLINE_COLOUR, SEQUENTIAL, SUPPRESSED_COLOUR,
                          ZERO_COLOUR, hex_to_rgba)


class CompactDeck(pdk.Deck):
    """A Deck serialised without indentation (pydeck indents by 2, which makes map payloads ~5x larger), whose
    layers have stable ids.

    pydeck gives a layer without an id a new uuid4 on every run, so the same map was new JSON on every
    rerun: sent whole again (Streamlit only replaces a message by a reference to the browser's cached copy
    when it is byte-identical) and rebuilt by deck.gl. A layer without an id of its own gets its position
    and type instead.
    """

    def __init__(self, layers: list[pdk.Layer], **options) -> None:
        for index, layer in enumerate(layers):
            if _generated_id(layer.id):
                layer.id = f"{index}-{layer.type}"
        super().__init__(layers=layers, **options)

    def to_json(self) -> str:
        # Written once: a deck shared across runs (ui.memo) is serialised by st.pydeck_chart on every run.
        if getattr(self, "_json", None) is None:
            self._json = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        return self._json


def _generated_id(layer_id: str) -> bool:
    """Whether `layer_id` is pydeck's own uuid4 (given to a layer created without an id)."""
    try:
        return uuid.UUID(layer_id).version == 4
    except ValueError:
        return False


@dataclass(frozen=True)
class LegendItem:
    colour: str  # hex fill, or "" for outline only
    label: str


def class_breaks(values: pd.Series, classes: int = len(SEQUENTIAL)) -> list[float]:
    """Upper bounds of quantile classes over the positive values (fewer classes when few values)."""
    positive = np.sort(values.dropna().astype(float)[lambda v: v > 0].to_numpy())
    if positive.size == 0:
        return []
    # a hair below k/classes, so that 0.6 * 10 values picks the 6th value, not the 7th (float rounding)
    probabilities = np.clip(np.arange(1, classes + 1) / classes - 1e-9, 0, 1)
    quantiles = np.quantile(positive, probabilities, method="inverted_cdf")
    return sorted(set(float(q) for q in quantiles))


def class_colour(value: float, breaks: list[float]) -> str:
    palette = SEQUENTIAL[-len(breaks):] if len(breaks) < len(SEQUENTIAL) else SEQUENTIAL
    for index, upper in enumerate(breaks):
        if value <= upper:
            return palette[index]
    return palette[-1]


def legend_items(values: pd.Series, breaks: list[float], format_value, labels: dict[str, str]) -> list[LegendItem]:
    """Class ranges as the smallest and largest value drawn in each class (so shares read right, and
    a range never names a value no unit has), then the three special states, in the colours drawn.
    `values` are the published values (protected ones are <NA>)."""
    palette = SEQUENTIAL[-len(breaks):] if len(breaks) < len(SEQUENTIAL) else SEQUENTIAL
    positive = values.dropna().astype(float)
    positive = positive[positive > 0]
    items, lower_bound = [], 0.0
    for colour, upper in zip(palette, breaks):
        members = positive[(positive > lower_bound) & (positive <= upper)]
        lower_bound = upper
        if members.empty:
            continue
        low, high = members.min(), members.max()
        text = format_value(high) if low == high else f"{format_value(low)} – {format_value(high)}"
        items.append(LegendItem(colour, text))
    return items + [
        LegendItem(ZERO_COLOUR, labels["zero"]),
        LegendItem(SUPPRESSED_COLOUR, labels["suppressed"]),
        LegendItem(NO_DATA_COLOUR, labels["no_data"]),
    ]


@dataclass(frozen=True)
class Classes:
    breaks: list[float]
    legend: list[LegendItem]


def classify(values: pd.Series, format_value, labels: dict[str, str]) -> Classes:
    """The one classification of a map: breaks over the published values and the legend that reads them.

    Every map of an indicator (overview, territorial map, forum deck) classes through here, so
    the same values at the same level get the same classes and the same legend.
    """
    values = values.astype("Float64")
    breaks = class_breaks(values)
    return Classes(breaks, legend_items(values, breaks, format_value, labels))


def map_text_labels(lang: str) -> dict[str, str]:
    """The legend's special states and the tooltips: no data, and one per kind of hidden figure
    («mark»: why, under `tooltip_<kind>`), in `lang`."""
    labels = {"zero": i18n.translate("map.legend.zero", lang), "no_data": i18n.translate("map.legend.no_data", lang),
              "suppressed": i18n.translate("map.legend.suppressed", lang),
              "tooltip_no_data": i18n.translate("map.tooltip.no_data", lang)}
    for kind in i18n.HIDDEN_KINDS:
        labels[f"tooltip_{kind}"] = i18n.translate("privacy.hidden.legend", lang, mark=i18n.hidden_mark(kind, lang),
                                                   reason=i18n.hidden_reason(kind, lang))
    return labels


def hidden_tooltip(labels: dict[str, str], kind: object) -> str:
    """The tooltip of a hidden unit: its kind's reading and why."""
    return labels[f"tooltip_{i18n.hidden_kind(kind)}"]


def _feature_style(row: pd.Series | None, breaks: list[float], labels: dict[str, str], format_number) -> dict:
    if row is None:
        return {"fill": hex_to_rgba(NO_DATA_COLOUR), "value_label": labels["tooltip_no_data"]}
    if bool(row["suppressed"]):
        return {"fill": hex_to_rgba(SUPPRESSED_COLOUR, 230), "value_label": hidden_tooltip(labels, row.get("hidden"))}
    value = float(row["value"])
    colour = ZERO_COLOUR if value == 0 else class_colour(value, breaks)
    return {"fill": hex_to_rgba(colour, 235), "value_label": format_number(value)}


def coloured_features(geojson: dict, values: pd.DataFrame, breaks: list[float], labels: dict[str, str],
                      format_number) -> dict:
    """A new FeatureCollection whose features carry fill colour and formatted value.

    `values` has columns country, code, value, suppressed (and hidden, its kind); units absent from it have no data.
    Geometry objects are shared with the cached payload, never copied.
    """
    by_key = {(r.country, r.code): r for r in values.itertuples(index=False)}
    features = []
    for feature in geojson["features"]:
        props = feature["properties"]
        match = by_key.get((props["country"], props["code"]))
        row = None if match is None else pd.Series(match._asdict())
        style = _feature_style(row, breaks, labels, format_number)
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {**props, **style}})
    return {"type": "FeatureCollection", "features": features}


def choropleth_deck(features: dict, outlines: dict, view: dict, tooltip_html: str) -> pdk.Deck:
    """Outlines of the region as base layer, the coloured units on top."""
    base = pdk.Layer(
        "GeoJsonLayer", outlines, stroked=True, filled=True, get_fill_color=hex_to_rgba(BASE_COLOUR),
        get_line_color=hex_to_rgba(OUTLINE_COLOUR, 160), line_width_min_pixels=0.6, pickable=False,
    )
    units = pdk.Layer(
        "GeoJsonLayer", features, stroked=True, filled=True, get_fill_color="properties.fill",
        get_line_color=hex_to_rgba(OUTLINE_COLOUR, 220), line_width_min_pixels=0.8, pickable=True,
        auto_highlight=True, highlight_color=hex_to_rgba(HOVER_COLOUR),
    )
    return CompactDeck(
        layers=[base, units], initial_view_state=pdk.ViewState(**view), map_provider=None,
        tooltip={"html": tooltip_html, "style": {"backgroundColor": "white", "color": "#1F2933", "fontSize": "13px"}},
    )
