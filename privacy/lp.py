"""Integer ranges of the unknown cells of a linear system, by linear programming (HiGHS).

The system comes as a `Polytope`: unknowns with interval domains and equality rows.
Every bound is the optimum over integer points: a linear programme whose optimum is at
an integral point is exact; otherwise the bound is re-solved as a mixed-integer programme
(scipy's interface to HiGHS). The linear programmes of one polytope share one HiGHS model.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, MutableMapping
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

INF = math.inf
_TOLERANCE = 1e-6

Row = tuple[tuple[int, int], ...]  # (unknown index, coefficient) pairs


@dataclass(frozen=True)
class Polytope:
    """Unknowns (ids with [low, high] domains, high may be inf) bound by rows `sum(coef * x) = rhs`."""

    unknowns: tuple[Hashable, ...]
    domains: tuple[tuple[float, float], ...]
    rows: tuple[Row, ...]
    rhs: tuple[int, ...]


@dataclass
class _Search:
    """What is known of every unknown's range while solving: seen integer points, proven bounds."""

    seen_low: list[float]
    seen_high: list[float]
    low_proven: list[bool]
    high_proven: list[bool]


def ranges(poly: Polytope, enough: float | None = None, cache: MutableMapping | None = None,
           only: frozenset[int] | None = None) -> list[tuple[float, float, bool]]:
    """(low, high, exact) of every unknown, in order; with `only`, just those unknowns are solved.

    With `enough`, an unknown whose integer points already seen span more than `enough` is
    not solved further: its (low, high) is then only a sub-range and `exact` is False.
    """
    cache = {} if cache is None else cache
    key = (poly, enough, only)
    if key not in cache:
        cache[key] = _ranges(poly, enough, range(len(poly.unknowns)) if only is None else sorted(only))
    return cache[key]


class _Model:
    """The polytope as one HiGHS model, solved again for each objective.

    Only the objective changes between solves, so HiGHS starts each from the last optimal
    basis: a few pivots instead of building and solving a new programme every time (the
    audit solves hundreds of these per page).
    """

    def __init__(self, matrix: csr_array, rhs: np.ndarray, bounds: list[tuple[float, float | None]]):
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.n = len(bounds)
        lower = np.array([low for low, _ in bounds], dtype=float)
        upper = np.array([highspy.kHighsInf if high is None else high for _, high in bounds], dtype=float)
        self.highs.addVars(self.n, lower, upper)
        for r, value in enumerate(rhs):
            start, end = matrix.indptr[r], matrix.indptr[r + 1]
            columns = matrix.indices[start:end].astype(np.int32)
            self.highs.addRow(float(value), float(value), len(columns), columns, matrix.data[start:end])
        self.columns = np.arange(self.n, dtype=np.int32)

    def solve(self, objective: np.ndarray) -> tuple[int, np.ndarray | None]:
        """(0, optimal point) or (3, None) when unbounded, as scipy's linprog statuses."""
        self.highs.changeColsCost(self.n, self.columns, np.asarray(objective, dtype=float))
        for fresh in (False, True):
            if fresh:  # the warm start did not end in a verdict: solve from scratch
                self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                return 0, np.array(self.highs.getSolution().col_value)
            if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
                return 3, None  # infeasible cannot happen: the true table is a solution
        raise RuntimeError(f"HiGHS could not bound a suppressed cell: {self.highs.modelStatusToString(status)}")


def _ranges(poly: Polytope, enough: float | None, only) -> list[tuple[float, float, bool]]:
    matrix, rhs, bounds = _arrays(poly)
    n = len(poly.unknowns)
    search = _Search([INF] * n, [-INF] * n, [False] * n, [False] * n)
    model = _Model(matrix, rhs, bounds)
    if enough is not None and len(only) > 2:
        _scout(model, search)
    for i in only:
        for sense in (-1, 1):  # maximise first: an unbounded high settles the unknown at once
            if _settled(search, poly, i, enough):
                break
            if (search.high_proven if sense < 0 else search.low_proven)[i]:
                continue
            _solve(model, matrix, rhs, bounds, i, sense, search)
        _settled(search, poly, i, enough)
    return [(search.seen_low[i], search.seen_high[i], search.low_proven[i] and search.high_proven[i])
            for i in range(n)]


