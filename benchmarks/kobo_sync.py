"""Time of a KoboToolbox sync against the test server on 127.0.0.1 (issue 13).

    python -m benchmarks.kobo_sync [--copies N] [--page-size 1000]

Serves the sample export's submissions N times over (new `_id`, `_uuid` and participant
codes for each copy) from `tests/kobo_server.py` and prints, in seconds: the first sync's
check (listing, full pull, validation, preview) and its commit, a check when nothing changed,
and a check after 1 % of the submissions were edited and 1 % added.
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
import uuid
from pathlib import Path

import settings
from data_loaders.canonical import read_dataset
from data_loaders.kobo_api import KoboServer
from store.database import STORE_FILE, build_store, open_store
from store.kobo_sync import FormMapping, commit_sync, plan_sync
from tests import kobo_server as ks

CODE = "datos_personales/codigo_participante"


def copies(submissions: list[dict], count: int) -> list[dict]:
    """The submissions `count` times, each copy with its own ids, uuids and participant codes."""
    result = []
    for n in range(count):
        for s in submissions:
            item = copy.deepcopy(s)
            if n:
                item["_id"] = s["_id"] + n * 1_000_000
                item["_uuid"] = str(uuid.UUID(int=item["_id"], version=4))
                item[CODE] = f"{s[CODE].strip()}-{n}"
            result.append(item)
    return result


def timed(label: str, action):
    start = time.perf_counter()
    value = action()
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kobo-sync-bench-"))
    store = folder / STORE_FILE
    build_store(store, settings.sample_dir(), lambda file, dataset: read_dataset(file, dataset).frame)
    kobo = ks.KoboTestServer(copies(ks.sample_submissions(), args.copies))
    mapping = FormMapping("participants", ks.UID)
    print(f"{len(kobo.submissions)} submissions, pages of {args.page_size}")
    with ks.running(kobo):
        server = KoboServer(kobo.url, ks.TOKEN, 60, args.page_size)

        def check():
            con = open_store(store)
            try:
                return plan_sync(con, server, mapping)
            finally:
                con.close()

        plan = timed("first sync: check (pull, validate, preview)", check)
        print(f"{'':<44} {plan.preview.rows_new} new, {plan.preview.rows_unchanged} unchanged")
        timed("first sync: commit", lambda: commit_sync(store, plan, "benchmark"))
        plan = timed("nothing changed: check", check)
        step = 100
        for s in kobo.submissions[::step]:
            kobo.edit(s["_id"], {"datos_personales/pueblo": "chuj"})
        for n, s in enumerate(list(kobo.submissions[1::step])):
            kobo.add({**copy.deepcopy(s), "_id": 900_000_000 + n, "_uuid": str(uuid.uuid4()), CODE: f"PB{n:06d}",
                      "_submission_time": "2099-01-01T00:00:00"})
        plan = timed("1 % edited, 1 % new: check", check)
        print(f"{'':<44} {plan.submissions_new} new, {plan.submissions_changed} edited submissions")
        timed("1 % edited, 1 % new: commit", lambda: commit_sync(store, plan, "benchmark"))
        print(f"{'requests to the server':<44} {len(kobo.requests):7d}")


if __name__ == "__main__":
    main()
