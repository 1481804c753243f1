"""Properties of suppression and its audit on random tables, checked against an independent solver.

The independent solver is a small constraint search (interval propagation over the
relations, then bisection) over integer completions: it shares no code with the audit's
linear programmes. It uses the attacker model stated in `privacy.rules`, written out
again here: a published cell is known; a hidden zero is known to be 0; a hidden small
count lies in [1, k-1]; a hidden large count is at least k (here at most a cap).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from privacy import TOTAL, CellTable, audit, hierarchy, link, one_way, primary, protect, rename, two_way
from privacy.rules import effective_margin

COUNTS = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 14))
K = st.integers(3, 5)
MARGIN = st.integers(0, 3)


# --- random tables -------------------------------------------------------------------------

@st.composite
def one_way_tables(draw, max_cells=4):
    values = draw(st.lists(COUNTS, min_size=1, max_size=max_cells))
    return one_way(pd.DataFrame({"dim": [f"v{i}" for i in range(len(values))], "value": values}), "dim")


@st.composite
def two_way_tables(draw, max_rows=2, max_cols=3):
    rows, cols = draw(st.integers(2, max_rows)), draw(st.integers(2, max_cols))
    values = draw(st.lists(COUNTS, min_size=rows * cols, max_size=rows * cols))
    keys = [(f"r{r}", f"c{c}") for r in range(rows) for c in range(cols)]
    return two_way(pd.DataFrame({"row": [r for r, _ in keys], "col": [c for _, c in keys], "value": values}),
                   "row", "col")


@st.composite
def hierarchies(draw, max_parents=2, max_children=2):
    sizes = draw(st.lists(st.integers(1, max_children), min_size=2, max_size=max_parents))
    keys = [(f"d{p}", f"m{p}{c}") for p, size in enumerate(sizes) for c in range(size)]
    values = draw(st.lists(COUNTS, min_size=len(keys), max_size=len(keys)))
    return hierarchy(pd.DataFrame({"dep": [p for p, _ in keys], "mun": [m for _, m in keys], "value": values}),
                     "dep", "mun")


@st.composite
def linked_tables(draw, max_rows=3, max_cols=3):
    """A two-way table linked to a one-way table of its row totals and a headline."""
    table = draw(two_way_tables(max_rows, max_cols))
    rows = [cell[0] for cell in table.values if cell[1] == TOTAL and cell[0] != TOTAL]
    frame = pd.DataFrame({"row": rows, "value": [table.values[(r, TOTAL)] for r in rows]})
    margins = rename(one_way(frame, "row"), lambda cell: (TOTAL, TOTAL) if cell == ("total",) else (cell[0], TOTAL))
    return link(margins, table)


def tiny_tables():
    return st.one_of(one_way_tables(), two_way_tables(), hierarchies(), linked_tables(2, 2))


def larger_tables():
    return st.one_of(one_way_tables(8), two_way_tables(5, 4), hierarchies(4, 5), linked_tables(4, 3))


# --- independent solver ---------------------------------------------------------------------

def cap_of(table, k) -> int:
    """Upper end of a hidden large cell's search range, far above any finite bound."""
    return 2 * sum(table.values.values()) + 3 * k


def attacker_domains(table, hidden, k) -> dict:
    cap = cap_of(table, k)
    domains = {}
    for cell, value in table.values.items():
        if cell not in hidden or value == 0:
            domains[cell] = (value, value)
        elif value < k:
            domains[cell] = (1, k - 1)
        else:
            domains[cell] = (k, cap)
    return domains


def tighten(relations, domains: dict) -> bool:
    """Interval propagation of total = sum(parts) to a fixed point; False when some domain empties."""
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            low_sum = sum(domains[p][0] for p in parts)
            high_sum = sum(domains[p][1] for p in parts)
            updates = {total: (max(domains[total][0], low_sum), min(domains[total][1], high_sum))}
            for p in parts:
                low = domains[total][0] - (high_sum - domains[p][1])
                high = domains[total][1] - (low_sum - domains[p][0])
                updates[p] = (max(domains[p][0], low), min(domains[p][1], high))
            for cell, bounds in updates.items():
                if bounds[0] > bounds[1]:
                    return False
                if bounds != domains[cell]:
                    domains[cell], changed = bounds, True
    return True


def feasible(relations, domains: dict) -> bool:
    """True when some integer completion lies inside `domains` (propagation, then bisection)."""
    domains = dict(domains)
    if not tighten(relations, domains):
        return False
    open_cells = [c for c, (low, high) in domains.items() if low < high]
    if not open_cells:
        return True
    cell = min(open_cells, key=lambda c: domains[c][1] - domains[c][0])
    low, high = domains[cell]
    middle = (low + high) // 2
    return feasible(relations, {**domains, cell: (low, middle)}) or \
        feasible(relations, {**domains, cell: (middle + 1, high)})


