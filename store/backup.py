"""Replacing the store file safely: a backup before every import, undo, restore and rebuild.

The store is never written in place. A change is made in a private working copy of the
file, committed and checkpointed there, and the copy then replaces the store by an atomic
rename. An import keeps the previous file as a backup (a hard link: no copying), and the
backup is complete before the store is touched. The commit sequence (`COMMIT_STEPS`):

1. ``writing``: the working copy is open; the change is written and checkpointed into it;
2. ``written``: the working copy is closed and fsynced;
3. ``backup_linked``: a hidden backup folder holds a hard link to the live store file;
4. ``backup_described``: its metadata (``backup.json``) is written; both are fsynced;
5. ``backup_complete``: the folder is renamed to its visible name and the folder is fsynced;
6. ``swapped``: the working copy replaces the store by an atomic rename, fsynced;
7. ``pruned``: backups beyond the setting ``backups_kept`` are deleted.

A process killed at any instant therefore leaves either the old store (steps 1–5) or the
new one with its undo already in place (steps 6–7), never half of each. What a killed
process leaves behind is cleaned by the next change, under the lock: working copies,
hidden (half-made) backups, and a complete backup whose file is still the live store
itself (killed between 5 and 6: that import never happened, so it has nothing to undo).
A backup of a committed import is never one of those, so it is never deleted that way.
Every change holds one lock file, so two changes cannot interleave.

Undo and restore make the store from a backup, and must delete that backup once it is the
store, or the next undo would offer the same state again. Their sequence (`UNDO_STEPS`,
`RESTORE_STEPS`): ``writing`` and ``written`` as above, on a copy of the backup's file;
``backup_marked``: the backup folder gets a hard link (``used-as-store``) to that working
copy, fsynced; ``damaged_kept`` (restore only): the damaged store gets a second name
``damaged-…`` (a hard link) that keeps it after the swap; ``swapped``; ``backup_hidden``: the
used backup folder gets a hidden name, so a half-deleted folder is never listed;
``backup_deleted``. A backup whose mark is the live store has been used: it is not listed
and the next change deletes it. A mark that is not the live store (killed before the swap)
is removed by the next change, and the backup is an undo again. A ``damaged-…`` name of
the live store itself (killed before the swap) is removed too. The swap (a rename) keeps
the working copy's file, so its mark is the store once swapped; being a link, the mark
cannot match a later file that reuses the number of a deleted one. The store path is never
empty: the damaged file is replaced by the swap, not moved away before it.

For the kill test, the environment variable ``CONEXION_TEST_PAUSE_AT`` set to a step name
makes the process print ``paused <step>`` and wait at that step until it is killed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb
from filelock import FileLock, Timeout

import settings
from store.database import (ImportSummary, StoreBusyError, StoreError, build_store, close_live, close_live_if_replaced,
                            data_version, log_event, open_store)

BACKUP_FOLDER = "backups"
BACKUP_META = "backup.json"
LOCK_FILE = ".store.lock"
WORKING_PREFIX = ".working-"
DAMAGED_PREFIX = "damaged-"
USED_MARK = "used-as-store"
COMMIT_STEPS = ("writing", "written", "backup_linked", "backup_described", "backup_complete", "swapped", "pruned")
UNDO_STEPS = ("writing", "written", "backup_marked", "swapped", "backup_hidden", "backup_deleted")
RESTORE_STEPS = ("writing", "written", "backup_marked", "damaged_kept", "swapped", "backup_hidden", "backup_deleted")
PAUSE_AT_ENV = "CONEXION_TEST_PAUSE_AT"
# How long a change waits for another one (an import takes seconds on the sample data) before it is
# refused with StoreBusyError, which the page shows in its language: a person is not left waiting forever.
LOCK_WAIT_SECONDS = 120.0


@dataclass(frozen=True)
class Backup:
    """A complete earlier store file, kept before an import changed it."""

    folder: Path
    created_at: dt.datetime  # UTC
    data_version: int  # of the store kept here
    dataset: str = ""  # of the import that followed
    file_name: str = ""
    user: str = ""

    def store_file(self, store: Path) -> Path:
        return self.folder / store.name


def backups_dir(store: Path) -> Path:
    return store.parent / BACKUP_FOLDER


def list_backups(store: Path) -> list[Backup]:
    """Complete backups of `store`, newest first (half-made ones, with a hidden name, are ignored)."""
    folder = backups_dir(store)
    found = []
    for candidate in sorted(folder.iterdir()) if folder.exists() else ():
        meta = candidate / BACKUP_META
        if candidate.name.startswith(".") or not meta.exists() or not (candidate / store.name).exists():
            continue
        if _is_live_store(candidate / store.name, store) or _is_live_store(candidate / USED_MARK, store):
            continue  # the import was killed before its swap, or the backup is already the store
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.append(Backup(candidate, dt.datetime.fromisoformat(data["created_at"]), int(data["data_version"]),
                            data.get("dataset", ""), data.get("file_name", ""), data.get("user", "")))
    return sorted(found, key=lambda b: b.folder.name, reverse=True)


def _is_live_store(kept: Path, store: Path) -> bool:
    """Whether a backup's file is the live store itself: its import was killed before the swap."""
    try:
        return os.path.samefile(kept, store)
    except (FileNotFoundError, NotADirectoryError):
        return False


