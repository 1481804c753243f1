"""Published figures as a table of cells bound by additive relations (total = sum of parts).

A cell id is any hashable value; tables built from frames use tuples, with `TOTAL` in the
position of every dimension summed over. Two tables that give the same id to a cell
state that they publish the same figure, which is how `link` ties pages together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

TOTAL = "__total__"

Relation = tuple[Hashable, tuple[Hashable, ...]]


@dataclass(frozen=True)
class CellTable:
    """True counts of every cell a page would publish, and the relations between them."""

    values: dict[Hashable, int]
    relations: list[Relation] = field(default_factory=list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", {cell: _count(cell, v) for cell, v in self.values.items()})
        object.__setattr__(self, "relations", [(total, tuple(parts)) for total, parts in self.relations])
        for relation in self.relations:
            _check_relation(relation, self.values)

    @cached_property
    def position(self) -> dict[Hashable, int]:
        """Order of every cell id (insertion order of `values`): the tie-break of every choice."""
        return {cell: i for i, cell in enumerate(self.values)}

    @cached_property
    def relations_of(self) -> dict[Hashable, list[int]]:
        """Indexes of the relations each cell takes part in."""
        touching: dict[Hashable, list[int]] = {cell: [] for cell in self.values}
        for index, (total, parts) in enumerate(self.relations):
            for cell in (total, *parts):
                touching[cell].append(index)
        return touching

    @cached_property
    def equal_totals(self) -> dict[Hashable, tuple[Hashable, ...]]:
        """The totals each cell equals, as the only non-zero part of their relation (hiding it hides them)."""
        equal: dict[Hashable, list[Hashable]] = {}
        for total, parts in self.relations:
            non_zero = [c for c in parts if self.values[c]]
            if len(non_zero) == 1 and non_zero[0] != total:
                equal.setdefault(non_zero[0], []).append(total)
        return {cell: tuple(totals) for cell, totals in equal.items()}

    def ordered(self, cells: Iterable[Hashable]) -> list[Hashable]:
        """`cells` sorted by table position (never by id, which may mix types)."""
        return sorted(cells, key=self.position.__getitem__)


def _count(cell: Hashable, value: object) -> int:
    if value is None or pd.isna(value) or float(value) != int(value) or int(value) < 0:
        raise ValueError(f"cell {cell!r}: a count must be a non-negative integer, got {value!r}")
    return int(value)


def _check_relation(relation: Relation, values: Mapping[Hashable, int]) -> None:
    total, parts = relation
    unknown = [cell for cell in (total, *parts) if cell not in values]
    if unknown:
        raise ValueError(f"relation {total!r} names cells that are not in the table: {unknown!r}")
    if total in parts or len(set(parts)) != len(parts):
        raise ValueError(f"relation {total!r} repeats a cell: {parts!r}")
    if values[total] != sum(values[p] for p in parts):
        raise ValueError(f"relation {total!r} does not add up: {values[total]} != sum of {parts!r}")


def _frame_counts(frame: pd.DataFrame, dims: Sequence[str]) -> dict[tuple, int]:
    missing = [c for c in (*dims, "value") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}")
    if frame[list(dims)].isna().any().any():
        raise ValueError(f"breakdown columns {list(dims)} have missing values")
    keys = list(zip(*(frame[d].tolist() for d in dims))) if dims else [()] * len(frame)
    if len(set(keys)) != len(keys):
        raise ValueError(f"frame has repeated rows for {list(dims)}")
    return {key: _count(key, v) for key, v in zip(keys, frame["value"].tolist())}


def one_way(frame: pd.DataFrame, dim: str, total_id: Hashable = ("total",)) -> CellTable:
    """Cells `(dim_value,)` of `frame` and their total `total_id`, published beside them."""
    counts = _frame_counts(frame, [dim])
    if total_id in counts:
        raise ValueError(f"total id {total_id!r} collides with a cell of {dim}")
    values = {**counts, total_id: sum(counts.values())}
    return CellTable(values, [(total_id, tuple(counts))])


def two_way(frame: pd.DataFrame, row_dim: str, col_dim: str) -> CellTable:
    """Cells `(r, c)` with row totals `(r, TOTAL)`, column totals `(TOTAL, c)` and `(TOTAL, TOTAL)`.

    A combination missing from `frame` is a zero cell (conservatively, one the attacker knows).
    """
    counts = _frame_counts(frame, [row_dim, col_dim])
    rows = list(dict.fromkeys(r for r, _ in counts))
    cols = list(dict.fromkeys(c for _, c in counts))
    cells = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    values: dict[Hashable, int] = dict(cells)
    relations: list[Relation] = []
    for r in rows:
        values[(r, TOTAL)] = sum(cells[(r, c)] for c in cols)
        relations.append(((r, TOTAL), tuple((r, c) for c in cols)))
    for c in cols:
        values[(TOTAL, c)] = sum(cells[(r, c)] for r in rows)
        relations.append(((TOTAL, c), tuple((r, c) for r in rows)))
    values[(TOTAL, TOTAL)] = sum(cells.values())
    relations.append(((TOTAL, TOTAL), tuple((r, TOTAL) for r in rows)))
    relations.append(((TOTAL, TOTAL), tuple((TOTAL, c) for c in cols)))
    return CellTable(values, relations)


def node_id(key: tuple, depth: int, levels: int) -> tuple:
    """Id of the hierarchy node that keeps the first `depth` values of `key`."""
    return tuple(key[:depth]) + (TOTAL,) * (levels - depth)


def hierarchy(frame: pd.DataFrame, parent_dim: str | Sequence[str], child_dim: str) -> CellTable:
    """Children `(p, c)` summing to parents `(p, TOTAL)`, parents summing to `(TOTAL, TOTAL)`.

    With several parent columns (e.g. country, department_code) every prefix is a level
    of its own, published and summing to the level above.
    """
    dims = [parent_dim] if isinstance(parent_dim, str) else list(parent_dim)
    dims.append(child_dim)
    counts = _frame_counts(frame, dims)
    depth = len(dims)
    values: dict[Hashable, int] = {}
    children: dict[tuple, list[tuple]] = {}
    for key, count in counts.items():
        for level in range(depth, -1, -1):
            node = node_id(key, level, depth)
            values[node] = values.get(node, 0) + count
            if level < depth:
                siblings = children.setdefault(node, [])
                child = node_id(key, level + 1, depth)
                if child not in siblings:
                    siblings.append(child)
    ordered = dict(sorted(values.items(), key=lambda item: -sum(v == TOTAL for v in item[0])))  # coarsest first
    return CellTable(ordered, [(node, tuple(children[node])) for node in ordered if node in children])


def link(*tables: CellTable) -> CellTable:
    """One table of several; cells with the same id are one published figure and must agree."""
    values: dict[Hashable, int] = {}
    relations: dict[tuple, Relation] = {}
    for table in tables:
        for cell, value in table.values.items():
            if values.setdefault(cell, value) != value:
                raise ValueError(f"cell {cell!r} is {values[cell]} in one table and {value} in another")
        for total, parts in table.relations:
            relations.setdefault((total, frozenset(parts)), (total, parts))
    return CellTable(values, list(relations.values()))


def rename(table: CellTable, new_id: Mapping[Hashable, Hashable] | Callable[[Hashable], Hashable]) -> CellTable:
    """Copy of `table` with ids mapped (a dict keeps unlisted ids), e.g. to link a headline to a total."""
    mapper = new_id if callable(new_id) else (lambda cell: new_id.get(cell, cell))
    values = {mapper(cell): value for cell, value in table.values.items()}
    if len(values) != len(table.values):
        raise ValueError("renaming merged two cells into one id")
    relations = [(mapper(total), tuple(mapper(p) for p in parts)) for total, parts in table.relations]
    return CellTable(values, relations)
