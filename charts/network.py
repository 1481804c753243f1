"""Figures of the Prevention network page: the binational pydeck map, the network graph (Plotly scatter,
never geo traces) and the reach charts. They lay out frames the indicator layer computed and protected."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from plotly.subplots import make_subplots

import i18n
from charts.maps import CompactDeck, LegendItem
from charts.style import ACCENT, MUTED, OUTLINE_COLOUR, PRIMARY, SEX_COLOURS, TEXT, base_layout, hex_to_rgba, MAP_LABEL_FONT
from data_loaders.schemas import INSTITUTION_TYPES

# Paul Tol's "bright" scheme: distinguishable with the common colour-vision deficiencies.
TYPE_COLOURS = {
    "school": "#4477AA", "local_authority": "#228833", "police": "#EE6677",
    "justice": "#AA3377", "health": "#66CCEE", "community_organisation": "#CCBB44",
}
COUNTRY_SYMBOLS = {"BOL": "circle", "PER": "diamond"}
COUNTRY_COLOURS = {"BOL": PRIMARY, "PER": "#9C6FB0"}  # apart from PRIMARY for protanopes (charts.colour_vision)
TIE_COLOURS = {"domestic": "#9AA5B1", "cross_border": ACCENT}
DESAGUADERO = {("BOL", "020804"), ("PER", "210402")}
DESAGUADERO_FILL = "#FBE3CC"
BORDER_COLOUR = "#1F2933"


def _tr(key: str, lang: str, **params: object) -> str:
    return i18n.translate(key, lang, **params)


def _count(value: object, suppressed: bool, lang: str, kind: object = None) -> str:
    """A published count, or the reading of its kind of hidden ('menos de 5', 'oculta', 'no publicada')."""
    return i18n.hidden_mark(kind, lang) if suppressed or pd.isna(value) else i18n.format_number(int(value), lang)


def _counts(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    """`_count` of each row of `column` (with `<column>_suppressed` and `<column>_hidden`; `value` with
    `suppressed` and `hidden`), a kind the frame does not carry read as withheld."""
    prefix = "" if column == "value" else f"{column}_"
    kinds = frame[f"{prefix}hidden"] if f"{prefix}hidden" in frame else [None] * len(frame)
    return [_count(v, bool(s), lang, k)
            for v, s, k in zip(frame[column], frame[f"{prefix}suppressed"].fillna(False), kinds)]


def _layout(lang: str, **changes: object) -> dict:
    """`base_layout` with the language's decimal and thousands separators (1.550 / 1,550)."""
    layout = base_layout()
    layout.update(separators=",." if lang == "es" else ".,", **changes)
    return layout


def _top(values: pd.Series, factor: float) -> float:
    """The axis end: `factor` × the largest published value (1 when nothing above zero is published)."""
    largest = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").max()
    return float(largest) * factor if pd.notna(largest) and largest > 0 else factor


def _values(frame: pd.DataFrame) -> list[float]:
    return frame["value"].astype("Float64").fillna(0).astype(float).tolist()


# --- the binational map ---------------------------------------------------------------------------

def legend(lang: str) -> tuple[list[LegendItem], list[LegendItem]]:
    """(institution types, ties and areas) for `ui.layout.map_legend`."""
    types = [LegendItem(TYPE_COLOURS[t], _tr(f"institution_type.{t}", lang)) for t in INSTITUTION_TYPES]
    lines = [LegendItem(TIE_COLOURS["domestic"], _tr("network.legend.tie_domestic", lang)),
             LegendItem(TIE_COLOURS["cross_border"], _tr("network.legend.tie_cross_border", lang)),
             LegendItem(BORDER_COLOUR, _tr("network.legend.border", lang)),
             LegendItem(DESAGUADERO_FILL, _tr("network.legend.desaguadero", lang)),
             LegendItem("", _tr("network.legend.neighbours", lang))]
    return types, lines


def _pick(geojson: dict, keep) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if keep(f["properties"])]}


