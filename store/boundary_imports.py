"""Importing a boundary file for one country and level: validate, preview against current units and data, commit.

The units go into the store's `boundary_units` table (geometry as WKB, EPSG:4326) through
the same working-copy-and-rename as every import, so they are backed up and can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from data_loaders.errors import LoaderError
from data_loaders.limits import check_upload_size
from geo.boundaries import REPORT_KEY, check_known_codes, load_layer, read_boundaries
from geo.errors import BoundaryError
from geo.extents import check_extent
from geo.reading import SOURCE_CRS_KEY
from geo.join import join_by_code
from store.backup import change_store, store_lock
from store.database import ImportSummary, file_checksum, open_store, replace_boundaries

DATASET = "boundaries"
# Tables whose rows name a municipality (country + municipality_code) or a department.
PLACE_TABLES = ("participants", "awareness_sessions", "network_institutions", "municipal_policies",
                "base_organisations")


@dataclass
class BoundaryValidation:
    file_name: str
    checksum: str
    frame: gpd.GeoDataFrame | None
    error: BoundaryError | LoaderError | None = None
    report: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.frame is not None

    @property
    def source_crs(self) -> str | None:
        """The CRS the coordinates were read in ('EPSG:32615'), None when refused."""
        return None if self.frame is None else self.frame.attrs.get(SOURCE_CRS_KEY)


def validate_boundaries(path: Path, country: str, level: str, source_crs: str | None = None) -> BoundaryValidation:
    """Read an uploaded boundary file (size limit first); the error says plainly what is wrong.

    `source_crs` ('EPSG:32615') is the CRS of a file that declares none (a shapefile without .prj).
    """
    checksum = file_checksum(path)
    try:
        check_upload_size(path)
        frame = read_boundaries(path, country=country, level=level, source_crs=source_crs)
        check_known_codes(frame, path, country, level)  # raises when no code is a known unit (wrong file)
        check_extent(frame, path, country)  # raises when units lie elsewhere (axes swapped, another country)
    except (BoundaryError, LoaderError) as error:
        return BoundaryValidation(path.name, checksum, None, error)
    return BoundaryValidation(path.name, checksum, frame, None, frame.attrs.get(REPORT_KEY, {}))


@dataclass(frozen=True)
class BoundaryPreview:
    added: list[str]
    changed: list[str]
    unchanged: list[str]
    missing: list[str]  # current units the file lacks
    unmatched: list[str]  # codes used by the data with no unit in the file


def current_units(con: duckdb.DuckDBPyConnection, country: str, level: str) -> gpd.GeoDataFrame:
    """Units imported earlier for (country, level), else the shipped layer, else none."""
    stored = con.execute("SELECT code, name, geometry_wkb FROM boundary_units WHERE country = ? AND level = ?",
                         [country, level]).df() if _has_table(con) else pd.DataFrame()
    if not stored.empty:
        geometry = shapely.from_wkb(stored["geometry_wkb"].map(bytes).to_numpy())
        return gpd.GeoDataFrame(stored[["code", "name"]], geometry=geometry, crs="EPSG:4326")
    try:
        return load_layer(country, level)[["code", "name", "geometry"]]
    except ValueError:  # no shipped layer (Colombian municipalities)
        return gpd.GeoDataFrame({"code": [], "name": []}, geometry=[], crs="EPSG:4326")


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'boundary_units'"
                       ).fetchone()[0] > 0


def data_codes(con: duckdb.DuckDBPyConnection, country: str, level: str) -> list[str]:
    """Codes of `country` at `level` that the loaded data uses."""
    column = "municipality_code" if level == "municipality" else "department_code"
    parts = []
    for table in PLACE_TABLES:
        columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                             "WHERE table_name = ?", [table]).fetchall()}
        if level == "department" and column not in columns:
            column_sql = "substr(municipality_code, 1, 2)"
        else:
            column_sql = f'"{column}"'
        parts.append(f'SELECT {column_sql} AS code FROM "{table}" WHERE country = ? AND {column_sql} IS NOT NULL')
    sql = " UNION ".join(parts)
    return sorted(row[0] for row in con.execute(sql, [country] * len(PLACE_TABLES)).fetchall())


def preview_boundaries(con: duckdb.DuckDBPyConnection, frame: gpd.GeoDataFrame, country: str,
                       level: str) -> BoundaryPreview:
    """Units added / changed (name or geometry) / unchanged / missing, and data codes left without a unit."""
    current = current_units(con, country, level).set_index("code")
    incoming = frame.set_index("code")
    added = sorted(set(incoming.index) - set(current.index))
    missing = sorted(set(current.index) - set(incoming.index))
    changed, unchanged = [], []
    for code in sorted(set(incoming.index) & set(current.index)):
        same_name = incoming.at[code, "name"] == current.at[code, "name"]
        same_shape = shapely.equals_exact(shapely.normalize(incoming.at[code, "geometry"]),
                                          shapely.normalize(current.at[code, "geometry"]), tolerance=1e-7)
        (unchanged if same_name and same_shape else changed).append(code)
    values = pd.DataFrame({"code": data_codes(con, country, level)})
    joined = join_by_code(incoming.reset_index()[["code"]], values)
    return BoundaryPreview(added, changed, unchanged, missing, joined.unmatched_value_codes)


def import_boundary_file(store: Path, path: Path, country: str, level: str, user: str,
                         file_name: str | None = None, source_crs: str | None = None) -> ImportSummary:
    """Replace the units of (country, level) with the file's, in one transaction, backing up the store."""
    file_name = file_name or path.name
    validation = validate_boundaries(path, country, level, source_crs)
    if not validation.ok:
        raise validation.error
    frame = validation.frame
    with store_lock(store):
        con = open_store(store)
        try:
            preview = preview_boundaries(con, frame, country, level)
            version = int(con.execute("SELECT coalesce(max(import_id), 0) FROM import_log").fetchone()[0])
        finally:
            con.close()
        summary = ImportSummary(f"{DATASET}:{country}:{level}", file_name, validation.checksum, len(frame),
                                len(preview.added), len(preview.changed), len(preview.unchanged))
        meta = {"data_version": version, "dataset": summary.dataset, "file_name": file_name, "user": user}
        change_store(store, lambda work: replace_boundaries(work, country, level, frame, summary, user), meta)
    return summary


def sync_boundary_files(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Write the store's imported layers as GeoJSON files in `folder` (read by geo.overrides), drop stale ones.

    Called whenever the app opens a store, so an import, an undo or a restored backup reaches the maps.
    """
    wanted: dict[str, gpd.GeoDataFrame] = {}
    if _has_table(con):
        pairs = con.execute("SELECT DISTINCT country, level FROM boundary_units").fetchall()
        wanted = {f"{country}_{level}.geojson": current_units(con, country, level) for country, level in pairs}
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.geojson"):
        if stale.name not in wanted:
            stale.unlink()
    for name, units in wanted.items():
        target = folder / name
        text = units[["code", "name", "geometry"]].to_json(drop_id=True)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue  # unchanged: keep its time stamp, so layer caches stay warm
        partial = target.with_suffix(".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
