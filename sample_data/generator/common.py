"""Seeded, vectorised helpers shared by the generator modules: exact allocation, dates, ages.

Dates are handled as int64 day numbers since 1970-01-01 (NaT = `NO_DATE`) and turned into
`datetime64[ns]` only when a frame is built.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

NO_DATE = np.iinfo(np.int64).min  # the int64 value of NaT


def day(iso: str) -> int:
    """Day number of an ISO date."""
    return int(np.datetime64(iso, "D").astype(np.int64))


PERIOD_START = day("2023-01-01")  # reporting period of the headline figures
PERIOD_END = day("2024-12-31")
CUTOFF = day("2025-06-30")  # last day of the data: later end dates are still open


def scaled(base: int | float, scale: int) -> int:
    """A count of the scale-1 sample multiplied by `scale`, rounded."""
    return int(round(base * scale))


def allocate(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split `total` into integer counts proportional to `weights` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def exact_choice(rng: np.random.Generator, n: int, values: Sequence, weights: Sequence[float]) -> np.ndarray:
    """`n` values whose counts are exactly proportional to `weights`, in random order."""
    values = np.asarray(values)
    if values.dtype.kind == "U":
        values = values.astype(object)  # shared str objects: far less memory than numpy unicode
    return rng.permutation(np.repeat(values, allocate(n, weights)))


def exact_flags(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Boolean array with exactly round(n * share) True values, in random order."""
    return exact_choice(rng, n, [True, False], [share, 1 - share])


def choice_by_group(rng: np.random.Generator, groups: np.ndarray,
                    table: dict[object, dict[str, float]]) -> np.ndarray:
    """For each row, a value drawn with the weights of its group (`table[group]`), exact per group."""
    out = np.empty(len(groups), dtype=object)
    for group in sorted(set(groups.tolist())):
        rows = np.flatnonzero(groups == group)
        weights = table[group]
        out[rows] = exact_choice(rng, len(rows), list(weights), list(weights.values()))
    return out


def weighted_pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Sorted indices of `k` items drawn without replacement, chance ~ weights (Efraimidis-Spirakis)."""
    weights = np.asarray(weights, dtype=float)
    if k > np.count_nonzero(weights > 0):
        raise ValueError(f"cannot pick {k} items from {np.count_nonzero(weights > 0)} eligible")
    with np.errstate(divide="ignore"):
        keys = np.where(weights > 0, np.log(rng.random(len(weights))) / weights, -np.inf)
    if k == 0:
        return np.empty(0, dtype=np.int64)
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def uniform_int(rng: np.random.Generator, low, high, size: int | None = None) -> np.ndarray:
    """Integers (day numbers, ages, hours) uniform in [low, high], inclusive; arrays broadcast to `size`."""
    low = np.asarray(low, dtype=np.int64)
    high = np.asarray(high, dtype=np.int64)
    size = np.broadcast_shapes(low.shape, high.shape, () if size is None else (size,))
    return low + np.floor(rng.random(size) * (high - low + 1)).astype(np.int64)


def ages(rng: np.random.Generator, n: int, bands: Sequence[tuple[int, int, float]]) -> np.ndarray:
    """Ages in years: band counts exactly proportional to the band weights, uniform inside a band."""
    band = exact_choice(rng, n, np.arange(len(bands)), [w for _, _, w in bands])
    low = np.array([lo for lo, _, _ in bands])[band]
    high = np.array([hi for _, hi, _ in bands])[band]
    return uniform_int(rng, low, high)


def to_datetime(days: np.ndarray) -> np.ndarray:
    """Day numbers (NO_DATE for missing) as datetime64[ns]."""
    return np.asarray(days, dtype=np.int64).view("datetime64[D]").astype("datetime64[ns]")


def unique_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` distinct uint32 numbers drawn from `rng` (in draw order)."""
    values = np.empty(0, dtype=np.uint32)
    while len(values) < n:
        draw = rng.integers(0, 2**32, size=n - len(values) + n // 100 + 16, dtype=np.uint32)
        merged = np.concatenate([values, draw])
        _, first = np.unique(merged, return_index=True)
        values = merged[np.sort(first)][:n]
    return values


def hex_ids(values: np.ndarray, prefix: str = "P") -> np.ndarray:
    """Ids: a one-letter prefix + the numbers as 8 upper-case hex characters (sorts as the numbers)."""
    nibbles = (values[:, None] >> np.arange(28, -4, -4, dtype=np.uint32)) & 0xF
    digits = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)[nibbles]
    text = np.concatenate([np.full((len(values), 1), ord(prefix), dtype=np.uint8), digits], axis=1)
    return text.view("S9").ravel().astype(str)


def frame(columns: dict[str, object]) -> pd.DataFrame:
    """DataFrame with date columns (named *date*) converted from day numbers."""
    def convert(name: str, values):
        if name == "date" or name.endswith("_date"):
            return to_datetime(values)
        if isinstance(values, np.ndarray) and values.dtype.kind == "U":
            return values.astype(object)  # much faster to turn into pandas strings than numpy unicode
        return values

    return pd.DataFrame({name: convert(name, values) for name, values in columns.items()})
