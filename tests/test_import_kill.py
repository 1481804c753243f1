"""An import, undo or restore killed with SIGKILL at any instant leaves the store before it or after it.

A subprocess (`python -m store.imports`) imports a large participants file (the sample's
participants repeated with new ids, ~230,000 rows); it prints "writing" once its working
copy of the store is open for writing, and is killed right then, before it can commit.
Then the same real process is held at each step of the commit sequence
(store.backup.COMMIT_STEPS, through CONEXION_TEST_PAUSE_AT) and killed there; and so is a
real undo (`python -m store.backup undo`) at each of store.backup.UNDO_STEPS. The restore
is killed the same way in tests/test_store_recovery.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data_loaders.canonical import read_dataset
from store.backup import (BACKUP_FOLDER, BACKUP_META, COMMIT_STEPS, LOCK_FILE, PAUSE_AT_ENV, RESTORE_STEPS,
                          UNDO_STEPS, WORKING_PREFIX, list_backups, undo_last_import)
from store.database import STORE_FILE, build_store
from store.imports import import_upload
from tests.conftest import ROOT, SAMPLE
from tests.test_imports_workflow import snapshot

COPIES = 150


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False)
    big = pd.concat([people.assign(participant_id=people["participant_id"] + f"-K{i}") for i in range(COPIES)])
    path = tmp_path_factory.mktemp("big") / "participantes_grande.csv"
    big.to_csv(path, index=False)
    return path


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "data" / STORE_FILE
    build_store(path, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    return path


def module_process(args: list[str], pause_at: str = "", **env: str) -> subprocess.Popen:
    """`python -m <args>` in the project, held at step `pause_at` of store.backup (if given)."""
    return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **env, PAUSE_AT_ENV: pause_at})


def _import_process(store: Path, file: Path, pause_at: str = "") -> subprocess.Popen:
    return module_process(["store.imports", "--store", str(store), "--dataset", "participants", "--user",
                           "kill-test", str(file)], pause_at, CONEXION_MAX_UPLOAD_MB="500")


def kill_when_paused(process: subprocess.Popen, step: str) -> list[str]:
    """SIGKILL the process as soon as it says it is held at `step`; returns what it printed."""
    lines = []
    for line in process.stdout:
        lines.append(line.strip())
        if line.strip() == f"paused {step}":
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, (lines, process.stderr.read())
    assert lines[-1] == f"paused {step}"
    return lines


def offered(store: Path) -> list[str]:
    """The files of the imports that undo would take back, next first (what the Data page offers)."""
    return [backup.file_name for backup in list_backups(store)]


def leftovers(store: Path) -> list[str]:
    """Everything in the data folder but the store, its lock and the complete backups that are listed."""
    listed = {backup.folder.name for backup in list_backups(store)}
    found = [path.relative_to(store.parent).as_posix() for path in store.parent.rglob("*")]
    expected = {store.name, LOCK_FILE, BACKUP_FOLDER} | {f"{BACKUP_FOLDER}/{name}" for name in listed} | {
        f"{BACKUP_FOLDER}/{name}/{file}" for name in listed for file in (store.name, BACKUP_META)}
    return sorted(set(found) - expected)


def test_sigkill_while_writing_leaves_the_store_as_before(store, big_file):
    before = snapshot(store)
    process = _import_process(store, big_file)
    lines = []
    for line in process.stdout:  # validation of the big file first, then "writing"
        lines.append(line.strip())
        if line.strip() == "writing":
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, (lines, process.stderr.read())
    assert "writing" in lines and not any(line.startswith("committed") for line in lines)
    # it died mid-write: its working copy is left behind, and no backup was ever completed
    assert list(store.parent.glob(f"{WORKING_PREFIX}*"))
    assert list_backups(store) == []
    assert snapshot(store) == before


def test_the_same_import_completes_when_not_killed(store, big_file):
    before = snapshot(store)
    process = _import_process(store, big_file)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == f"committed new={COPIES * (before['participants'][0])} updated=0 unchanged=0"
    after = snapshot(store)
    assert after["participants"][0] == before["participants"][0] * (COPIES + 1)
    assert not list(store.parent.glob(f"{WORKING_PREFIX}*"))
    assert len(list_backups(store)) == 1


def test_leftovers_of_a_killed_import_are_cleaned_by_the_next(store, big_file, tmp_path):
    process = _import_process(store, big_file)
    for line in process.stdout:
        if line.strip() == "writing":
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert list(store.parent.glob(f"{WORKING_PREFIX}*"))
    small = tmp_path / "uno.csv"
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False).head(1)
    people.assign(participant_id="NEW-1").to_csv(small, index=False)
    summary = import_upload(store, small, "participants", "datos")
    assert summary.rows_new == 1
    assert not list(store.parent.glob(f"{WORKING_PREFIX}*"))


# --- Killed at each step of the commit sequence ------------------------------------------------

NEW_STORE_STEPS = ("swapped", "pruned")  # after the atomic rename: the import is committed


def _people_file(path: Path, prefix: str, rows: int) -> Path:
    people = pd.read_csv(SAMPLE / "participants.csv", dtype=str, keep_default_na=False).head(rows)
    people.assign(participant_id=[f"{prefix}-{i}" for i in range(rows)]).to_csv(path, index=False)
    return path


def _kill_at(store: Path, file: Path, step: str) -> None:
    lines = kill_when_paused(_import_process(store, file, pause_at=step), step)
    assert not any(line.startswith("committed") for line in lines)


def data_tables(state: dict) -> dict:
    """A snapshot without its import log: the data an undo or a restore must bring back."""
    return {name: value for name, value in state.items() if name != "import_log"}


def _undo_brings_back(store: Path, earlier: dict) -> None:
    """Undo restores `earlier`'s tables and import log (plus the logged undo line)."""
    undo_last_import(store, "kill-test")
    now = snapshot(store)
    assert data_tables(now) == data_tables(earlier)
    assert now["import_log"][:-1] == earlier["import_log"] and now["import_log"][-1][-1] == "undo"


