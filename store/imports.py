"""Importing a file into the store: validate it completely, preview what would change, then commit.

A file that fails validation changes nothing; re-importing the same file changes nothing;
a record whose key exists is updated, never duplicated. `import_upload` writes into a
working copy of the store that replaces it atomically (store.backup), keeping the
previous store as a backup for undo. Everything here returns aggregates only.

Run as `python -m store.imports --store PATH --dataset NAME --user NAME FILE` to import
from the command line (the kill test drives it this way).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from data_loaders.canonical import LoadResult, check_dataset, choose_sheet, dataset_from_table, missing_columns
from data_loaders.errors import LoaderError, Problem
from data_loaders.identity import check_identity, identity_conflicts
from data_loaders.kobo import kobo_registration, looks_like_kobo, missing_questions
from data_loaders.limits import check_upload_size
from data_loaders.readers import RawTable, load_tables
from data_loaders.schemas import DATASET_KEYS, DATASETS
from store.backup import change_store, store_lock
from store.database import ImportSummary, StoreError, canonical_rows, file_checksum, import_frame, open_store

REJECTIONS_FILE = "rejected_imports.jsonl"
STATUSES = ("new", "updated", "unchanged")
KOBO_DATASET = "participants"


def already_imported(con: duckdb.DuckDBPyConnection, dataset: str, checksum: str) -> bool:
    return con.execute(
        "SELECT count(*) > 0 FROM import_log WHERE dataset = ? AND checksum = ? AND result = 'ok'",
        [dataset, checksum],
    ).fetchone()[0]


def is_kobo_export(path: Path) -> bool:
    """Whether a participants file is a KoboToolbox export (by Kobo's own columns, or else by the form's questions)."""
    return any(looks_like_kobo(list(table.frame.columns)) for table in load_tables(path).tables.values())


def read_upload(path: Path, dataset: str, *, date_orders: dict[str, str] | None = None) -> LoadResult:
    """The validated canonical frame of an uploaded file: size limit, then the right reader.

    The file is read once (every sheet of a workbook in that pass). Participants may come as
    a KoboToolbox export (either header style, on any sheet) or a canonical / field
    spreadsheet; every other dataset is read as canonical (any encoding and separator,
    Spanish or canonical headers, any workbook kind). Raises LoaderError with every problem.
    """
    check_upload_size(path)
    check_dataset(dataset, path.name)
    tables = load_tables(path)
    if dataset != KOBO_DATASET:
        return dataset_from_table(choose_sheet(tables, dataset, lambda t: missing_columns(t.frame, dataset)), dataset,
                                  date_orders=date_orders)
    kobo = {sheet for sheet, table in tables.tables.items() if looks_like_kobo(list(table.frame.columns))}

    def missing(table: RawTable) -> list[str]:
        columns = list(table.frame.columns)
        return missing_questions(columns) if table.sheet in kobo else missing_columns(table.frame, dataset)

    raw = choose_sheet(tables, dataset, missing)
    return kobo_registration(raw, date_orders=date_orders) if raw.sheet in kobo \
        else dataset_from_table(raw, dataset, date_orders=date_orders)


@dataclass
class Validation:
    """Step 1: the file's problems (errors block the import) and the automatic corrections."""

    file_name: str
    dataset: str
    checksum: str
    result: LoadResult | None
    problems: list[Problem] = field(default_factory=list)
    fixes: list[Problem] = field(default_factory=list)
    date_orders: dict[str, str] = field(default_factory=dict)  # the answers it was validated with

    @property
    def ok(self) -> bool:
        return self.result is not None