def has_history(store: Path) -> bool:
    """Whether this store existed and was changed (a backup of it exists): then it is never rebuilt silently."""
    return bool(list_backups(store))


@contextlib.contextmanager
def store_lock(store: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Exclusive lock for changing the store, across threads and server processes (an OS file lock,
    released if the process dies). Waits up to `wait_seconds` (LOCK_WAIT_SECONDS) for a change under
    way, then raises StoreBusyError: the store is intact, the change was not made."""
    store.parent.mkdir(parents=True, exist_ok=True)
    # A lock file that stays: deleting it on release would let two processes lock two different files.
    lock = FileLock(store.parent / LOCK_FILE, timeout=LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds,
                    thread_local=False, preserve_lock_file=True)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StoreBusyError(f"{store}: another change of the store is under way ({exc})") from exc
    try:
        _remove_leftovers(store)
        close_live_if_replaced(store)  # read the file as it is now, not an instance of a replaced one
        yield
    finally:
        close_live_if_replaced(store)
        lock.release()


def _remove_leftovers(store: Path) -> None:
    """What a process that died left (the lock is ours: none is running): see the module's docstring."""
    folder = backups_dir(store)
    for candidate in folder.iterdir() if folder.exists() else ():
        mark = candidate / USED_MARK
        if candidate.name.startswith("."):
            shutil.rmtree(candidate, ignore_errors=True)
        elif _is_live_store(candidate / store.name, store) or _is_live_store(mark, store):
            shutil.rmtree(_hide(candidate), ignore_errors=True)
        else:
            mark.unlink(missing_ok=True)  # an undo or restore killed before its swap: still an undo
    for leftover in store.parent.glob(f"{WORKING_PREFIX}*"):  # after the marks: they are links to these
        leftover.unlink(missing_ok=True)
    for kept in store.parent.glob(f"{DAMAGED_PREFIX}*-{store.name}"):
        if _is_live_store(kept, store):  # a restore or rebuild killed before its swap
            wal, live_wal = kept.with_name(kept.name + ".wal"), store.with_name(store.name + ".wal")
            if wal.exists() and not live_wal.exists():
                os.replace(wal, live_wal)
            kept.unlink()


def _hide(folder: Path) -> Path:
    """Give a backup folder its hidden name before deleting it: a kill mid-delete leaves no listed half."""
    hidden = folder.with_name(f".{folder.name}")
    shutil.rmtree(hidden, ignore_errors=True)  # a rename cannot replace a folder that is not empty
    folder.rename(hidden)
    _fsync(folder.parent)
    return hidden


def _reached(step: str) -> None:
    """A step of the commit sequence is done; the kill test may hold the process here to kill it."""
    if os.environ.get(PAUSE_AT_ENV) == step:
        print(f"paused {step}", flush=True)
        while True:
            signal.pause()


def _stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint(store: Path) -> None:
    """Fold any write-ahead log into the store file, so that copying the file copies everything.

    A store written only through change_store has none; then the file is not opened read-write,
    which every other process reading it (and this one's read-only connection) would forbid.
    """
    if not store.with_name(store.name + ".wal").exists():
        return
    close_live(store)  # this process's read-only connection would refuse a read-write one
    try:
        con = duckdb.connect(str(store))
    except duckdb.Error as exc:  # e.g. another process holds the store open
        raise StoreError(f"{store}: the store cannot be opened for writing ({exc})") from exc
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()


def store_version(path: Path) -> int:
    """Data version of a store file (opened read-only, as every store is read); StoreError if unreadable."""
    con = open_store(path)
    try:
        return data_version(con)
    finally:
        con.close()


def _readable_version(path: Path) -> int:
    try:
        return store_version(path)
    except StoreError:
        return 0


def _keep_backup(store: Path, meta: dict) -> None:
    """Keep the live store file as a complete backup (linked, described, fsynced, visible) before any swap."""
    folder = backups_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    _fsync(folder.parent)
    partial = folder / f".{_stamp()}"
    partial.mkdir()
    os.link(store, partial / store.name)  # the old file lives on under the backup's name
    _reached("backup_linked")
    meta = {"created_at": dt.datetime.now(dt.timezone.utc).isoformat(), **meta}
    (partial / BACKUP_META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    _fsync(partial / BACKUP_META)
    _fsync(partial)
    _reached("backup_described")
    partial.rename(partial.with_name(partial.name[1:]))
    _fsync(folder)
    _reached("backup_complete")


def _commit(store: Path, copy: Path, meta: dict | None, used: Backup | None = None,
            keep_damaged: bool = False) -> None:
    """Make `copy` the store by an atomic rename; with `meta`, the previous store is first kept as a backup.

    `used`: the backup `copy` was made from, deleted once `copy` is the store. `keep_damaged`:
    the replaced store keeps a ``damaged-…`` name. The steps are in the module's docstring.
    """
    backed_up = meta is not None and store.exists()
    if backed_up:
        _keep_backup(store, meta)
    if used is not None:
        (used.folder / USED_MARK).unlink(missing_ok=True)
        os.link(copy, used.folder / USED_MARK)
        _fsync(used.folder)
        _reached("backup_marked")
    if keep_damaged:
        _keep_damaged(store)
    os.replace(copy, store)
    _fsync(store.parent)
    _reached("swapped")
    if backed_up:
        prune(store)
        _reached("pruned")
    if used is not None:
        hidden = _hide(used.folder)
        _reached("backup_hidden")
        shutil.rmtree(hidden, ignore_errors=True)
        _reached("backup_deleted")


def prune(store: Path, keep: int | None = None) -> None:
    """Delete all but the newest `keep` backups (setting backups_kept)."""
    keep = int(settings.get("backups_kept")) if keep is None else keep
    for old in list_backups(store)[max(keep, 1):]:
        shutil.rmtree(_hide(old.folder), ignore_errors=True)


def change_store(store: Path, change: Callable[[duckdb.DuckDBPyConnection], object], meta: dict | None,
                 source: Path | None = None, on_write: Callable[[], None] | None = None,
                 used: Backup | None = None, keep_damaged: bool = False) -> object:
    """Apply `change` to a working copy of `source` (the store by default), then make it the store.

    Call it holding `store_lock`. Returns what `change` returns; if it raises, nothing changed.
    `on_write` is called once the working copy is open for writing (progress for the CLI).
    `used` and `keep_damaged` are passed to `_commit`; the steps are in the module's docstring.
    """
    if source is None:
        checkpoint(store)
        source = store
    copy = store.parent / f"{WORKING_PREFIX}{os.getpid()}-{_stamp()}-{store.name}"
    try:
        shutil.copyfile(source, copy)
        con = duckdb.connect(str(copy))
        try:
            if on_write:
                on_write()
            _reached("writing")
            result = change(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if copy.with_name(copy.name + ".wal").exists():
            raise StoreError(f"{copy}: the write-ahead log was not folded into the file")
        _fsync(copy)
        _reached("written")
        _commit(store, copy, meta, used, keep_damaged)
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
    return result


def next_version(store: Path) -> int:
    """A data version above every version the store or its backups ever had."""
    known = [_readable_version(store)] + [b.data_version for b in list_backups(store)]
    return max(known) + 1


def _keep_damaged(store: Path) -> None:
    """Give the store file a second name, kept after the swap (never deleted: someone may want to inspect it)."""
    if not store.exists():
        return
    target = store.with_name(f"{DAMAGED_PREFIX}{_stamp()}-{store.name}")
    os.link(store, target)
    wal = store.with_name(store.name + ".wal")
    if wal.exists():  # it belongs to the damaged file: left in place it would be replayed into the new one
        os.replace(wal, target.with_name(target.name + ".wal"))
    _fsync(store.parent)
    _reached("damaged_kept")


def _last_import(store: Path) -> dict:
    """Dataset, file name and checksum of the store's latest successful import."""
    con = open_store(store)
    try:
        row = con.execute("SELECT dataset, file_name, checksum FROM import_log WHERE result = 'ok' "
                          "ORDER BY import_id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return dict(zip(("dataset", "file_name", "checksum"), row or ("", "", "")))


def undo_last_import(store: Path, user: str) -> Backup:
    """Put back the store as it was before the latest import (its newest backup); returns the backup used.

    The import log of the restored store gets an "undo" line naming the undone file; its
    id is above every earlier one, so the data version moves on and no cache serves the
    undone data. The undone store is dropped; the backup used becomes the store.
    """
    with store_lock(store):
        backups = list_backups(store)
        if not backups:
            raise StoreError(f"{store}: there is no backup to go back to")
        backup = backups[0]
        undone = _last_import(store)
        version = next_version(store)

        def log(con: duckdb.DuckDBPyConnection) -> None:
            summary = ImportSummary(undone["dataset"] or backup.dataset, undone["file_name"] or backup.file_name,
                                    undone["checksum"], 0, 0, 0, 0)
            log_event(con, summary, user, "undo", version)

        change_store(store, log, None, source=backup.store_file(store), used=backup)
        return backup


def restore_last_good_backup(store: Path, user: str) -> Backup:
    """Recovery: the newest backup that opens becomes the store; a damaged store is set aside first."""
    with store_lock(store):
        for backup in list_backups(store):
            try:
                store_version(backup.store_file(store))
            except StoreError:
                continue
            version = next_version(store)
            change_store(store, lambda con: log_event(con, ImportSummary("", backup.folder.name, "", 0, 0, 0, 0),
                                                      user, "restore", version),
                         None, source=backup.store_file(store), used=backup, keep_damaged=True)
            return backup
        raise StoreError(f"{store}: no backup can be opened")


def rebuild_from_sample(store: Path, sample_dir: Path, load_dataset, user: str) -> None:
    """Recovery: a new store from the sample data; a damaged store is set aside, backups are kept."""
    with store_lock(store):
        version = next_version(store)
        building = store.parent / f"{WORKING_PREFIX}{os.getpid()}-{_stamp()}-{store.name}"
        try:
            build_store(building, sample_dir, load_dataset)
            con = duckdb.connect(str(building))
            try:
                log_event(con, ImportSummary("", sample_dir.name, "", 0, 0, 0, 0), user, "rebuild", version)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _fsync(building)
            _commit(store, building, None, keep_damaged=True)
        finally:
            building.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """`python -m store.backup undo|restore --store PATH --user NAME` (also what the kill test runs)."""
    parser = argparse.ArgumentParser(description="Undo the latest import, or restore the newest backup that opens.")
    parser.add_argument("action", choices=("undo", "restore"))
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--user", required=True)
    args = parser.parse_args(argv)
    action = undo_last_import if args.action == "undo" else restore_last_good_backup
    try:
        backup = action(args.store, args.user)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 3
    print(f"{'undone' if args.action == 'undo' else 'restored'} {backup.folder.name} {backup.file_name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
