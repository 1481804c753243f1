"""The embedded DuckDB store: table layout from the schemas, transactional imports, import log.

Validated frames go in; aggregates come out through `indicators`. Geometry stays in
geopandas (DuckDB's spatial extension cannot be downloaded here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa

from data_loaders.schemas import DATASET_KEYS, DATASETS

STORE_FILE = "conexion.duckdb"

IMPORT_LOG_DDL = """
CREATE TABLE IF NOT EXISTS import_log (
    import_id INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    checksum VARCHAR NOT NULL,
    rows_in_file INTEGER NOT NULL,
    rows_new INTEGER NOT NULL,
    rows_updated INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    result VARCHAR NOT NULL
)
"""


class StoreError(Exception):
    """The store file is missing, unreadable or does not hold the expected tables."""


@dataclass(frozen=True)
class ImportSummary:
    dataset: str
    file_name: str
    checksum: str
    rows_in_file: int
    rows_new: int
    rows_updated: int
    rows_unchanged: int = 0


def _sql_type(column: pa.Column) -> str:
    dtype = str(column.dtype)
    if dtype.startswith("datetime"):
        return "DATE"
    if dtype.startswith("int"):
        return "BIGINT"
    if dtype.startswith("float"):
        return "DOUBLE"
    if dtype == "bool":
        return "BOOLEAN"
    return "VARCHAR"


def table_ddl(dataset: str) -> str:
    """CREATE TABLE statement for a dataset, columns and types taken from its schema."""
    schema = DATASETS[dataset]
    columns = ",\n    ".join(f'"{name}" {_sql_type(col)}' for name, col in schema.columns.items())
    return f'CREATE TABLE IF NOT EXISTS "{dataset}" (\n    {columns}\n)'


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for dataset in DATASETS:
        con.execute(table_ddl(dataset))
    con.execute(IMPORT_LOG_DDL)


def _canonical_columns(dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = list(DATASETS[dataset].columns)
    out = frame[columns].copy()
    for name, column in DATASETS[dataset].columns.items():
        if str(column.dtype).startswith("datetime"):
            out[name] = pd.to_datetime(out[name]).dt.date
    return out


def import_frame(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    frame: pd.DataFrame,
    *,
    file_name: str,
    checksum: str,
    imported_by: str,
) -> ImportSummary:
    """Upsert a validated frame in one transaction and log it: all rows or none.

    Rows whose key already exists replace the stored row (an update, never a duplicate).
    """
    keys = DATASET_KEYS[dataset]
    rows = _canonical_columns(dataset, frame)
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("incoming", rows)
        key_match = " AND ".join(f't."{k}" = i."{k}"' for k in keys)
        existing = con.execute(
            f'SELECT count(*) FROM "{dataset}" t WHERE EXISTS (SELECT 1 FROM incoming i WHERE {key_match})'
        ).fetchone()[0]
        unchanged = con.execute(
            f'SELECT count(*) FROM (SELECT * FROM incoming INTERSECT SELECT * FROM "{dataset}")'
        ).fetchone()[0]
        con.execute(f'DELETE FROM "{dataset}" t WHERE EXISTS (SELECT 1 FROM incoming i WHERE {key_match})')
        con.execute(f'INSERT INTO "{dataset}" SELECT * FROM incoming')
        summary = ImportSummary(dataset, file_name, checksum, len(rows), len(rows) - existing,
                                existing - unchanged, unchanged)
        _log_import(con, summary, imported_by)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("incoming")
    return summary


def _log_import(con: duckdb.DuckDBPyConnection, summary: ImportSummary, imported_by: str) -> None:
    next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
    con.execute(
        "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok')",
        [next_id, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), imported_by, summary.dataset,
         summary.file_name, summary.checksum, summary.rows_in_file, summary.rows_new, summary.rows_updated,
         summary.rows_unchanged],
    )


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes with every import: the key of every data cache."""
    return int(con.execute("SELECT coalesce(max(import_id), 0) FROM import_log").fetchone()[0])


def import_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM import_log ORDER BY import_id").df()


def build_store(path: Path, sample_dir: Path, load_dataset) -> None:
    """Create a store at `path` from the canonical CSV files in `sample_dir`.

    Built in a temporary file and renamed, so a crash never leaves a half-built store.
    `load_dataset(path, dataset) -> DataFrame` reads and validates one file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".building-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    con = duckdb.connect(str(temporary))
    try:
        create_schema(con)
        for dataset in DATASETS:
            source = sample_dir / f"{dataset}.csv"
            frame = load_dataset(source, dataset)
            import_frame(con, dataset, frame, file_name=source.name,
                         checksum=file_checksum(source), imported_by="sample_data")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(temporary, path)


def open_store(path: Path) -> duckdb.DuckDBPyConnection:
    """Open an existing store, checking that it holds every dataset table."""
    if not path.exists():
        raise StoreError(f"{path}: the store file does not exist")
    try:
        con = duckdb.connect(str(path))
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    except duckdb.Error as exc:
        raise StoreError(f"{path}: the store cannot be opened ({exc})") from exc
    missing = (set(DATASETS) | {"import_log"}) - tables
    if missing:
        con.close()
        raise StoreError(f"{path}: the store lacks the tables {', '.join(sorted(missing))}")
    return con
