"""The MISKA person facts give the Reintegration page the same rows, and so the same published figures,
as the direct queries of indicators.reintegration, under every filter they answer."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators import reintegration as definitions
from indicators import reintegration_facts as miska_facts
from indicators.filters import Filters
from store.reintegration import _aggregates, compute

D = dt.date
WEIGHTS = {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}
PERIODS = [(D(2023, 1, 1), D(2024, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31)), (D(2022, 1, 1), D(2025, 12, 31)),
           (D(2023, 4, 1), D(2023, 9, 30)), (D(2025, 1, 1), D(2025, 6, 30)), (D(2019, 1, 1), D(2020, 12, 31))]
FILTERS = [{}, {"sexes": ("female",)}, {"age_groups": ("15_24", "25_34")},
           {"bracket_set": "gt_youth", "age_groups": ("13_29",)}, {"departments": (("GTM", "13"),)},
           {"municipalities": (("GTM", "1301"), ("GTM", "1201"))}, {"ethnicities": ("mam", "kiche")},
           {"sexes": ("male",), "ethnicities": ("mestizo",)}]


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


@pytest.fixture(scope="module")
def facts(con):
    return miska_facts.build(con)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in frame.columns if c in ("grouping_id", *definitions.PEOPLE_COLUMNS)]
    return frame.sort_values(keys, na_position="first").reset_index(drop=True)


def test_one_row_per_miska_participant_with_a_participation(con, facts):
    people = con.execute("SELECT count(*) FROM participants p WHERE programme = 'miska_reintegration' AND EXISTS "
                         "(SELECT 1 FROM participations a WHERE a.participant_id = p.participant_id)").fetchone()[0]
    assert facts.table.num_rows == people > 100


@pytest.mark.parametrize("start, end", PERIODS)
def test_people_and_survey_rows_equal_the_direct_queries(con, facts, start, end):
    published = 0
    for extra in FILTERS:
        filters = Filters(start=start, end=end, **extra)
        assert miska_facts.answers(filters)
        direct_people, direct_survey = _aggregates(con, filters, WEIGHTS, None)
        fast_people, fast_survey = _aggregates(con, filters, WEIGHTS, facts)
        assert_frame_equal(_sorted(fast_people), _sorted(direct_people), check_dtype=False)
        assert_frame_equal(_sorted(fast_survey), _sorted(direct_survey), check_dtype=False, rtol=1e-9)
        published += int(direct_people["enrolled"].sum())
    if (start, end) == PERIODS[0]:
        assert published > 0  # the comparison covered real people


def test_the_published_figures_are_the_same(con, facts):
    filters = Filters(start=D(2023, 1, 1), end=D(2024, 12, 31))
    fast = compute(con, filters, WEIGHTS, 5, 1, facts)
    direct = compute(con, filters, WEIGHTS, 5, 1)
    assert fast.suppressed == direct.suppressed
    assert repr(fast.figures) == repr(direct.figures)


@pytest.mark.parametrize("filters", [
    Filters(start=D(2023, 2, 1), end=D(2024, 12, 31)),  # not whole quarters
    Filters(start=D(2023, 1, 1), end=D(2024, 12, 31), components=("digital_skills",)),
])
def test_what_the_facts_cannot_answer_is_queried_directly(con, facts, filters):
    assert not miska_facts.answers(filters)
    direct = _aggregates(con, filters, WEIGHTS, None)
    through = _aggregates(con, filters, WEIGHTS, facts)
    for a, b in zip(through, direct):
        assert_frame_equal(_sorted(a), _sorted(b))
