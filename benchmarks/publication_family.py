"""Cost and utility of protecting a people indicator's publication family (issue 12, groundwork).

    python -m benchmarks.publication_family [indicator ...]

Prints, on the bundled sample data: cells, derived cells and relations of the family, the
seconds to build and to protect it, and per level hidden cells / offered cells and hidden
totals / totals, against primary suppression alone (the cells that are small).
"""

from __future__ import annotations

import sys
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


def main(indicators: list[str]) -> None:
    path = Path(tempfile.mkdtemp()) / "conexion.duckdb"
    build_store(path, settings.sample_dir(), lambda file, dataset: read_dataset(file, dataset).frame)
    con = duckdb.connect(str(path), read_only=True)
    k, margin = settings.suppression_threshold(), int(settings.get("audit_margin"))
    for indicator in indicators:
        started = time.perf_counter()
        family = people_family(con, indicator)
        built = time.perf_counter() - started
        protection = protect_family(family, k, margin)
        protected = time.perf_counter() - started - built
        print(f"{indicator}: {len(family.values)} non-zero cells ({len(family.derived)} derived), "
              f"{len(family.relations)} relations; built in {built:.1f} s, protected in {protected:.1f} s "
              f"({protection.rounds} rounds)")
        primary = {level: 0 for level in LEVELS}
        for cell, value in family.values.items():
            if cell not in family.derived and is_small(value, k):
                primary[level_of(cell[2])] += 1
        for level, (hidden, cells, hidden_totals, totals) in hidden_share(protection, family).items():
            print(f"  {level:<13} hidden {hidden:>4} / {cells:<4} cells (small: {primary[level]:>4}); "
                  f"hidden totals {hidden_totals:>3} / {totals}")


if __name__ == "__main__":
    main(sys.argv[1:] or list(FAMILY_INDICATORS))
