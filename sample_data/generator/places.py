"""Places of the sample: municipality codes resolved by name in the territorial catalogue, polygons.

Codes are never typed in the generator (only department codes are): every municipality is
looked up by name in `geo.units.territorial_units()`, and a missing name stops generation.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

import settings
from geo.units import BOUNDARY_LAYERS, territorial_units
from sample_data.generator.common import exact_choice

# (department code, municipality name, weight) as written in a place table.
PlaceSpec = tuple[str, str, float]


class UnknownPlaceError(LookupError):
    """A municipality name of the generator that the territorial catalogue does not know."""


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def resolve(country: str, specs: list[PlaceSpec]) -> pd.DataFrame:
    """Place table -> frame: country, municipality_code, department_code, name, weight."""
    units = territorial_units()
    municipalities = units[(units["country"] == country) & (units["level"] == "municipality")]
    rows = []
    for department, name, weight in specs:
        match = municipalities[(municipalities["department_code"] == department)
                               & (municipalities["name"].map(_key) == _key(name))]
        if len(match) != 1:
            known = sorted(municipalities.loc[municipalities["department_code"] == department, "name"])
            raise UnknownPlaceError(
                f"{country} municipality {name!r} in department {department} matched {len(match)} units "
                f"of the catalogue; names there: {', '.join(known)}")
        rows.append((country, match["code"].iloc[0], match["department_code"].iloc[0], name, weight))
    return pd.DataFrame(rows, columns=["country", "municipality_code", "department_code", "name", "weight"])


def _layer_path(country: str) -> Path:
    file_name = next(f for c, level, f in BOUNDARY_LAYERS if c == country and level == "municipality")
    return Path(settings.geo_dir()) / file_name


def check_provinces(places: pd.DataFrame, country: str, parent_codes: tuple[str, ...]) -> None:
    """Fail unless every place lies in one of the provinces (parent_code in the boundary file)."""
    attributes = pyogrio.read_dataframe(_layer_path(country), read_geometry=False)
    parents = dict(zip(attributes["code"].astype(str), attributes["parent_code"].astype(str)))
    outside = [f"{row.name} ({row.municipality_code})" for row in places.itertuples()
               if parents.get(row.municipality_code) not in parent_codes]
    if outside:
        raise UnknownPlaceError(f"{country} places outside provinces {parent_codes}: {', '.join(outside)}")


@lru_cache(maxsize=4)
def polygons(country: str) -> gpd.GeoSeries:
    """Municipality polygons of one country (EPSG:4326), indexed by municipality code."""
    layer = gpd.read_file(_layer_path(country))
    return layer.set_index(layer["code"].astype(str)).geometry


def sample_point(rng: np.random.Generator, area: shapely.Geometry, decimals: int = 5) -> tuple[float, float]:
    """One (lat, lon) uniform inside `area` by seeded rejection sampling, rounded to `decimals`."""
    min_x, min_y, max_x, max_y = area.bounds
    while True:
        x = np.round(rng.uniform(min_x, max_x, 64), decimals)
        y = np.round(rng.uniform(min_y, max_y, 64), decimals)
        inside = np.flatnonzero(shapely.contains_xy(area, x, y))
        if len(inside):
            return float(y[inside[0]]), float(x[inside[0]])


def near(area: shapely.Geometry, anchor: shapely.Point, radius: float) -> shapely.Geometry:
    """The part of `area` within `radius` degrees of `anchor` (the whole area if that part is tiny)."""
    part = area.intersection(anchor.buffer(radius))
    return part if part.area > 0.05 * anchor.buffer(radius).area else area


def assign(rng: np.random.Generator, n: int, table: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Spread `n` people over the places of `table` exactly by weight, in random order.

    Returns the row of `table` of each person and the country / department / municipality columns.
    """
    row = exact_choice(rng, n, np.arange(len(table)), table["weight"].to_numpy())
    columns = {name: table[name].to_numpy(dtype=object)[row]
               for name in ("country", "department_code", "municipality_code")}
    return row, columns
