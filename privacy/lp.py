"""Integer ranges of the unknown cells of a linear system, by linear programming (HiGHS).

The system comes as a `Polytope`: unknowns with interval domains and equality rows.
Every bound is the optimum over integer points: a linear programme whose optimum is at
an integral point is exact; otherwise the bound is re-solved as a mixed-integer programme.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, MutableMapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

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


def _ranges(poly: Polytope, enough: float | None, only) -> list[tuple[float, float, bool]]:
    matrix, rhs, bounds = _arrays(poly)
    n = len(poly.unknowns)
    search = _Search([INF] * n, [-INF] * n, [False] * n, [False] * n)
    if enough is not None and len(only) > 2:
        _scout(matrix, rhs, bounds, search)
    for i in only:
        for sense in (-1, 1):  # maximise first: an unbounded high settles the unknown at once
            if _settled(search, poly, i, enough):
                break
            if (search.high_proven if sense < 0 else search.low_proven)[i]:
                continue
            _solve(matrix, rhs, bounds, i, sense, search)
        _settled(search, poly, i, enough)
    return [(search.seen_low[i], search.seen_high[i], search.low_proven[i] and search.high_proven[i])
            for i in range(n)]


def _arrays(poly: Polytope) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float | None]]]:
    matrix = np.zeros((len(poly.rows), len(poly.unknowns)))
    for r, row in enumerate(poly.rows):
        for i, coef in row:
            matrix[r, i] = coef
    bounds = [(low, None if high == INF else high) for low, high in poly.domains]
    return matrix, np.asarray(poly.rhs, dtype=float), bounds


def _settled(search: _Search, poly: Polytope, i: int, enough: float | None) -> bool:
    low, high = poly.domains[i]
    search.low_proven[i] |= search.seen_low[i] == low  # a domain end that is reached is the bound
    search.high_proven[i] |= search.seen_high[i] == high
    if search.high_proven[i] and search.low_proven[i]:
        return True
    return enough is not None and search.seen_high[i] - search.seen_low[i] > enough


def _solve(matrix: np.ndarray, rhs: np.ndarray, bounds: list, i: int, sense: int, search: _Search) -> None:
    """Minimise (sense=1) or maximise (sense=-1) unknown i; record the bound and the point found."""
    objective = np.zeros(len(bounds))
    objective[i] = sense
    result = _linprog(objective, matrix, rhs, bounds, integer=False)
    if result.status == 3 and sense < 0:
        search.seen_high[i], search.high_proven[i] = INF, True
        return
    point = _integral(result.x)
    if point is None:
        result = _linprog(objective, matrix, rhs, bounds, integer=True)
        point = _integral(result.x)
    if point is None:
        raise RuntimeError(f"no integer optimum for unknown {i}: {result.message}")
    _record(search, point)
    (search.high_proven if sense < 0 else search.low_proven)[i] = True


def _scout(matrix: np.ndarray, rhs: np.ndarray, bounds: list, search: _Search) -> None:
    """Two opposite extreme points in a fixed pseudo-random direction: one pair of solves
    often shows most unknowns wide enough, sparing their own solves."""
    direction = np.random.default_rng(len(bounds)).uniform(-1.0, 1.0, len(bounds))
    for sense in (1, -1):
        result = _linprog(sense * direction, matrix, rhs, bounds, integer=False)
        point = _integral(result.x) if result.status == 0 else None
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
