"""Time of the Data page's import steps on large files: validate (step 1) and confirm (step 3).

    python -m benchmarks.imports [--folder DIR] [--csv-rows N] [--kobo-rows N] [--repeats N]

Generates, from the sample-data generator (reused when DIR already holds them), a canonical
participants CSV of `--csv-rows` rows and a KoboToolbox XLSX export of the MISKA registration
form with `--kobo-rows` submissions (`sample_data.raw_exports`). Each file is validated the way
the Data page does it (`validate_upload` against the store) and confirmed into a fresh copy of
a store built from the bundled sample data (`import_upload`, reusing the validation where the
code allows it). Prints the seconds of each step (best of `--repeats`).
"""

from __future__ import annotations

import argparse
import inspect
import math
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

import settings
from data_loaders import kobo_form as form
from data_loaders.canonical import read_dataset
from sample_data.generate import generate, write_csv
from sample_data.raw_exports import write_kobo_export
from store.database import STORE_FILE, build_store
from store.imports import import_upload, validate_upload

MISKA_PER_SCALE = 140  # MISKA participants per unit of generator scale (142 at scale 1)
PEOPLE_PER_SCALE = 1500  # participants of every line per unit of scale (1532 at scale 1)
USER = "benchmark"
SEED = 7  # not the sample data's seed: the generated people must not share its ids


def canonical_data(folder: Path, csv_rows: int, kobo_rows: int) -> Path:
    """Canonical CSVs generated at a scale large enough for both files (reused when present)."""
    out = folder / "canonical"
    if not (out / "participants.csv").exists():
        scale = max(math.ceil(kobo_rows / MISKA_PER_SCALE), math.ceil(csv_rows / PEOPLE_PER_SCALE), 1)
        started = time.perf_counter()
        write_csv(generate(scale, SEED), out)
        print(f"generated scale {scale} in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def canonical_csv(canonical: Path, folder: Path, rows: int) -> Path:
    """The first `rows` participants of the generated data, as a canonical CSV."""
    path = folder / f"participants_{rows}.csv"
    if not path.exists():
        people = pd.read_csv(canonical / "participants.csv", dtype=str, keep_default_na=False)
        people.head(rows).to_csv(path, index=False)
    return path


def kobo_xlsx(canonical: Path, folder: Path, rows: int) -> Path:
    """A Kobo export of the first `rows` MISKA participants (with their components)."""
    path = folder / f"miska_registro_kobo_{rows}.xlsx"
    if path.exists():
        return path
    source = folder / "kobo_source"
    source.mkdir(parents=True, exist_ok=True)
    people = pd.read_csv(canonical / "participants.csv", dtype=str, keep_default_na=False)
    people = people[people["programme"] == form.PROGRAMME].head(rows)
    people.to_csv(source / "participants.csv", index=False)
    parts = pd.read_csv(canonical / "participations.csv", dtype=str, keep_default_na=False)
    parts[parts["participant_id"].isin(set(people["participant_id"]))].to_csv(source / "participations.csv",
                                                                              index=False)
    started = time.perf_counter()
    write_kobo_export(source, path)
    print(f"wrote {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def sample_store(folder: Path) -> Path:
    """A store of the bundled sample data (built once)."""
    path = folder / "store" / STORE_FILE
    if not path.exists():
        build_store(path, settings.sample_dir(), lambda file, dataset: read_dataset(file, dataset).frame)
    return path


def _confirm(store: Path, path: Path, dataset: str, validation):
    """Step 3 as the Data page calls it (handing over the validation where import_upload accepts it)."""
    if "validation" in inspect.signature(import_upload).parameters:
        return import_upload(store, path, dataset, USER, validation=validation)
    return import_upload(store, path, dataset, USER)


def measure(path: Path, dataset: str, store: Path, repeats: int) -> tuple[float, float, int]:
    """Best seconds to validate and to confirm `path`, and the rows validated."""
    validate_times, confirm_times, rows = [], [], 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as work:
            copy = Path(work) / "data" / STORE_FILE
            copy.parent.mkdir()
            shutil.copy(store, copy)
            con = duckdb.connect(str(copy), read_only=True)
            try:
                started = time.perf_counter()
                validation = validate_upload(path, dataset, con)
                validate_times.append(time.perf_counter() - started)
            finally:
                con.close()
            if not validation.ok:
                raise SystemExit(f"{path.name} did not validate: "
                                 + "; ".join(p.message("en") for p in validation.problems[:5]))
            rows = len(validation.result.frame)
            started = time.perf_counter()
            _confirm(copy, path, dataset, validation)
            confirm_times.append(time.perf_counter() - started)
    return min(validate_times), min(confirm_times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="where generated files are kept (reused)")
    parser.add_argument("--csv-rows", type=int, default=200_000)
    parser.add_argument("--kobo-rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="conexion-imports-"))
    folder.mkdir(parents=True, exist_ok=True)
    canonical = canonical_data(folder, args.csv_rows, args.kobo_rows)
    store = sample_store(folder)
    files = [(canonical_csv(canonical, folder, args.csv_rows), "participants"),
             (kobo_xlsx(canonical, folder, args.kobo_rows), "participants")]
    print(f"{'file':<34} {'MB':>6} {'rows':>8} {'validate s':>11} {'confirm s':>10}", flush=True)
    for path, dataset in files:
        validate_s, confirm_s, rows = measure(path, dataset, store, args.repeats)
        print(f"{path.name:<34} {path.stat().st_size / 2**20:>6.1f} {rows:>8,} {validate_s:>11.1f} "
              f"{confirm_s:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
