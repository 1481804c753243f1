"""The MISKA person facts give the Reintegration page the same survey rows as the direct query of
indicators.reintegration, under every filter they answer; its counts come from the same facts through the
publication family (tests/test_reintegration.py checks them against pandas)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators import reintegration_facts as miska_facts
from indicators.filters import Filters
from store.reintegration import survey_means

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
    return frame.sort_values(["group_by", "group"]).reset_index(drop=True)


def test_one_row_per_miska_participant_with_a_participation(con, facts):
    people = con.execute("SELECT count(*) FROM participants p WHERE programme = 'miska_reintegration' AND EXISTS "
                         "(SELECT 1 FROM participations a WHERE a.participant_id = p.participant_id)").fetchone()[0]
    assert facts.table.num_rows == people > 100


@pytest.mark.parametrize("start, end", PERIODS)
def test_survey_rows_equal_the_direct_query(con, facts, start, end):
    surveyed = 0
    for extra in FILTERS:
        filters = Filters(start=start, end=end, **extra)
        assert miska_facts.answers(filters)
        direct = survey_means(con, filters, WEIGHTS, None)
        fast = survey_means(con, filters, WEIGHTS, facts)
        assert_frame_equal(_sorted(fast), _sorted(direct), check_dtype=False, rtol=1e-9)
        surveyed += int(direct.loc[direct["group_by"] == "total", "surveyed"].sum())
    if (start, end) == PERIODS[0]:
        assert surveyed > 0  # the comparison covered real people


@pytest.mark.parametrize("filters", [
    Filters(start=D(2023, 2, 1), end=D(2024, 12, 31)),  # not whole quarters
    Filters(start=D(2023, 1, 1), end=D(2024, 12, 31), components=("digital_skills",)),
])
def test_what_the_facts_cannot_answer_is_queried_directly(con, facts, filters):
    assert not miska_facts.answers(filters)
    assert_frame_equal(_sorted(survey_means(con, filters, WEIGHTS, facts)),
                       _sorted(survey_means(con, filters, WEIGHTS, None)))
