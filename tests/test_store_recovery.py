"""A missing or damaged store is said plainly with two offers (restore a backup, rebuild), never rebuilt silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import i18n
from data_loaders.canonical import read_dataset
from store.backup import RESTORE_STEPS, list_backups, rebuild_from_sample, restore_last_good_backup, undo_last_import
from store.database import STORE_FILE, StoreBusyError, StoreError, StoreMissingError, build_store, open_store
from store.imports import import_upload
from tests.conftest import SAMPLE
from tests.signed_in import run_dashboard
from tests.test_import_kill import (copy_of_two_imports, data_tables, kill_when_paused, last_log_line, leftovers,
                                    module_process, offered, two_imports)  # noqa: F401 (two_imports: a fixture)
from tests.test_imports_workflow import changes_file, snapshot

SESSIONS = len(pd.read_csv(SAMPLE / "awareness_sessions.csv", dtype=str))


def _load(path, dataset):
    return read_dataset(path, dataset).frame


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("built") / STORE_FILE
    build_store(path, SAMPLE, _load)
    return path


@pytest.fixture
def store_with_backup(built_store, tmp_path) -> Path:
    """A store with one import (so one backup of the sample-only store), in its own data folder."""
    path = tmp_path / "data" / STORE_FILE
    path.parent.mkdir()
    shutil.copy(built_store, path)
    import_upload(path, changes_file(tmp_path), "awareness_sessions", "datos")
    return path


def sessions(path: Path) -> int:
    con = open_store(path)
    try:
        return con.execute("SELECT count(*) FROM awareness_sessions").fetchone()[0]
    finally:
        con.close()


def corrupt(path: Path) -> None:
    """Truncate the file to half: it still opens as DuckDB but its rows cannot all be read."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_damaged_store_is_refused_not_rebuilt(store_with_backup, monkeypatch):
    from store import cached

    monkeypatch.setenv("CONEXION_DATA_DIR", str(store_with_backup.parent))
    corrupt(store_with_backup)
    size = store_with_backup.stat().st_size
    with pytest.raises(StoreError, match="cannot be read"):
        cached.get_connection()
    assert store_with_backup.stat().st_size == size  # left as it was


def test_a_missing_store_with_history_is_refused_not_rebuilt(store_with_backup, monkeypatch):
    from store import cached

    monkeypatch.setenv("CONEXION_DATA_DIR", str(store_with_backup.parent))
    store_with_backup.unlink()
    with pytest.raises(StoreMissingError):
        cached.get_connection()
    assert not store_with_backup.exists()


def test_a_brand_new_data_folder_is_built_from_the_sample(tmp_path, monkeypatch):
    from store import cached

    monkeypatch.setenv("CONEXION_DATA_DIR", str(tmp_path))
    with cached.cursor() as con:
        assert con.execute("SELECT count(*) FROM awareness_sessions").fetchone()[0] == SESSIONS


def test_restore_the_last_good_backup(store_with_backup):
    corrupt(store_with_backup)
    backup = restore_last_good_backup(store_with_backup, "datos")
    assert backup.file_name == "sesiones_cambios.csv"
    assert sessions(store_with_backup) == SESSIONS  # the state before the import, which the backup kept
    damaged = list(store_with_backup.parent.glob(f"damaged-*{STORE_FILE}"))
    assert len(damaged) == 1  # the damaged file is kept aside, not deleted
    con = open_store(store_with_backup)
    try:
        assert con.execute("SELECT result, imported_by FROM import_log ORDER BY import_id DESC LIMIT 1"
                           ).fetchone() == ("restore", "datos")
    finally:
        con.close()


def test_restore_skips_a_damaged_backup(store_with_backup, tmp_path):
    frame = pd.read_csv(changes_file(tmp_path), sep=";", encoding="latin-1", dtype=str, keep_default_na=False)
    frame.loc[0, "Mujeres 0-17"] = "33"
    second = tmp_path / "segunda.csv"
    frame.to_csv(second, sep=";", encoding="latin-1", index=False)
    import_upload(store_with_backup, second, "awareness_sessions", "datos")
    newest = list_backups(store_with_backup)[0]
    corrupt(newest.store_file(store_with_backup))
    corrupt(store_with_backup)
    used = restore_last_good_backup(store_with_backup, "datos")
    assert used.file_name == "sesiones_cambios.csv"
    assert sessions(store_with_backup) == SESSIONS


def damaged_kept(store: Path) -> list[bytes]:
    """The contents of every damaged store file kept aside."""
    return [kept.read_bytes() for kept in store.parent.glob(f"damaged-*{STORE_FILE}")]


