"""Choropleths as plain Plotly figures (filled paths, no geo trace), for images, slides and briefs.

The interactive maps are pydeck (WebGL), which kaleido cannot render; these figures draw the
same coloured features and legend with ordinary scatter paths, so a map exports offline.
"""

from __future__ import annotations

import plotly.graph_objects as go

from charts.maps import LegendItem
from charts.municipality import outline_path
from charts.style import OUTLINE_COLOUR, base_layout


def _rgba(fill: list[int]) -> str:
    red, green, blue, alpha = (list(fill) + [255])[:4]
    return f"rgba({red},{green},{blue},{alpha / 255:.3f})"


def _bounds(collections: list[dict]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for collection in collections:
        x, y = outline_path(collection["features"])
        xs += [v for v in x if v is not None]
        ys += [v for v in y if v is not None]
    return min(xs), min(ys), max(xs), max(ys)


def choropleth_figure(features: dict, outlines: dict, legend: list[LegendItem], legend_title: str,
                      title: str | None = None) -> go.Figure:
    """Region outlines in light grey, units filled with their class colour (from `coloured_features`), a legend."""
    figure = go.Figure()
    xs, ys = outline_path(outlines["features"])
    figure.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor="rgb(236,239,241)",
                       line=dict(color="rgba(92,102,112,0.6)", width=0.6), hoverinfo="skip", showlegend=False)
    by_colour: dict[str, list[dict]] = {}
    for feature in features["features"]:
        by_colour.setdefault(_rgba(feature["properties"]["fill"]), []).append(feature)
    for colour, group in by_colour.items():
        x, y = outline_path(group)
        figure.add_scatter(x=x, y=y, mode="lines", fill="toself", fillcolor=colour,
                           line=dict(color=OUTLINE_COLOUR, width=0.5), hoverinfo="skip", showlegend=False)
    for item in legend:  # legend entries as invisible markers, in the legend's order
        figure.add_scatter(x=[None], y=[None], mode="markers", name=item.label,
                           marker=dict(symbol="square", size=14, color=item.colour or "white",
                                       line=dict(color=OUTLINE_COLOUR, width=1)))
    west, south, east, north = _bounds([features] if features["features"] else [outlines])
    pad_x, pad_y = (east - west) * 0.04, (north - south) * 0.04
    layout = base_layout(title)
    layout.update(
        xaxis=dict(visible=False, range=[west - pad_x, east + pad_x]),
        yaxis=dict(visible=False, range=[south - pad_y, north + pad_y], scaleanchor="x", scaleratio=1),
        legend=dict(title=dict(text=legend_title), x=1.0, xanchor="left", y=0.5, yanchor="middle"),
        plot_bgcolor="white", margin=dict(l=10, r=10, t=60 if title else 10, b=10),
    )
    figure.update_layout(**layout)
    return figure
