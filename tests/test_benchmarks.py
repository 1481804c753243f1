"""Smoke test of the benchmark's reference implementation (never a timing assertion).

The benchmark's speed-ups only mean something if the reference computes the same figures as
the dashboard: at scale 1 (the bundled sample data), its overview figures and its Guatemala
municipal counts must equal what the dashboard publishes (every cell the dashboard does not
suppress).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from benchmarks import reference
from benchmarks.pages import CASES, REFERENCE_OF
from indicators.compute import compute
from indicators.filters import Filters
from indicators.linked import compute_linked
from indicators.registry import HEADLINE_INDICATORS
from tests.conftest import SAMPLE

START, END = dt.date(2023, 1, 1), dt.date(2024, 12, 31)
OVERVIEW_BREAKDOWNS = (("country", "migration_profile"), ("sex", "age_group"), ("department",), ("quarter",))


@pytest.fixture(scope="module")
def tables():
    return reference.read_tables(SAMPLE)


@pytest.fixture(scope="module")
def served(tables):
    return reference.served_people(tables, START, END)


@pytest.fixture(scope="module")
def store(data_dir):
    from store import cached

    with cached.cursor() as con:
        yield con


def _published(frame: pd.DataFrame, keys: list[str]) -> dict:
    shown = frame[~frame["suppressed"].astype(bool)]
    return {tuple(str(v) for v in row[keys]): int(row["value"]) for _, row in shown.iterrows()}


def _reference(frame: pd.DataFrame, keys: list[str]) -> dict:
    return {tuple(str(v) for v in row[keys]): int(row["value"]) for _, row in frame.iterrows()}


def _agree(dashboard: pd.DataFrame, ours: pd.DataFrame, keys: list[str]) -> None:
    published, computed = _published(dashboard, keys), _reference(ours, keys)
    assert len(published) >= 3, "the comparison would be empty"
    # Every published cell is what the reference counts (a zero cell may be absent from the reference).
    assert {k: v for k, v in published.items()} == {k: computed.get(k, 0) for k in published}


def test_the_reference_headline_figures_are_the_dashboards(store, tables):
    ours = reference.headline_figures(tables, START, END)
    assert set(ours) == set(HEADLINE_INDICATORS)
    dashboard = {i: compute(store, i, Filters(start=START, end=END)).iloc[0] for i in HEADLINE_INDICATORS}
    assert not any(bool(row["suppressed"]) for row in dashboard.values())
    assert ours == {i: int(row["value"]) for i, row in dashboard.items()}
    assert ours["people_served"] == 1470  # the sample data's documented total


def test_the_reference_overview_breakdowns_are_the_dashboards(store, tables, served):
    result = compute_linked(store, "people_served", Filters(start=START, end=END), OVERVIEW_BREAKDOWNS)
    profile, pyramid, departments, quarters = result.breakdowns
    _agree(profile, reference.by_country_profile(served), ["country", "migration_profile"])
    _agree(pyramid, reference.pyramid(served), ["sex", "age_group"])
    _agree(departments, reference.by_unit(served, "department").rename(columns={"code": "department_code"}),
           ["country", "department_code"])
    trend = quarters.assign(quarter=pd.to_datetime(quarters["quarter"]).dt.date)
    _agree(trend, reference.quarterly(tables, served, START, END), ["quarter"])


def test_the_reference_guatemala_municipal_counts_are_the_dashboards(store, served):
    dashboard = compute(store, "people_served", Filters(start=START, end=END, countries=("GTM",)), ("municipality",))
    ours = reference.by_unit(served, "municipality", "GTM").rename(columns={"code": "municipality_code"})
    _agree(dashboard, ours, ["country", "municipality_code"])


def test_the_reference_map_carries_every_guatemala_municipality(served):
    units = reference.units_geojson(reference.by_unit(served, "municipality", "GTM"), "municipality", "GTM")
    assert len(units["features"]) == 340
    values = {f["properties"]["code"]: f["properties"]["value"] for f in units["features"]}
    assert sum(v for v in values.values() if v) == int((served["country"] == "GTM").sum())


def test_every_reference_view_is_compared_with_a_real_page():
    assert set(REFERENCE_OF) == {n for n, c in CASES.items() if c.script == "reference"}
    assert all(CASES[page].script == "dashboard" for page in REFERENCE_OF.values())


def test_rewriting_the_report_keeps_its_hand_written_end(tmp_path):
    from benchmarks.run import HAND_WRITTEN, _written_by_hand

    report = tmp_path / "performance.md"
    assert _written_by_hand(report) == ""  # no report yet
    report.write_text(f"# Performance\n\n| old | table |\n\n{HAND_WRITTEN}\n\nWhy it is fast.\n", encoding="utf-8")
    assert _written_by_hand(report) == f"\n{HAND_WRITTEN}\n\nWhy it is fast.\n"
    report.write_text("# Performance\n\nonly generated\n", encoding="utf-8")
    assert _written_by_hand(report) == ""