def map_points(nodes: pd.DataFrame, lang: str) -> list[dict]:
    """One record per institution for the scatter layer: position, colour and the tooltip texts."""
    return [{
        "position": [float(row.lon), float(row.lat)], "name": row.name,
        "type_label": _tr(f"institution_type.{row.type}", lang), "country_label": _tr(f"country.{row.country}", lang),
        "agents_label": agents, "people_label": people,
        "fill": hex_to_rgba(TYPE_COLOURS.get(row.type, MUTED), 245),
    } for row, agents, people in zip(nodes.itertuples(index=False), _counts(nodes, "agents", lang),
                                     _counts(nodes, "people", lang))]


def map_ties(nodes: pd.DataFrame, edges: pd.DataFrame, cross_border: bool) -> list[dict]:
    where = {row.institution_id: [float(row.lon), float(row.lat)] for row in nodes.itertuples(index=False)}
    rows = edges[edges["cross_border"] == cross_border]
    return [{"source": where[s], "target": where[t]} for s, t in zip(rows["source_id"], rows["target_id"])]


def network_map(nodes: pd.DataFrame, edges: pd.DataFrame, outlines: dict, departments: dict, units: dict,
                border: dict, labels: pd.DataFrame, view: dict, tooltip_html: str, lang: str,
                point_pixels: float = 6) -> pdk.Deck:
    """The border area offline: neighbouring countries greyed, departments, the municipal units around the
    institutions (both Desaguadero units highlighted), the Bolivia–Peru border drawn strong, ties as lines
    (cross-border ones wider, in the accent colour) and the institutions as points coloured by type.
    No basemap: map_provider=None.

    labels: name, lon, lat and anchor ('start', 'middle' or 'end') of the place names written on the map.
    """
    layers = [
        pdk.Layer("GeoJsonLayer", _pick(outlines, lambda p: p["iso3"] not in ("BOL", "PER")), stroked=True,
                  filled=True, get_fill_color=[236, 239, 241, 255], get_line_color=hex_to_rgba(MUTED, 200),
                  line_width_min_pixels=1),
        pdk.Layer("GeoJsonLayer", units, stroked=True, filled=True, pickable=False,
                  get_fill_color="properties.fill", get_line_color=hex_to_rgba(OUTLINE_COLOUR, 140),
                  line_width_min_pixels=0.8),
        pdk.Layer("GeoJsonLayer", departments, stroked=True, filled=False, get_line_color=hex_to_rgba(MUTED, 230),
                  line_width_min_pixels=1.5),
        pdk.Layer("GeoJsonLayer", border, stroked=True, filled=False, get_line_color=hex_to_rgba(BORDER_COLOUR, 240),
                  line_width_min_pixels=3),
        pdk.Layer("LineLayer", map_ties(nodes, edges, False), get_source_position="source",
                  get_target_position="target", get_color=hex_to_rgba(TIE_COLOURS["domestic"], 150), get_width=1.2,
                  width_units="'pixels'"),
        pdk.Layer("LineLayer", map_ties(nodes, edges, True), get_source_position="source",
                  get_target_position="target", get_color=hex_to_rgba(TIE_COLOURS["cross_border"], 220),
                  get_width=2.5, width_units="'pixels'"),
        pdk.Layer("TextLayer", labels.to_dict("records"), get_position=["lon", "lat"], get_text="name",
                  get_text_anchor="anchor", get_size=12, get_color=hex_to_rgba("#3E4C59", 255),
                  font_family=MAP_LABEL_FONT, character_set="'auto'",
                  get_alignment_baseline="'top'", get_pixel_offset=[0, 9], font_weight=600,
                  font_settings={"sdf": True}, outline_width=4, outline_color=[255, 255, 255, 235]),
        pdk.Layer("ScatterplotLayer", map_points(nodes, lang), get_position="position", get_fill_color="fill",
                  get_line_color=[31, 41, 51, 255], stroked=True, line_width_min_pixels=1, get_radius=1,
                  radius_units="'pixels'", radius_scale=point_pixels, pickable=True, auto_highlight=True,
                  highlight_color=[224, 122, 31, 160]),
    ]
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**view), map_provider=None,
                       tooltip={"html": tooltip_html,
                                "style": {"backgroundColor": "white", "color": TEXT, "fontSize": "13px"}})


