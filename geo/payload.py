"""Light map payloads for pydeck and Plotly: simplified GeoJSON, view states that fit units, label points.

Geometry is simplified once per (country, level, tolerance) and cached; every call returns
fresh FeatureCollection, feature and properties dicts (callers may add properties such as
a value or a colour) that share the cached, read-only geometry dicts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
from shapely import clip_by_rect
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

import settings
from geo.boundaries import load_layer, load_region_outlines
from geo.codes import unit_id
from geo.overrides import layers_key
from geo.geometry import rounded_coordinates, simplify_coverage
from geo.units import layer_countries

# Coverage simplification tolerance in degrees, by level (about 2 km and 1 km): fine
# enough for a choropleth of a whole country on a laptop screen.
DEFAULT_TOLERANCE = {"department": 0.02, "municipality": 0.01}
REGION_TOLERANCE = 0.03
DECIMALS = 4  # about 11 m
PROPERTIES = ("code", "name", "department_code", "department_name", "country")
TILE_SIZE = 512  # pixels of a zoom-0 world in deck.gl and MapLibre (Plotly "map" traces)
MAX_ZOOM = 12.0


def map_geojson(country: str | None, level: str, *, tolerance: float | None = None) -> dict:
    """FeatureCollection of the units of `country` at `level` (EPSG:4326, 4 decimals).

    country None: every country with a layer at `level` (the four at department level).
    Feature `id` is 'GTM-0101' (unique across countries); properties are PROPERTIES.
    """
    tolerance = DEFAULT_TOLERANCE[level] if tolerance is None else float(tolerance)
    countries = (country,) if country else layer_countries(level)
    key = layers_key()
    return _collection([f for c in countries for f in _layer_features(c, level, tolerance, key)])


def region_outline_geojson(view_state: dict | None = None) -> dict:
    """FeatureCollection of Latin American country outlines (properties iso3, name) for the base layer.

    With a view state, only the outlines around what the map shows (`outline_box`), clipped to
    it: a map of Guatemala carries the edges of its neighbours, not all of South America.
    """
    if view_state is None:
        return _collection(_region_features(str(settings.geo_dir())))
    return _collection(_clipped_region_features(str(settings.geo_dir()), outline_box(view_state)))


# Half the size in pixels of the area the outlines cover: 1.5 times the largest map the pages
# draw (1600 × 1000 px), so that panning a little still shows them.
OUTLINE_REACH_PX = (1200, 750)


def outline_box(view_state: dict) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the OUTLINE_REACH_PX area around the view state's centre at
    its zoom (rounded outwards to 0.5°, so nearby views share one cached clip)."""
    degrees_per_px = 360 / (TILE_SIZE * 2 ** float(view_state["zoom"]))  # generous for latitude (Mercator)
    half_width, half_height = (px * degrees_per_px for px in OUTLINE_REACH_PX)
    lon, lat = float(view_state["longitude"]), float(view_state["latitude"])
    return (max(math.floor((lon - half_width) * 2) / 2, -180.0), max(math.floor((lat - half_height) * 2) / 2, -90.0),
            min(math.ceil((lon + half_width) * 2) / 2, 180.0), min(math.ceil((lat + half_height) * 2) / 2, 90.0))


