"""Indicator definitions are declared once, as data, in indicators.registry: the registry's SQL, the
person-fact masks the Reintegration stages are read from, and the Methods text are all derived from them.

Expected figures are worked out by hand from tests/tiny_store.py (never by the code under test).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from indicators import methods, person_facts
from indicators import reintegration as definitions
from indicators import reintegration_facts as miska_facts
from indicators.compute import true_counts
from indicators.filters import Filters
from indicators.registry import INDICATORS, OUTCOME_SETS, Events, events_sql, get_indicator
from publication.published import family_of
from publication.miska import stage_people
from tests.tiny_store import tiny_store

D = dt.date
WEIGHTS = {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}


@pytest.fixture(scope="module")
def con():
    return tiny_store()


# --- the registry's SQL comes from each declaration ------------------------------------------------

def test_no_indicator_carries_sql():
    for indicator in INDICATORS.values():
        texts = [v for f in dataclasses.fields(indicator) if isinstance(v := getattr(indicator, f.name), str)]
        assert not any("SELECT" in text.upper() for text in texts), indicator.id


@pytest.mark.parametrize("indicator_id, expected", [
    ("people_served", {("A", "2023-02-01", "2023-05-01"), ("A", "2023-06-01", "2023-07-01"),
                       ("B", "2022-11-01", "2023-01-15"), ("C", "2024-03-01", "2024-04-01"),
                       ("D", "2023-03-01", "2023-04-15"), ("E", "2025-02-01", "2025-04-01"),
                       ("F", "2022-01-01", "2022-02-01"), ("F", "2024-10-01", "2024-10-01"),  # ongoing: its start
                       ("G", "2023-03-01", "2023-04-15")}),
    ("miska_employed", {("A", "2023-08-01", "2023-08-01"), ("E", "2025-05-01", "2025-05-01")}),
    ("miska_enterprises", {("B", "2023-09-01", "2023-09-01"), ("B", "2024-05-01", "2024-05-01")}),
    ("agents_trained", {("D", "2023-04-15", "2023-04-15")}),  # G did not complete
])
def test_events_of_each_indicator_follow_its_declaration(con, indicator_id, expected):
    rows = con.execute(events_sql(get_indicator(indicator_id).events)).fetchall()
    assert {(pid, str(start), str(end)) for pid, start, end in rows} == expected


def test_the_same_declared_events_make_miska_participants_people_served_of_one_programme():
    assert get_indicator("miska_participants").events == get_indicator("people_served").events
    assert family_of("miska_participants") == ("people_served", (("programme", "miska_reintegration"),))
    assert family_of("miska_employed") == ("miska_employed", ())
    assert definitions.COHORT.events == get_indicator("miska_participants").events
    assert definitions.OUTCOME_STAGES == tuple(OUTCOME_SETS)


@pytest.mark.parametrize("events, expected", [
    (Events("outcomes", start="date", outcome_set="enterprise"),
     "SELECT participant_id, date AS event_start, date AS event_end FROM outcomes "
     "WHERE date IS NOT NULL AND outcome IN ('enterprise_started', 'enterprise_consolidated')"),
    (Events("participations", start="start_date", end="end_date"),
     "SELECT participant_id, start_date AS event_start, coalesce(end_date, start_date) AS event_end "
     "FROM participations WHERE start_date IS NOT NULL"),
    (Events("participations", start="end_date", component="life_skills", completed=True),
     "SELECT participant_id, end_date AS event_start, end_date AS event_end FROM participations "
     "WHERE end_date IS NOT NULL AND component = 'life_skills' AND completed"),
])
def test_events_sql(events, expected):
    assert events_sql(events) == expected


# --- one outcome set, every place that counts it -----------------------------------------------------

MISKA = {"A", "B", "E"}
PARTICIPATIONS = [("A", "2023-02-01", "2023-05-01"), ("A", "2023-06-01", "2023-07-01"),
                  ("B", "2022-11-01", "2023-01-15"), ("E", "2025-02-01", "2025-04-01")]
OUTCOMES = [("A", "employment", "2023-08-01"), ("B", "enterprise_started", "2023-09-01"),
            ("B", "enterprise_consolidated", "2024-05-01"), ("E", "employment", "2025-05-01")]


def _expected(codes: tuple[str, ...], start: dt.date, end: dt.date) -> int:
    """MISKA participants with an outcome in `codes` dated in the period: the registry's count, and the
    Reintegration page's (one definition)."""
    with_outcome = {pid for pid, code, day in OUTCOMES if code in codes and start <= D.fromisoformat(day) <= end}
    return len(with_outcome & MISKA)


