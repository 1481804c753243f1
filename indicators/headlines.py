"""One plain sentence per chart, from published (already protected) figures only.

Sentences say "more than 1,400" the way the organisation reports publicly: counts are
rounded DOWN to a round number, so a sentence never claims more than the data. A sentence
that would need a suppressed figure falls back to a neutral one (None from a builder).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Quantity:
    """A count as said in a sentence: exactly `value`, or more than `value` (rounded down)."""

    value: int
    more_than: bool


def reported_quantity(count: int) -> Quantity:
    """1,470 → more than 1,400; 532 → more than 530; 46 → more than 40; 9 → 9; 1,400 → 1,400.

    Thousands round down to hundreds, smaller counts to tens; single digits stay exact.
    """
    count = int(count)
    if count < 10:
        return Quantity(count, False)
    step = 100 if count >= 1000 else 10
    floor = math.floor(count / step) * step
    return Quantity(floor, floor != count)


def _published(frame: pd.DataFrame) -> bool:
    return not frame.empty and not frame["suppressed"].any() and frame["value"].notna().all()


def largest(frame: pd.DataFrame, column: str) -> tuple[object, int, float] | None:
    """(category, its count, its share of the total) of the largest category summed over other columns.

    None unless every cell is published (a share of a partly hidden total would hint at what is hidden).
    """
    if not _published(frame):
        return None
    sums = frame.groupby(column, sort=False)["value"].sum().astype(int)
    total = int(sums.sum())
    if total == 0:
        return None
    top = sums.idxmax()
    return top, int(sums[top]), float(sums[top] / total)


def share_of(frame: pd.DataFrame, column: str, category: object) -> float | None:
    """Share of `category` in `column` over all published cells; None if any cell is hidden or no one."""
    if not _published(frame):
        return None
    total = int(frame["value"].sum())
    if total == 0:
        return None
    return float(frame.loc[frame[column] == category, "value"].sum() / total)


@dataclass(frozen=True)
class Peak:
    category: object
    value: float  # a count, or a fraction for shares
    among_published: bool  # some cells are hidden: the claim holds among those shown


def peak(frame: pd.DataFrame, column: str) -> Peak | None:
    """The largest published cell (ties: the first); None if nothing above zero is published.

    A hidden cell may be larger than every published one (complementary suppression hides
    some larger cells), so the sentence then says "among those shown".
    """
    shown = frame[~frame["suppressed"].astype(bool) & frame["value"].notna()]
    values = shown["value"].astype(float)
    if shown.empty or values.max() <= 0:
        return None
    row = shown.loc[values.idxmax()]
    return Peak(row[column], row["value"], len(shown) < len(frame))
