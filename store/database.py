"""The embedded DuckDB store: table layout from the schemas, transactional imports, import log.

Validated frames go in; aggregates come out through `indicators`. Geometry stays in
geopandas (DuckDB's spatial extension cannot be downloaded here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa

from data_loaders.schemas import DATASET_KEYS, DATASETS

STORE_FILE = "conexion.duckdb"
FILE_HEADER_BYTES = 3 * 4096  # DuckDB's main header and two database headers

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

# One row per KoboToolbox submission synced (store/kobo_sync.py). Kept in the store file, so an
# undo puts the sync state back with the data; created when first needed, so older stores migrate.
KOBO_SYNC_STATE_DDL = """
CREATE TABLE IF NOT EXISTS kobo_sync_state (
    asset_uid VARCHAR NOT NULL,
    submission_id BIGINT NOT NULL,
    submission_uuid VARCHAR NOT NULL,
    submission_time VARCHAR,
    validation_status VARCHAR,
    participant_id VARCHAR
)
"""


class StoreError(Exception):
    """The store file is missing, unreadable or does not hold the expected tables."""


class StoreMissingError(StoreError):
    """The store file does not exist (although the store existed: backups of it are kept)."""


class StoreBusyError(StoreError):
    """Another program holds the store file open for writing (DuckDB allows one writer process).

    The file is intact: recovery must not be offered, only waiting for the other program.
    """


# DuckDB's message when another process holds the file's lock.
_LOCK_CONFLICT = ("Could not set lock", "Conflicting lock")


@dataclass(frozen=True)
class ImportSummary:
    dataset: str
    file_name: str
    checksum: str
    rows_in_file: int
    rows_new: int
    rows_updated: int
    rows_unchanged: int = 0
    already_imported: bool = False  # the same file was imported before: nothing was written


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
    con.execute(KOBO_SYNC_STATE_DDL)


def canonical_rows(dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns of `frame`, in table order, dates as dates: what the table stores."""
    columns = list(DATASETS[dataset].columns)
    out = frame[columns].copy()
    for name, column in DATASETS[dataset].columns.items():
        if str(column.dtype).startswith("datetime"):
            out[name] = pd.to_datetime(out[name]).dt.date
    return out


@contextmanager
def _transaction_with(con: duckdb.DuckDBPyConnection, name: str, rows: pd.DataFrame):
    """One transaction with `rows` readable as `name`: committed if the block ends, rolled back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.register(name, rows)
        yield
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister(name)


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
    rows = canonical_rows(dataset, frame)
    with _transaction_with(con, "incoming", rows):
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
    return summary


def _log_import(con: duckdb.DuckDBPyConnection, summary: ImportSummary, imported_by: str,
                result: str = "ok", import_id: int | None = None) -> None:
    next_id = import_id or con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
    con.execute(
        "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [next_id, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), imported_by, summary.dataset,
         summary.file_name, summary.checksum, summary.rows_in_file, summary.rows_new, summary.rows_updated,
         summary.rows_unchanged, result],
    )


def log_event(con: duckdb.DuckDBPyConnection, summary: ImportSummary, imported_by: str, result: str,
              import_id: int) -> None:
    """A line of the import log that changes no data (an undo or a restore) with a given id.

    The id is chosen by the caller above every id the replaced store used, so the data
    version never goes back to a number that caches may hold for other contents.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        _log_import(con, summary, imported_by, result, import_id)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


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


