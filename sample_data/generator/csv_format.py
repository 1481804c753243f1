"""Canonical CSV form of the sample frames: UTF-8, `,`, ISO dates, `true`/`false`, empty = missing.

Every cell is turned into text here, so the bytes written depend only on the frame values.
Numbers and dates take few distinct values, so each is formatted once and looked up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from data_loaders.schemas import DATASETS

DECIMALS = {"hours": 0, "lat": 5, "lon": 5}  # other float columns: 2 decimals (scores, indices)
LOOKUP_LIMIT = 100_000  # widest range of integers formatted through a lookup table


def _lookup(numbers: np.ndarray, missing: np.ndarray, fmt: Callable[[int], str]) -> np.ndarray:
    """Integers as text (empty where `missing`), formatting each distinct value once."""
    present = numbers[~missing]
    if len(present) == 0:
        return np.full(len(numbers), "", dtype=object)
    low, high = int(present.min()), int(present.max())
    if high - low > LOOKUP_LIMIT:
        table = None
    else:
        table = np.array([fmt(v) for v in range(low, high + 1)] + [""], dtype=object)
    if table is None:
        return np.where(missing, "", np.array([fmt(int(v)) for v in numbers], dtype=object))
    index = np.where(missing, len(table) - 1, numbers - low)
    return table[index]


def _date_text(values: pd.Series) -> np.ndarray:
    days = values.to_numpy().astype("datetime64[D]")
    missing = np.isnat(days)
    as_text = lambda d: str(np.datetime64(d, "D"))  # noqa: E731
    return _lookup(np.where(missing, 0, days.astype(np.int64)), missing, as_text)


def _float_text(values: pd.Series, decimals: int) -> np.ndarray:
    numbers = values.to_numpy(dtype=float)
    missing = np.isnan(numbers)
    scaled = np.round(np.where(missing, 0, numbers) * 10**decimals).astype(np.int64)
    return _lookup(scaled, missing, lambda v: f"{v / 10**decimals:.{decimals}f}")


def _column_text(values: pd.Series) -> np.ndarray:
    """One column as text (object array), by its dtype."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return _date_text(values)
    if pd.api.types.is_bool_dtype(values):
        return np.where(values.to_numpy(), "true", "false").astype(object)
    if pd.api.types.is_integer_dtype(values):
        numbers = values.to_numpy()
        return _lookup(numbers, np.zeros(len(numbers), dtype=bool), str)
    if pd.api.types.is_float_dtype(values):
        return _float_text(values, DECIMALS.get(values.name, 2))
    return values.fillna("").to_numpy(dtype=object)


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every cell as the text written to the CSV file."""
    return pd.DataFrame({name: _column_text(frame[name]) for name in frame.columns})


def write_csv(frames: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each dataset to `<out_dir>/<name>.csv` (schema order of datasets); return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in DATASETS:
        path = out / f"{name}.csv"
        as_text(frames[name]).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        paths.append(path)
    return paths
