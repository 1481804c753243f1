"""Charts and tables built once per content and shared by every session and rerun (issue 15).

A warm rerun used to spend most of its CPU building the same Plotly figures and table stylers again
from the same cached figures. `built(builder, *args)` keys the result on the builder, the content of its
arguments, the session's language (which `t()` reads inside builders) and the store's data version (some
builders read the store's boundaries), so a figure is built once per data version, filter set and
language, whoever asks. What is returned is shared: never change it in place
(the pages do not; `charts.style.for_projector` and the image exports work on copies).

The key is this module's own fingerprint, not Streamlit's cache hashing: that took a fifth to a third
of a warm rerun on the pages with many tables (it walks every argument in Python).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import pickle
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Callable, TypeVar

import pandas as pd

from store import cached
from ui.language import current_language

T = TypeVar("T")

# A page's charts and tables for some dozens of filter sets and both languages. An entry holds about
# 280 KB on average (the overview's, maps included, measured with tracemalloc over 8 periods), so a full
# memo is about 150 MB per process.
MAX_ENTRIES = 512
_built: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def built(builder: Callable[..., T], *args, **kwargs) -> T:
    """`builder(*args, **kwargs)`, computed once per distinct content of the arguments and language."""
    key = (builder.__module__, builder.__qualname__, fingerprint(args), fingerprint(kwargs), current_language(),
           str(cached.store_path()), cached.current_data_version())
    with _lock:
        if key in _built:
            _built.move_to_end(key)
            return _built[key]
    value = builder(*args, **kwargs)  # outside the lock: two sessions may build it at once, both get one
    with _lock:
        _built[key] = value
        _built.move_to_end(key)
        while len(_built) > MAX_ENTRIES:
            _built.popitem(last=False)
    return value


def clear() -> None:
    """Forget every built chart and table (entries of an older data version are only dropped as the oldest)."""
    with _lock:
        _built.clear()


_PLAIN = (str, int, bool, bytes, type(None), dt.date, dt.datetime, dt.time)


def fingerprint(value: object) -> Hashable:
    """A hashable value equal for equal contents: frames by their columns, types, every cell, index and attrs."""
    if isinstance(value, float):
        return ("float", "nan") if math.isnan(value) else ("float", value)
    if isinstance(value, _PLAIN):
        return type(value).__name__, value  # the type too: 1, 1.0 and True are equal keys in Python
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)), _cells(value),
                fingerprint(value.attrs))  # attrs: the kinds of hidden cells some frames carry
    if isinstance(value, pd.Series):
        return ("series", str(value.name), str(value.dtype), _cells(value), fingerprint(value.attrs))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(item) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple((fingerprint(k), fingerprint(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((fingerprint(item) for item in value), key=repr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, tuple(fingerprint(getattr(value, f.name))
                                                for f in dataclasses.fields(value)))
    return ("pickle", pickle.dumps(value))


SMALL_CELLS = 20_000  # up to this many cells, their reprs are cheaper to join than pandas' hashing


def _cells(data: pd.DataFrame | pd.Series) -> Hashable:
    """The cells and index of a frame or series: the text of every value (repr tells 1 from 1.0 and None
    from 'None'; NaN reads the same every time) or, for a large frame, pandas' per-row hashes."""
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if frame.size <= SMALL_CELLS:
        index = repr(frame.index) if isinstance(frame.index, pd.RangeIndex) else _joined(frame.index.tolist())
        return index, _joined(frame.to_numpy(dtype=object).ravel().tolist())
    try:
        return pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # cells that pandas cannot hash (lists, dicts): their pickled bytes
        return pickle.dumps(frame)


def _joined(values: list) -> str:
    return "\x1f".join(map(repr, values))
