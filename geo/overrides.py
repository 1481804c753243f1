"""Boundary layers imported on the Data page, which replace the shipped ones for their country and level.

The store keeps imported units (table boundary_units, covered by backups and undo); the app
writes them as GeoJSON files into <data_dir>/boundaries/ whenever it opens a store
(store.boundary_imports.sync_boundary_files). Layer caches are keyed on `layers_key()`, which
changes whenever those files change, so a confirmed import or an undo shows on the maps.
"""

from __future__ import annotations

from pathlib import Path

import settings


def override_dir() -> Path:
    return settings.data_dir() / "boundaries"


def override_path(country: str, level: str) -> Path:
    return override_dir() / f"{country}_{level}.geojson"


def layers_key() -> str:
    """A cache key for every layer: the shipped folder and the imported files with their modification times."""
    folder = override_dir()
    stamps = sorted(f"{p.name}@{p.stat().st_mtime_ns}" for p in folder.glob("*.geojson")) if folder.is_dir() else []
    return "|".join([str(settings.geo_dir()), *stamps])
