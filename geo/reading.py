"""Reading one boundary file of any supported format into a GeoDataFrame in EPSG:4326.

Formats: GeoJSON, GeoPackage, shapefile (.shp with its side files), KML, and a .zip (or .kmz)
holding one layer of any of them, in any folder. Attributes come back as stored (a KML
placemark's `Name` as `name`); `geo.boundaries` turns them into canonical columns.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.errors
import pyproj
import pyproj.exceptions

import settings
from geo.errors import (CrsError, ExtentError, FileTooLargeError, MissingCrsError, UnreadableBoundaryError,
                        UnsafeArchiveError, listing)
from geo.extents import degrees_text, swapped, within

TARGET_CRS = "EPSG:4326"
# attrs key of a frame read by read_vector: the CRS its coordinates were read in ('EPSG:32615').
SOURCE_CRS_KEY = "source_crs"
SUPPORTED_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".kml", ".zip", ".kmz")
ZIP_SUFFIXES = (".zip", ".kmz")  # a .kmz is a zip holding doc.kml
# Layers looked for inside a zip; a .json counts only when nothing else does (exports add metadata .json files).
ZIPPED_LAYER_SUFFIXES = (".shp", ".geojson", ".gpkg", ".kml")
LON_LAT_RANGE = (-180.5, -90.5, 180.5, 90.5)
MB = 1024 * 1024
# Entries of at least this size that expand more than MAX_COMPRESSION_RATIO times are refused:
# shapefiles compress a few times (padded .dbf text up to a few dozen), zeros about 1,000 times.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 5 * MB
SHAPEFILE_REQUIRED_PARTS = (".shx", ".dbf")  # the .prj may be replaced by source_crs
ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar", ".gz", ".tgz", ".tar")
_PYOGRIO_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
)
_DRIVE = re.compile(r"^[A-Za-z]:")


def read_vector(path: str | Path, source_crs: str | None = None) -> gpd.GeoDataFrame:
    """All features of the file's single layer, reprojected to EPSG:4326.

    `source_crs` (an EPSG code such as 'EPSG:32615') is used only when the file declares no
    CRS (a GeoJSON without `crs` member is WGS 84 by RFC 7946, so only shapefiles and
    GeoPackages can lack one). A .prj GDAL cannot read (WKT2, as QGIS writes it) is read by pyproj.
    """
    path = Path(path)
    if not path.is_file():
        raise UnreadableBoundaryError(path, "not_found")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableBoundaryError(path, "unsupported_format")
    _check_file_size(path)
    if path.suffix.lower() == ".shp":
        _check_parts(path, path.with_suffix("").name, [p.name for p in path.parent.iterdir()])
    entry = _zipped_layer(path) if path.suffix.lower() in ZIP_SUFFIXES else None
    dataset = f"/vsizip/{path.resolve()}/{entry}" if entry else str(path)
    frame = _read_single_layer(path, dataset)
    if (entry or path.name).lower().endswith(".kml") and "name" not in frame.columns:
        frame = frame.rename(columns={"Name": "name"})  # a placemark's <name>
    shapefile = (entry or path.name).lower().endswith(".shp")
    if frame.crs is None and shapefile:
        prj = _prj_crs(path, entry)
        frame = frame if prj is None else frame.set_crs(prj)
    return _to_target_crs(_with_crs(frame, path, source_crs, shapefile), path)


def unsafe_entries(names: list[str]) -> list[str]:
    """Zip entry names that would escape the extraction folder (absolute, drive, '..')."""
    def unsafe(name: str) -> bool:
        parts = re.split(r"[\\/]", name)
        return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts
    return [name for name in names if unsafe(name)]


def max_unzipped_bytes() -> int:
    """Largest total size a zip may expand to (setting max_unzipped_mb)."""
    return int(float(settings.get("max_unzipped_mb")) * MB)


def _check_file_size(path: Path) -> None:
    limit_mb = float(settings.get("max_upload_mb"))
    size = path.stat().st_size
    if size > limit_mb * MB:
        raise FileTooLargeError(path, size_mb=size / MB, limit_mb=limit_mb)


def _zipped_layer(path: Path) -> str:
    """Name of the one boundary layer inside the zip (in any folder), after checking every entry.

    Refused before anything is extracted: entries escaping the folder (absolute, drive, '..'),
    a total expanded size above max_unzipped_mb, an absurd compression ratio, and entries
    whose data do not match their declared size (read through, bounded by that size).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_archive(path, infos)
            for info in infos:  # zipfile stops at the declared size and checks the CRC
                with archive.open(info) as entry:
                    while entry.read(MB):
                        pass
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableBoundaryError(path, "broken_archive") from exc
    names = [info.filename for info in infos if not info.is_dir() and not _is_metadata_entry(info.filename)]
    layers = _layer_entries(names)
    if len(layers) > 1:
        raise UnreadableBoundaryError(path, "several_layers", layers=listing(layers))
    if not layers:
        _explain_missing_layer(path, names)
    if layers[0].lower().endswith(".shp"):
        _check_parts(path, layers[0][: -len(".shp")], names)
    return layers[0]