def unit_features(units: dict, lang: str) -> dict:
    """The municipal units with a fill: the two Desaguadero units highlighted, the others white."""
    features = []
    for feature in units["features"]:
        props = feature["properties"]
        colour = DESAGUADERO_FILL if (props["country"], props["code"]) in DESAGUADERO else "#FFFFFF"
        features.append({"type": "Feature", "geometry": feature["geometry"],
                         "properties": {**props, "fill": hex_to_rgba(colour, 255)}})
    return {"type": "FeatureCollection", "features": features}


def place_labels(institutions: pd.DataFrame, names: dict[tuple[str, str], str]) -> pd.DataFrame:
    """One label per unit in `names`, centred just below its institutions (so it never sits under a point)."""
    rows = []
    for (country, code), name in sorted(names.items()):
        here = institutions[(institutions["country"] == country) & (institutions["municipality_code"] == code)]
        if not here.empty:
            rows.append({"name": name, "lon": float(here["lon"].mean()), "lat": float(here["lat"].min()),
                         "anchor": "middle"})
    return pd.DataFrame(rows, columns=["name", "lon", "lat", "anchor"])


LABEL_SIZE = 12  # px, the TextLayer's size
LABEL_OFFSET = 9  # px below the anchor point (the TextLayer's pixel offset)
_TILE = 512  # px of the zoom-0 world in deck.gl


def _pixels(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel position at `zoom` (deck.gl's 512 px tiles)."""
    scale = _TILE * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def _latitude(y: float, zoom: float) -> float:
    scale = _TILE * 2 ** zoom
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))


def _label_box(x: float, y: float, text: str, anchor: str, size: float) -> tuple[float, float, float, float]:
    width, height = 0.66 * size * len(text), 1.25 * size
    left = {"middle": x - width / 2, "end": x - width, "start": x}[anchor]
    return left - 3, y + LABEL_OFFSET, left + width + 3, y + LABEL_OFFSET + height


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def spread_labels(labels: pd.DataFrame, zoom: float, size: float = LABEL_SIZE) -> pd.DataFrame:
    """`labels` (name, lon, lat, anchor) placed so that no two overlap at `zoom`: from west to east, each
    label keeps its place if free, else is written ending at or starting from its point, else a line lower.

    Text widths are estimated (0.66 × size per character, bold sans serif), with a little room around.
    """
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for row in labels.sort_values("lon").itertuples(index=False):
        x, y = _pixels(float(row.lon), float(row.lat), zoom)
        candidates = [(anchor, y + lines * 1.3 * size) for lines in (0, 1, 2)
                      for anchor in dict.fromkeys((row.anchor, "start", "end"))]
        anchor, top = next(((a, t) for a, t in candidates
                            if not any(_overlap(_label_box(x, t, row.name, a, size), box) for box in placed)),
                           candidates[0])
        placed.append(_label_box(x, top, row.name, anchor, size))
        rows.append({"name": row.name, "lon": float(row.lon), "lat": _latitude(top, zoom), "anchor": anchor})
    return pd.DataFrame(rows, columns=["name", "lon", "lat", "anchor"])


