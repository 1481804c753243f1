"""Where each country lies, to refuse boundary layers whose coordinates are elsewhere (axes swapped, wrong country).

A layer read in EPSG:4326 can be wrong while every coordinate is a valid longitude and
latitude: x and y exchanged in Bolivia or Peru (-16, -69 reads as a point in the ocean),
or another country's departments uploaded under this country's codes.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from geo.errors import ExtentError, listing

# (west, south, east, north) in degrees: the shipped department layers' bounds (sample_data/geo),
# rounded outwards to 0.1°. Colombia's north is raised to 16.0: DANE's San Andrés department
# includes the cays of Serranilla and Bajo Nuevo (~15.9° N), beyond the shipped outline.
COUNTRY_EXTENTS: dict[str, tuple[float, float, float, float]] = {
    "GTM": (-92.3, 13.7, -88.2, 17.9),
    "BOL": (-69.7, -23.0, -57.4, -9.6),
    "PER": (-81.4, -18.4, -68.6, 0.0),
    "COL": (-81.8, -4.3, -66.8, 16.0),
}
# Tolerance around an extent (about 110 km): coastal waters, islands and generous official outlines
# pass, while swapped axes (tens of degrees away) and a neighbouring country's layer do not.
MARGIN_DEGREES = 1.0


def allowed_extent(country: str) -> tuple[float, float, float, float]:
    """The country's extent widened by MARGIN_DEGREES on every side."""
    west, south, east, north = COUNTRY_EXTENTS[country]
    return west - MARGIN_DEGREES, south - MARGIN_DEGREES, east + MARGIN_DEGREES, north + MARGIN_DEGREES


def within(bounds: np.ndarray, extent: tuple[float, float, float, float]) -> np.ndarray:
    """Whether each (minx, miny, maxx, maxy) row of `bounds` lies inside `extent`."""
    bounds = np.atleast_2d(bounds)
    west, south, east, north = extent
    return (bounds[:, 0] >= west) & (bounds[:, 1] >= south) & (bounds[:, 2] <= east) & (bounds[:, 3] <= north)


def swapped(bounds: np.ndarray) -> np.ndarray:
    """The same bounds with x and y exchanged."""
    return np.atleast_2d(bounds)[:, [1, 0, 3, 2]]


def degrees_text(bounds: np.ndarray | tuple) -> str:
    """'x -69.10 … -68.80, y -16.60 … -16.50' for (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bounds
    return f"x {minx:.2f} … {maxx:.2f}, y {miny:.2f} … {maxy:.2f}"


def country_containing(bounds: np.ndarray) -> str | None:
    """The first of the four countries whose extent holds the whole of `bounds`, else None."""
    return next((country for country in COUNTRY_EXTENTS if within(bounds, allowed_extent(country))[0]), None)


def check_extent(frame: gpd.GeoDataFrame, path: str | Path, country: str) -> None:
    """Refuse a layer (EPSG:4326, columns code and geometry) whose units do not lie in `country`.

    Every unit outside: the reason is named (axes exchanged, another of the four countries,
    somewhere else, such as projected coordinates read as degrees). Some units outside: their codes.
    """
    if frame.empty:
        return
    bounds = frame.geometry.bounds.to_numpy()
    extent = allowed_extent(country)
    inside = within(bounds, extent)
    if inside.all():
        return
    where = {"country": country, "bounds": degrees_text(frame.total_bounds),
             "extent": degrees_text(COUNTRY_EXTENTS[country])}
    if inside.any():
        outside = sorted(frame.loc[~inside, "code"])
        raise ExtentError(path, "units_outside_country", count=len(outside), codes=listing(outside), **where)
    if within(swapped(bounds), extent).all():
        raise ExtentError(path, "axes_swapped", **where)
    other = country_containing(frame.total_bounds)
    if other is not None and other != country:
        raise ExtentError(path, "layer_in_other_country", other=other, **where)
    raise ExtentError(path, "layer_outside_country", **where)
