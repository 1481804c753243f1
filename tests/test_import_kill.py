"""An import killed with SIGKILL in the middle of writing leaves the store exactly as before.

A subprocess (`python -m store.imports`) imports a large participants file (the sample's
participants repeated with new ids, ~230,000 rows); it prints "writing" once its working
copy of the store is open for writing, and is killed right then, before it can commit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data_loaders.canonical import read_dataset
from store.backup import WORKING_PREFIX, list_backups
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


def _import_process(store: Path, file: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "store.imports", "--store", str(store), "--dataset", "participants",
               "--user", "kill-test", str(file)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "CONEXION_MAX_UPLOAD_MB": "500"})


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
