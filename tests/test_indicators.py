"""Indicator layer on a tiny hand-made store: every expected value was counted by hand."""

import datetime as dt

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators.compute import UnsupportedBreakdownError, compute, true_counts
from indicators.filters import Filters
from indicators.registry import HEADLINE_INDICATORS, INDICATORS, get_indicator
from tests.tiny_store import tiny_store

PERIOD = Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def con():
    connection = tiny_store()
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def threshold_three(monkeypatch):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", "3")


@pytest.mark.parametrize("indicator_id, expected", [
    # A, B (Jan 2023), C, D, F (2024, not 2022 only) and G; E only in 2025
    ("people_served", 6),
    ("miska_participants", 2),  # A, B
    ("miska_employed", 1),  # A; E's job is dated 2025
    ("miska_enterprises", 1),  # B started and consolidated: one person
    ("agents_trained", 1),  # D completed; G did not
    ("people_sensitized", 46),  # S1 21 + S2 25; S3 is 2025
])
def test_unsuppressed_counts(con, indicator_id, expected):
    frame = true_counts(con, get_indicator(indicator_id), PERIOD, ())
    assert frame["value"].tolist() == [expected]


def test_people_are_counted_once_across_programmes_and_components(con):
    assert true_counts(con, get_indicator("people_served"), PERIOD, ())["value"].iloc[0] == 6
    assert true_counts(con, get_indicator("people_served"), PERIOD, ("programme",))["value"].sum() == 6


def test_quarterly_distinct_people(con):
    frame = true_counts(con, get_indicator("people_served"), PERIOD, ("quarter",))
    expected = pd.DataFrame({
        "quarter": pd.to_datetime(["2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01",
                                   "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"]),
        "value": pd.array([4, 3, 1, 0, 1, 1, 0, 1], dtype="Int64"),
    })
    assert_frame_equal(frame, expected, check_dtype=False)


def test_sex_by_un_age_group_completes_zero_cells(con):
    frame = true_counts(con, get_indicator("people_served"), PERIOD.with_(sexes=("female", "male")), ("sex", "age_group"))
    expected = pd.DataFrame({
        "sex": ["female"] * 5 + ["male"] * 5,
        "age_group": ["0_14", "15_24", "25_34", "35_49", "50_plus"] * 2,
        "value": pd.array([0, 3, 0, 1, 0, 0, 1, 1, 0, 0], dtype="Int64"),  # women: A, C, D (15-24), F (40)
    })
    assert_frame_equal(frame, expected, check_dtype=False)


def test_guatemala_youth_brackets(con):
    frame = true_counts(con, get_indicator("people_served"), PERIOD.with_(bracket_set="gt_youth"), ("age_group",))
    # 13-29: A 20, C 17, D 16, G 15; 30-49: B 30, F 40
    assert dict(zip(frame["age_group"], frame["value"])) == {"0_12": 0, "13_29": 4, "30_49": 2, "50_plus": 0}


def test_attendance_by_country_and_sex(con):
    frame = true_counts(con, get_indicator("people_sensitized"), PERIOD.with_(countries=("BOL", "PER")), ("country", "sex"))
    expected = pd.DataFrame({
        "country": ["BOL", "BOL", "PER", "PER"], "sex": ["female", "male", "female", "male"],
        "value": pd.array([11, 10, 13, 12], dtype="Int64"),
    })
    assert_frame_equal(frame, expected, check_dtype=False)


def test_filters_restrict_territory_and_sex(con):
    gtm_women = PERIOD.with_(countries=("GTM",), sexes=("female",))
    assert true_counts(con, get_indicator("people_served"), gtm_women, ())["value"].iloc[0] == 2  # A, F
    huehuetenango = PERIOD.with_(departments=(("GTM", "13"),))
    assert true_counts(con, get_indicator("people_served"), huehuetenango, ())["value"].iloc[0] == 2  # A, B


def test_same_code_in_two_countries_is_not_mixed(con):
    # 020804 is Desaguadero in Bolivia; a Peruvian unit with that code must not match it.
    assert true_counts(con, get_indicator("people_served"), PERIOD.with_(municipalities=(("PER", "020804"),)), ())[
        "value"].iloc[0] == 0


def test_small_counts_are_suppressed_and_zeros_shown(con):
    frame = compute(con, "people_served", PERIOD, ("country",))
    expected = pd.DataFrame({
        "country": ["BOL", "COL", "GTM", "PER"],
        "value": pd.array([pd.NA, pd.NA, 3, pd.NA], dtype="Int64"),  # 1, 1, 3, 1 with k = 3
        "suppressed": [True, True, False, True],
        "hidden": pd.Series(["small", "small", None, "small"], dtype=object),  # primary suppression alone: every hidden count is small
    })
    assert_frame_equal(compute(con, "people_served", PERIOD.with_(), ("country",)), expected, check_dtype=False)
    assert frame["value"].isna().sum() == 3


def test_share_is_suppressed_with_its_numerator(con):
    frame = compute(con, "women_share", PERIOD, ())
    assert frame["numerator"].iloc[0] == 4 and frame["denominator"].iloc[0] == 6
    assert frame["value"].iloc[0] == pytest.approx(4 / 6)
    by_country = compute(con, "women_share", PERIOD, ("country",)).set_index("country")
    assert by_country.loc["GTM", "suppressed"]  # numerator 2 < 3
    assert pd.isna(by_country.loc["GTM", "value"])


def test_threshold_below_three_is_refused(con, monkeypatch):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", "2")
    with pytest.raises(ValueError, match="below the minimum of 3"):
        compute(con, "people_served", PERIOD)


def test_breakdown_not_in_definition_is_refused(con):
    with pytest.raises(UnsupportedBreakdownError, match="people_sensitized cannot be broken down by ethnicity"):
        compute(con, "people_sensitized", PERIOD, ("ethnicity",))


def test_every_indicator_has_translated_label_and_definition():
    from i18n import has_message
    for indicator in INDICATORS.values():
        for lang in ("es", "en"):
            assert has_message(indicator.label_key, lang) and has_message(indicator.definition_key, lang)
    assert set(HEADLINE_INDICATORS) <= set(INDICATORS)
