"""Boundary layers as canonical GeoDataFrames: one row per territorial unit, codes normalised, EPSG:4326.

`read_boundaries` reads any supported file (an upload or a shipped layer); `load_layer`
and `load_region_outlines` read the shipped layers once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

import settings
from geo.codes import CODE_WIDTHS, InvalidCodeError, normalise_code
from geo.errors import (
    DuplicateCodeError,
    InvalidBoundaryCodeError,
    MissingCodeColumnError,
    MissingColumnError,
    UnknownBoundaryCodesError,
    UnreadableBoundaryError,
    listing,
)
from geo.geometry import polygonal
from geo.overrides import layers_key, override_path
from geo.reading import SOURCE_CRS_KEY, TARGET_CRS, read_vector
from geo.units import LEVELS, REGION_LAYER, SHAPEFILE_COLUMNS, layer_file, territorial_units

OUTPUT_COLUMNS = ["country", "level", "code", "name", "department_code", "department_name", "geometry"]
REGION_COLUMNS = ["iso3", "name", "geometry"]
# frame.attrs[REPORT_KEY]: what was fixed or dropped while reading, for the upload page to show.
REPORT_KEY = "boundary_report"


def read_boundaries(
    path: str | Path,
    *,
    country: str,
    level: str,
    code_column: str = "code",
    name_column: str = "name",
    source_crs: str | None = None,
) -> gpd.GeoDataFrame:
    """Canonical units of one boundary file (columns OUTPUT_COLUMNS, EPSG:4326).

    Invalid geometries are repaired (`attrs[REPORT_KEY]["repaired"]`); features without
    code or without polygonal geometry are dropped and listed under "dropped_without_code"
    and "dropped_empty"; `attrs[SOURCE_CRS_KEY]` names the CRS the file was read in.
    Raises a geo.errors.BoundaryError for anything unusable.
    """
    _check_layer_key(country, level)
    path = Path(path)
    raw = read_vector(path, source_crs)
    read_in = raw.attrs.get(SOURCE_CRS_KEY)
    raw = raw.rename(columns=SHAPEFILE_COLUMNS)
    _require_column(raw, path, code_column, MissingCodeColumnError)
    _require_column(raw, path, name_column, MissingColumnError)
    geometries, repaired = polygonal(raw.geometry.values)
    if all(geometry is None for geometry in geometries):
        raise UnreadableBoundaryError(path, "no_polygons")
    codes = _normalised_codes(raw[code_column], path, country, level)
    _reject_duplicates(codes, path)
    frame = _canonical_frame(raw, codes, geometries, country, level, name_column)
    keep = codes.notna().to_numpy() & frame.geometry.notna().to_numpy()
    frame = frame[keep].reset_index(drop=True)
    frame.attrs[REPORT_KEY] = _report(raw[name_column], codes, geometries, repaired)
    frame.attrs[SOURCE_CRS_KEY] = read_in
    return frame


def check_known_codes(frame: gpd.GeoDataFrame, path: str | Path, country: str, level: str) -> list[str]:
    """Codes of a read boundary file that are not known units of `country` at `level` (sorted).

    Raises UnknownBoundaryCodesError when none is known: the file is of another country or
    level (or uses another coding). Some unknown codes (a new municipality) are returned for
    the upload preview to list.
    """
    table = territorial_units()
    known = set(table.loc[(table["country"] == country) & (table["level"] == level), "code"])
    codes = sorted(frame["code"])
    unknown = [code for code in codes if code not in known]
    if codes and len(unknown) == len(codes):
        raise UnknownBoundaryCodesError(path, count=len(codes), codes=listing(codes), country=country, level=level)
    return unknown


def load_layer(country: str, level: str) -> gpd.GeoDataFrame:
    """The layer of `country` at `level`: imported on the Data page if any (geo.overrides), else the
    shipped one (geo.units.BOUNDARY_LAYERS); read once per version of the files; a copy."""
    return _cached_layer(country, level, layers_key()).copy()


def load_region_outlines() -> gpd.GeoDataFrame:
    """Country outlines of Latin America for the base map: iso3, name, geometry; a copy."""
    return _cached_region(str(settings.geo_dir())).copy()


@lru_cache(maxsize=16)
def _cached_layer(country: str, level: str, key: str) -> gpd.GeoDataFrame:
    imported = override_path(country, level)
    path = imported if imported.exists() else settings.geo_dir() / layer_file(country, level)
    return read_boundaries(path, country=country, level=level)


@lru_cache(maxsize=2)
def _cached_region(geo_dir: str) -> gpd.GeoDataFrame:
    raw = read_vector(Path(geo_dir) / REGION_LAYER)
    geometries, _ = polygonal(raw.geometry.values)
    frame = gpd.GeoDataFrame(
        {"iso3": raw["iso3"].astype("str"), "name": raw["name"].astype("str")},
        geometry=geometries, crs=TARGET_CRS,
    )
    return frame[frame.geometry.notna()].reset_index(drop=True)[REGION_COLUMNS]


def _check_layer_key(country: str, level: str) -> None:
    if country not in CODE_WIDTHS or level not in LEVELS:
        raise ValueError(f"Unknown country/level {country!r}/{level!r}: "
                         f"country in {sorted(CODE_WIDTHS)}, level in {LEVELS}")


def _require_column(raw: pd.DataFrame, path: Path, column: str, error: type[MissingColumnError]) -> None:
    if column not in raw.columns:
        available = listing([c for c in raw.columns if c != raw.geometry.name])
        raise error(path, column=column, available=available)


def _normalised_codes(values: pd.Series, path: Path, country: str, level: str) -> pd.Series:
    """Zero-padded codes (None where empty); every invalid value reported at once."""
    codes, invalid = [], []
    for value in values:
        try:
            codes.append(normalise_code(value, country, level))
        except InvalidCodeError:
            invalid.append(repr(value) if not isinstance(value, str) else value)
            codes.append(None)
    if invalid:
        raise InvalidBoundaryCodeError(path, width=CODE_WIDTHS[country][level], codes=listing(invalid))
    return pd.Series(codes, dtype="str")


def _reject_duplicates(codes: pd.Series, path: Path) -> None:
    repeated = codes[codes.duplicated(keep=False) & codes.notna()]
    if not repeated.empty:
        raise DuplicateCodeError(path, codes=listing(sorted(repeated.unique())))


def _canonical_frame(raw: pd.DataFrame, codes: pd.Series, geometries: np.ndarray, country: str, level: str,
                     name_column: str) -> gpd.GeoDataFrame:
    """All rows, canonical columns; department code from the unit's code, its name from adm1_name if present."""
    names = raw[name_column].astype("str").str.strip()
    if level == "department":
        department_codes, department_names = codes, names
    else:
        # Every official municipal code starts with its department's two digits.
        department_codes = codes.str[:2]
        department_names = raw["adm1_name"] if "adm1_name" in raw else pd.Series([None] * len(raw))
    frame = gpd.GeoDataFrame({
        "country": country,
        "level": level,
        "code": codes.to_numpy(),
        "name": names.to_numpy(),
        "department_code": department_codes.to_numpy(),
        "department_name": department_names.to_numpy(),
    }, geometry=geometries, crs=TARGET_CRS)
    return frame.astype({c: "str" for c in OUTPUT_COLUMNS[:-1]})[OUTPUT_COLUMNS]


def _report(names: pd.Series, codes: pd.Series, geometries: np.ndarray, repaired: np.ndarray) -> dict:
    """Codes repaired or dropped for an empty geometry; names (or '#<feature number>') dropped for no code."""
    coded = codes.notna().to_numpy()
    empty = np.array([geometry is None for geometry in geometries], dtype=bool)
    return {
        "repaired": sorted(codes[coded & repaired & ~empty]),  # a repair that left nothing is a drop
        "dropped_without_code": [name.strip() if isinstance(name, str) and name.strip() else f"#{i + 1}"
                                 for i, name in enumerate(names) if not coded[i]],
        "dropped_empty": sorted(codes[coded & empty]),
    }
