"""MISKA person facts: one row per MISKA participant with quarter masks, so the Reintegration page's
figures for a new period read 1 row per person instead of joining every participation and outcome.

Each row (a MISKA participant with a participation or an outcome) holds the participant's attributes
(age as its class, `age_groups.age_class_sql`), their survey scores when they have both rounds, and
one quarter mask per thing the figures ask about
(any participation, each component, completed and not-completed component participations, each
outcome). For a period of whole quarters (`person_facts.answers`), the definitions of
`indicators.reintegration` read:
- enrolled: active & period ≠ 0;
- took part in X: X & period ≠ 0;
- completed: done & period ≠ 0 and not_done & period = 0 (some component participation
  completed, none left uncompleted: the direct query's bool_and, NULLs ignored);
- an outcome in the period: its mask & period ≠ 0.
The stage counts of the publication family (`publication.miska.stage_people`) read these masks;
`survey_query` returns the same rows as the direct query of `indicators.reintegration`
(tests/test_reintegration_facts.py compares them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from data_loaders.schemas import MISKA_COMPONENTS
from indicators import person_facts
from indicators.age_groups import age_class_sql, age_group_sql
from indicators.filters import Filters, participant_condition
from indicators.registry import OUTCOMES, event_dates_sql, outcome_in_sql
from indicators.reintegration import (COHORT, DIMENSIONS, OUTCOME_STAGES, PROGRAMME, ROUNDS, survey_summary_sql)

VIEW = "miska_facts"
UNIT = "quarter"
# The participation masks; a participant with an outcome and no participation has them all 0 (the registry
# counts their outcome, so the stages must too).
_MASKS = ("active", *(f"took_{c}" for c in MISKA_COMPONENTS), "done", "not_done")
_ATTRIBUTES = ("sex", "ethnicity", "migration_profile", "country", "department_code", "municipality_code",
               "programme", "institution_id")


@dataclass(frozen=True)
class MiskaFacts:
    table: pa.Table
    first: dt.date  # first day of bit 0's quarter
    bits: int


def build(con: duckdb.DuckDBPyConnection) -> MiskaFacts | None:
    """The MISKA person facts of the store; None if its dates span more quarters than a mask holds."""
    activity, outcome = event_dates_sql(COHORT.events, "a"), event_dates_sql(OUTCOMES, "o")
    days = " UNION ALL ".join(
        f"SELECT {day} AS d FROM {table}"
        for table, (start, end) in ((f"{COHORT.events.table} a", activity), (f"{OUTCOMES.table} o", outcome))
        for day in (start, _last_day(start, end)))
    first, last = con.execute(f"SELECT min(d), max(d) FROM ({days}) WHERE d IS NOT NULL").fetchall()[0]
    if first is None:
        first = last = dt.date(dt.date.today().year, 1, 1)
    first = dt.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    bits = person_facts.bits_between(first, last, UNIT)
    if bits > person_facts.MAX_BITS:
        return None
    span, day = _span_mask_sql(*activity, first), _span_mask_sql(*outcome, first)
    miska = ", ".join(f"'{c}'" for c in MISKA_COMPONENTS)
    components = ", ".join(f"coalesce(bit_or({span}) FILTER (WHERE a.component = '{c}'), 0) AS took_{c}"
                           for c in MISKA_COMPONENTS)
    outcomes = ", ".join(f"coalesce(bit_or({day}) FILTER (WHERE {outcome_in_sql(stage, 'o.outcome')}), 0) AS {stage}"
                         for stage in OUTCOME_STAGES)
    pivot = ", ".join(f"max(s.{d}) FILTER (WHERE s.round = '{r}') AS {d}_{r}" for r in ROUNDS for d in DIMENSIONS)
    scores = ", ".join(f"r.{d}_{r}" for r in ROUNDS for d in DIMENSIONS)
    query = (
        f"WITH miska AS (SELECT * FROM participants WHERE programme = '{PROGRAMME}'), "
        f"acts AS (SELECT a.participant_id, bit_or({span}) AS active, {components}, "
        f"coalesce(bit_or({span}) FILTER (WHERE a.component IN ({miska}) AND a.completed), 0) AS done, "
        f"coalesce(bit_or({span}) FILTER (WHERE a.component IN ({miska}) AND NOT a.completed), 0) AS not_done "
        f"FROM participations a JOIN miska m ON m.participant_id = a.participant_id GROUP BY a.participant_id), "
        f"results AS (SELECT o.participant_id, {outcomes} FROM outcomes o "
        f"JOIN miska m ON m.participant_id = o.participant_id GROUP BY o.participant_id), "
        f"rounds AS (SELECT s.participant_id, {pivot} FROM reintegration_surveys s "
        f"JOIN miska m ON m.participant_id = s.participant_id GROUP BY s.participant_id "
        f"HAVING count(DISTINCT s.round) = 2) "
        f"SELECT {', '.join(f'p.{c}' for c in _ATTRIBUTES)}, {age_class_sql('p.age')} AS age, "
        f"{', '.join(f'coalesce(k.{c}, 0) AS {c}' for c in _MASKS)}, "
        f"{', '.join(f'coalesce(o.{stage}, 0) AS {stage}' for stage in OUTCOME_STAGES)}, "
        f"r.participant_id IS NOT NULL AS surveyed, {scores} "
        f"FROM miska p LEFT JOIN acts k ON k.participant_id = p.participant_id "
        f"LEFT JOIN results o ON o.participant_id = p.participant_id "
        f"LEFT JOIN rounds r ON r.participant_id = p.participant_id "
        f"WHERE k.participant_id IS NOT NULL OR o.participant_id IS NOT NULL"
    )
    return MiskaFacts(con.sql(query).to_arrow_table(), first, bits)


def _last_day(start: str, end: str) -> str:
    """SQL of an event's last day: an end before the start is read as the start."""
    return f"greatest({start}, {end})"