def test_the_commit_steps_are_those_the_test_kills_at():
    assert COMMIT_STEPS == ("writing", "written", "backup_linked", "backup_described", "backup_complete",
                            "swapped", "pruned")
    assert UNDO_STEPS == ("writing", "written", "backup_marked", "swapped", "backup_hidden", "backup_deleted")
    assert RESTORE_STEPS == ("writing", "written", "backup_marked", "damaged_kept", "swapped", "backup_hidden",
                             "backup_deleted")


@pytest.mark.parametrize("step", COMMIT_STEPS)
def test_a_kill_at_any_commit_step_leaves_the_old_store_or_the_new_one_with_its_undo(store, tmp_path, step):
    before = snapshot(store)
    _kill_at(store, _people_file(tmp_path / "killed.csv", "KILLED", 5), step)
    killed = snapshot(store)
    committed = step in NEW_STORE_STEPS
    if committed:
        assert killed["participants"][0] == before["participants"][0] + 5
        assert killed["import_log"][:-1] == before["import_log"]
        assert [b.file_name for b in list_backups(store)] == ["killed.csv"]
    else:
        assert killed == before
        assert list_backups(store) == []  # nothing was committed, so there is nothing to undo
    if step == "backup_complete":  # the backup is on disk, but it is the live store itself: not an undo
        folders = list((store.parent / BACKUP_FOLDER).iterdir())
        assert len(folders) == 1 and not folders[0].name.startswith(".")

    # the next import cleans what the killed one left, and never the undo of a committed import
    summary = import_upload(store, _people_file(tmp_path / "next.csv", "NEXT", 2), "participants", "datos")
    assert summary.rows_new == 2
    assert not list(store.parent.glob(f"{WORKING_PREFIX}*"))
    assert not [folder for folder in (store.parent / BACKUP_FOLDER).iterdir() if folder.name.startswith(".")]
    assert [b.file_name for b in list_backups(store)] == ["next.csv"] + (["killed.csv"] if committed else [])

    _undo_brings_back(store, killed)  # the next import undone ...
    if committed:
        _undo_brings_back(store, before)  # ... then the killed one
    assert list_backups(store) == []