def close_up_labels(nodes: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The two Desaguadero labels for the close-up: below the institutions of each side, Peru's ending at
    its easternmost institution's longitude west of the bridge, Bolivia's starting east of it."""
    here = nodes[[(c, k) in DESAGUADERO for c, k in zip(nodes["country"], nodes["municipality_code"])]]
    if here.empty:
        return pd.DataFrame(columns=["name", "lon", "lat", "anchor"])
    bottom = float(here["lat"].min()) - 0.004
    rows = []
    for country, anchor in (("PER", "end"), ("BOL", "start")):
        side = here[here["country"] == country]
        if not side.empty and country in names:
            lon = float(side["lon"].max()) if anchor == "end" else float(side["lon"].min())
            rows.append({"name": names[country], "lon": lon, "lat": bottom, "anchor": anchor})
    return pd.DataFrame(rows, columns=["name", "lon", "lat", "anchor"])


def bounds_of(nodes: pd.DataFrame, units: dict, codes: set[tuple[str, str]]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the institutions and of the units in `codes`."""
    lons, lats = list(nodes["lon"].astype(float)), list(nodes["lat"].astype(float))
    for feature in units["features"]:
        if (feature["properties"]["country"], feature["properties"]["code"]) in codes and feature["geometry"]:
            polygons = feature["geometry"]["coordinates"]
            polygons = [polygons] if feature["geometry"]["type"] == "Polygon" else polygons
            for ring in (polygon[0] for polygon in polygons):
                lons += [p[0] for p in ring]
                lats += [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


# --- the same map as a static Plotly figure (for PNG / SVG) -----------------------------------------

def _line_path(geometries: list[dict]) -> tuple[list, list]:
    """x, y of LineString / MultiLineString geometries and polygon outlines, parts separated by None."""
    xs: list = []
    ys: list = []
    for geometry in filter(None, geometries):
        kind, coordinates = geometry["type"], geometry["coordinates"]
        parts = {"LineString": [coordinates], "MultiLineString": coordinates, "Polygon": coordinates,
                 "MultiPolygon": [ring for polygon in coordinates for ring in polygon]}.get(kind, [])
        for part in parts:
            xs += [p[0] for p in part] + [None]
            ys += [p[1] for p in part] + [None]
    return xs, ys


def _tie_path(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[list, list]:
    where = {row.institution_id: (float(row.lon), float(row.lat)) for row in nodes.itertuples(index=False)}
    return _edge_path(edges, where)


_TEXT_POSITION = {"middle": "bottom center", "end": "bottom left", "start": "bottom right"}


def static_network_map(nodes: pd.DataFrame, edges: pd.DataFrame, outlines: dict, departments: dict, units: dict,
                       border: dict, labels: pd.DataFrame, bounds: tuple[float, float, float, float], lang: str,
                       marker_size: float = 11, title: str | None = None) -> go.Figure:
    """`network_map` drawn with plain Plotly paths (no geo trace), so it exports offline as PNG or SVG:
    neighbouring countries greyed, the municipal units filled (Desaguadero highlighted), departments, the
    border, ties as lines (cross-border ones wider, in the accent colour), one marker per institution
    coloured by type, the place names. `bounds`: (min lon, min lat, max lon, max lat) to frame."""
    from charts.municipality import outline_path

    figure = go.Figure()
    xs, ys = outline_path(_pick(outlines, lambda p: p["iso3"] not in ("BOL", "PER"))["features"])
    figure.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor="rgb(236,239,241)",
                       line=dict(color=hex_to_rgba_css(MUTED, 0.8), width=0.8), hoverinfo="skip", showlegend=False)
    for colour in (DESAGUADERO_FILL, "#FFFFFF"):
        wanted = hex_to_rgba(colour, 255)
        xs, ys = outline_path([f for f in units["features"] if list(f["properties"]["fill"]) == wanted])
        if xs:
            figure.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour,
                               line=dict(color=hex_to_rgba_css(OUTLINE_COLOUR, 0.55), width=0.6),
                               hoverinfo="skip", showlegend=False)
    xs, ys = _line_path([f["geometry"] for f in departments["features"]])
    figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=hex_to_rgba_css(MUTED, 0.9), width=1.3),
                       hoverinfo="skip", showlegend=False)
    xs, ys = _line_path([f["geometry"] for f in border["features"]])
    figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=BORDER_COLOUR, width=3),
                       name=_tr("network.legend.border", lang), hoverinfo="skip", legendgroup="map")
    for kind, width, alpha in (("domestic", 1.0, 0.65), ("cross_border", 2.6, 0.9)):
        xs, ys = _tie_path(nodes, edges[edges["cross_border"] == (kind == "cross_border")])
        figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=hex_to_rgba_css(TIE_COLOURS[kind], alpha),
                                                               width=width),
                           name=_tr(f"network.legend.tie_{kind}", lang), hoverinfo="skip", legendgroup="map")
    figure.add_scatter(x=[None], y=[None], mode="markers", name=_tr("network.legend.desaguadero", lang),
                       marker=dict(symbol="square", size=13, color=DESAGUADERO_FILL,
                                   line=dict(color=OUTLINE_COLOUR, width=1)), legendgroup="map")
    west, south, east, north = bounds
    if len(labels):  # a little under the anchor point, as on the interactive map (its 9 px offset)
        figure.add_scatter(x=labels["lon"], y=labels["lat"] - (north - south) * 0.012, mode="text",
                           text=labels["name"], textposition=[_TEXT_POSITION[a] for a in labels["anchor"]],
                           textfont=dict(color="#3E4C59"), hoverinfo="skip", showlegend=False)
    for kind in INSTITUTION_TYPES:
        rows = nodes[nodes["type"] == kind]
        if rows.empty:
            continue
        figure.add_scatter(x=rows["lon"].astype(float), y=rows["lat"].astype(float), mode="markers",
                           name=_tr(f"institution_type.{kind}", lang), text=rows["name"], legendgroup="types",
                           marker=dict(color=TYPE_COLOURS[kind], size=marker_size, line=dict(color=TEXT, width=1)),
                           hovertemplate="%{text}<extra></extra>")
    pad_x, pad_y = (east - west) * 0.05, (north - south) * 0.05
    figure.update_layout(**_layout(
        lang, title=dict(text=title, x=0, xref="paper", font=dict(size=16)) if title else None, showlegend=True,
        margin=dict(l=10, r=10, t=50 if title else 10, b=10),
        xaxis=dict(visible=False, range=[west - pad_x, east + pad_x]),
        yaxis=dict(visible=False, range=[south - pad_y, north + pad_y], scaleanchor="x",
                   scaleratio=1 / math.cos(math.radians((south + north) / 2))),
        legend=dict(orientation="v", x=1.0, xanchor="left", y=0.5, yanchor="middle", font=dict(size=12),
                    bgcolor="rgba(255,255,255,0.85)")))
    return figure