@pytest.mark.parametrize("step", RESTORE_STEPS)
def test_a_restore_killed_at_any_step_leaves_the_damaged_store_or_the_restored_one(two_imports, tmp_path, step):
    store, (sample, after_a, _) = copy_of_two_imports(two_imports, tmp_path)
    corrupt(store)
    damaged = store.read_bytes()
    process = module_process(["store.backup", "restore", "--store", str(store), "--user", "kill-test"], step)
    kill_when_paused(process, step)
    restored = RESTORE_STEPS.index(step) >= RESTORE_STEPS.index("swapped")
    if restored:  # the newest backup (before b.csv) is the store, the log says so, and it is no longer offered
        killed = snapshot(store)
        assert data_tables(killed) == data_tables(after_a) and killed["import_log"][:-1] == after_a["import_log"]
        assert last_log_line(killed)[::2] == ("kill-test", "restore")
        assert offered(store) == ["a.csv"]
        assert damaged_kept(store) == [damaged]
    else:  # the store is the damaged file, never missing, and both backups are still offered
        assert store.read_bytes() == damaged
        assert offered(store) == ["b.csv", "a.csv"]

    # the next operation (an undo of a.csv, or the restore again) finds nothing of the killed one
    if restored:
        undo_last_import(store, "datos")
    else:
        restore_last_good_backup(store, "datos")
    now = snapshot(store)
    earlier = sample if restored else after_a
    assert data_tables(now) == data_tables(earlier) and now["import_log"][:-1] == earlier["import_log"]
    assert last_log_line(now)[::2] == ("datos", "undo" if restored else "restore")
    assert offered(store) == ([] if restored else ["a.csv"])
    assert damaged_kept(store) == [damaged]  # kept aside once, whatever the kill
    assert leftovers(store) == [kept.name for kept in store.parent.glob(f"damaged-*{STORE_FILE}")]


def test_rebuild_from_the_sample_keeps_backups(store_with_backup):
    corrupt(store_with_backup)
    rebuild_from_sample(store_with_backup, SAMPLE, _load, "datos")
    assert sessions(store_with_backup) == SESSIONS
    assert len(list_backups(store_with_backup)) == 1


# --- What a person sees -------------------------------------------------------------------

def _damaged_app(store: Path, monkeypatch, username: str, lang: str = "es"):
    monkeypatch.setenv("CONEXION_DATA_DIR", str(store.parent))
    corrupt(store)
    return run_dashboard(username, lang=lang)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_data_manager_sees_the_message_and_the_two_offers(fresh_caches, store_with_backup, monkeypatch, lang):
    app = _damaged_app(store_with_backup, monkeypatch, "datos", lang)
    assert not app.exception
    assert [e.value for e in app.error] == [i18n.translate("recovery.title", lang)]
    labels = [b.label for b in app.button]
    assert i18n.translate("recovery.restore", lang) in labels
    assert i18n.translate("recovery.rebuild", lang) in labels
    assert not app.metric  # no figures, not even empty ones


def test_restore_button_brings_the_figures_back(fresh_caches, store_with_backup, monkeypatch):
    app = _damaged_app(store_with_backup, monkeypatch, "datos")
    restore = next(b for b in app.button if b.label == i18n.translate("recovery.restore", "es"))
    restore.click().run()
    assert not app.exception
    assert not app.error
    assert app.metric  # the overview shows its figures again
    assert sessions(store_with_backup) == SESSIONS


def test_other_roles_are_told_to_ask_a_data_manager(fresh_caches, store_with_backup, monkeypatch):
    app = _damaged_app(store_with_backup, monkeypatch, "presentador")
    assert [e.value for e in app.error] == [i18n.translate("recovery.title", "es")]
    assert [b.label for b in app.main.button] == []
    assert [i.value for i in app.info] == [i18n.translate("recovery.contact", "es")]


# --- A store another program holds open --------------------------------------------------------

@pytest.fixture
def held_by_another_process(store_with_backup):
    """A second Python process holding the store open for writing (as a running import or a CLI would)."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " sys.stdin.read()", str(store_with_backup)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield store_with_backup
    holder.stdin.close()
    holder.wait(timeout=20)


def test_a_store_held_by_another_program_is_busy_not_damaged(held_by_another_process):
    size = held_by_another_process.stat().st_size
    with pytest.raises(StoreBusyError, match="in use by another program"):
        open_store(held_by_another_process)
    assert held_by_another_process.stat().st_size == size


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_busy_store_offers_no_recovery_that_would_lose_data(fresh_caches, held_by_another_process,
                                                              monkeypatch, lang):
    monkeypatch.setenv("CONEXION_DATA_DIR", str(held_by_another_process.parent))
    app = run_dashboard("datos", lang=lang)
    assert not app.exception
    assert [e.value for e in app.error] == [i18n.translate("recovery.title", lang)]
    assert any(i18n.translate("recovery.busy", lang, path=held_by_another_process).split("(")[0] in m.value
               for m in app.markdown)
    assert [b.label for b in app.main.button] == []  # neither restore nor rebuild
    assert not app.metric
