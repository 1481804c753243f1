"""Time the cell parsers and `read_dataset` on a 200,000-row participants CSV written as field teams do.

Run `.venv/bin/python -m benchmarks.cells [rows]`: prints seconds per step (best of three).
The file has ids in lower case (every one is normalised), dd/mm/yyyy dates whose order the
file proves, and ages written `24,0`; the parsers must stay a small part of validation.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from data_loaders import cells
from data_loaders.canonical import read_dataset
from data_loaders.report import Report

HEADER = ("participant_id,programme,country,department_code,municipality_code,sex,age,ethnicity,"
          "migration_profile,enrolment_date,institution_id")


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(13)
    lines = [HEADER]
    for number in range(rows):
        date = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2019, 2024)}"
        lines.append(f"p{number:08x},miska_reintegration,GTM,13,1301,female,\"{rng.randint(15, 70)},0\",mam,"
                     f"returnee,{date},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def best_of_three(step) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main(rows: int = 200_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "participants.csv"
        write_file(path, rows)
        raw = pd.read_csv(path, dtype="str", keep_default_na=False)
        raw.index = raw.index + 2
        report = Report(path.name, None, raw, {})
        steps = {
            "parse_identifiers": lambda: cells.parse_identifiers(raw["participant_id"], "participant_id", report),
            "parse_dates": lambda: cells.parse_dates(raw["enrolment_date"], "enrolment_date", report),
            "parse_integers": lambda: cells.parse_integers(raw["age"], "age", report),
            "read_dataset (whole file)": lambda: read_dataset(path, "participants"),
        }
        print(f"{rows:,} rows")
        for name, step in steps.items():
            print(f"{name:>28}: {best_of_three(step):.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