def brute_range(table, domains: dict, cell) -> tuple[int, int]:
    """Smallest and largest feasible value of `cell`, each found by bisection on a monotone test."""
    low, high = domains[cell]
    lo, hi = low, high
    while lo < hi:  # smallest v with a completion where cell <= v
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if feasible(table.relations, {**domains, cell: (low, mid)}) else (mid + 1, hi)
    smallest = lo
    lo, hi = smallest, high
    while lo < hi:  # largest v with a completion where cell >= v
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if feasible(table.relations, {**domains, cell: (mid, high)}) else (lo, mid - 1)
    return smallest, lo


# --- properties -----------------------------------------------------------------------------

@st.composite
def tables_with_patterns(draw):
    table = draw(tiny_tables())
    flags = draw(st.lists(st.booleans(), min_size=len(table.values), max_size=len(table.values)))
    k = draw(K)
    hidden = {cell for cell, flag in zip(table.values, flags) if flag}
    if draw(st.booleans()):
        hidden |= primary(table.values, k)
    return table, hidden, k, draw(MARGIN)


@settings(max_examples=150, deadline=None)
@given(tables_with_patterns())
def test_audit_bounds_are_exactly_the_range_of_integer_completions(case):
    table, hidden, k, margin = case
    result = audit(table, hidden, k, margin)
    domains = attacker_domains(table, hidden, k)
    cap = cap_of(table, k)
    for cell in table.ordered(hidden):
        smallest, largest = brute_range(table, domains, cell)
        low, high = result.bounds[cell]
        assert low == smallest, (cell, result.bounds[cell], (smallest, largest))
        if high == float("inf"):
            assert largest >= table.values[cell] + k  # the independent search climbs far past the truth
        else:
            assert high == largest < cap, (cell, result.bounds[cell], (smallest, largest))


@settings(max_examples=150, deadline=None)
@given(tables_with_patterns())
def test_audit_never_passes_a_cell_whose_completions_span_the_margin_or_less(case):
    table, hidden, k, margin = case
    result = audit(table, hidden, k, margin)
    required = effective_margin(k, margin)
    domains = attacker_domains(table, hidden, k)
    everything = attacker_domains(table, {c for c, v in table.values.items() if v}, k)
    assert set(result.unsafe) >= {c for c in primary(table.values, k) if c not in hidden}
    for cell in table.ordered(c for c in hidden if table.values[c]):
        smallest, largest = brute_range(table, domains, cell)
        at_best = brute_range(table, everything, cell) == (smallest, largest)
        protected = largest - smallest > required or at_best
        assert (cell not in result.unsafe) == protected, (cell, (smallest, largest), result)
        assert (cell in result.limited) == (at_best and largest - smallest <= required)


@settings(max_examples=60, deadline=None)
@given(tiny_tables(), K, MARGIN)
def test_protect_passes_the_independent_check_on_tiny_tables(table, k, margin):
    hidden = protect(table, k, margin)
    required = effective_margin(k, margin)
    domains = attacker_domains(table, hidden, k)
    everything = attacker_domains(table, {c for c, v in table.values.items() if v}, k)
    for cell in table.ordered(hidden):
        smallest, largest = brute_range(table, domains, cell)
        assert largest - smallest > required or brute_range(table, everything, cell) == (smallest, largest)


@settings(max_examples=120, deadline=None)
@given(larger_tables(), K, MARGIN)
def test_protect_always_returns_a_pattern_that_passes_the_audit(table, k, margin):
    hidden = protect(table, k, margin)
    assert audit(table, hidden, k, margin).passed
    assert protect(table, k, margin) == hidden  # same input, same pattern


@settings(max_examples=120, deadline=None)
@given(larger_tables(), K, MARGIN)
def test_small_counts_are_always_hidden_and_zeros_never(table, k, margin):
    small = {c for c, v in table.values.items() if 1 <= v < k}
    zeros = {c for c, v in table.values.items() if v == 0}
    assert primary(table.values, k) == small
    hidden = protect(table, k, margin)
    assert small <= hidden
    assert not hidden & zeros


def test_the_attacker_uses_that_counts_are_whole_numbers(monkeypatch):
    # C = x + z, x + y = 9, y + z = 10 give C = 1 + 2x; C in [1, 4] and x >= 1 leave x in [1, 1.5]
    # for a linear programme, but a whole x must be 1: the audit re-solves as an integer programme.
    import privacy.lp

    table = CellTable({"x": 1, "y": 8, "z": 2, "A": 9, "B": 10, "C": 3},
                      [("A", ("x", "y")), ("B", ("y", "z")), ("C", ("x", "z"))])
    integer_solves = []
    original = privacy.lp._linprog
    monkeypatch.setattr(privacy.lp, "_linprog",
                        lambda *args, integer: integer_solves.append(integer) or original(*args, integer=integer))
    hidden = {"x", "y", "z", "C"}
    result = audit(table, hidden, 5, 2)
    assert result.bounds == {"x": (1.0, 1.0), "y": (8.0, 8.0), "z": (2.0, 2.0), "C": (3.0, 3.0)}
    assert any(integer_solves)
    domains = attacker_domains(table, hidden, 5)
    assert {c: brute_range(table, domains, c) for c in hidden} == {"x": (1, 1), "y": (8, 8), "z": (2, 2), "C": (3, 3)}
