"""Audit of a suppression pattern: the tightest interval an attacker can derive for each suppressed cell.

The attacker model is the one in `rules`. Cells whose value follows from a relation with
a single unknown are settled without a solver; the rest split into independent
components, each bounded by two linear programmes per cell (`lp`, integer re-solve when
an optimum is fractional). A suppressed non-zero cell is protected when its interval is
wider than the margin (unbounded above counts), or, failing that, when it is as wide as
it would be with every non-zero cell of the table suppressed: no pattern can do better,
and such a cell is listed in `limited`. A suppressed zero is reported as (0, 0) and needs
no protection (zeros are published anyway).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, MutableMapping
from dataclasses import dataclass, field

from privacy.cells import CellTable
from privacy.lp import Polytope, ranges
from privacy.rules import check_threshold, domain, effective_margin, is_protected, is_small

Bounds = dict[Hashable, tuple[float, float]]
_BEST = "best interval with every non-zero cell suppressed"  # cache key tag


@dataclass(frozen=True)
class AuditResult:
    """Derived (low, high) of every suppressed cell, and the cells left unprotected."""

    bounds: Bounds  # also (v, v) for a small cell left published
    unsafe: list[Hashable]  # in table order: small cells left published, or hidden with too narrow an interval
    limited: list[Hashable] = field(default_factory=list)  # narrow, but as wide as any pattern allows
    margin: int = 0  # the margin applied: min(margin, k - 3)

    @property
    def passed(self) -> bool:
        return not self.unsafe


def audit(table: CellTable, suppressed: Collection[Hashable], k: int, margin: int,
          excused: Collection[Hashable] = frozenset()) -> AuditResult:
    """Audit `suppressed` over `table`; a small cell left published is unsafe with bounds (v, v).

    `excused` cells (unpublished figures that are not small) may be known exactly.
    """
    k, required = check_threshold(k), effective_margin(k, margin)
    suppressed = _checked(table, suppressed)
    if any(is_small(table.values[c], k) for c in excused):
        raise ValueError("a small cell cannot be excused from protection")
    bounds, unsafe, limited = verdict(table, suppressed, k, required, exact=True, cache={}, excused=excused)
    exposed = [c for c, v in table.values.items() if is_small(v, k) and c not in suppressed]
    bounds.update({c: (float(table.values[c]), float(table.values[c])) for c in exposed})
    return AuditResult(bounds, table.ordered([*exposed, *unsafe]), limited, required)


def verdict(table: CellTable, suppressed: set, k: int, required: int, exact: bool,
            cache: MutableMapping, excused: Collection[Hashable] = frozenset()) -> tuple[Bounds, list[Hashable], list[Hashable]]:
    """(bounds, unsafe, limited) of the suppressed cells that need protection (not `excused`);
    without `exact`, a protected cell's bounds may be a sub-range (solving stops once it is
    shown wide enough)."""
    targets = [c for c in suppressed if c not in excused]
    bounds = cell_bounds(table, suppressed, k, targets=targets, enough=None if exact else required, cache=cache)
    failing = [c for c in table.ordered(targets)
               if table.values[c] != 0 and not is_protected(bounds[c], required)]
    limited = _at_best(table, failing, k, bounds, required, cache)
    return bounds, [c for c in failing if c not in limited], limited


def _at_best(table: CellTable, failing: list[Hashable], k: int, bounds: Bounds, required: int,
             cache: MutableMapping) -> list[Hashable]:
    """The failing cells whose interval would be no wider with every non-zero cell suppressed."""
    todo = [c for c in failing if (_BEST, c) not in cache]
    if todo:
        everything = {c for c, v in table.values.items() if v != 0}
        # Solving stops once a cell is shown wider than `required`, hence wider than its failing interval.
        best = cell_bounds(table, everything, k, targets=todo, enough=required, cache=cache)
        cache.update({(_BEST, c): best[c] for c in todo})
    return [c for c in failing if cache[(_BEST, c)] == bounds[c]]


def _checked(table: CellTable, suppressed: Collection[Hashable]) -> set:
    unknown = [c for c in suppressed if c not in table.values]
    if unknown:
        raise ValueError(f"suppressed cells not in the table: {unknown!r}")
    return set(suppressed)


def cell_bounds(table: CellTable, suppressed: set, k: int, targets: Collection[Hashable] | None = None,
                enough: float | None = None, cache: MutableMapping | None = None,
                priors: Mapping[Hashable, tuple[float, float]] | None = None) -> Bounds:
    """Integer (low, high) an attacker derives for every target (default: every suppressed cell).

    `priors` replaces what the attacker knows of some suppressed cells before any relation
    (default `rules.domain`: their class), e.g. (0, inf) for a figure no page shows or marks.
    """
    targets = table.ordered(set(suppressed if targets is None else targets))
    target_set = set(targets)
    domains = {c: domain(v, c in suppressed, k) for c, v in table.values.items()}
    domains.update((c, prior) for c, prior in (priors or {}).items() if c in suppressed)
    unknowns = {c for c, (low, high) in domains.items() if low != high}
    rows = _rows(table, domains, unknowns)
    fixed = _propagate(rows, domains)
    bounds: Bounds = {c: (v, v) for c, v in fixed.items()}
    for component in _components(table, rows, target_set & unknowns - set(fixed)):
        poly = _polytope(table, component, rows, domains)
        wanted = frozenset(i for i, c in enumerate(poly.unknowns) if c in target_set)
        found = ranges(poly, enough, cache, wanted)
        bounds.update({c: found[i][:2] for i, c in enumerate(poly.unknowns) if i in wanted})
    bounds.update({c: domains[c] for c in targets if c not in bounds})
    return {c: (float(bounds[c][0]), float(bounds[c][1])) for c in targets}


def _rows(table: CellTable, domains: dict, unknowns: set) -> list[list]:
    """[coefficients by unknown, rhs] of every relation that involves an unknown."""
    rows = []
    for total, parts in table.relations:
        terms = [(total, -1), *((p, 1) for p in parts)]
        coefficients = {c: coef for c, coef in terms if c in unknowns}
        if coefficients:
            rhs = -sum(coef * domains[c][0] for c, coef in terms if c not in unknowns)
            rows.append([coefficients, rhs])
    return rows


def _propagate(rows: list[list], domains: dict) -> dict[Hashable, int]:
    """Settle every unknown that a row with one unknown left determines; rows are reduced in place."""
    fixed: dict[Hashable, int] = {}
    pending = [row for row in rows if len(row[0]) == 1]
    while pending:
        coefficients, rhs = pending.pop()
        if len(coefficients) != 1:
            continue
        (cell, coef), = coefficients.items()
        value = rhs // coef
        low, high = domains[cell]
        if value * coef != rhs or not low <= value <= high:
            raise RuntimeError(f"relations contradict the attacker's knowledge of {cell!r}")
        fixed[cell] = value
        for row in rows:
            if cell in row[0]:
                row[1] -= row[0].pop(cell) * value
                if len(row[0]) == 1:
                    pending.append(row)
    return fixed


def _components(table: CellTable, rows: list[list], targets: set) -> list[list[Hashable]]:
    """Groups of unknowns tied by rows, for the groups that hold a target, in table order."""
    parent: dict[Hashable, Hashable] = {}

    def find(cell: Hashable) -> Hashable:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for coefficients, _ in rows:
        cells = list(coefficients)
        for other in cells[1:]:
            parent[find(other)] = find(cells[0])
    groups: dict[Hashable, list[Hashable]] = {}
    for cell in table.ordered(parent):
        groups.setdefault(find(cell), []).append(cell)
    wanted = {find(c) for c in targets if c in parent}
    return [cells for root, cells in groups.items() if root in wanted]


def _polytope(table: CellTable, cells: list[Hashable], rows: list[list], domains: dict) -> Polytope:
    index = {c: i for i, c in enumerate(cells)}
    members = [row for row in rows if row[0] and next(iter(row[0])) in index]
    return Polytope(
        unknowns=tuple(cells),
        domains=tuple(domains[c] for c in cells),
        rows=tuple(tuple(sorted((index[c], coef) for c, coef in row[0].items())) for row in members),
        rhs=tuple(row[1] for row in members),
    )
