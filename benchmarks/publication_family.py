"""Cost and utility of protecting the publication families (issue 12).

    python -m benchmarks.publication_family [--scale N] [--folder DIR] [family ...]

Prints, on the bundled sample data (scale 1) or on generated data at scale N (built with
`benchmarks.run.prepare`, reused when DIR already holds it): cells, derived cells and
relations of each protected family (`publication.sources.PROTECTED_FAMILIES`), the seconds
to build and to protect it, and for each of its indicators (the Reintegration stages
together) per level hidden cells / offered cells and hidden totals / totals, against primary
suppression alone (the cells that are small).
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
from publication.family import LEVELS, is_stage, level_of
from publication.protection import Protection, hidden_share, protect_family
from publication.sources import PROTECTED_FAMILIES, protected_family
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


def _group(indicator: str) -> str:
    return "reintegration stages" if is_stage(indicator) else indicator


def report(con: duckdb.DuckDBPyConnection, family_id: str, k: int, margin: int) -> None:
    started = time.perf_counter()
    family = protected_family(con, family_id)
    built = time.perf_counter() - started
    protection = protect_family(family, k, margin)
    protected = time.perf_counter() - started - built
    print(f"{family_id}: {len(family.values)} non-zero cells ({len(family.derived)} derived), "
          f"{len(family.relations)} relations; built in {built:.1f} s, protected in {protected:.1f} s "
          f"({protection.rounds} rounds)", flush=True)
    for group in dict.fromkeys(_group(c[0]) for c in family.values):
        fates = {c: f for c, f in protection.fates.items() if _group(c[0]) == group}
        primary = {level: 0 for level in LEVELS}
        for cell in fates:
            if cell not in family.derived and is_small(family.values[cell], k):
                primary[level_of(cell[2])] += 1
        print(f"  {group}", flush=True)
        shares = hidden_share(Protection(fates, protection.rounds, protection.withheld_blocks), family)
        for level, (hidden, cells, hidden_totals, totals) in shares.items():
            if cells:
                print(f"    {level:<13} hidden {hidden:>4} / {cells:<4} cells (small: {primary[level]:>4}); "
                      f"hidden totals {hidden_totals:>3} / {totals}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("families", nargs="*", default=list(PROTECTED_FAMILIES))
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="where the generated data and store are kept (reused)")
    args = parser.parse_args()
    con = duckdb.connect(str(store_of(args.scale, args.folder)), read_only=True)
    print(f"scale {args.scale:,}", flush=True)
    for family_id in args.families:
        report(con, family_id, settings.suppression_threshold(), int(settings.get("audit_margin")))


if __name__ == "__main__":
    main()
