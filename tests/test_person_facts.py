"""Person facts give exactly the direct distinct counts, for every filter and breakdown they answer.

The direct count (participants joined with their events on every query) is the definition;
the facts are its faster form (indicators/person_facts.py). Both run on the sample store here
and must agree cell for cell, suppression aside (these are the unsuppressed counts).
"""

from __future__ import annotations

import datetime as dt

import pytest
from pandas.testing import assert_frame_equal

from indicators import person_facts
from indicators.age_groups import BRACKET_SETS, age_class_lows, age_group_of
from indicators.compute import true_counts, compute
from indicators.filters import Filters
from indicators.linked import compute_linked
from indicators.registry import INDICATORS, Events, get_indicator

PEOPLE = [i for i, indicator in INDICATORS.items() if indicator.kind == "people"]
D = dt.date
PERIODS = [
    (D(2023, 1, 1), D(2024, 12, 31)),  # the default
    (D(2023, 2, 1), D(2023, 8, 31)),  # whole months, not quarters: month facts only
    (D(2024, 1, 1), D(2024, 12, 31)),
    (D(2022, 1, 1), D(2025, 12, 31)),  # every year of the sample
    (D(2023, 4, 1), D(2023, 6, 30)),  # one quarter
    (D(2023, 7, 1), D(2024, 3, 31)),  # across a year boundary
    (D(2019, 1, 1), D(2020, 12, 31)),  # before any event
    (D(2026, 1, 1), D(2026, 12, 31)),  # after every event
]
FILTERS = [
    {},
    {"countries": ("GTM",)},
    {"countries": ("BOL", "PER")},
    {"sexes": ("female",)},
    {"age_groups": ("15_24",)},
    {"bracket_set": "gt_youth", "age_groups": ("13_29",)},
    {"bracket_set": "children_adults", "age_groups": ("0_17",)},
    {"programmes": ("miska_reintegration",)},
    {"departments": (("GTM", "13"),)},
    {"municipalities": (("GTM", "1301"),)},
    {"ethnicities": ("mam",)},
    {"institution_types": ("school", "police")},
    {"sexes": ("male",), "countries": ("COL",), "age_groups": ("25_34", "35_49")},
]
BREAKDOWNS = [(), ("country", "migration_profile"), ("sex", "age_group"), ("department",), ("municipality",),
              ("quarter",), ("programme",), ("ethnicity",), ("institution",), ("country", "quarter"), ("month",),
              ("sex", "month")]


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


class Source:
    """A facts source that builds each indicator's facts once and counts how often it is asked."""

    def __init__(self, con):
        self.con, self.built, self.asked = con, {}, 0

    def __call__(self, indicator, unit):
        self.asked += 1
        if (indicator.id, unit) not in self.built:
            self.built[indicator.id, unit] = person_facts.build(self.con, indicator, unit)
        return self.built[indicator.id, unit]


@pytest.fixture(scope="module")
def source(con):
    return Source(con)


def test_every_age_keeps_its_bracket_in_every_set_as_its_class():
    lows = age_class_lows()
    for age in range(0, 121):
        age_class = max(low for low in lows if low <= age)
        for bracket_set in BRACKET_SETS:
            assert age_group_of(age_class, bracket_set) == age_group_of(age, bracket_set), (age, bracket_set)


def test_the_facts_are_far_fewer_rows_than_people(con, source):
    facts = source(get_indicator("people_served"), "quarter")
    people = con.execute("SELECT count(*) FROM participants").fetchone()[0]
    assert facts.table.num_rows < people
    assert sum(facts.table.column("n").to_pylist()) == people - con.execute(
        "SELECT count(*) FROM participants p WHERE NOT EXISTS "
        "(SELECT 1 FROM participations e WHERE e.participant_id = p.participant_id)").fetchone()[0]


# Every filter and breakdown for people served; for the other people indicators (the same code
# with other events) the default period, one quarter, whole months and a year boundary, and the
# breakdowns each filter is most likely to disturb.
GRID = [("people_served", period, FILTERS, BREAKDOWNS) for period in PERIODS] + [
    (indicator_id, PERIODS[i], FILTERS[::2], BREAKDOWNS[::2] + [("quarter",), ("sex", "month")])
    for indicator_id in PEOPLE if indicator_id != "people_served" for i in (0, 1, 4, 5)]


