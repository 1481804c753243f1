"""Several server processes share one store: each reads it, sees the others' imports, and imports in turn.

Real processes (`python -m store.imports`) race through the real write path; the test process plays
a server process holding its live (read-only) connection meanwhile.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from store import backup
from store.backup import list_backups, store_lock
from store.database import STORE_FILE, StoreBusyError, close_live, data_version, live_connection, open_store
from store.imports import import_upload
from tests.conftest import ROOT
from tests.stores import query
from tests.test_import_kill import module_process
from tests.test_imports_workflow import changes_file, field_sessions, write_field, ID


@pytest.fixture
def store(sample_store_file, tmp_path):
    path = tmp_path / "data" / STORE_FILE
    path.parent.mkdir()
    shutil.copyfile(sample_store_file, path)
    yield path
    close_live(path)


def added_sessions_file(folder, first_id: int, name: str):
    """The field file (its dates read unambiguously as a whole) with two new sessions, ids first_id and first_id + 1."""
    frame = field_sessions()
    added = frame.iloc[[5, 6]].copy()
    added[ID] = [f"S{first_id}", f"S{first_id + 1}"]
    return write_field(pd.concat([frame, added], ignore_index=True), folder / name)


def import_process(store, file):
    return module_process(["store.imports", "--store", str(store), "--dataset", "awareness_sessions",
                           "--user", "datos", str(file)])


def test_a_process_reading_the_store_does_not_stop_another_from_reading_or_importing(store, tmp_path):
    con, _ = live_connection(store)  # as a server process holds it
    before = data_version(con)
    process = import_process(store, changes_file(tmp_path))
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "committed new=2 updated=3" in out
    # the next request of this process sees the other's import: a new file, a new data version
    con, reopened = live_connection(store)
    assert reopened
    assert data_version(con) > before
    assert con.execute("SELECT count(*) FROM awareness_sessions WHERE session_id IN ('S900001', 'S900002')"
                       ).fetchone()[0] == 2


def test_two_imports_at_the_same_time_are_made_one_after_the_other(store, tmp_path):
    versions_before = data_version(live_connection(store)[0])  # a server process reading throughout
    files = [added_sessions_file(tmp_path, 910001, "primero.csv"), added_sessions_file(tmp_path, 920001, "segundo.csv")]
    processes = [import_process(store, file) for file in files]
    results = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _, err in results]
    con, reopened = live_connection(store)  # what the reading server process sees next
    assert reopened
    # neither import overwrote the other: both files' rows and both log lines, with ids one after the other
    assert con.execute("SELECT count(*) FROM awareness_sessions WHERE session_id IN "
                       "('S910001', 'S910002', 'S920001', 'S920002')").fetchall() == [(4,)]
    log = con.execute("SELECT import_id, file_name, result FROM import_log WHERE import_id > ? ORDER BY 1",
                      [versions_before]).fetchall()
    assert sorted(name for _, name, _ in log) == ["primero.csv", "segundo.csv"]
    assert [i for i, _, _ in log] == [versions_before + 1, versions_before + 2]
    assert {result for _, _, result in log} == {"ok"}
    # each import kept the store it replaced for undo, and the store reads to its last row
    assert sorted(b.data_version for b in list_backups(store)) == [versions_before, versions_before + 1]
    close_live(store)
    open_store(store).close()


def test_an_import_waits_for_the_lock_and_is_refused_after_the_time_limit(store, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "LOCK_WAIT_SECONDS", 0.5)
    before = query(store, "SELECT count(*) FROM import_log")
    holder = subprocess.Popen(  # another server process in the middle of a change
        [sys.executable, "-c", "import sys, signal; from pathlib import Path; from store.backup import store_lock\n"
         "with store_lock(Path(sys.argv[1])):\n    print('locked', flush=True); signal.pause()", str(store)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusyError, match="another change of the store is under way"):
            import_upload(store, changes_file(tmp_path), "awareness_sessions", "datos")
    finally:
        holder.kill()
        holder.wait(timeout=20)
    assert query(store, "SELECT count(*) FROM import_log") == before  # nothing was written
    # once the other process is gone the lock is free again (the OS released it)
    summary = import_upload(store, changes_file(tmp_path), "awareness_sessions", "datos")
    assert (summary.rows_new, summary.rows_updated) == (2, 3)


def test_threads_of_one_process_also_take_turns(store):
    """Two sessions of one server process: the lock is held per call, not per thread or process."""
    with store_lock(store):
        with pytest.raises(StoreBusyError):
            with store_lock(store, wait_seconds=0.1):
                pass
    with store_lock(store, wait_seconds=0.1):
        pass

