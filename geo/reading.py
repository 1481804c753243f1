"""Reading one boundary file of any supported format into a GeoDataFrame in EPSG:4326.

Formats: GeoJSON, GeoPackage, shapefile (.shp with its side files) and zipped shapefile.
Attributes come back as stored; `geo.boundaries` turns them into canonical columns.
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
from geo.errors import (CrsError, FileTooLargeError, MissingCrsError, UnreadableBoundaryError, UnsafeArchiveError,
                        listing)

TARGET_CRS = "EPSG:4326"
SUPPORTED_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")
SHAPEFILE_SUFFIXES = (".shp", ".zip")
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

    `source_crs` is used only when the file declares no CRS (a GeoJSON without `crs`
    member is WGS 84 by RFC 7946, so only shapefiles and GeoPackages can lack one).
    """
    path = Path(path)
    if not path.is_file():
        raise UnreadableBoundaryError(path, "not_found")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableBoundaryError(path, "unsupported_format")
    _check_file_size(path)
    if path.suffix.lower() == ".shp":
        _check_parts(path, path.with_suffix("").name, [p.name for p in path.parent.iterdir()])
    dataset = _zipped_shapefile(path) if path.suffix.lower() == ".zip" else str(path)
    frame = _read_single_layer(path, dataset)
    return _to_target_crs(_with_crs(frame, path, source_crs), path)


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


def _zipped_shapefile(path: Path) -> str:
    """GDAL path of the one shapefile inside the zip, after checking every entry.

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
    names = [info.filename for info in infos if not info.is_dir()]
    shapefiles = [name for name in names if _is_shapefile_entry(name)]
    if not shapefiles:
        archives = [name for name in names if name.lower().endswith(ARCHIVE_SUFFIXES)]
        if archives:
            raise UnreadableBoundaryError(path, "nested_archive", archives=listing(archives))
        raise UnreadableBoundaryError(path, "no_shapefile_in_archive")
    if len(shapefiles) > 1:
        raise UnreadableBoundaryError(path, "several_layers", layers=listing(shapefiles))
    stem = shapefiles[0][: -len(".shp")]
    _check_parts(path, stem, names)
    return f"/vsizip/{path.resolve()}/{shapefiles[0]}"


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


def _is_shapefile_entry(name: str) -> bool:
    # macOS archivers add '__MACOSX/._name.shp' resource forks next to the real files.
    base = name.rsplit("/", 1)[-1]
    return name.lower().endswith(".shp") and not name.startswith("__MACOSX/") and not base.startswith("._")


def _read_single_layer(path: Path, dataset: str) -> gpd.GeoDataFrame:
    try:
        layers = pyogrio.list_layers(dataset)
        if len(layers) > 1:
            raise UnreadableBoundaryError(path, "several_layers", layers=listing(list(layers[:, 0])))
        return pyogrio.read_dataframe(dataset)
    except _PYOGRIO_ERRORS as exc:
        raise UnreadableBoundaryError(path, "unreadable", detail=str(exc)) from exc


def _with_crs(frame: gpd.GeoDataFrame, path: Path, source_crs: str | None) -> gpd.GeoDataFrame:
    """The frame with a CRS: its own if declared (it wins over source_crs), else source_crs."""
    if frame.crs is not None:
        return frame
    if source_crs is None:
        shapefile = path.suffix.lower() in SHAPEFILE_SUFFIXES
        raise MissingCrsError(path, "missing_crs_shapefile" if shapefile else "missing_crs")
    try:
        crs = pyproj.CRS.from_user_input(source_crs)
    except pyproj.exceptions.CRSError as exc:
        raise CrsError(path, "unknown_crs", crs=source_crs) from exc
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
    if present.empty:
        return result  # nothing to check; geo.boundaries reports a file without polygons
    bounds = present.total_bounds
    inside = np.isfinite(bounds).all() and -180.5 <= bounds[0] <= bounds[2] <= 180.5 \
        and -90.5 <= bounds[1] <= bounds[3] <= 90.5
    if not inside:
        raise CrsError(path, "coordinates_out_of_range", source_crs=source, target_crs=TARGET_CRS,
                       bounds=_bounds_text(frame.total_bounds))
    return result


def _bounds_text(bounds: np.ndarray) -> str:
    minx, miny, maxx, maxy = bounds
    return f"x {minx:.6g} … {maxx:.6g}, y {miny:.6g} … {maxy:.6g}"