def open_store(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open an existing store, checking that it holds every dataset table and that every row reads.

    Read-only by default, for the live store too: it is never written in place (every change is
    made in a working copy that replaces it, store.backup), and DuckDB lets many processes read a
    file but lets none read it while one holds it read-write, so several server processes can
    serve one store. Keep every connection to the live store read-only: DuckDB refuses a second
    connection to a file with a different configuration in the same process.
    """
    if not path.exists():
        raise StoreMissingError(f"{path}: the store file does not exist")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    except duckdb.Error as exc:
        if any(marker in str(exc) for marker in _LOCK_CONFLICT):
            raise StoreBusyError(f"{path}: the store is in use by another program ({exc})") from exc
        raise StoreError(f"{path}: the store cannot be opened ({exc})") from exc
    missing = (set(DATASETS) | {"import_log"}) - tables
    if missing:
        con.close()
        raise StoreError(f"{path}: the store lacks the tables {', '.join(sorted(missing))}")
    try:
        check_readable(con, path)
    except (duckdb.Error, StoreError) as exc:
        con.close()
        raise StoreError(f"{path}: the store cannot be read ({exc})") from exc
    return con


def check_readable(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Raise if the file is shorter than its blocks or a table cannot be read to the end.

    A truncated or damaged file often opens and fails only on its first full read; reading
    every row once (a hash of each row, DuckDB checks block checksums) finds it at open time.
    """
    # Free blocks at the end are truncated away; used blocks must all be in the file.
    size = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
    expected = FILE_HEADER_BYTES + size[0] * size[1]
    if path.stat().st_size < expected:
        raise StoreError(f"the file holds {path.stat().st_size} bytes, its used blocks need {expected}")
    for table in (*DATASETS, "import_log"):
        con.execute(f'SELECT count(*), max(hash(t)) FROM "{table}" t').fetchone()


# The process's own connection to each live store file. DuckDB keeps one database instance
# per path while any connection to it is open, so after the file is replaced the old
# connection must be closed before the path is opened again, or the old contents are read.
_LIVE_LOCK = threading.RLock()
_LIVE: dict[str, tuple[tuple[int, int, int, int], duckdb.DuckDBPyConnection]] = {}
_SEEN: dict[str, tuple[int, int, int, int]] = {}  # identity of the file last opened, kept after closing


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What changes when the store file is replaced (a rename gives a new inode) or rewritten."""
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise StoreMissingError(f"{path}: the store file does not exist") from exc
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def live_connection(path: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """(connection, reopened): this process's connection to the store, reopened if the file changed."""
    key = str(path.absolute())
    with _LIVE_LOCK:
        identity = _identity(path)
        held = _LIVE.get(key)
        if held is not None and held[0] == identity:
            return held[1], False
        close_live(path)
        con = open_store(path)
        _LIVE[key] = (identity, con)
        reopened = key in _SEEN and _SEEN[key] != identity
        _SEEN[key] = identity
        return con, reopened


def close_live_if_replaced(path: Path) -> None:
    """Close this process's connection if the file changed since it was opened (queries on it would be stale)."""
    with _LIVE_LOCK:
        held = _LIVE.get(str(path.absolute()))
        try:
            current = _identity(path)
        except StoreMissingError:
            current = None
        if held is not None and held[0] != current:
            close_live(path)


def close_live(path: Path) -> None:
    """Close this process's connection to the store (its cursors too); the next use reopens the file."""
    with _LIVE_LOCK:
        held = _LIVE.pop(str(path.absolute()), None)
        if held is not None:
            held[1].close()


BOUNDARY_DDL = """
CREATE TABLE IF NOT EXISTS boundary_units (
    country VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    department_code VARCHAR,
    department_name VARCHAR,
    geometry_wkb BLOB NOT NULL
)
"""


def replace_boundaries(con: duckdb.DuckDBPyConnection, country: str, level: str, frame,
                       summary: ImportSummary, imported_by: str) -> ImportSummary:
    """Replace the boundary units of (country, level) with `frame` (EPSG:4326) and log it, in one transaction."""
    rows = pd.DataFrame({
        "country": country, "level": level, "code": frame["code"].astype(str), "name": frame["name"].astype(str),
        "department_code": frame["department_code"].astype(str),
        "department_name": frame["department_name"].astype(str),
        "geometry_wkb": frame.geometry.to_wkb(),
    })
    con.execute(BOUNDARY_DDL)
    with _transaction_with(con, "incoming_units", rows):
        con.execute("DELETE FROM boundary_units WHERE country = ? AND level = ?", [country, level])
        con.execute("INSERT INTO boundary_units SELECT * FROM incoming_units")
        _log_import(con, summary, imported_by)
    return summary
