"""Territorial code normalisation: one table of inputs and the code each becomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.codes import InvalidCodeError, department_of, normalise_code, unit_id


@pytest.mark.parametrize(("value", "country", "level", "expected"), [
    (None, "GTM", "municipality", None),
    ("", "GTM", "municipality", None),
    ("   ", "GTM", "municipality", None),
    (np.nan, "GTM", "municipality", None),
    (pd.NA, "GTM", "municipality", None),
    (" 1301 ", "GTM", "municipality", "1301"),
    (1301, "GTM", "municipality", "1301"),
    (101, "GTM", "municipality", "0101"),
    (np.int64(1301), "GTM", "municipality", "1301"),
    (1.0, "GTM", "department", "01"),
    ("1.0", "GTM", "department", "01"),
    ("17", "GTM", "department", "17"),
    (20804.0, "BOL", "municipality", "020804"),
    ("20804", "BOL", "municipality", "020804"),
    (20804, "BOL", "municipality", "020804"),
    ("020804", "BOL", "municipality", "020804"),
    (210402, "PER", "municipality", "210402"),
    ("5001", "COL", "municipality", "05001"),
    (11, "COL", "department", "11"),
])
def test_normalise_code(value, country, level, expected):
    assert normalise_code(value, country, level) == expected


@pytest.mark.parametrize(("value", "country", "level"), [
    ("13x", "GTM", "municipality"),
    ("13015", "GTM", "municipality"),  # too long: five digits for a four-digit code
    (1234567, "BOL", "municipality"),
    ("1301.5", "GTM", "municipality"),
    (1301.5, "GTM", "municipality"),
    ("-101", "GTM", "municipality"),
    ("13 01", "GTM", "municipality"),
    ("1²", "GTM", "department"),  # a Unicode digit that str.isdigit accepts
    ("Huehuetenango", "GTM", "department"),
])
def test_normalise_code_rejects(value, country, level):
    with pytest.raises(InvalidCodeError):
        normalise_code(value, country, level)


@pytest.mark.parametrize(("code", "country", "expected"), [
    ("1301", "GTM", "13"),
    (20804, "BOL", "02"),
    ("210402", "PER", "21"),
    ("54001", "COL", "54"),
])
def test_department_of(code, country, expected):
    assert department_of(code, country) == expected


def test_unit_id_tells_countries_apart():
    assert [unit_id("GTM", "02"), unit_id("BOL", "02")] == ["GTM-02", "BOL-02"]