# --- An undo killed at each of its steps --------------------------------------------------------

@pytest.fixture(scope="module")
def two_imports(tmp_path_factory) -> tuple[Path, list[dict]]:
    """A store built from the sample, then a.csv imported, then b.csv; and the three states it went through."""
    folder = tmp_path_factory.mktemp("two_imports")
    store = folder / "data" / STORE_FILE
    build_store(store, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    states = [snapshot(store)]
    for name in ("a", "b"):
        import_upload(store, _people_file(folder / f"{name}.csv", name.upper(), 3), "participants", "datos")
        states.append(snapshot(store))
    return store, states


def copy_of_two_imports(two_imports, tmp_path: Path) -> tuple[Path, list[dict]]:
    """The two-import data folder copied (store, backups, lock) for one test to change."""
    store, states = two_imports
    shutil.copytree(store.parent, tmp_path / "data")
    copy = tmp_path / "data" / store.name
    assert offered(copy) == ["b.csv", "a.csv"] and leftovers(copy) == []
    return copy, states


def last_log_line(state: dict) -> tuple[str, str, str]:
    """Who, which file and what result the newest line of the import log says."""
    line = state["import_log"][-1]
    return line[2], line[4], line[-1]


def _undo_process(store: Path, pause_at: str = "") -> subprocess.Popen:
    return module_process(["store.backup", "undo", "--store", str(store), "--user", "kill-test"], pause_at)


def test_the_undo_command_undoes_the_latest_import(two_imports, tmp_path):
    store, (_, after_a, after_b) = copy_of_two_imports(two_imports, tmp_path)
    newest = list_backups(store)[0]
    out, err = _undo_process(store).communicate(timeout=120)
    assert out.strip() == f"undone {newest.folder.name} b.csv", err
    now = snapshot(store)
    assert data_tables(now) == data_tables(after_a) and now["import_log"][:-1] == after_a["import_log"]
    assert last_log_line(now) == ("kill-test", "b.csv", "undo")
    assert offered(store) == ["a.csv"] and leftovers(store) == []


@pytest.mark.parametrize("step", UNDO_STEPS)
def test_an_undo_killed_at_any_step_leaves_the_store_before_or_after_it(two_imports, tmp_path, step):
    store, (sample, after_a, after_b) = copy_of_two_imports(two_imports, tmp_path)
    kill_when_paused(_undo_process(store, pause_at=step), step)
    undone = UNDO_STEPS.index(step) >= UNDO_STEPS.index("swapped")
    killed = snapshot(store)
    if undone:  # b.csv is undone, the log says so, and the next undo offers a.csv, never b.csv again
        assert data_tables(killed) == data_tables(after_a) and killed["import_log"][:-1] == after_a["import_log"]
        assert last_log_line(killed) == ("kill-test", "b.csv", "undo")
        assert offered(store) == ["a.csv"]
    else:  # nothing happened, and the log says nothing happened
        assert killed == after_b
        assert offered(store) == ["b.csv", "a.csv"]

    # the next undo takes back the import the killed one did not, and leaves nothing of the killed one
    undo_last_import(store, "datos")
    now = snapshot(store)
    earlier = sample if undone else after_a
    assert data_tables(now) == data_tables(earlier) and now["import_log"][:-1] == earlier["import_log"]
    assert last_log_line(now) == ("datos", "a.csv" if undone else "b.csv", "undo")
    assert offered(store) == ([] if undone else ["a.csv"])
    assert leftovers(store) == []
