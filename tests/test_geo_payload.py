"""Map payloads: light, with only the agreed properties, shared borders still matched, views that fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from geo.boundaries import load_layer
from geo.payload import (
    PROPERTIES,
    centroids,
    map_geojson,
    outline_box,
    payload_size_bytes,
    region_outline_geojson,
    view_state_for,
    view_state_for_bounds,
)

SIZE_LIMIT = 300_000


def _geometries(geojson: dict) -> np.ndarray:
    return np.array([shape(feature["geometry"]) for feature in geojson["features"]], dtype=object)


def _holes(geometries: np.ndarray) -> list[shapely.Polygon]:
    """Holes inside the union of the units: lakes, or gaps opened between neighbours."""
    union = shapely.union_all(geometries)
    return [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]


def _neighbours(geometries: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of units sharing a stretch of border (not just a point)."""
    tree = shapely.STRtree(geometries)
    pairs = tree.query(geometries, predicate="intersects").T
    return {(int(a), int(b)) for a, b in pairs if a < b
            and shapely.length(shapely.intersection(geometries[a].boundary, geometries[b].boundary)) > 0}


def test_guatemala_municipal_payload():
    geojson = map_geojson("GTM", "municipality")
    features = geojson["features"]
    assert geojson["type"] == "FeatureCollection" and len(features) == 340
    assert all(tuple(f["properties"]) == PROPERTIES for f in features)
    assert features[0]["id"] == "GTM-0101"
    assert features[0]["properties"] == {"code": "0101", "name": "Guatemala", "department_code": "01",
                                         "department_name": "Guatemala", "country": "GTM"}
    assert payload_size_bytes(geojson) < SIZE_LIMIT


def test_coordinates_have_four_decimals_at_most():
    coordinates = shapely.get_coordinates(_geometries(map_geojson("GTM", "department")))
    assert np.array_equal(coordinates, np.round(coordinates, 4))


@pytest.mark.parametrize(("country", "level"), [
    ("GTM", "municipality"), ("GTM", "department"), ("BOL", "municipality"), ("PER", "municipality"),
    ("PER", "department"), ("COL", "department"),
])
def test_simplification_keeps_shared_borders_matched(country, level):
    raw = load_layer(country, level).geometry.values
    simplified = _geometries(map_geojson(country, level))
    overlap = shapely.area(simplified).sum() - shapely.union_all(simplified).area
    assert shapely.coverage_is_valid(simplified)          # edges vertex-identical, no overlaps
    assert shapely.is_valid(simplified).all()
    assert abs(overlap) < 1e-9                             # deg², about 0.01 ha
    raw_holes, holes = _holes(raw), _holes(simplified)     # no new gap between neighbours
    assert len(holes) == len(raw_holes) and all(any(h.intersects(r) for r in raw_holes) for h in holes)
    assert _neighbours(simplified) == _neighbours(raw)     # every shared border is still shared


def test_all_countries_at_department_level():
    geojson = map_geojson(None, "department")
    countries = [f["properties"]["country"] for f in geojson["features"]]
    assert sorted(set(countries)) == ["BOL", "COL", "GTM", "PER"]
    assert len(countries) == 22 + 9 + 25 + 33
    ids = [f["id"] for f in geojson["features"]]
    assert len(set(ids)) == len(ids)  # department codes repeat between countries, ids do not


def test_simplified_once_and_each_call_is_a_fresh_copy():
    first = map_geojson("GTM", "department")
    first["features"][0]["properties"]["value"] = 12
    first["features"].pop()
    second = map_geojson("GTM", "department")
    assert len(second["features"]) == 22 and "value" not in second["features"][0]["properties"]
    assert second["features"][0]["geometry"] is first["features"][0]["geometry"]


def test_region_outlines_payload():
    geojson = region_outline_geojson()
    assert len(geojson["features"]) == 47
    assert {tuple(f["properties"]) for f in geojson["features"]} == {("iso3", "name")}
    assert payload_size_bytes(geojson) < SIZE_LIMIT


