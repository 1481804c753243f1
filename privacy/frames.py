"""Suppression of indicator frames (breakdown columns + `value` true counts) for the indicator layer.

Every function takes true counts and returns frames whose `value` is pandas Int64 with
<NA> where the cell is hidden, and a boolean `suppressed` column; the pattern is the one
`protect` finds for the cells together with the totals published beside them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from privacy.cells import TOTAL, CellTable, hierarchy, node_id, one_way, two_way
from privacy.suppression import protect

_TOTAL_ID = (TOTAL,)


def protect_frame(frame: pd.DataFrame, dims: str | Sequence[str], k: int, margin: int,
                  total_value: int | None = None) -> pd.DataFrame:
    """`frame` with `value` hidden where needed and a `suppressed` column.

    No dimension: one headline figure. One dimension: the cells, tied to their total when
    `total_value` (published beside them, equal to their sum) is given. Two dimensions:
    row, column and grand totals are taken as published (`total_value`, if given, must
    be the grand total).
    """
    dims = [dims] if isinstance(dims, str) else list(dims)
    _check_true_counts(frame)
    if len(dims) == 2:
        _check_total(total_value, int(frame["value"].sum()))
        return protect_two_way(frame, dims[0], dims[1], k, margin)[0]
    if len(dims) > 2:
        raise ValueError(f"protect_frame handles up to two breakdowns, got {dims}")
    table = _one_way_table(frame, dims, total_value)
    return _hide(frame, _keys(frame, dims), protect(table, k, margin))


def protect_two_way(frame: pd.DataFrame, row_dim: str, col_dim: str, k: int, margin: int
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(cells, row totals, column totals, grand total as a one-row frame), each with value/suppressed."""
    _check_true_counts(frame)
    table = two_way(frame, row_dim, col_dim)
    hidden = protect(table, k, margin)
    rows = list(dict.fromkeys(frame[row_dim].tolist()))
    cols = list(dict.fromkeys(frame[col_dim].tolist()))
    return (
        _hide(frame, _keys(frame, [row_dim, col_dim]), hidden),
        _published(table, hidden, [(r, TOTAL) for r in rows], {row_dim: rows}),
        _published(table, hidden, [(TOTAL, c) for c in cols], {col_dim: cols}),
        _published(table, hidden, [(TOTAL, TOTAL)], {}),
    )


def protect_levels(frame: pd.DataFrame, levels: Sequence[str], k: int, margin: int) -> list[pd.DataFrame]:
    """One frame per level of a territorial hierarchy, coarsest (the grand total) first, finest
    (the rows of `frame`) last; every level is taken as published and suppression is consistent
    across all of them."""
    levels = list(levels)
    _check_true_counts(frame)
    table = hierarchy(frame, levels[:-1], levels[-1])
    hidden = protect(table, k, margin)
    keys = _keys(frame, levels)
    frames = []
    for depth in range(len(levels)):
        nodes = list(dict.fromkeys(node_id(key, depth, len(levels)) for key in keys))
        columns = {name: [node[i] for node in nodes] for i, name in enumerate(levels[:depth])}
        frames.append(_published(table, hidden, nodes, columns))
    frames.append(_hide(frame, keys, hidden))
    return frames


def protect_hierarchy(frame: pd.DataFrame, parent_cols: str | Sequence[str], child_col: str, k: int,
                      margin: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(children, parents) of e.g. department → municipality counts, suppressed consistently.

    With several parent columns (country, department_code) the coarser levels (each
    country, the grand total) are also taken as published; `protect_levels` returns them.
    """
    parents = [parent_cols] if isinstance(parent_cols, str) else list(parent_cols)
    frames = protect_levels(frame, [*parents, child_col], k, margin)
    return frames[-1], frames[-2]


def _check_true_counts(frame: pd.DataFrame) -> None:
    if "value" not in frame.columns:
        raise ValueError("frame lacks a `value` column of counts")
    if frame["value"].isna().any():
        raise ValueError("`value` has missing counts: suppression needs the true counts, before any is hidden")


def _one_way_table(frame: pd.DataFrame, dims: list[str], total_value: int | None) -> CellTable:
    if not dims or total_value is None:
        keys = _keys(frame, dims)
        if len(set(keys)) != len(keys):
            raise ValueError(f"frame has repeated rows for {dims}")
        return CellTable(dict(zip(keys, frame["value"].tolist())))
    table = one_way(frame, dims[0], total_id=_TOTAL_ID)
    _check_total(total_value, table.values[_TOTAL_ID])
    return table


def _check_total(total_value: int | None, cell_sum: int) -> None:
    if total_value is not None and total_value != cell_sum:
        raise ValueError(f"total_value={total_value} differs from the sum of the cells ({cell_sum}): "
                         "the breakdown is not additive")


def _keys(frame: pd.DataFrame, dims: Sequence[str]) -> list[tuple]:
    if frame[list(dims)].isna().any().any():
        raise ValueError(f"breakdown columns {list(dims)} have missing values")
    return list(zip(*(frame[d].tolist() for d in dims))) if dims else [()] * len(frame)


def _hide(frame: pd.DataFrame, keys: list[Hashable], hidden: set) -> pd.DataFrame:
    mask = pd.Series([key in hidden for key in keys], index=frame.index, dtype=bool)
    out = frame.copy()
    out["value"] = out["value"].astype("Int64").mask(mask)
    out["suppressed"] = mask
    return out


def _published(table: CellTable, hidden: set, ids: list[Hashable], columns: dict[str, list]) -> pd.DataFrame:
    values = pd.array([table.values[i] for i in ids], dtype="Int64")
    mask = [i in hidden for i in ids]
    out = pd.DataFrame({**columns, "value": values, "suppressed": pd.array(mask, dtype=bool)})
    out["value"] = out["value"].mask(out["suppressed"])
    return out
