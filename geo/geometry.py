"""Geometry clean-up and simplification of polygon layers (repair, polygonal parts, coverage simplification).

Pure functions on arrays of shapely geometries, in EPSG:4326 degrees.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")


def polygonal(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid, 2D polygonal part of each geometry (None when nothing polygonal remains).

    Returns the geometries and a boolean mask of those that had to be repaired.
    """
    flat = shapely.force_2d(np.asarray(geometries, dtype=object))
    present = ~shapely.is_missing(flat)
    repaired = present & ~shapely.is_valid(flat)
    fixed = flat.copy()
    fixed[repaired] = shapely.make_valid(flat[repaired], method="structure", keep_collapsed=False)
    return np.array([_polygon_part(g) for g in fixed], dtype=object), repaired


def _polygon_part(geometry: BaseGeometry | None) -> BaseGeometry | None:
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in POLYGONAL:
        return geometry
    polygons = [part for part in _flatten(geometry) if part.geom_type == "Polygon" and not part.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _flatten(geometry: BaseGeometry) -> list[BaseGeometry]:
    """Single parts of a geometry, looking inside collections of collections."""
    if geometry.geom_type.startswith(("Multi", "GeometryCollection")):
        return [leaf for part in shapely.get_parts(geometry) for leaf in _flatten(part)]
    return [geometry]


def simplify_coverage(geometries: np.ndarray, tolerance: float, decimals: int) -> np.ndarray:
    """Simplify a polygon coverage at once (shared borders stay matched), then snap to a grid.

    `tolerance` is in degrees (about the square root of the triangle areas removed);
    vertices are snapped to 10**-decimals degrees, keeping every polygon valid (a unit
    narrower than the grid would come back empty). Exterior rings counter-clockwise (RFC 7946).
    """
    simplified = shapely.coverage_simplify(geometries, tolerance) if tolerance > 0 else geometries
    snapped = shapely.set_precision(simplified, 10.0 ** -decimals, mode="valid_output")
    return shapely.orient_polygons(snapped, exterior_cw=False)


def rounded_coordinates(coordinates: object, decimals: int) -> object:
    """Nested coordinate tuples (as in a GeoJSON mapping) rounded to `decimals`."""
    if isinstance(coordinates, (list, tuple)):
        if coordinates and isinstance(coordinates[0], float):
            return tuple(round(value, decimals) for value in coordinates)
        return tuple(rounded_coordinates(item, decimals) for item in coordinates)
    return coordinates