def test_outlines_around_a_country_view_are_its_neighbours_clipped_to_the_view():
    view = view_state_for("GTM", "municipality")
    near = region_outline_geojson(view)
    everywhere = region_outline_geojson()
    assert {"GTM", "MEX", "BLZ", "HND", "SLV"} <= {f["id"] for f in near["features"]}
    assert not {"BRA", "ARG", "CHL", "PER"} & {f["id"] for f in near["features"]}
    west, south, east, north = outline_box(view)
    assert west <= view["longitude"] - 5 and east >= view["longitude"] + 5  # wider than Guatemala on screen
    clipped = shapely.union_all(_geometries(near))
    assert clipped.bounds[0] >= west and clipped.bounds[2] <= east
    assert clipped.bounds[1] >= south and clipped.bounds[3] <= north
    # Guatemala itself is whole; Mexico only the part near the view
    full = {f["id"]: shape(f["geometry"]) for f in everywhere["features"]}
    mine = {f["id"]: shape(f["geometry"]) for f in near["features"]}
    assert mine["GTM"].area == pytest.approx(full["GTM"].area)
    assert mine["MEX"].area < full["MEX"].area
    # The map of Guatemala's municipalities with these outlines stays under the payload target.
    assert payload_size_bytes(map_geojson("GTM", "municipality")) + payload_size_bytes(near) < 260_000


def test_the_region_view_keeps_every_outline():
    assert len(region_outline_geojson(view_state_for(None, "department"))["features"]) == 47


def test_payload_size_is_compact_utf8_json():
    assert payload_size_bytes({"name": "Petén"}) == len('{"name":"Petén"}'.encode("utf-8"))


def test_view_on_the_two_desaguadero_units_is_lake_titicaca():
    view = view_state_for(None, "municipality", ["BOL-020804", "PER-210402"])
    assert view["latitude"] == pytest.approx(-16.5, abs=0.3)
    assert view["longitude"] == pytest.approx(-69.0, abs=0.3)
    assert 9 <= view["zoom"] <= 12


def test_view_of_a_country_and_of_one_unit():
    country = view_state_for("GTM", "department")
    unit = view_state_for("GTM", "municipality", ["1301"])
    assert country["latitude"] == pytest.approx(15.8, abs=0.3) and 5 <= country["zoom"] <= 7
    assert unit["zoom"] > country["zoom"] + 3
    assert view_state_for("GTM", "municipality", "1301") == unit  # a single code, not its characters


def test_view_with_unknown_codes_is_refused():
    with pytest.raises(ValueError, match=r"Unknown units: \['9999'\]"):
        view_state_for("GTM", "municipality", ["1301", "9999"])
    with pytest.raises(ValueError, match="020804"):
        view_state_for(None, "municipality", ["020804"])  # ids needed across countries


@pytest.mark.parametrize(("bounds", "width", "height", "expected"), [
    ((-180.0, -85.0511, 180.0, 85.0511), 512, 512, {"latitude": 0.0, "longitude": 0.0, "zoom": 0.0}),
    ((-1.0, -1.0, 1.0, 1.0), 800, 500, {"latitude": 0.0, "longitude": 0.0, "zoom": 7.14}),
    ((-69.1, -16.6, -69.1, -16.6), 800, 500, {"latitude": -16.6, "longitude": -69.1, "zoom": 12.0}),
])
def test_view_state_for_bounds(bounds, width, height, expected):
    assert view_state_for_bounds(bounds, width=width, height=height) == expected


def test_centroids_lie_inside_their_units():
    points = centroids("GTM", "municipality")
    layer = load_layer("GTM", "municipality")
    assert list(points.columns) == ["code", "lon", "lat"] and list(points["code"]) == list(layer["code"])
    inside = shapely.contains_xy(layer.geometry.values, points["lon"], points["lat"])
    assert inside.mean() > 0.99  # rounding to 5 decimals may put a point of a thin unit on its edge
    assert isinstance(points, pd.DataFrame)
