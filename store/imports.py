"""Importing a file into the store: validate it completely first, then write it in one transaction.

A file that fails validation changes nothing; re-importing the same file changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from data_loaders.canonical import read_dataset
from store.database import ImportSummary, file_checksum, import_frame


def already_imported(con: duckdb.DuckDBPyConnection, dataset: str, checksum: str) -> bool:
    return con.execute(
        "SELECT count(*) > 0 FROM import_log WHERE dataset = ? AND checksum = ? AND result = 'ok'",
        [dataset, checksum],
    ).fetchone()[0]


def import_file(con: duckdb.DuckDBPyConnection, path: Path, dataset: str, imported_by: str) -> ImportSummary:
    """Validate `path` as `dataset` and upsert it; raises the loaders' errors before touching the store."""
    checksum = file_checksum(path)
    result = read_dataset(path, dataset)  # raises LoaderError with every problem
    if already_imported(con, dataset, checksum):
        rows = len(result.frame)
        return ImportSummary(dataset, path.name, checksum, rows, 0, 0, rows)
    return import_frame(con, dataset, result.frame, file_name=path.name, checksum=checksum,
                        imported_by=imported_by)