def _arrays(poly: Polytope) -> tuple[csr_array, np.ndarray, list[tuple[float, float | None]]]:
    """The rows as a sparse matrix: a family's polytope has thousands of unknowns, each row a few of them."""
    entries = [(r, i, coef) for r, row in enumerate(poly.rows) for i, coef in row]
    rows, columns, data = (np.array(part, dtype=dtype) for part, dtype in
                           zip(zip(*entries) if entries else ((), (), ()), (np.int64, np.int64, float)))
    matrix = csr_array((data, (rows, columns)), shape=(len(poly.rows), len(poly.unknowns)))
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    bounds = [(low, None if high == INF else high) for low, high in poly.domains]
    return matrix, np.asarray(poly.rhs, dtype=float), bounds


def _settled(search: _Search, poly: Polytope, i: int, enough: float | None) -> bool:
    low, high = poly.domains[i]
    search.low_proven[i] |= search.seen_low[i] == low  # a domain end that is reached is the bound
    search.high_proven[i] |= search.seen_high[i] == high
    if search.high_proven[i] and search.low_proven[i]:
        return True
    return enough is not None and search.seen_high[i] - search.seen_low[i] > enough


def _solve(model: _Model, matrix: csr_array, rhs: np.ndarray, bounds: list, i: int, sense: int,
           search: _Search) -> None:
    """Minimise (sense=1) or maximise (sense=-1) unknown i; record the bound and the point found."""
    objective = np.zeros(len(bounds))
    objective[i] = sense
    status, x = model.solve(objective)
    if status == 3:
        if sense > 0:  # every domain has a finite low end: a minimum always exists
            raise RuntimeError(f"HiGHS found no minimum for unknown {i}")
        search.seen_high[i], search.high_proven[i] = INF, True
        return
    point = _integral(x)
    if point is None:  # the relaxation's optimum is fractional: solve the integer programme
        result = _linprog(objective, matrix, rhs, bounds, integer=True)
        point = _integral(result.x)
    if point is None:
        raise RuntimeError(f"no integer optimum for unknown {i}: {result.message}")
    _record(search, point)
    (search.high_proven if sense < 0 else search.low_proven)[i] = True


def _scout(model: _Model, search: _Search) -> None:
    """Two opposite extreme points in a fixed pseudo-random direction: one pair of solves
    often shows most unknowns wide enough, sparing their own solves."""
    direction = np.random.default_rng(model.n).uniform(-1.0, 1.0, model.n)
    for sense in (1, -1):
        status, x = model.solve(sense * direction)
        point = _integral(x) if status == 0 else None
        if point is not None:
            _record(search, point)


def _linprog(objective, matrix, rhs, bounds, integer: bool):
    kwargs = {"integrality": np.ones(len(bounds)), "options": {"mip_rel_gap": 0}} if integer else {}
    result = linprog(objective, A_eq=matrix if len(rhs) else None, b_eq=rhs if len(rhs) else None,
                     bounds=bounds, method="highs", **kwargs)
    if result.status not in (0, 3):
        # infeasible cannot happen (the true table is a solution); anything else is a solver failure
        raise RuntimeError(f"HiGHS could not bound a suppressed cell: {result.message}")
    return result


def _integral(x: np.ndarray | None) -> np.ndarray | None:
    if x is None:
        return None
    rounded = np.round(x)
    return rounded if np.all(np.abs(x - rounded) <= _TOLERANCE) else None


def _record(search: _Search, point: np.ndarray) -> None:
    for j, value in enumerate(point.tolist()):
        search.seen_low[j] = min(search.seen_low[j], value)
        search.seen_high[j] = max(search.seen_high[j], value)