def _reintegration_total(con, start: dt.date, end: dt.date, stage: str) -> int:
    """The stage's count as the publication family reads it from the MISKA person facts."""
    return int(stage_people(miska_facts.build(con), (start, end), WEIGHTS)[stage].sum())


@pytest.mark.parametrize("stage, indicator_id, codes", [
    ("employed", "miska_employed", ("employment",)),
    ("employed", "miska_employed", ("employment", "enterprise_started")),
    ("employed", "miska_employed", ("enterprise_consolidated",)),
    ("enterprise", "miska_enterprises", ("enterprise_started", "enterprise_consolidated")),
    ("enterprise", "miska_enterprises", ("enterprise_consolidated",)),
    ("enterprise", "miska_enterprises", ("employment",)),
])
@pytest.mark.parametrize("start, end", [(D(2023, 1, 1), D(2024, 12, 31)), (D(2024, 1, 1), D(2025, 12, 31)),
                                        (D(2023, 7, 1), D(2023, 9, 30))])
def test_a_declared_outcome_set_changes_every_figure_together(con, monkeypatch, stage, indicator_id, codes,
                                                              start, end):
    monkeypatch.setitem(OUTCOME_SETS, stage, codes)
    filters = Filters(start=start, end=end)
    expected = _expected(codes, start, end)
    indicator = get_indicator(indicator_id)
    facts = lambda wanted, unit: person_facts.build(con, wanted, unit)  # noqa: E731

    assert int(true_counts(con, indicator, filters, ())["value"].iloc[0]) == expected
    assert int(true_counts(con, indicator, filters, (), facts=facts)["value"].iloc[0]) == expected
    assert _reintegration_total(con, start, end, stage) == expected
    assert methods.event_rule(indicator).outcomes == codes


def test_the_facts_masks_hold_each_declared_set(con, monkeypatch):
    monkeypatch.setitem(OUTCOME_SETS, "employed", ("enterprise_started",))
    facts = miska_facts.build(con)
    frame = facts.table.to_pandas()
    with_mask = frame.loc[frame["employed"] != 0, "sex"].tolist()
    assert with_mask == ["male"]  # B, the one MISKA participant with an enterprise started
    assert set(frame.columns) >= set(OUTCOME_SETS)


# --- the Methods page says what is declared ------------------------------------------------------------

def _methods_text() -> None:
    import streamlit as st

    from ui import methods as section

    st.session_state["language"] = "en"
    section.indicator_definitions()
    section.page_measures()


def _rendered(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


@pytest.mark.parametrize("codes", [("employment",), ("employment", "enterprise_consolidated")])
def test_methods_text_lists_the_declared_outcomes(monkeypatch, codes):
    monkeypatch.setitem(OUTCOME_SETS, "employed", codes)
    app = AppTest.from_function(_methods_text).run()
    assert not app.exception, app.exception
    quoted = " or ".join(f"“{i18n.translate(f'outcome.{code}', 'en')}”" for code in codes)
    shown = _rendered(app)
    assert f"People with the outcome {quoted} dated within the period (line of work: " in shown
    assert f"{i18n.translate('reintegration.stage.employed', 'en')}: {quoted};" in shown


def test_methods_text_states_share_numerator_and_denominator():
    app = AppTest.from_function(_methods_text).run()
    shown = _rendered(app)
    base = i18n.translate("indicator.people_served.label", "en")
    assert f"numerator: those of them who are women; denominator: all of them (“{base}”)" in shown
    assert "numerator: those of them who are in the youth group of the chosen age set" in shown
