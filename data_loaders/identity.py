"""Ids that already exist in the store with other identity data: a collision, refused.

An import upserts by key: a record whose ordinary attributes changed (a new municipality, a
completed component) updates the stored one. The attributes that identify a record are
different: a participant whose sex, age at enrolment or enrolment date differ from the stored
ones is most likely another person given the same pseudonymous code (or a typing mistake in
the code), and silently overwriting would merge two people. Such rows are refused, each with
its row, column, the value in the file and the stored value. Pure functions: the caller reads
the stored rows (`stored`) from the store. Keys are compared in the one spelling of ids
(`data_loaders.text.identifier`), so a stored id written before that rule still matches.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_loaders.canonical import LoadResult
from data_loaders.errors import Problem, ValidationError
from data_loaders.schemas import DATASET_KEYS
from data_loaders.text import identifier

# Dataset -> columns that identify a record beyond its key (never changed by an upload).
IDENTITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": ("sex", "age", "enrolment_date"),
    "awareness_sessions": ("date", "country", "municipality_code"),
    "network_institutions": ("country", "municipality_code", "type"),
    "base_organisations": ("country", "municipality_code"),
}


class IdentityConflictError(ValidationError):
    """Rows whose key exists in the store with different identity data."""


def _text(value: object) -> str | None:
    """A stored or loaded value as comparable text: dates as ISO, whole numbers without '.0'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key_texts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Each record's key as comparable text, ids in their one spelling."""
    texts = {}
    for k in keys:
        values = frame[k].map(_text)
        texts[k] = values.map(lambda text: identifier(text) if text is not None else None) if k.endswith("_id") \
            else values
    return pd.DataFrame(texts, index=frame.index)


def identity_conflicts(result: LoadResult, stored: pd.DataFrame, dataset: str) -> list[Problem]:
    """One error per changed identity cell of a row whose key is already stored, in file order."""
    columns = list(IDENTITY_COLUMNS.get(dataset, ()))
    keys = list(DATASET_KEYS[dataset])
    if not columns or stored.empty or result.frame.empty:
        return []
    rows = result.rows or [position + 2 for position in range(len(result.frame))]
    incoming = _key_texts(result.frame, keys).assign(file_row=rows, file_position=range(len(result.frame)))
    for column in columns:
        incoming["new_" + column] = result.frame[column].map(_text).to_numpy()
    before = _key_texts(stored, keys)
    for column in columns:
        before["old_" + column] = stored[column].map(_text).to_numpy()
    # Only the rows whose key is stored are compared (a merge, not a loop over the file).
    matched = incoming.merge(before, on=keys, how="inner").sort_values("file_position", kind="stable")
    problems = []
    for record in matched.itertuples(index=False):
        values = record._asdict()
        shown = ", ".join(f"{name} = {values[name]}" for name in keys)
        for column in columns:
            new, old = (None if pd.isna(v) else v for v in (values["new_" + column], values["old_" + column]))
            if new != old:
                header = result.headers.get(column, column)
                params = {"key": shown, "stored": old or ""}
                problems.append(Problem(result.source, int(values["file_row"]), header, new, "identity_changed", params,
                                        result.sheet))
    return problems


def check_identity(result: LoadResult, stored: pd.DataFrame, dataset: str) -> None:
    """Raise IdentityConflictError listing every conflict (nothing to do when there is none)."""
    problems = identity_conflicts(result, stored, dataset)
    if problems:
        raise IdentityConflictError(problems, result.fixes)