def stored_rows(con: duckdb.DuckDBPyConnection, dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored rows whose key the incoming frame also has (what an import would overwrite)."""
    keys = DATASET_KEYS[dataset]
    cur = con.cursor()
    try:
        cur.register("incoming_keys", canonical_rows(dataset, frame)[list(keys)].drop_duplicates())
        match = " AND ".join(f't."{k}" = i."{k}"' for k in keys)
        return cur.execute(f'SELECT t.* FROM "{dataset}" t WHERE EXISTS '
                           f'(SELECT 1 FROM incoming_keys i WHERE {match})').df()
    finally:
        cur.close()


def validate_upload(path: Path, dataset: str, con: duckdb.DuckDBPyConnection | None = None, *,
                    date_orders: dict[str, str] | None = None) -> Validation:
    """Read and validate, writing nothing; with the store's connection, also refuse identity conflicts.

    A row whose key is stored with other identity data (a participant's sex, age or
    enrolment date) is most likely another record given the same code: an error, not an update.
    """
    checksum = file_checksum(path)
    answered = dict(date_orders or {})
    try:
        result = read_upload(path, dataset, date_orders=date_orders)
    except LoaderError as error:
        return Validation(path.name, dataset, checksum, None, error.problems, error.fixes, answered)
    if con is not None:
        conflicts = identity_conflicts(result, stored_rows(con, dataset, result.frame), dataset)
        if conflicts:
            return Validation(path.name, dataset, checksum, None, conflicts, result.fixes, answered)
    return Validation(path.name, dataset, checksum, result, [], result.fixes, answered)


# --- Step 2: what the import would change, without writing --------------------------------

def _row_status_sql(dataset: str) -> str:
    """Each incoming row as new (key absent), unchanged (an identical row exists) or updated."""
    keys = DATASET_KEYS[dataset]
    columns = list(DATASETS[dataset].columns)
    key_match = " AND ".join(f't."{k}" = i."{k}"' for k in keys)
    same_row = " AND ".join(f't."{c}" IS NOT DISTINCT FROM i."{c}"' for c in columns)
    return (f"""SELECT i.*, CASE
                  WHEN NOT EXISTS (SELECT 1 FROM "{dataset}" t WHERE {key_match}) THEN 'new'
                  WHEN EXISTS (SELECT 1 FROM "{dataset}" t WHERE {same_row}) THEN 'unchanged'
                  ELSE 'updated' END AS status
                FROM incoming i""")


def _place_sql(dataset: str) -> str:
    """Country and municipality code of each incoming row: its own, or its participant's in the store."""
    columns = DATASETS[dataset].columns
    if "municipality_code" in columns and "country" in columns:
        return "SELECT s.*, s.country AS place_country, s.municipality_code AS place_code FROM statuses s"
    if "participant_id" in columns:
        return ("SELECT s.*, p.country AS place_country, p.municipality_code AS place_code FROM statuses s "
                "LEFT JOIN participants p USING (participant_id)")
    return "SELECT s.*, NULL AS place_country, NULL AS place_code FROM statuses s"


@dataclass(frozen=True)
class Preview:
    """Step 2: rows new / updated / unchanged, in total and per municipality (aggregates only)."""

    dataset: str
    rows_new: int
    rows_updated: int
    rows_unchanged: int
    by_municipality: pd.DataFrame  # country, municipality_code, new, updated, unchanged (code NA: no place)

    @property
    def changes_anything(self) -> bool:
        return self.rows_new + self.rows_updated > 0


def preview_import(con: duckdb.DuckDBPyConnection, dataset: str, frame: pd.DataFrame) -> Preview:
    """Compare a validated frame with the store by keys, writing nothing."""
    cur = con.cursor()
    try:
        cur.register("incoming", canonical_rows(dataset, frame))
        cur.execute(f"CREATE TEMP VIEW statuses AS {_row_status_sql(dataset)}")
        counts = cur.execute(f"""
            SELECT place_country AS country, place_code AS municipality_code,
                   count(*) FILTER (WHERE status = 'new') AS new,
                   count(*) FILTER (WHERE status = 'updated') AS updated,
                   count(*) FILTER (WHERE status = 'unchanged') AS unchanged
            FROM ({_place_sql(dataset)})
            GROUP BY ALL ORDER BY country NULLS LAST, municipality_code NULLS LAST""").df()
    finally:
        cur.close()
    counts = counts.astype({"new": "int64", "updated": "int64", "unchanged": "int64"})
    return Preview(dataset, int(counts["new"].sum()), int(counts["updated"].sum()),
                   int(counts["unchanged"].sum()), counts)


# --- Step 3: commit ---------------------------------------------------------------------

def import_file(con: duckdb.DuckDBPyConnection, path: Path, dataset: str, imported_by: str) -> ImportSummary:
    """Validate `path` as `dataset` and upsert it through `con`; raises the loaders' errors before writing."""
    checksum = file_checksum(path)
    result = read_upload(path, dataset)  # raises LoaderError with every problem
    check_identity(result, stored_rows(con, dataset, result.frame), dataset)
    if already_imported(con, dataset, checksum):
        rows = len(result.frame)
        return ImportSummary(dataset, path.name, checksum, rows, 0, 0, rows)
    return import_frame(con, dataset, result.frame, file_name=path.name, checksum=checksum,
                        imported_by=imported_by)


def reusable(validation: Validation | None, dataset: str, checksum: str,
             date_orders: dict[str, str] | None = None) -> LoadResult | None:
    """The result of a successful step 1 for this very file (same checksum), dataset and date orders, else None."""
    if validation is None or not validation.ok or validation.dataset != dataset or validation.checksum != checksum \
            or validation.date_orders != (date_orders or {}):
        return None
    return validation.result


def import_upload(store: Path, path: Path, dataset: str, imported_by: str, file_name: str | None = None,
                  on_write=None, *, validation: Validation | None = None,
                  date_orders: dict[str, str] | None = None) -> ImportSummary:
    """Validate, then import into a working copy of the store that replaces it; the old store is backed up.

    Re-importing a file already imported changes nothing (no new store, no backup).
    `file_name` is the name the person uploaded (the path may be a temporary file). A
    `validation` of the same file (same checksum) is reused instead of reading the file again;
    the identity check against the store is always made again.
    Raises LoaderError (nothing changed) or StoreError.
    """
    file_name = file_name or path.name
    checksum = file_checksum(path)
    result = reusable(validation, dataset, checksum, date_orders) \
        or read_upload(path, dataset, date_orders=date_orders)
    with store_lock(store):
        con = open_store(store)
        try:
            if already_imported(con, dataset, checksum):
                rows = len(result.frame)
                return ImportSummary(dataset, file_name, checksum, rows, 0, 0, rows, already_imported=True)
            check_identity(result, stored_rows(con, dataset, result.frame), dataset)  # nothing written yet
            version = int(con.execute("SELECT coalesce(max(import_id), 0) FROM import_log").fetchone()[0])
        finally:
            con.close()
        meta = {"data_version": version, "dataset": dataset, "file_name": file_name, "user": imported_by}
        return change_store(
            store,
            lambda work: import_frame(work, dataset, result.frame, file_name=file_name, checksum=checksum,
                                      imported_by=imported_by),
            meta, on_write=on_write)


# --- Rejected files and the import history ---------------------------------------------------

def log_rejection(store: Path, validation: Validation, user: str) -> None:
    """Record a file that failed validation (outside the store: a rejection changes no data)."""
    line = {"imported_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(),
            "imported_by": user, "dataset": validation.dataset, "file_name": validation.file_name,
            "checksum": validation.checksum, "problems": len(validation.problems)}
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store.parent / REJECTIONS_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def rejections(store: Path) -> pd.DataFrame:
    path = store.parent / REJECTIONS_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    rows = [json.loads(line) for line in lines if line.strip()]
    return pd.DataFrame(rows, columns=["imported_at", "imported_by", "dataset", "file_name", "checksum", "problems"])


HISTORY_COLUMNS = ["imported_at", "imported_by", "dataset", "file_name", "checksum", "rows_in_file",
                   "rows_new", "rows_updated", "rows_unchanged", "problems", "result"]


def import_history(con: duckdb.DuckDBPyConnection, store: Path) -> pd.DataFrame:
    """Every import, undo, restore and rejected file, newest first (counts of rows, never their content)."""
    log = con.execute("SELECT * FROM import_log").df()
    log["problems"] = 0
    rejected = rejections(store).assign(rows_in_file=pd.NA, rows_new=pd.NA, rows_updated=pd.NA,
                                        rows_unchanged=pd.NA, result="rejected")
    rejected["imported_at"] = pd.to_datetime(rejected["imported_at"])
    frames = [frame[HISTORY_COLUMNS] for frame in (log, rejected) if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    history = pd.concat(frames, ignore_index=True)
    for column in ("rows_in_file", "rows_new", "rows_updated", "rows_unchanged", "problems"):
        history[column] = history[column].astype("Int64")
    return history.sort_values("imported_at", ascending=False, kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--dataset", required=True, choices=list(DATASETS))
    parser.add_argument("--user", required=True)
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        summary = import_upload(args.store, args.file, args.dataset, args.user,
                                on_write=lambda: print("writing", flush=True))
    except LoaderError as error:
        print(error.text("en"), file=sys.stderr)
        return 2
    except StoreError as error:
        print(error, file=sys.stderr)
        return 3
    print(f"committed new={summary.rows_new} updated={summary.rows_updated} "
          f"unchanged={summary.rows_unchanged}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