def payload_size_bytes(geojson: dict) -> int:
    """Size of `geojson` as compact UTF-8 JSON, as sent to the browser."""
    return len(json.dumps(geojson, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def view_state_for(country: str | None, level: str, codes: Iterable[str] | None = None,
                   *, width: int = 800, height: int = 500) -> dict:
    """Latitude, longitude and zoom fitting the selected units in a width × height px map.

    codes: unit codes of `country`, or ids such as 'BOL-020804' (required when country is
    None); None or empty selects every unit. Unknown codes raise ValueError. Zoom as in
    deck.gl / MapLibre (512 px tiles), at most MAX_ZOOM.
    """
    countries = (country,) if country else layer_countries(level)
    key = layers_key()
    units = pd.concat([_unit_bounds(c, level, key) for c in countries], ignore_index=True)
    wanted = {codes} if isinstance(codes, str) else set(codes or ())
    if wanted:
        units = _select(units, wanted, by_code=country is not None)
    bounds = (units["min_lon"].min(), units["min_lat"].min(), units["max_lon"].max(), units["max_lat"].max())
    return view_state_for_bounds(tuple(float(b) for b in bounds), width=width, height=height)


def view_state_for_bounds(bounds: tuple[float, float, float, float], *, width: int = 800,
                          height: int = 500, padding: float = 0.1) -> dict:
    """View state centring (min lon, min lat, max lon, max lat) with `padding` (fraction) each side."""
    min_lon, min_lat, max_lon, max_lat = bounds
    y_min, y_max = _mercator_y(min_lat), _mercator_y(max_lat)
    usable = 1 - 2 * padding
    zoom_x = math.log2(width * usable * 360 / (TILE_SIZE * max(max_lon - min_lon, 1e-9)))
    zoom_y = math.log2(height * usable * 2 * math.pi / (TILE_SIZE * max(y_max - y_min, 1e-9)))
    zoom = min(max(min(zoom_x, zoom_y), 0.0), MAX_ZOOM)
    latitude = math.degrees(math.atan(math.sinh((y_min + y_max) / 2)))
    return {"latitude": round(latitude, 5), "longitude": round((min_lon + max_lon) / 2, 5),
            "zoom": round(zoom, 2)}


def centroids(country: str, level: str) -> pd.DataFrame:
    """One label point per unit, inside its polygon: code, lon, lat (degrees)."""
    return _centroids(country, level, layers_key()).copy()


def _mercator_y(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def _select(units: pd.DataFrame, wanted: set[str], *, by_code: bool) -> pd.DataFrame:
    """Units whose id (or code, when by_code) is wanted; ValueError naming the unknown ones."""
    labels = [{unit_id(c, k), k} if by_code else {unit_id(c, k)} for c, k in zip(units["country"], units["code"])]
    unknown = wanted - set().union(*labels)
    if unknown:
        raise ValueError(f"Unknown units: {sorted(unknown)}")
    return units[[bool(label & wanted) for label in labels]]


def _collection(features: Iterable[dict]) -> dict:
    fresh = [{**feature, "properties": dict(feature["properties"])} for feature in features]
    return {"type": "FeatureCollection", "features": fresh}


# The private cached functions take the layers' key (geo.overrides.layers_key: the shipped
# folder and the imported files) only as part of the cache key, so that a changed setting
# or an imported boundary file never serves a stale payload.
@lru_cache(maxsize=32)
def _layer_features(country: str, level: str, tolerance: float, layers: str) -> tuple[dict, ...]:
    layer = load_layer(country, level)
    geometries = simplify_coverage(layer.geometry.values, tolerance, DECIMALS)
    rows = layer[list(PROPERTIES)].to_dict("records")
    return tuple(_feature(unit_id(country, row["code"]), row, geometry)
                 for row, geometry in zip(rows, geometries))


@lru_cache(maxsize=2)
def _region_features(geo_dir: str) -> tuple[dict, ...]:
    outlines = load_region_outlines()
    geometries = simplify_coverage(outlines.geometry.values, REGION_TOLERANCE, DECIMALS)
    rows = outlines[["iso3", "name"]].to_dict("records")
    return tuple(_feature(row["iso3"], row, geometry) for row, geometry in zip(rows, geometries))


@lru_cache(maxsize=16)
def _clipped_region_features(geo_dir: str, box: tuple[float, float, float, float]) -> tuple[dict, ...]:
    outlines = load_region_outlines()
    geometries = simplify_coverage(outlines.geometry.values, REGION_TOLERANCE, DECIMALS)
    rows = outlines[["iso3", "name"]].to_dict("records")
    clipped = ((row, clip_by_rect(geometry, *box)) for row, geometry in zip(rows, geometries) if geometry is not None)
    return tuple(_feature(row["iso3"], row, geometry) for row, geometry in clipped if not geometry.is_empty)


def _feature(feature_id: str, properties: dict, geometry: BaseGeometry | None) -> dict:
    clean = {key: None if pd.isna(value) else value for key, value in properties.items()}
    return {"type": "Feature", "id": feature_id, "properties": clean, "geometry": _geometry_dict(geometry)}


def _geometry_dict(geometry: BaseGeometry | None) -> dict | None:
    if geometry is None or geometry.is_empty:
        return None
    return {"type": geometry.geom_type,
            "coordinates": rounded_coordinates(mapping(geometry)["coordinates"], DECIMALS)}


@lru_cache(maxsize=16)
def _unit_bounds(country: str, level: str, layers: str) -> pd.DataFrame:
    layer = load_layer(country, level)
    bounds = layer.geometry.bounds.set_axis(["min_lon", "min_lat", "max_lon", "max_lat"], axis=1)
    return pd.concat([layer[["country", "code"]], bounds], axis=1)


@lru_cache(maxsize=16)
def _centroids(country: str, level: str, layers: str) -> pd.DataFrame:
    layer = load_layer(country, level)
    points = layer.geometry.representative_point()
    return pd.DataFrame({"code": layer["code"], "lon": points.x.round(5), "lat": points.y.round(5)})