def _layer_entries(names: list[str]) -> list[str]:
    layers = [name for name in names if name.lower().endswith(ZIPPED_LAYER_SUFFIXES)]
    return layers or [name for name in names if name.lower().endswith(".json")]


def _explain_missing_layer(path: Path, names: list[str]) -> None:
    """Raise the error that says what the zip holds instead of a layer, and what to do."""
    archives = [name for name in names if name.lower().endswith(ARCHIVE_SUFFIXES)]
    if archives:
        raise UnreadableBoundaryError(path, "nested_archive", archives=listing(archives))
    parts = [name for name in names if name.lower().endswith(SHAPEFILE_REQUIRED_PARTS)]
    if parts:  # the .dbf and .shx of a shapefile whose .shp was left out
        layer = f"{parts[0].rsplit('/', 1)[-1].rsplit('.', 1)[0]}.shp"
        raise UnreadableBoundaryError(path, "missing_shp", layer=layer, parts=listing(sorted(parts)))
    if not names:
        raise UnreadableBoundaryError(path, "empty_archive")
    raise UnreadableBoundaryError(path, "no_layer_in_archive", entries=listing(names))


def _check_archive(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    unsafe = unsafe_entries([info.filename for info in infos])
    if unsafe:
        raise UnsafeArchiveError(path, entries=listing(unsafe))
    total = sum(info.file_size for info in infos)
    limit = max_unzipped_bytes()
    if total > limit:
        raise UnsafeArchiveError(path, "archive_too_large", size_mb=total / MB,
                                 limit_mb=float(settings.get("max_unzipped_mb")))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise UnsafeArchiveError(path, "archive_ratio", entry=info.filename, ratio=f"{ratio:.0f}",
                                     size_mb=info.file_size / MB)


def _check_parts(path: Path, stem: str, names: list[str]) -> None:
    """The .shx and .dbf beside the .shp (same folder, same name, any case), else name what lacks."""
    present = {name.lower() for name in names}
    missing = [suffix for suffix in SHAPEFILE_REQUIRED_PARTS if f"{stem}{suffix}".lower() not in present]
    if not missing:
        return
    base = stem.rsplit("/", 1)[-1].lower()
    elsewhere = [name for name in names
                 if name.lower().rsplit("/", 1)[-1] in {f"{base}{suffix}" for suffix in missing}]
    layer = f"{stem.rsplit('/', 1)[-1]}.shp"
    if elsewhere:
        raise UnreadableBoundaryError(path, "shapefile_parts_elsewhere", layer=layer,
                                      elsewhere=listing([f"{stem}.shp", *elsewhere]))
    raise UnreadableBoundaryError(path, "missing_shapefile_parts", layer=layer,
                                  parts=listing([f"{stem.rsplit('/', 1)[-1]}{suffix}" for suffix in missing]))


def _is_metadata_entry(name: str) -> bool:
    # macOS archivers add '__MACOSX/._name.shp' resource forks next to the real files.
    return name.startswith("__MACOSX/") or name.rsplit("/", 1)[-1].startswith("._")


def _prj_crs(path: Path, entry: str | None) -> pyproj.CRS | None:
    """The CRS of a shapefile's .prj that GDAL left unread (None without one); CrsError when unreadable."""
    shapefile = entry or path.name
    wanted = f"{shapefile[: -len('.shp')]}.prj".lower()
    if entry is None:
        found = [p for p in path.parent.iterdir() if p.name.lower() == wanted]
        text = found[0].read_text(encoding="utf-8", errors="replace") if found else None
    else:
        with zipfile.ZipFile(path) as archive:
            found = [name for name in archive.namelist() if name.lower() == wanted]
            text = archive.read(found[0]).decode("utf-8", errors="replace") if found else None
    if text is None or not text.strip():
        return None
    try:
        return pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as exc:
        raise CrsError(path, "unreadable_prj", layer=shapefile.rsplit("/", 1)[-1]) from exc


def _read_single_layer(path: Path, dataset: str) -> gpd.GeoDataFrame:
    try:
        layers = pyogrio.list_layers(dataset)
        if len(layers) > 1:
            raise UnreadableBoundaryError(path, "several_layers", layers=listing(list(layers[:, 0])))
        return pyogrio.read_dataframe(dataset)
    except _PYOGRIO_ERRORS as exc:
        raise UnreadableBoundaryError(path, "unreadable", detail=str(exc)) from exc


def _with_crs(frame: gpd.GeoDataFrame, path: Path, source_crs: str | None, shapefile: bool) -> gpd.GeoDataFrame:
    """The frame with a CRS: its own if declared (it wins over source_crs), else source_crs."""
    if frame.crs is not None:
        return frame
    if source_crs is None:
        raise MissingCrsError(path, "missing_crs_shapefile" if shapefile else "missing_crs")
    try:
        crs = pyproj.CRS.from_user_input(source_crs)
    except pyproj.exceptions.CRSError as exc:
        raise CrsError(path, "unknown_crs", crs=source_crs) from exc
    if not (crs.is_geographic or crs.is_projected):  # a vertical or geocentric code places nothing on a map
        raise CrsError(path, "not_a_map_crs", crs=source_crs)
    return frame.set_crs(crs)


def crs_label(crs: pyproj.CRS) -> str:
    """'EPSG:32615' when the CRS has an authority code, else its name."""
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else crs.name


def _to_target_crs(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 and check the result is longitude/latitude."""
    source = crs_label(frame.crs)
    try:
        result = frame.to_crs(TARGET_CRS)
    except pyproj.exceptions.ProjError as exc:
        raise CrsError(path, "coordinates_out_of_range", source_crs=source, target_crs=TARGET_CRS,
                       bounds="?") from exc
    present = result.geometry[~(result.geometry.isna() | result.geometry.is_empty)]
    result.attrs[SOURCE_CRS_KEY] = source
    if present.empty:
        return result  # nothing to check; geo.boundaries reports a file without polygons
    bounds = present.total_bounds
    if not (np.isfinite(bounds).all() and within(bounds, LON_LAT_RANGE)[0]):
        if frame.crs.is_geographic and within(swapped(frame.total_bounds), LON_LAT_RANGE)[0]:
            raise ExtentError(path, "axes_swapped_out_of_range", bounds=degrees_text(frame.total_bounds))
        raise CrsError(path, "coordinates_out_of_range", source_crs=source, target_crs=TARGET_CRS,
                       bounds=_bounds_text(frame.total_bounds))
    return result


def _bounds_text(bounds: np.ndarray) -> str:
    minx, miny, maxx, maxy = bounds
    return f"x {minx:.6g} … {maxx:.6g}, y {miny:.6g} … {maxy:.6g}"
