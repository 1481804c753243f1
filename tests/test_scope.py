"""Scope enforcement in the indicator layer: filters before the cache, rows after it."""

from dataclasses import dataclass

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators.compute import compute
from indicators.filters import Filters
from indicators.scope import OutOfScopeError, scoped_filters, scoped_rows
from tests.tiny_store import tiny_store


@dataclass(frozen=True)
class FakeScope:
    municipalities: tuple = ()
    is_territorial: bool = False


OFFICIAL = FakeScope(municipalities=(("GTM", "1301"),), is_territorial=True)
EVERYTHING = FakeScope()


def test_unrestricted_scope_keeps_filters():
    filters = Filters(countries=("BOL",))
    assert scoped_filters(filters, EVERYTHING) == filters


def test_official_without_territory_gets_their_municipality():
    assert scoped_filters(Filters(), OFFICIAL).municipalities == (("GTM", "1301"),)


@pytest.mark.parametrize("filters, refused", [
    (Filters(municipalities=(("GTM", "1201"),)), (("GTM", "1201"),)),
    (Filters(municipalities=(("BOL", "1301"),)), (("BOL", "1301"),)),  # same digits, other country
    (Filters(departments=(("GTM", "12"),)), (("GTM", "12"),)),
    (Filters(countries=("COL",)), (("COL", ""),)),
])
def test_out_of_scope_requests_are_refused(filters, refused):
    with pytest.raises(OutOfScopeError) as error:
        scoped_filters(filters, OFFICIAL)
    assert error.value.requested == refused


def test_own_department_totals_are_allowed():
    filters = Filters(departments=(("GTM", "13"),))
    assert scoped_filters(filters, OFFICIAL) == filters


def test_rows_outside_scope_are_dropped_after_the_cache():
    frame = pd.DataFrame({"country": ["GTM", "GTM", "BOL"], "department_code": ["13", "13", "02"],
                          "municipality_code": ["1301", "1309", "020804"], "value": [10, 20, 30]})
    expected = pd.DataFrame({"country": ["GTM"], "department_code": ["13"], "municipality_code": ["1301"],
                             "value": [10]})
    assert_frame_equal(scoped_rows(frame, OFFICIAL), expected)
    assert_frame_equal(scoped_rows(frame, EVERYTHING), frame)


def test_scoped_figures_on_the_tiny_store(monkeypatch):
    monkeypatch.setenv("CONEXION_SUPPRESSION_THRESHOLD", "3")
    con = tiny_store()
    by_municipality = compute(con, "people_served", scoped_filters(Filters(), OFFICIAL), ("municipality",))
    assert scoped_rows(by_municipality, OFFICIAL)["municipality_code"].tolist() == ["1301"]
