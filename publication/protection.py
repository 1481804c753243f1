"""Joint protection of a publication family: one fate for every cell, decided once per data version.

Fates:
- `published`: the value is shown;
- `small`: fewer than k people; shown as "fewer than k" (so the attacker knows it is 1 to k-1);
- `protecting`: not small, hidden so that a small figure beside it cannot be worked out
  (shown as hidden; the attacker knows it is at least k);
- `withheld`: the cell's breakdown is withheld as a whole at that unit, or the figure itself
  when nothing beside it could protect it (no class is shown, so the attacker knows only that
  it is non-negative);
- `derived`: never offered (period atoms, age classes, remainders), known like a withheld one.

The family is decided level by level, from the region down; at each level only that level's
cells may be hidden, so what a larger territory publishes never depends on a smaller one,
and totals come before breakdowns. Each level starts from the primary cells (counts 1 to
k-1), withholds the breakdowns of every unit whose total is hidden, and closes every
relation left with one hidden member (hiding the least important published cell: inner
cells before totals). Then the linear-programming attacker of `privacy.audit` bounds every
small figure of the levels decided so far (derived ones included), and while one can be
narrowed to `margin` or less: a breakdown that holds it gets one more inner cell hidden, the
second time it is withheld as a whole; a figure already withheld (or derived, or a total)
gets the nearest breakdown of this level withheld, and only when there is none, the least
important total next to it hidden; when this level has no published cell left beside it
(a region's quarter of 4 people, all of its countries small), the figures themselves are
withheld: shown with no "fewer than k" class, so the attacker knows only that they are
non-negative. Every round hides at least one more cell, so the loop
ends. Independent parts of the family are separate linear programmes, and a part that did
not change is not solved again.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from privacy.audit import cell_bounds
from privacy.cells import CellTable
from privacy.rules import check_threshold, effective_margin, is_protected, is_small
from privacy.suppression import close, nearest
from publication.family import LEVELS, Cell, Family, level_of

PUBLISHED, SMALL, PROTECTING, WITHHELD, DERIVED = "published", "small", "protecting", "withheld", "derived"
_UNKNOWN = (0, math.inf)  # what an attacker knows of a figure nobody is shown


def block_of(cell: Cell) -> tuple | None:
    """The breakdown a cell belongs to at its unit and period (None for a unit's total)."""
    indicator, period, territory, population = cell
    if not population:
        return None
    return indicator, period, territory, tuple(d for d, _ in population)


def total_of(cell: Cell) -> Cell:
    indicator, period, territory, _ = cell
    return indicator, period, territory, ()


def importance(cell: Cell) -> float:
    """Totals before breakdowns, larger territories before smaller ones, the reporting period first."""
    _, period, territory, population = cell
    level = LEVELS.index(level_of(territory))
    reporting = isinstance(period[0], dt.date) and period[1].year > period[0].year
    return (0 if population else 100) + (len(LEVELS) - level) * 10 + 5 * reporting - len(population)


@dataclass(frozen=True)
class Protection:
    """The fate of every non-zero cell of a family (zero cells are published), and how it was reached."""

    fates: dict[Cell, str]
    rounds: int
    withheld_blocks: frozenset


def protect_family(family: Family, k: int, margin: int) -> Protection:
    """Fates of the family's cells, level by level from the region down (see the module's docstring)."""
    k, required = check_threshold(k), effective_margin(k, margin)
    values = family.values
    level = {c: LEVELS.index(level_of(c[2])) for c in values}
    blocks: dict[tuple, list[Cell]] = {}
    for cell in values:
        if cell not in family.derived and block_of(cell) is not None:
            blocks.setdefault(block_of(cell), []).append(cell)
    state = _State(small={c for c, v in values.items() if c not in family.derived and is_small(v, k)})
    rounds = 0
    for depth in range(len(LEVELS)):
        table = CellTable({c: v for c, v in values.items() if level[c] <= depth},
                          [r for r in family.relations if all(level[c] <= depth for c in (r[0], *r[1]))])
        rank = lambda c, depth=depth: importance(c) + (0 if level[c] == depth else 1000)  # noqa: E731
        while True:
            rounds += 1
            suppressed, unknown = state.close(table, family, blocks, k, rank)
            targets = [c for c in suppressed if is_small(values[c], k)]
            bounds = cell_bounds(table, suppressed, k, targets=targets, enough=required, cache=state.cache,
                                 priors={c: _UNKNOWN for c in unknown})
            failing = [c for c in table.ordered(targets) if not is_protected(bounds[c], required)]
            if not failing:
                break
            state.reinforce(table, failing, suppressed, unknown, blocks, k, lambda c: level[c] == depth, rank)
    fates = {}
    for cell in values:
        if cell in family.derived:
            fates[cell] = DERIVED
        elif block_of(cell) in state.withheld or cell in state.silenced:
            fates[cell] = WITHHELD
        elif cell in state.small:
            fates[cell] = SMALL
        elif cell in state.protecting:
            fates[cell] = PROTECTING
        else:
            fates[cell] = PUBLISHED
    return Protection(fates, rounds, frozenset(state.withheld))


@dataclass
class _State:
    small: set
    protecting: set = field(default_factory=set)
    withheld: set = field(default_factory=set)
    silenced: set = field(default_factory=set)  # single figures withheld: shown with no class at all
    attempts: dict = field(default_factory=dict)  # rounds in which a breakdown held a failing figure
    cache: dict = field(default_factory=dict)

    def unknown(self, table: CellTable, family: Family, blocks: dict) -> set:
        cells = {c for c in family.derived | self.silenced if c in table.values}
        return cells | {c for b in self.withheld for c in blocks[b] if c in table.values}

    def close(self, table: CellTable, family: Family, blocks: dict, k: int, rank) -> tuple[set, set]:
        """(suppressed, unknown) after withholding orphan breakdowns and closing every relation."""
        values = table.values
        while True:
            hidden_totals = {c for c in self.small | self.protecting if block_of(c) is None}
            for block, cells in blocks.items():
                if block not in self.withheld and total_of(cells[0]) in hidden_totals:
                    self.withheld.add(block)  # a breakdown of a hidden total could only narrow it
            unknown = self.unknown(table, family, blocks)
            hidden = {c for c in self.small | self.protecting if c in values} - unknown
            excused = {c for c in unknown | hidden if not is_small(values[c], k)}
            closed = close(table, unknown | hidden, k, excused, rank)
            added = closed - unknown - hidden
            if not added:
                return closed, unknown
            self.protecting |= added

    def reinforce(self, table: CellTable, failing: list[Cell], suppressed: set, unknown: set, blocks: dict,
                  k: int, allowed, rank) -> None:
        """More hidden cells for each failing small figure, among the cells `allowed` at this level."""
        handled: set[Cell] = set()
        for cell in failing:
            if cell in handled:
                continue
            block = block_of(cell)
            partial = allowed(cell) and block in blocks and block not in self.withheld and cell not in unknown
            if partial:
                handled.update(blocks[block])
                self.attempts[block] = self.attempts.get(block, 0) + 1
                inner = [c for c in blocks[block] if c not in suppressed and table.values[c]]
                if self.attempts[block] == 1 and inner:
                    self.protecting.add(min(inner, key=lambda c: (table.values[c] < 2 * k - 2, table.values[c])))
                else:
                    self.withheld.add(block)
                continue
            inner_first = lambda c: allowed(c) and block_of(c) in blocks  # noqa: E731
            options, region = nearest(table, suppressed, cell, k, rank, inner_first)
            if options:  # the neighbouring breakdown, withheld as a whole: one round instead of many
                self.withheld.add(block_of(options[0]))
                handled |= region
                continue
            options, region = nearest(table, suppressed, cell, k, rank, allowed)
            handled |= region
            if options and block_of(options[0]) is not None:
                self.protecting.add(options[0])
            elif not self.silence(cell, region, suppressed, unknown, table, k):  # totals stay, if they can
                if not options:  # a larger territory's figure equals this one (one country in a quarter)
                    options, _ = nearest(table, suppressed, cell, k, rank)
                if options:
                    self.protecting.add(options[0])
                elif not self.silence(cell, region, suppressed, unknown, table, k, inner_only=False):
                    raise RuntimeError(f"nothing left to hide or withhold to protect {cell!r}")


    def silence(self, cell: Cell, region: set, suppressed: set, unknown: set, table: CellTable, k: int,
                inner_only: bool = True) -> bool:
        """Withhold the failing figure itself, or if it already is, the hidden inner figures beside it
        (so that no total has to be hidden); False when there is none. Only when that is not
        enough is a total hidden: of this level, or, when a larger territory's figure equals
        the failing one (one country served in a quarter), of that territory; when every figure
        around is hidden already, they are all withheld (`inner_only=False`)."""
        inner = {c for c in region if c in suppressed and (block_of(c) is not None or not inner_only)}
        for candidates in ({cell}, {c for c in inner if is_small(table.values[c], k)}, inner):
            new = candidates - unknown - self.silenced
            if new:
                self.silenced |= new
                return True
        return False


def hidden_share(protection: Protection, family: Family) -> dict[str, tuple[int, int, int, int]]:
    """Per level: (hidden cells, offered cells, hidden totals, totals), zero cells counted as published."""
    counts = {level: [0, 0, 0, 0] for level in LEVELS}
    for cell, fate in protection.fates.items():
        if fate == DERIVED:
            continue
        row = counts[level_of(cell[2])]
        row[1] += 1
        row[0] += fate != PUBLISHED
        if block_of(cell) is None:
            row[3] += 1
            row[2] += fate != PUBLISHED
    return {level: tuple(row) for level, row in counts.items()}


__all__ = ["protect_family", "Protection", "block_of", "importance", "hidden_share",
           "PUBLISHED", "SMALL", "PROTECTING", "WITHHELD", "DERIVED"]
