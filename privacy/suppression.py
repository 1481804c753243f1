"""Primary and complementary suppression: the pattern of cells a page must not show.

`protect` starts from the primary cells (counts 1 to k-1), closes every relation left
with a single hidden member (that member would equal the published total minus the
rest), then audits the pattern and, while a cell is unprotected, hides one more
published cell next to it (the first, best first, that widens its interval) and repeats.
Every round adds a cell, so the loop ends; at worst every non-zero cell is hidden, which
the audit accepts by definition. Last, complementary cells that turn out not to be
needed are shown again, largest first, as long as the audit still passes. Every choice
is deterministic (ties broken by table order, never by hash order).

Cells may be declared `unpublished`: figures no page shows but an attacker can derive (the
people served in one period and not in a shorter one inside it, an age class that lies
between the brackets of two sets). They start hidden; a small one must be protected like
any hidden cell, a large one may be known exactly (it is no disclosure). `importance`
orders the cells complementary suppression may hide: the least important first (a
breakdown's inner cells before the totals and headline figures).

Zeros are never suppressed, by either rule. A zero is published, and hiding it would
protect nothing under the audit's attacker model: an attacker who knows which hidden
cells are small knows that a hidden cell that is not small is 0 or at least k, and in a
relation whose other hidden members are small the sum leaves no room for "at least k",
so the hidden zero is read back as 0. The audit grants the attacker this (it treats a
suppressed zero as known) so a hidden zero is never counted as protection.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable

from privacy.audit import cell_bounds, verdict
from privacy.cells import CellTable
from privacy.rules import check_threshold, effective_margin, is_small, primary

__all__ = ["primary", "protect", "close", "nearest"]

_TRIALS = 8  # candidates tried, best first, for the one that widens an unsafe cell's interval


Importance = Callable[[Hashable], float]


def _equally_important(cell: Hashable) -> float:
    return 0


def protect(table: CellTable, k: int, margin: int, unpublished: Collection[Hashable] = (),
            importance: Importance | None = None) -> set[Hashable]:
    """Primary plus complementary suppression of `table`: a pattern that passes `audit`.

    The pattern includes every `unpublished` cell (hidden by definition).
    """
    k, required = check_threshold(k), effective_margin(k, margin)
    excused = excused_cells(table, unpublished, k)
    rank = importance or _equally_important
    suppressed = primary(table.values, k) | set(unpublished)
    cache: dict = {}
    while True:
        suppressed = close(table, suppressed, k, excused, rank)
        bounds, unsafe, _ = verdict(table, suppressed, k, required, exact=False, cache=cache, excused=excused)
        if not unsafe:
            return _prune(table, suppressed, k, required, cache, set(unpublished), excused, rank)
        added = _reinforce(table, suppressed, unsafe, bounds, k, cache, excused, rank)
        if not added:
            raise RuntimeError(f"no published cell left to protect {unsafe[0]!r}")
        suppressed |= added


def excused_cells(table: CellTable, unpublished: Collection[Hashable], k: int) -> frozenset:
    """The unpublished cells that need no protection: those that are not small."""
    return frozenset(c for c in unpublished if not is_small(table.values[c], k))


def _prune(table: CellTable, suppressed: set, k: int, required: int, cache: dict, unpublished: set,
           excused: frozenset, rank: Importance) -> set[Hashable]:
    """`suppressed` without the complementary cells that turned out not to be needed, most important first."""
    fixed = primary(table.values, k) | unpublished  # hidden whatever the pattern
    complementary = [c for c in table.ordered(suppressed) if c not in fixed]
    for cell in sorted(complementary, key=lambda c: (-rank(c), -table.values[c])):
        trial = suppressed - {cell}
        if close(table, trial, k, excused, rank) == trial and \
                not verdict(table, trial, k, required, exact=False, cache=cache, excused=excused)[1]:
            suppressed = trial
    return suppressed


def close(table: CellTable, suppressed: set[Hashable], k: int, excused: Collection[Hashable] = frozenset(),
          importance: Importance | None = None) -> set[Hashable]:
    """`suppressed` plus, until none is left, a partner for every relation with one hidden member
    (an excused cell, known exactly without harm, needs no partner)."""
    suppressed = set(suppressed)
    rank = importance or _equally_important
    changed = True
    while changed:
        changed = False
        for index, (total, parts) in enumerate(table.relations):
            members = (total, *parts)
            hidden = [c for c in members if c in suppressed and table.values[c]]
            if len(hidden) == 1 and hidden[0] not in excused:
                ranked = _ranked(table, [(index, c) for c in members], suppressed, k, rank)
                if not ranked:  # cannot happen: a hidden non-zero member leaves a non-zero one shown
                    raise RuntimeError(f"relation {total!r} has no cell left to hide")
                suppressed.add(ranked[0])
                changed = True
    return suppressed


def _ranked(table: CellTable, options: list[tuple[int, Hashable]], suppressed: set, k: int,
            rank: Importance) -> list[Hashable]:
    """The published non-zero cells among (relation, cell) options, best to hide first.

    Preference: the least important cell; one that does not equal a published total (hiding
    it would hide that total too); a part of its relation over the relation's total; a count
    of at least 2k-2 (a small partner can then take any value from 1 to k-1 without pushing
    it below k) over a smaller one; then the smallest count; then table order.
    """
    values = table.values
    equal_totals = table.equal_totals

    def key(option: tuple[int, Hashable]) -> tuple:
        index, cell = option
        is_total = table.relations[index][0] == cell
        drags_total = any(t not in suppressed for t in equal_totals.get(cell, ()))
        return (rank(cell), drags_total, is_total, values[cell] < 2 * k - 2, values[cell], table.position[cell])

    candidates = sorted((o for o in options if o[1] not in suppressed and values[o[1]] != 0), key=key)
    return list(dict.fromkeys(cell for _, cell in candidates))


def _reinforce(table: CellTable, suppressed: set, unsafe: list[Hashable], bounds: dict, k: int,
               cache: dict, excused: frozenset, rank: Importance) -> set[Hashable]:
    """One more cell to hide for each group of tied unsafe cells, found nearest to the first of them."""
    added: set[Hashable] = set()
    handled: set[Hashable] = set()
    for cell in unsafe:
        if cell in handled:
            continue
        options, region = nearest(table, suppressed, cell, k, rank)
        handled |= region
        choice = _first_widening(table, suppressed, cell, bounds[cell], options[:_TRIALS], k, cache, excused, rank)
        if choice is not None or options:
            added.add(options[0] if choice is None else choice)
    return added


def _first_widening(table: CellTable, suppressed: set, cell: Hashable, before: tuple[float, float],
                    options: list[Hashable], k: int, cache: dict, excused: frozenset,
                    rank: Importance) -> Hashable | None:
    """The first option whose hiding (with the partners it calls for) widens `cell`'s interval."""
    width = before[1] - before[0]
    for option in options:
        trial = close(table, suppressed | {option}, k, excused, rank)
        low, high = cell_bounds(table, trial, k, targets=[cell], enough=width, cache=cache)[cell]
        if high - low > width:
            return option
    return None


def nearest(table: CellTable, suppressed: set, start: Hashable, k: int, rank: Importance,
            allowed: Callable[[Hashable], bool] | None = None) -> tuple[list[Hashable], set]:
    """Published cells of the relations nearest to `start` (walking through hidden cells), best
    first, only those `allowed` (default: all); also the hidden cells walked through."""
    region, frontier, visited = {start}, [start], set()
    while frontier:
        indexes = sorted({i for c in frontier for i in table.relations_of[c]} - visited)
        visited.update(indexes)
        options = [(i, c) for i in indexes for c in (table.relations[i][0], *table.relations[i][1])]
        ranked = [c for c in _ranked(table, options, suppressed, k, rank) if allowed is None or allowed(c)]
        if ranked:
            return ranked, region
        frontier = list(dict.fromkeys(c for _, c in options if c in suppressed and table.values[c] and c not in region))
        region.update(frontier)
    return [], region