def hex_to_rgba_css(colour: str, alpha: float) -> str:
    red, green, blue, _ = hex_to_rgba(colour)
    return f"rgba({red},{green},{blue},{alpha})"


# --- the network graph ----------------------------------------------------------------------------

def _sizes(values: pd.Series, suppressed: pd.Series) -> list[float]:
    shown = values.astype("Float64").where(~suppressed.astype(bool)).fillna(0).astype(float)
    top = max(shown.max(), 1.0) if len(shown) else 1.0
    return [10 + 26 * math.sqrt(v / top) for v in shown]


def _edge_path(edges: pd.DataFrame, where: dict) -> tuple[list, list]:
    xs, ys = [], []
    for source, target in zip(edges["source_id"], edges["target_id"]):
        xs += [where[source][0], where[target][0], None]
        ys += [where[source][1], where[target][1], None]
    return xs, ys


def network_graph(nodes: pd.DataFrame, edges: pd.DataFrame, layout: pd.DataFrame, degrees: dict[str, int],
                  lang: str, height: int = 640) -> go.Figure:
    """Institutions as markers (colour: type; symbol: country; size: people reached) over their ties
    (cross-border ties wider, in the accent colour). Plotly scatter traces only (no geo traces)."""
    where = {row.institution_id: (row.x, row.y) for row in layout.itertuples(index=False)}
    figure = go.Figure()
    for kind, width in (("domestic", 1.2), ("cross_border", 3.0)):
        xs, ys = _edge_path(edges[edges["cross_border"] == (kind == "cross_border")], where)
        figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=TIE_COLOURS[kind], width=width),
                           hoverinfo="skip", name=_tr(f"network.legend.tie_{kind}", lang), legendgroup="ties",
                           legendgrouptitle_text=_tr("network.legend.ties", lang))
    sizes = dict(zip(nodes["institution_id"], _sizes(nodes["people"], nodes["people_suppressed"])))
    for kind in INSTITUTION_TYPES:
        rows = nodes[nodes["type"] == kind]
        if rows.empty:
            continue
        hover = [
            f"<b>{row.name}</b><br>{_tr(f'institution_type.{kind}', lang)} · {_tr(f'country.{row.country}', lang)}"
            f"<br>{_tr('network.tooltip.agents', lang)}: {agents}"
            f"<br>{_tr('indicator.people_sensitized.label', lang)}: {people}"
            f"<br>{_tr('network.tooltip.degree', lang)}: {i18n.format_number(degrees.get(row.institution_id, 0), lang)}"
            for row, agents, people in zip(rows.itertuples(index=False), _counts(rows, "agents", lang),
                                           _counts(rows, "people", lang))]
        figure.add_scatter(
            x=[where[i][0] for i in rows["institution_id"]], y=[where[i][1] for i in rows["institution_id"]],
            mode="markers", name=_tr(f"institution_type.{kind}", lang), legendgroup="types",
            legendgrouptitle_text=_tr("network.legend.types", lang),
            marker=dict(color=TYPE_COLOURS[kind], size=[sizes[i] for i in rows["institution_id"]],
                        symbol=[COUNTRY_SYMBOLS.get(c, "circle") for c in rows["country"]],
                        line=dict(color=TEXT, width=1), opacity=0.95),
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        )
    for country in sorted(set(nodes["country"])):
        figure.add_scatter(x=[None], y=[None], mode="markers", name=_tr(f"country.{country}", lang),
                           legendgroup="countries", legendgrouptitle_text=_tr("network.legend.countries", lang),
                           marker=dict(color="#FFFFFF", size=12, symbol=COUNTRY_SYMBOLS.get(country, "circle"),
                                       line=dict(color=TEXT, width=1.5)))
    figure.update_layout(**_layout(
        lang, height=height, hovermode="closest", margin=dict(l=10, r=10, t=10, b=90),
        legend=dict(orientation="h", x=0, y=-0.02, yanchor="top", groupclick="toggleitem", font=dict(size=12)),
        xaxis=dict(visible=False, range=[-1.12, 1.12]), yaxis=dict(visible=False, range=[-1.12, 1.12])))
    return figure


