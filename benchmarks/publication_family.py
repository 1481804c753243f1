"""Cost and utility of protecting the people indicators' publication families (issue 12).

    python -m benchmarks.publication_family [--scale N] [--folder DIR] [indicator ...]

Prints, on the bundled sample data (scale 1) or on generated data at scale N (built with
`benchmarks.run.prepare`, reused when DIR already holds it): cells, derived cells and
relations of each family, the seconds to build and to protect it, and per level hidden
cells / offered cells and hidden totals / totals, against primary suppression alone (the
cells that are small).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

import settings
from data_loaders.canonical import read_dataset
from privacy.rules import is_small
from publication.family import LEVELS, level_of
from publication.protection import hidden_share, protect_family
from publication.sources import FAMILY_INDICATORS, people_family
from store.database import build_store


def store_of(scale: int, folder: Path | None) -> Path:
    """A store of the sample data (scale 1) or of generated data at `scale`."""
    folder = folder or Path(tempfile.mkdtemp())
    if scale == 1:
        path = folder / "conexion.duckdb"
        if not path.exists():
            build_store(path, settings.sample_dir(), lambda file, dataset: read_dataset(file, dataset).frame)
        return path
    from benchmarks.run import prepare, scale_env

    credentials = folder / "credentials.yaml"
    prepare(scale, folder, scale_env(folder, credentials))
    return folder / "data" / "conexion.duckdb"


def report(con: duckdb.DuckDBPyConnection, indicator: str, k: int, margin: int) -> None:
    started = time.perf_counter()
    family = people_family(con, indicator)
    built = time.perf_counter() - started
    protection = protect_family(family, k, margin)
    protected = time.perf_counter() - started - built
    print(f"{indicator}: {len(family.values)} non-zero cells ({len(family.derived)} derived), "
          f"{len(family.relations)} relations; built in {built:.1f} s, protected in {protected:.1f} s "
          f"({protection.rounds} rounds)", flush=True)
    primary = {level: 0 for level in LEVELS}
    for cell, value in family.values.items():
        if cell not in family.derived and is_small(value, k):
            primary[level_of(cell[2])] += 1
    for level, (hidden, cells, hidden_totals, totals) in hidden_share(protection, family).items():
        print(f"  {level:<13} hidden {hidden:>4} / {cells:<4} cells (small: {primary[level]:>4}); "
              f"hidden totals {hidden_totals:>3} / {totals}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("indicators", nargs="*", default=list(FAMILY_INDICATORS))
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="where the generated data and store are kept (reused)")
    args = parser.parse_args()
    con = duckdb.connect(str(store_of(args.scale, args.folder)), read_only=True)
    print(f"scale {args.scale:,}", flush=True)
    for indicator in args.indicators:
        report(con, indicator, settings.suppression_threshold(), int(settings.get("audit_margin")))


if __name__ == "__main__":
    main()
