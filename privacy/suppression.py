"""Primary and complementary suppression: the pattern of cells a page must not show.

`protect` starts from the primary cells (counts 1 to k-1), closes every relation left
with a single hidden member (that member would equal the published total minus the
rest), then audits the pattern and, while a cell is unprotected, hides one more
published cell next to it (the first, best first, that widens its interval) and repeats.
Every round adds a cell, so the loop ends; at worst every non-zero cell is hidden, which
the audit accepts by definition. Last, complementary cells that turn out not to be
needed are shown again, largest first, as long as the audit still passes. Every choice
is deterministic (ties broken by table order, never by hash order).

Zeros are never suppressed, by either rule. A zero is published, and hiding it would
protect nothing under the audit's attacker model: an attacker who knows which hidden
cells are small knows that a hidden cell that is not small is 0 or at least k, and in a
relation whose other hidden members are small the sum leaves no room for "at least k",
so the hidden zero is read back as 0. The audit grants the attacker this (it treats a
suppressed zero as known) so a hidden zero is never counted as protection.
"""

from __future__ import annotations

from collections.abc import Hashable

from privacy.audit import cell_bounds, verdict
from privacy.cells import CellTable
from privacy.rules import check_threshold, effective_margin, primary

__all__ = ["primary", "protect", "close"]

_TRIALS = 8  # candidates tried, best first, for the one that widens an unsafe cell's interval


def protect(table: CellTable, k: int, margin: int) -> set[Hashable]:
    """Primary plus complementary suppression of `table`: a pattern that passes `audit`."""
    k, required = check_threshold(k), effective_margin(k, margin)
    suppressed = primary(table.values, k)
    cache: dict = {}
    while True:
        suppressed = close(table, suppressed, k)
        bounds, unsafe, _ = verdict(table, suppressed, k, required, exact=False, cache=cache)
        if not unsafe:
            return _prune(table, suppressed, k, required, cache)
        added = _reinforce(table, suppressed, unsafe, bounds, k, cache)
        if not added:
            raise RuntimeError(f"no published cell left to protect {unsafe[0]!r}")
        suppressed |= added


def _prune(table: CellTable, suppressed: set, k: int, required: int, cache: dict) -> set[Hashable]:
    """`suppressed` without the complementary cells that turned out not to be needed, largest first."""
    complementary = [c for c in table.ordered(suppressed) if c not in primary(table.values, k)]
    for cell in sorted(complementary, key=lambda c: -table.values[c]):
        trial = suppressed - {cell}
        if close(table, trial, k) == trial and not verdict(table, trial, k, required, exact=False, cache=cache)[1]:
            suppressed = trial
    return suppressed


def close(table: CellTable, suppressed: set[Hashable], k: int) -> set[Hashable]:
    """`suppressed` plus, until none is left, a partner for every relation with one hidden member."""
    suppressed = set(suppressed)
    changed = True
    while changed:
        changed = False
        for index, (total, parts) in enumerate(table.relations):
            members = (total, *parts)
            if sum(1 for c in members if c in suppressed and table.values[c]) == 1:
                ranked = _ranked(table, [(index, c) for c in members], suppressed, k)
                if not ranked:  # cannot happen: a hidden non-zero member leaves a non-zero one shown
                    raise RuntimeError(f"relation {total!r} has no cell left to hide")
                suppressed.add(ranked[0])
                changed = True
    return suppressed


def _ranked(table: CellTable, options: list[tuple[int, Hashable]], suppressed: set, k: int) -> list[Hashable]:
    """The published non-zero cells among (relation, cell) options, best to hide first.

    Preference: a part of its relation over the relation's total; a count of at least
    2k-2 (a small partner can then take any value from 1 to k-1 without pushing it below
    k) over a smaller one; then the smallest count; then table order.
    """
    values = table.values

    def key(option: tuple[int, Hashable]) -> tuple:
        index, cell = option
        is_total = table.relations[index][0] == cell
        return (is_total, values[cell] < 2 * k - 2, values[cell], table.position[cell])

    candidates = sorted((o for o in options if o[1] not in suppressed and values[o[1]] != 0), key=key)
    return list(dict.fromkeys(cell for _, cell in candidates))


def _reinforce(table: CellTable, suppressed: set, unsafe: list[Hashable], bounds: dict, k: int,
               cache: dict) -> set[Hashable]:
    """One more cell to hide for each group of tied unsafe cells, found nearest to the first of them."""
    added: set[Hashable] = set()
    handled: set[Hashable] = set()
    for cell in unsafe:
        if cell in handled:
            continue
        options, region = _nearest(table, suppressed, cell, k)
        handled |= region
        choice = _first_widening(table, suppressed, cell, bounds[cell], options[:_TRIALS], k, cache)
        if choice is not None or options:
            added.add(options[0] if choice is None else choice)
    return added


def _first_widening(table: CellTable, suppressed: set, cell: Hashable, before: tuple[float, float],
                    options: list[Hashable], k: int, cache: dict) -> Hashable | None:
    """The first option whose hiding (with the partners it calls for) widens `cell`'s interval."""
    width = before[1] - before[0]
    for option in options:
        trial = close(table, suppressed | {option}, k)
        low, high = cell_bounds(table, trial, k, targets=[cell], enough=width, cache=cache)[cell]
        if high - low > width:
            return option
    return None


def _nearest(table: CellTable, suppressed: set, start: Hashable, k: int) -> tuple[list[Hashable], set]:
    """Published cells of the relations nearest to `start` (walking through hidden cells), best
    first; also the hidden cells walked through."""
    region, frontier, visited = {start}, [start], set()
    while frontier:
        indexes = sorted({i for c in frontier for i in table.relations_of[c]} - visited)
        visited.update(indexes)
        options = [(i, c) for i in indexes for c in (table.relations[i][0], *table.relations[i][1])]
        ranked = _ranked(table, options, suppressed, k)
        if ranked:
            return ranked, region
        frontier = list(dict.fromkeys(c for _, c in options if c in suppressed and table.values[c] and c not in region))
        region.update(frontier)
    return [], region