def _span_mask_sql(start: str, end: str, first: dt.date) -> str:
    """SQL of the quarter mask of events from `start` to `end`."""
    return person_facts.span_mask_sql(start, _last_day(start, end), first, UNIT)


def answers(filters: Filters) -> bool:
    """Whether the facts give the page's figures exactly (a period of whole quarters, no component filter)."""
    return person_facts.answers(filters, ())


def _cohort(facts: MiskaFacts, filters: Filters) -> tuple[str, list[object]]:
    """The cohort from the facts: the direct cohort's columns plus each stage as a boolean."""
    condition = participant_condition(filters, extra_programmes=(PROGRAMME,))
    period = person_facts.period_mask(facts.first, facts.bits, UNIT, filters)
    hit = lambda column: f"(p.{column} & {period}) != 0"  # noqa: E731
    stages = [f"{hit(f'took_{c}')} AS {c}" for c in MISKA_COMPONENTS]
    stages.append(f"({hit('done')} AND NOT {hit('not_done')}) AS completed")
    stages += [f"{hit(stage)} AS {stage}" for stage in OUTCOME_STAGES]
    query = (
        f"SELECT p.sex, {age_group_sql('p.age', filters.bracket_set)} AS age_group, p.ethnicity, p.migration_profile, "
        f"p.country, p.department_code, p.municipality_code, {', '.join(stages)}, p.surveyed, "
        f"{', '.join(f'p.{d}_{r}' for r in ROUNDS for d in DIMENSIONS)} "
        f"FROM {VIEW} p WHERE {hit('active')} AND {condition.sql()}"
    )
    return query, list(condition.params)


def survey_query(facts: MiskaFacts, filters: Filters, weights: dict[str, float]) -> tuple[str, list[object]]:
    """The rows of `indicators.reintegration.survey_query`, from the facts (register them as VIEW)."""
    cohort, params = _cohort(facts, filters)
    summary, weight_params = survey_summary_sql("surveyed_people", weights)
    query = f"WITH cohort AS ({cohort}), surveyed_people AS (SELECT * FROM cohort WHERE surveyed), {summary}"
    return query, [*params, *weight_params]