# --- reach ----------------------------------------------------------------------------------------

def cumulative_chart(agents: pd.DataFrame, people: pd.DataFrame, lang: str) -> go.Figure:
    """Cumulative agents trained and people sensitized quarter by quarter; a hidden running total is a gap."""
    figure = go.Figure()
    for frame, key, colour in ((people, "people_sensitized", ACCENT), (agents, "agents_trained", PRIMARY)):
        quarters = [pd.Timestamp(q).date() for q in frame["quarter"]]
        labels = _counts(frame, "value", lang)
        figure.add_scatter(
            x=[pd.Timestamp(q) for q in quarters], y=[None if pd.isna(v) else float(v) for v in frame["value"]],
            mode="lines+markers", connectgaps=False, name=_tr(f"indicator.{key}.label", lang),
            line=dict(color=colour, width=2.5), marker=dict(size=6),
            customdata=[[i18n.format_quarter(q, lang), label] for q, label in zip(quarters, labels)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>%{fullData.name}</extra>",
        )
    ticks = [pd.Timestamp(q) for q in agents["quarter"]]
    ticks = ticks if len(ticks) <= 8 else [q for q in ticks if q.month in (1, 7)]
    layout = _layout(lang, height=360, yaxis=dict(title=_tr("network.chart.cumulative", lang), rangemode="tozero",
                                                 separatethousands=True),
                     xaxis=dict(title=_tr("network.chart.quarter", lang), tickvals=ticks,
                                ticktext=[i18n.format_quarter(t.date(), lang) for t in ticks]))
    figure.update_layout(**layout)
    return figure


def municipality_bars(units: pd.DataFrame, lang: str) -> go.Figure:
    """Two panels sharing one row per municipality (bars in the country's colour): agents trained | people
    sensitized. units: country, code, name, agents(_suppressed), people(_suppressed)."""
    order = units.assign(sort=units["people"].astype("Float64").fillna(0)).sort_values(
        ["country", "sort", "name"], ascending=[True, False, True])
    names = [f"{name} ({_tr(f'country.{c}', lang)})" for c, name in zip(order["country"], order["name"])]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.03,
                           subplot_titles=[_tr("indicator.agents_trained.label", lang),
                                           _tr("indicator.people_sensitized.label", lang)])
    for column, key in ((1, "agents"), (2, "people")):
        values = order[key].astype("Float64")
        texts = _counts(order, key, lang)
        figure.add_bar(y=names, x=values.fillna(0).astype(float).tolist(), orientation="h", row=1, col=column,
                       marker_color=[COUNTRY_COLOURS.get(c, MUTED) for c in order["country"]], text=texts,
                       textposition="outside", cliponaxis=False, showlegend=False,
                       hovertemplate="%{y}: %{text}<extra></extra>")
        figure.update_xaxes(range=[0, _top(values, 1.25)], showticklabels=False,
                            showgrid=False, row=1, col=column)
    figure.update_layout(**_layout(lang, height=max(320, 24 * len(order) + 70), yaxis=dict(autorange="reversed"),
                                   bargap=0.3, margin=dict(l=10, r=30, t=30, b=10)))
    return figure


