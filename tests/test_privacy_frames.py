"""Suppression of indicator frames: hidden values become <NA> with a `suppressed` flag."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from privacy.frames import protect_frame, protect_hierarchy, protect_levels, protect_two_way


def expected(columns: dict, values: list, suppressed: list) -> pd.DataFrame:
    return pd.DataFrame({**columns, "value": pd.array(values, dtype="Int64"),
                         "suppressed": pd.array(suppressed, dtype=bool)})


SEX = pd.DataFrame({"sex": ["female", "male", "other"], "value": pd.array([3, 20, 0], dtype="Int64")})


def test_one_breakdown_without_a_published_total_only_hides_small_counts():
    assert_frame_equal(protect_frame(SEX, "sex", 5, 2),
                       expected({"sex": ["female", "male", "other"]}, [None, 20, 0], [True, False, False]))


def test_one_breakdown_with_its_total_hides_a_partner():
    assert_frame_equal(protect_frame(SEX, ["sex"], 5, 2, total_value=23),
                       expected({"sex": ["female", "male", "other"]}, [None, None, 0], [True, True, False]))


def test_a_total_that_is_not_the_sum_is_refused():
    with pytest.raises(ValueError, match="not additive"):
        protect_frame(SEX, "sex", 5, 2, total_value=25)


def test_a_headline_alone():
    assert_frame_equal(protect_frame(pd.DataFrame({"value": [4]}), (), 5, 2), expected({}, [None], [True]))


def test_frames_with_hidden_counts_are_refused():
    with pytest.raises(ValueError, match="needs the true counts"):
        protect_frame(SEX.assign(value=pd.array([None, 20, 0], dtype="Int64")), "sex", 5, 2)


def test_two_way_returns_cells_and_margins():
    cells = pd.DataFrame({"sex": ["f", "f", "m", "m"], "age": ["a", "b", "a", "b"], "value": [2, 10, 10, 20]})
    table, rows, cols, grand = protect_two_way(cells, "sex", "age", 5, 2)
    assert_frame_equal(table, expected({"sex": ["f", "f", "m", "m"], "age": ["a", "b", "a", "b"]},
                                       [None] * 4, [True] * 4))
    assert_frame_equal(rows, expected({"sex": ["f", "m"]}, [12, 30], [False, False]))
    assert_frame_equal(cols, expected({"age": ["a", "b"]}, [12, 30], [False, False]))
    assert_frame_equal(grand, expected({}, [42], [False]))
    assert_frame_equal(protect_frame(cells, ["sex", "age"], 5, 2), table)


def test_hierarchy_returns_municipalities_and_departments_suppressed_together():
    counts = pd.DataFrame({"country": ["GTM"] * 5, "department_code": ["01", "01", "01", "02", "02"],
                           "municipality_code": ["0101", "0102", "0103", "0201", "0202"],
                           "value": [3, 30, 9, 2, 2]})
    municipalities, departments = protect_hierarchy(counts, ["country", "department_code"], "municipality_code", 5, 2)
    assert_frame_equal(municipalities, expected(
        {"country": ["GTM"] * 5, "department_code": ["01", "01", "01", "02", "02"],
         "municipality_code": ["0101", "0102", "0103", "0201", "0202"]},
        [None, 30, 9, None, None], [True, False, False, True, True]))
    # Department 02 (2 + 2) is small and can never be known better than [2, 4]; department 01
    # hides with it, and the country and grand totals must hide too, or 01 = 46 - 02 would be
    # known within [42, 44]. With 01 hidden, 0101 is protected by 01 = 0101 + 39 alone.
    assert_frame_equal(departments, expected({"country": ["GTM", "GTM"], "department_code": ["01", "02"]},
                                             [None, None], [True, True]))
    grand, countries, *_ = protect_levels(counts, ["country", "department_code", "municipality_code"], 5, 2)
    assert_frame_equal(grand, expected({}, [None], [True]))
    assert_frame_equal(countries, expected({"country": ["GTM"]}, [None], [True]))


def test_hierarchy_keeps_a_department_whose_hidden_municipality_has_a_hidden_sibling():
    counts = pd.DataFrame({"department_code": ["01", "01", "01", "02"], "municipality_code": ["a", "b", "c", "d"],
                           "value": [3, 30, 9, 15]})
    municipalities, departments = protect_hierarchy(counts, "department_code", "municipality_code", 5, 2)
    assert municipalities["suppressed"].tolist() == [True, False, True, False]
    assert_frame_equal(departments, expected({"department_code": ["01", "02"]}, [42, 15], [False, False]))
