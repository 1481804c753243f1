"""The catalogue of territorial units (codes and names) the dashboard knows, from the boundary files.

This is the reference for matching codes and names from forms; geometry is read elsewhere
(`geo.boundaries`). Colombian municipalities have no polygons here, so their codes and
names come from a small DIVIPOLA extract (`col_municipalities.csv`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyogrio

import settings

# Boundary layers shipped in sample_data/geo: (country, level, file name).
# level is "department" or "municipality" (Bolivian municipios / Peruvian distritos are
# municipalities for the dashboard, whatever their adm_level in the source).
BOUNDARY_LAYERS: tuple[tuple[str, str, str], ...] = (
    ("GTM", "department", "gtm_adm1.geojson"),
    ("GTM", "municipality", "gtm_adm2_shp.zip"),
    ("BOL", "department", "bol_adm1.geojson"),
    ("BOL", "municipality", "bol_adm3_lapaz.geojson"),
    ("PER", "department", "per_adm1.geojson"),
    ("PER", "municipality", "per_adm3_puno.geojson"),
    ("COL", "department", "col_adm1.geojson"),
)
LEVELS = ("department", "municipality")
REGION_LAYER = "region_adm0.geojson"
COLOMBIA_MUNICIPALITIES = "col_municipalities.csv"

# Shapefile attribute names are cut to 10 characters; map them back to the common names.
SHAPEFILE_COLUMNS = {"parent_cd": "parent_code", "parent_nm": "parent_name"}

UNIT_COLUMNS = ["country", "level", "code", "name", "department_code", "department_name", "has_geometry"]


def layer_file(country: str, level: str) -> str:
    """File name of the shipped boundary layer of `country` at `level`; ValueError if there is none."""
    for layer_country, layer_level, file_name in BOUNDARY_LAYERS:
        if (layer_country, layer_level) == (country, level):
            return file_name
    available = ", ".join(f"{c} {lv}" for c, lv, _ in BOUNDARY_LAYERS)
    raise ValueError(f"No boundary layer for {country} {level}; available: {available}")


def has_layer(country: str, level: str) -> bool:
    """Whether polygons are shipped for `country` at `level` (not for Colombian municipalities)."""
    return any((c, lv) == (country, level) for c, lv, _ in BOUNDARY_LAYERS)


def layer_countries(level: str) -> tuple[str, ...]:
    """Countries with a shipped layer at `level`, in BOUNDARY_LAYERS order."""
    return tuple(c for c, lv, _ in BOUNDARY_LAYERS if lv == level)


def _read_attributes(path: Path) -> pd.DataFrame:
    frame = pyogrio.read_dataframe(path, read_geometry=False)
    return frame.rename(columns=SHAPEFILE_COLUMNS)


@lru_cache(maxsize=4)
def territorial_units(geo_dir: str | None = None) -> pd.DataFrame:
    """One row per department and municipality: country, level, code, name, department.

    `has_geometry` is False for units known by code only (Colombian municipalities).
    """
    folder = Path(geo_dir or settings.geo_dir())
    frames = []
    for country, level, file_name in BOUNDARY_LAYERS:
        attributes = _read_attributes(folder / file_name)
        frames.append(pd.DataFrame({
            "country": country,
            "level": level,
            "code": attributes["code"].astype(str),
            "name": attributes["name"].astype(str),
            "department_code": attributes["adm1_code"].astype(str),
            "department_name": attributes["adm1_name"].astype(str),
            "has_geometry": True,
        }))
    colombia = pd.read_csv(folder / COLOMBIA_MUNICIPALITIES, dtype=str)
    frames.append(pd.DataFrame({
        "country": "COL",
        "level": "municipality",
        "code": colombia["code"],
        "name": colombia["name"],
        "department_code": colombia["department_code"],
        "department_name": colombia["department_name"],
        "has_geometry": False,
    }))
    return pd.concat(frames, ignore_index=True)[UNIT_COLUMNS]
