"""Audit of suppression patterns: exact bounds for small hand-computed tables."""

import math

import pandas as pd
import pytest

from privacy import TOTAL, CellTable, audit, one_way, two_way
from privacy.rules import effective_margin

INF = math.inf


def square(a: int, b: int, c: int, d: int) -> CellTable:
    """2×2 table [[a, b], [c, d]] with rows r1, r2, columns c1, c2 and all totals."""
    frame = pd.DataFrame({"row": ["r1", "r1", "r2", "r2"], "col": ["c1", "c2", "c1", "c2"], "value": [a, b, c, d]})
    return two_way(frame, "row", "col")


def line(**counts: int) -> CellTable:
    """One-way table of `counts` with its total ("total",)."""
    return one_way(pd.DataFrame({"dim": list(counts), "value": list(counts.values())}), "dim")


RECTANGLE = {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}


def test_one_suppressed_cell_of_a_square_is_derived_exactly():
    result = audit(square(2, 10, 10, 20), {("r1", "c1")}, k=5, margin=2)
    assert result.bounds == {("r1", "c1"): (2.0, 2.0)}
    assert result.unsafe == [("r1", "c1")]
    assert not result.passed


def test_a_wide_rectangle_is_safe_with_exact_bounds():
    result = audit(square(2, 10, 10, 20), RECTANGLE, k=5, margin=2)
    assert result.bounds == {("r1", "c1"): (1.0, 4.0), ("r1", "c2"): (8.0, 11.0),
                             ("r2", "c1"): (8.0, 11.0), ("r2", "c2"): (19.0, 22.0)}
    assert result.passed and result.unsafe == [] and result.limited == []


def test_a_narrow_rectangle_is_unsafe_because_large_cells_are_known_to_be_at_least_k():
    # r1 = 2 + 6: the partner of a small cell is known to be >= 5, so the small cell is <= 3.
    result = audit(square(2, 6, 6, 20), RECTANGLE, k=5, margin=2)
    assert result.bounds == {("r1", "c1"): (1.0, 3.0), ("r1", "c2"): (5.0, 7.0),
                             ("r2", "c1"): (5.0, 7.0), ("r2", "c2"): (19.0, 21.0)}
    assert result.unsafe == [("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")]


def test_one_way_table_with_its_total_and_one_suppressed_cell_is_unsafe():
    result = audit(line(a=3, b=10, c=7), {("a",)}, k=5, margin=2)
    assert result.bounds == {("a",): (3.0, 3.0)}
    assert result.unsafe == [("a",)]


def test_one_way_table_with_two_suppressed_cells():
    result = audit(line(a=3, b=10, c=7), {("a",), ("b",)}, k=5, margin=2)
    assert result.bounds == {("a",): (1.0, 4.0), ("b",): (9.0, 12.0)}
    assert result.passed


def test_a_suppressed_total_leaves_large_cells_unbounded_above():
    result = audit(line(a=3, b=10, c=7), {("a",), ("b",), ("total",)}, k=5, margin=2)
    assert result.bounds == {("a",): (1.0, 4.0), ("b",): (5.0, INF), ("total",): (13.0, INF)}
    assert result.passed


def test_a_small_cell_left_published_is_unsafe():
    result = audit(line(a=3, b=10), set(), k=5, margin=2)
    assert result.unsafe == [("a",)]
    assert result.bounds == {("a",): (3.0, 3.0)}


def test_a_cell_in_no_relation_keeps_its_whole_range():
    result = audit(CellTable({"alone": 2}), {"alone"}, k=5, margin=2)
    assert result.bounds == {"alone": (1.0, 4.0)} and result.passed


def test_a_suppressed_zero_is_taken_as_known_and_gives_no_protection():
    # 4 + 0 = 4: with the zero hidden, a real attacker could think 3 + 1 or 2 + 2,
    # but one who knows the zero is not a small cell reads it back as 0.
    table = line(a=4, b=0, c=20)
    result = audit(table, {("a",), ("b",)}, k=5, margin=2)
    assert result.bounds == {("a",): (4.0, 4.0), ("b",): (0.0, 0.0)}
    assert result.unsafe == [("a",)]


def test_cells_that_no_pattern_could_hide_better_are_limited_not_unsafe():
    # 2 + 1 = 3, all small: whatever is hidden, each part is at most 4 - 1 = 3.
    table = line(a=2, b=1)
    result = audit(table, {("a",), ("b",), ("total",)}, k=5, margin=2)
    assert result.bounds == {("a",): (1.0, 3.0), ("b",): (1.0, 3.0), ("total",): (2.0, 4.0)}
    assert result.passed and result.limited == [("a",), ("b",), ("total",)]


def test_the_margin_is_configurable():
    pattern = {("a",), ("b",)}
    table = line(a=2, b=6)  # 2 + 6 = 8 and b >= 5, so a is in [1, 3]: width 2
    assert audit(table, pattern, k=5, margin=2).unsafe == [("a",), ("b",)]
    assert audit(table, pattern, k=5, margin=1).passed


@pytest.mark.parametrize(("k", "margin", "expected"),
                         [(5, 2, 2), (5, 0, 0), (5, 3, 2), (3, 2, 0), (4, 2, 1), (10, 4, 4)])
def test_the_margin_is_capped_where_no_small_cell_could_meet_it(k, margin, expected):
    assert effective_margin(k, margin) == expected


def test_with_k_3_a_small_cell_is_protected_when_both_values_stay_possible():
    result = audit(line(a=1, b=10, c=7), {("a",), ("b",)}, k=3, margin=2)
    assert result.bounds[("a",)] == (1.0, 2.0)
    assert result.passed and result.margin == 0


def test_bounds_follow_relations_across_rows_and_columns():
    # [[5, x], [0, y]] with x = 2, y = 4 hidden, row totals hidden, column totals 5 and 6 shown:
    # x + y = 6 with both small, so x is in [2, 4] and the first row total 5 + x in [7, 9].
    frame = pd.DataFrame({"row": ["r1", "r1", "r2", "r2"], "col": ["c1", "c2", "c1", "c2"], "value": [5, 2, 0, 4]})
    hidden = {("r1", "c2"), ("r2", "c2"), ("r1", TOTAL), ("r2", TOTAL)}
    result = audit(two_way(frame, "row", "col"), hidden, k=5, margin=2)
    assert result.bounds == {("r1", "c2"): (2.0, 4.0), ("r2", "c2"): (2.0, 4.0),
                             ("r1", TOTAL): (7.0, 9.0), ("r2", TOTAL): (2.0, 4.0)}
    assert result.unsafe == [("r1", "c2"), ("r2", "c2"), ("r1", TOTAL), ("r2", TOTAL)]


def test_audit_rejects_unknown_cells_and_low_thresholds():
    with pytest.raises(ValueError, match="not in the table"):
        audit(line(a=3), {("zzz",)}, k=5, margin=2)
    with pytest.raises(ValueError, match="minimum of 3"):
        audit(line(a=3), {("a",)}, k=2, margin=2)