def sex_age_bars(frame: pd.DataFrame, age_column: str, age_order: list[str], lang: str,
                 value_key: str = "chart.count") -> go.Figure:
    """Grouped bars by age group, one colour per sex (a sex with only published zeros is left out);
    hidden cells read as their kind ('menos de 5' …)."""
    figure = go.Figure()
    labels = [_tr(f"age_group.{a}", lang) for a in age_order]
    present = frame[(frame["value"].fillna(1) != 0) | frame["suppressed"]]["sex"]
    for sex in [s for s in SEX_COLOURS if s in set(present)]:
        rows = frame[frame["sex"] == sex].set_index(age_column).reindex(age_order)
        texts = _counts(rows, "value", lang)
        figure.add_bar(x=labels, y=_values(rows.reset_index()), name=_tr(f"sex.{sex}", lang),
                       marker_color=SEX_COLOURS[sex], text=texts, textposition="outside", cliponaxis=False,
                       constraintext="none", hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>")
    top = _top(frame["value"], 1.2)
    figure.update_layout(**_layout(
        lang, barmode="group", height=320, xaxis=dict(title=_tr("chart.age_group", lang), type="category"),
        yaxis=dict(title=_tr(value_key, lang), range=[0, top], separatethousands=True)))
    return figure


def category_bars(frame: pd.DataFrame, column: str, lang: str, colour: str = ACCENT) -> go.Figure:
    """People sensitized per topic or audience (largest first), labelled with the published value."""
    rows = frame.assign(sort=frame["value"].astype("Float64").fillna(-1)).sort_values("sort", ascending=False)
    texts = _counts(rows, "value", lang)
    figure = go.Figure(go.Bar(
        y=[_tr(f"{column}.{c}", lang) for c in rows[column]], x=_values(rows), orientation="h",
        marker_color=colour, text=texts, textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>"))
    top = _top(rows["value"], 1.2)
    figure.update_layout(**_layout(
        lang, height=300, yaxis=dict(autorange="reversed"), margin=dict(l=10, r=30, t=10, b=10),
        xaxis=dict(title=_tr("network.chart.attendances", lang), range=[0, top], separatethousands=True)))
    return figure
