"""Linked tables: which breakdowns are tied to their total, so that suppression covers differencing."""

import pandas as pd

from indicators.linked import ATTENDANCE_ADDITIVE, TOTAL_ID, linked_table
from privacy.audit import audit
from privacy.suppression import protect


def _frame(column, values):
    return pd.DataFrame({column: [f"{column}{i}" for i in range(len(values))], "value": values})


def test_a_breakdown_that_sums_to_the_total_is_tied_to_it_even_if_not_additive_by_definition():
    # agents by month: additive only because each agent was trained once, which the data shows
    table = linked_table(30, [_frame("month", [2, 14, 14])], (("month",),))
    assert table.relations == [(TOTAL_ID, ((0, "month0"), (0, "month1"), (0, "month2")))]
    hidden = protect(table, 5, 2)
    assert (0, "month0") in hidden and len(hidden) >= 2  # the 2 cannot be read as 30 - 14 - 14
    assert audit(table, hidden, 5, 2).passed


def test_overlapping_breakdowns_are_not_tied():
    # people by quarter: a person active in two quarters counts in both, so the sum exceeds the total
    table = linked_table(20, [_frame("quarter", [12, 15])], (("quarter",),))
    assert table.relations == []


def test_session_attributes_partition_attendance():
    assert {"topic", "audience", "institution", "month", "quarter"} <= ATTENDANCE_ADDITIVE
    table = linked_table(40, [_frame("topic", [3, 37]), _frame("audience", [40, 0])], (("topic",), ("audience",)),
                         ATTENDANCE_ADDITIVE)
    assert len(table.relations) == 2