@pytest.mark.parametrize("indicator_id, period, filter_sets, breakdowns", GRID,
                         ids=[f"{i}-{p[0]}-{p[1]}" for i, p, _, _ in GRID])
def test_facts_equal_the_direct_count_under_every_filter(con, source, indicator_id, period, filter_sets, breakdowns):
    indicator = get_indicator(indicator_id)
    start, end = period
    compared = 0
    for extra in filter_sets:
        filters = Filters(start=start, end=end, **extra)
        for by in breakdowns:
            direct = true_counts(con, indicator, filters, by)
            fast = true_counts(con, indicator, filters, by, facts=source)
            assert_frame_equal(fast, direct, check_dtype=False, obj=f"{indicator_id} {filters} {by}")
            compared += int(direct["value"].sum() > 0)
    if period == PERIODS[0]:
        assert compared > len(filter_sets)  # the comparison covered real counts, not only zeros


def test_shares_and_linked_sets_agree(con, source):
    filters = Filters(start=D(2023, 1, 1), end=D(2024, 12, 31), countries=("GTM", "BOL"))
    for share in ("women_share", "youth_share"):
        assert_frame_equal(compute(con, share, filters, ("country",), facts=source),
                           compute(con, share, filters, ("country",)))
    breakdowns = (("country", "migration_profile"), ("sex", "age_group"), ("department",), ("quarter",))
    fast = compute_linked(con, "people_served", filters, breakdowns, facts=source)
    direct = compute_linked(con, "people_served", filters, breakdowns)
    assert fast.suppressed == direct.suppressed
    for a, b in zip(fast.breakdowns, direct.breakdowns):
        assert_frame_equal(a, b, check_dtype=False)


@pytest.mark.parametrize("filters, by", [
    (Filters(start=D(2023, 2, 1), end=D(2024, 12, 31)), ()),  # does not start on a quarter
    (Filters(start=D(2023, 1, 1), end=D(2024, 11, 30)), ()),  # does not end on one
    (Filters(start=D(2023, 1, 15), end=D(2024, 12, 31)), ("month",)),  # nor on a month
    (Filters(start=D(2023, 1, 1), end=D(2024, 12, 31), components=("digital_skills",)), ()),
])
def test_what_the_facts_cannot_answer_is_counted_directly(con, filters, by):
    source = Source(con)
    indicator = get_indicator("people_served")
    assert_frame_equal(true_counts(con, indicator, filters, by, facts=source), true_counts(con, indicator, filters, by))
    assert source.asked == 0


def test_events_beyond_the_mask_fall_back_to_the_direct_count(con):
    """Events over more than MAX_BITS quarters cannot be held in one mask: no facts, direct counts."""
    con.execute("CREATE TEMP TABLE long_events AS SELECT 'x' AS participant_id, DATE '1990-01-01' AS event_start, "
                "DATE '2024-01-01' AS event_end")
    try:
        long = get_indicator("people_served").__class__(
            "long", "people", "people", ("country",), Events("long_events", start="event_start", end="event_end"))
        assert person_facts.build(con, long, "quarter") is None
        assert person_facts.build(con, long, "month") is None
    finally:
        con.execute("DROP TABLE long_events")


@pytest.mark.parametrize("start, end", PERIODS)
def test_facts_by_component_equal_the_direct_count_per_component(con, start, end):
    from store.municipal import raw_component_counts

    facts = person_facts.build_by_component(con)
    for extra in FILTERS:
        filters = Filters(start=start, end=end, **extra)
        direct = raw_component_counts(con, filters, None).sort_values("component").reset_index(drop=True)
        fast = raw_component_counts(con, filters, facts)
        fast = fast[fast["value"] > 0].sort_values("component").reset_index(drop=True)
        assert_frame_equal(fast, direct, check_dtype=False, obj=f"{filters}")
