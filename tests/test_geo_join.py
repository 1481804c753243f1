"""Joining values to units: every unit kept, NaN apart from zero, unmatched codes reported both ways."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from shapely.geometry import box

from geo.join import JoinResult, join_by_code


def _units() -> pd.DataFrame:
    return pd.DataFrame({
        "country": ["GTM", "GTM", "GTM"],
        "code": ["1301", "1302", "1303"],
        "name": ["Huehuetenango", "Chiantla", "Malacatancito"],
    })


def test_units_without_values_keep_nan_and_zero_stays_zero():
    values = pd.DataFrame({"country": ["GTM", "GTM", "GTM"], "code": ["1303", "1301", "1399"],
                           "participants": [0, 12, 4]})
    result = join_by_code(_units(), values)
    expected = pd.DataFrame({
        "country": ["GTM", "GTM", "GTM"],
        "code": ["1301", "1302", "1303"],
        "name": ["Huehuetenango", "Chiantla", "Malacatancito"],
        "participants": [12.0, np.nan, 0.0],
    })
    assert isinstance(result, JoinResult)
    assert_frame_equal(result.frame, expected)
    assert result.unmatched_value_codes == ["GTM-1399"]
    assert result.units_without_values == ["GTM-1302"]


def test_country_is_part_of_the_key_when_both_sides_have_it():
    units = pd.DataFrame({"country": ["GTM", "BOL"], "code": ["02", "02"], "name": ["El Progreso", "La Paz"]})
    values = pd.DataFrame({"country": ["BOL", "PER"], "code": ["02", "21"], "people": [7, 3]})
    result = join_by_code(units, values)
    expected = pd.DataFrame({"country": ["GTM", "BOL"], "code": ["02", "02"],
                             "name": ["El Progreso", "La Paz"], "people": [np.nan, 7.0]})
    assert_frame_equal(result.frame, expected)
    assert (result.unmatched_value_codes, result.units_without_values) == (["PER-21"], ["GTM-02"])


def test_code_only_join_and_another_code_column():
    units = _units().drop(columns="country")
    values = pd.DataFrame({"municipality_code": ["1302", "9999"], "share": [0.25, 0.5]})
    result = join_by_code(units, values, code_column="municipality_code")
    expected = units.assign(share=[np.nan, 0.25, np.nan])
    assert_frame_equal(result.frame, expected)
    assert (result.unmatched_value_codes, result.units_without_values) == (["9999"], ["1301", "1303"])


def test_geodataframe_units_stay_geodataframe():
    units = gpd.GeoDataFrame({"code": ["01", "02"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    result = join_by_code(units, pd.DataFrame({"code": ["02"], "value": [5]}))
    expected = gpd.GeoDataFrame({"code": ["01", "02"], "value": [np.nan, 5.0]},
                                geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    assert_geodataframe_equal(result.frame, expected[["code", "geometry", "value"]])


@pytest.mark.parametrize(("values", "error", "match"), [
    (pd.DataFrame({"code": [1301], "v": [1]}), TypeError, "normalise them"),
    (pd.DataFrame({"code": ["1301", "1301"], "v": [1, 2]}), ValueError, "values repeats codes: \\['1301'\\]"),
    (pd.DataFrame({"code": ["1301", None], "v": [1, 2]}), ValueError, "1 rows without code"),
    (pd.DataFrame({"code": ["1301"], "name": ["x"]}), ValueError, "columns in both units and values: \\['name'\\]"),
    (pd.DataFrame({"v": [1]}), KeyError, "values has no code column"),
])
def test_joins_that_would_hide_problems_are_refused(values, error, match):
    with pytest.raises(error, match=match):
        join_by_code(_units().drop(columns="country"), values)
