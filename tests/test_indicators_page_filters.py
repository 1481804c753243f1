"""Page-specific filters (ethnicity, component, institution type, topic, audience) and the month breakdown,
on the sample store, against plain pandas over the canonical CSV files."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from indicators.compute import true_counts
from indicators.filters import Filters
from indicators.registry import get_indicator
from tests.conftest import SAMPLE

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
PERIOD = Filters(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def con(sample_con):
    return sample_con


def _csv(name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column].replace("", None))
    return frame


@pytest.fixture(scope="module")
def sample():
    people = _csv("participants")
    parts = _csv("participations", ("start_date", "end_date"))
    parts["last"] = parts["end_date"].fillna(parts["start_date"])
    active = parts[(parts["start_date"] <= END) & (parts["last"] >= START)]
    return {"people": people, "active": active, "parts": parts,
            "sessions": _csv("awareness_sessions", ("date",)), "institutions": _csv("network_institutions")}


def _value(con, indicator_id: str, filters: Filters) -> int:
    return int(true_counts(con, get_indicator(indicator_id), filters, ())["value"].iloc[0])


def _miska_active(sample) -> pd.DataFrame:
    people = sample["people"]
    return people[people["participant_id"].isin(sample["active"]["participant_id"])
                  & (people["programme"] == "miska_reintegration")]


@pytest.mark.parametrize("ethnicity", ["mam", "kiche", "mestizo"])
def test_ethnicity_filter_counts_only_that_people(con, sample, ethnicity):
    expected = (_miska_active(sample)["ethnicity"] == ethnicity).sum()
    assert expected > 0
    assert _value(con, "miska_participants", PERIOD.with_(ethnicities=(ethnicity,))) == expected


def test_component_filter_keeps_people_who_took_part_during_the_period(con, sample):
    took_part = sample["active"][sample["active"]["component"] == "digital_skills"]["participant_id"]
    expected = _miska_active(sample)["participant_id"].isin(took_part).sum()
    assert 0 < expected < len(_miska_active(sample))
    assert _value(con, "miska_participants", PERIOD.with_(components=("digital_skills",))) == expected


def test_institution_type_filter_restricts_agents_and_sessions(con, sample):
    schools = set(sample["institutions"].query("type == 'school'")["institution_id"])
    parts = sample["parts"]
    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]["participant_id"]
    people = sample["people"].set_index("participant_id")
    expected_agents = people.loc[trained.unique(), "institution_id"].isin(schools).sum()
    assert _value(con, "agents_trained", PERIOD.with_(institution_types=("school",))) == expected_agents

    sessions = sample["sessions"][sample["sessions"]["date"].between(START, END)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    at_schools = sessions[sessions["institution_id"].isin(schools)]
    expected_reach = at_schools[counts].astype(int).to_numpy().sum()
    assert _value(con, "people_sensitized", PERIOD.with_(institution_types=("school",))) == expected_reach


def test_topic_and_audience_filters_restrict_sessions(con, sample):
    sessions = sample["sessions"][sample["sessions"]["date"].between(START, END)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    chosen = sessions[(sessions["topic"] == "safe_migration") & (sessions["audience"] == "students")]
    expected = chosen[counts].astype(int).to_numpy().sum()
    assert 0 < expected
    assert _value(con, "people_sensitized", PERIOD.with_(topics=("safe_migration",), audiences=("students",))) == expected


def test_monthly_attendance_has_every_month_and_adds_up(con, sample):
    frame = true_counts(con, get_indicator("people_sensitized"), PERIOD, ("month",))
    assert len(frame) == 24 and frame["month"].min() == pd.Timestamp("2023-01-01")
    sessions = sample["sessions"][sample["sessions"]["date"].between(START, END)]
    counts = [c for c in sessions.columns if c.startswith(("female_", "male_"))]
    by_month = sessions.assign(total=sessions[counts].astype(int).sum(axis=1)).groupby(
        sessions["date"].dt.to_period("M").dt.start_time)["total"].sum()
    merged = frame.set_index("month")["value"]
    assert merged.loc[by_month.index].astype(int).tolist() == by_month.astype(int).tolist()
    assert merged.drop(by_month.index).eq(0).all()


def test_agents_by_month_count_each_training_in_the_month_it_ended(con, sample):
    parts = sample["parts"]
    trained = parts[(parts["component"] == "prevention_agent_training") & (parts["completed"] == "true")
                    & parts["end_date"].between(START, END)]
    expected = trained.groupby(trained["end_date"].dt.to_period("M").dt.start_time)["participant_id"].nunique()
    frame = true_counts(con, get_indicator("agents_trained"), PERIOD, ("month",)).set_index("month")["value"]
    assert frame.loc[expected.index].astype(int).tolist() == expected.tolist()
