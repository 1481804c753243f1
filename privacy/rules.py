"""The disclosure rules: which counts are small, what an attacker knows of each cell, how wide is wide enough.

Attacker model (conservative): the attacker knows every published value, every additive
relation, that counts are non-negative integers, and the class of every suppressed cell:
a primary-suppressed cell is small (1 to k-1), any other suppressed cell is not small (0
or at least k), and we grant the attacker the branch that holds the true value (a
suppressed zero is known to be 0, a suppressed large count to be at least k). Granting
more knowledge than a real attacker has can only narrow the derived intervals, so a
pattern that passes under this model passes under the weaker ones too.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

from settings import MIN_SUPPRESSION_THRESHOLD

INF = math.inf


def check_threshold(k: int) -> int:
    """`k` itself, or ValueError when it is below the minimum threshold of 3."""
    if int(k) != k or k < MIN_SUPPRESSION_THRESHOLD:
        raise ValueError(f"suppression threshold k={k} is below the minimum of {MIN_SUPPRESSION_THRESHOLD}")
    return int(k)


def check_margin(margin: int) -> int:
    """`margin` itself, or ValueError when it is negative or not an integer."""
    if int(margin) != margin or margin < 0:
        raise ValueError(f"audit margin must be a non-negative integer, got {margin!r}")
    return int(margin)


def is_small(value: int, k: int) -> bool:
    """True for a count the primary rule never publishes (1 to k-1); zero is not small."""
    return 1 <= value < k


def primary(values: Mapping[Hashable, int], k: int) -> set[Hashable]:
    """Ids of the cells the primary rule suppresses: counts from 1 to k-1 (zeros stay published)."""
    k = check_threshold(k)
    return {cell for cell, value in values.items() if is_small(value, k)}


def effective_margin(k: int, margin: int) -> int:
    """The margin actually required: at most k-3.

    A small cell can never be known better than [1, k-1] (width k-2), so a margin of k-2
    or more could never be met; capping it at k-3 asks that the whole range stays open.
    With the defaults (k=5, margin=2) the cap changes nothing.
    """
    return min(check_margin(margin), check_threshold(k) - 3)


def domain(value: int, suppressed: bool, k: int) -> tuple[float, float]:
    """Interval the attacker knows for one cell before using any relation."""
    if not suppressed or value == 0:
        return (value, value)
    if is_small(value, k):
        return (1, k - 1)
    return (k, INF)


def is_protected(bounds: tuple[float, float], margin: int) -> bool:
    """True when the derived interval is wider than `margin` (unbounded above counts as protected)."""
    low, high = bounds
    return high == INF or high - low > margin
