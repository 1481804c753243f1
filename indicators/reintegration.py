"""The MISKA reintegration figures, defined once: cohort, funnel stages, outcomes by group, reintegration
scores, and the Wilson interval of every rate shown.

Definitions (the page's "Definiciones" expander says the same in words):
- enrolled (cohort): MISKA participants (programme miska_reintegration) with a participation overlapping
  the period, under the filters; the same people as the registry's `miska_participants`;
- took part in component X: cohort people with a participation in X overlapping the period;
- completed: cohort people who took part in at least one MISKA component during the period and
  completed every MISKA component they took part in during the period;
- employed / enterprise started / enterprise consolidated / enterprise: cohort people with an outcome of
  the stage's set (`registry.OUTCOME_SETS`; "enterprise" is started or consolidated) dated in the period,
  one per person; rates are stage / enrolled;
- scores: cohort people with both a baseline and a follow-up survey; composite = weighted sum of the
  economic, social and psychosocial scores (programme-defined weights, `settings.reintegration_weights`);
  improved = composite at follow-up above composite at baseline.

SQL builders return (query, params) for the store; everything else is pure. The cells these figures are
published as, the plans and the publication itself are in `indicators.reintegration_cells`; what the page
lists and says about them in `indicators.reintegration_views`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from data_loaders.schemas import ETHNICITIES, MIGRATION_PROFILES, MISKA_COMPONENTS, SEXES
from indicators.age_groups import age_group_codes, age_group_sql
from indicators.filters import Filters, participant_condition
from indicators.registry import OUTCOME_SETS, OUTCOMES, event_dates_sql, events_sql, get_indicator, outcome_in_sql

if TYPE_CHECKING:
    from indicators.reintegration_cells import Plan

# The cohort is the registry's MISKA participants: the same people, the same qualifying events.
COHORT = get_indicator("miska_participants")
PROGRAMME = COHORT.programmes[0]
COUNTRY = "GTM"
DEPARTMENTS = ("13", "12", "09", "08", "14")  # Huehuetenango, San Marcos, Quetzaltenango, Totonicapán, Quiché
OUTCOME_STAGES = tuple(OUTCOME_SETS)  # a cohort person with an outcome of the stage's set dated in the period
STAGES = ("enrolled", *MISKA_COMPONENTS, "completed", *OUTCOME_STAGES)
MEASURES = ("enrolled", "employed", "enterprise")  # what every breakdown publishes
RATES = ("employed", "enterprise")
# Breakdown name -> key columns; each is a partition of the cohort, so it adds up to the stage totals.
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "sex_age": ("sex", "age_group"),
    "ethnicity": ("ethnicity",),
    "migration_profile": ("migration_profile",),
    "municipality": ("country", "department_code", "municipality_code"),
}
SURVEY_GROUPS = ("total", "sex", "age_group")
DIMENSIONS = ("economic", "social", "psychosocial")
SCORES = (*DIMENSIONS, "composite")
ROUNDS = ("baseline", "follow_up")
Z95 = 1.959963984540054


# --- SQL ------------------------------------------------------------------------------------------

def _cohort_sql(filters: Filters) -> tuple[str, list[object]]:
    """The cohort CTE body: one row per enrolled person with the columns of every breakdown."""
    condition = participant_condition(filters, extra_programmes=COHORT.programmes)
    query = (
        "SELECT p.participant_id, p.sex, " + age_group_sql("p.age", filters.bracket_set) + " AS age_group, "
        "p.ethnicity, p.migration_profile, p.country, p.department_code, p.municipality_code "
        "FROM participants p WHERE " + condition.sql() + f" AND EXISTS (SELECT 1 FROM ({events_sql(COHORT.events)}) e "
        "WHERE e.participant_id = p.participant_id AND e.event_start <= ? AND e.event_end >= ?)"
    )
    return query, [*condition.params, filters.end, filters.start]


def _grouping_masks(columns: Sequence[str], sets: dict[str, tuple[str, ...]]) -> dict[int, str]:
    """GROUPING(columns) value of each grouping set (a bit is set for every column summed over)."""
    n = len(columns)
    return {sum(1 << (n - 1 - i) for i, c in enumerate(columns) if c not in keys): name for name, keys in sets.items()}


PEOPLE_COLUMNS = ("sex", "age_group", "ethnicity", "migration_profile", "country", "department_code",
                  "municipality_code")
PEOPLE_SETS = {"total": (), **BREAKDOWNS}
PEOPLE_MASKS = _grouping_masks(PEOPLE_COLUMNS, PEOPLE_SETS)


def people_summary_sql(flags: str) -> str:
    """Every stage's count for the total and every breakdown of `flags` (one row per enrolled person
    with the breakdown columns and a boolean per stage), in one GROUPING SETS query."""
    sets = ", ".join("(" + ", ".join(keys) + ")" for keys in PEOPLE_SETS.values())
    counts = ", ".join(f"count_if({s}) AS {s}" for s in STAGES[1:])
    return (f"SELECT GROUPING({', '.join(PEOPLE_COLUMNS)}) AS grouping_id, {', '.join(PEOPLE_COLUMNS)}, "
            f"count(*) AS enrolled, {counts} FROM {flags} GROUP BY GROUPING SETS ({sets})")


def people_query(filters: Filters) -> tuple[str, list[object]]:
    """Counts of every stage for the total and every breakdown, in one GROUPING SETS query."""
    cohort, params = _cohort_sql(filters)
    components = ", ".join(f"bool_or(a.component = '{c}') AS {c}" for c in MISKA_COMPONENTS)
    miska = ", ".join(f"'{c}'" for c in MISKA_COMPONENTS)
    flags = ", ".join(f"coalesce(k.{c}, FALSE) AS {c}" for c in MISKA_COMPONENTS)
    outcomes = ", ".join(f"coalesce(r.{s}, FALSE) AS {s}" for s in OUTCOME_STAGES)
    results = ", ".join(f"bool_or({outcome_in_sql(s, 'o.outcome')}) AS {s}" for s in OUTCOME_STAGES)
    took_start, took_end = event_dates_sql(COHORT.events, "a")
    outcome_start, outcome_end = event_dates_sql(OUTCOMES, "o")
    query = (
        f"WITH cohort AS ({cohort}), "
        f"took AS (SELECT a.participant_id, {components}, bool_and(a.completed) AS completed "
        f"FROM participations a JOIN cohort c ON c.participant_id = a.participant_id "
        f"WHERE a.component IN ({miska}) AND {took_start} <= ? AND {took_end} >= ? "
        f"GROUP BY a.participant_id), "
        f"results AS (SELECT o.participant_id, {results} "
        f"FROM outcomes o JOIN cohort c ON c.participant_id = o.participant_id "
        f"WHERE {outcome_start} <= ? AND {outcome_end} >= ? GROUP BY o.participant_id), "
        f"flags AS (SELECT c.*, {flags}, coalesce(k.completed, FALSE) AS completed, {outcomes} "
        f"FROM cohort c LEFT JOIN took k ON k.participant_id = c.participant_id "
        f"LEFT JOIN results r ON r.participant_id = c.participant_id) {people_summary_sql('flags')}"
    )
    return query, [*params, filters.end, filters.start, filters.end, filters.start]


SURVEY_SETS = {"total": (), "sex": ("sex",), "age_group": ("age_group",)}
SURVEY_MASKS = _grouping_masks(("sex", "age_group"), SURVEY_SETS)


def survey_summary_sql(people: str, weights: dict[str, float]) -> tuple[str, list[object]]:
    """The summary by group of `people` (a relation with sex, age_group and every <dimension>_<round>
    score, one row per person with both rounds), as the end of a WITH query, and its parameters."""
    composite = ", ".join(
        "(" + " + ".join(f"? * {d}_{r}" for d in DIMENSIONS) + f") AS composite_{r}" for r in ROUNDS)
    means = ", ".join(f"avg({s}_{r}) AS {s}_{r}" for s in SCORES for r in ROUNDS)
    query = (
        f"scored AS (SELECT *, {composite} FROM {people}) "
        f"SELECT GROUPING(sex, age_group) AS grouping_id, sex, age_group, count(*) AS surveyed, "
        f"count_if(round(composite_follow_up - composite_baseline, 9) > 0) AS improved, {means} "
        f"FROM scored GROUP BY GROUPING SETS ({', '.join('(' + ', '.join(k) + ')' for k in SURVEY_SETS.values())})"
    )
    return query, [weights[d] for _ in ROUNDS for d in DIMENSIONS]


def survey_query(filters: Filters, weights: dict[str, float]) -> tuple[str, list[object]]:
    """People with both survey rounds, those whose composite improved, and mean scores, by group."""
    cohort, params = _cohort_sql(filters)
    pivot = ", ".join(f"max({d}) FILTER (WHERE s.round = '{r}') AS {d}_{r}" for r in ROUNDS for d in DIMENSIONS)
    summary, weight_params = survey_summary_sql("rounds", weights)
    query = (
        f"WITH cohort AS ({cohort}), "
        f"rounds AS (SELECT c.participant_id, c.sex, c.age_group, {pivot} FROM reintegration_surveys s "
        f"JOIN cohort c ON c.participant_id = s.participant_id GROUP BY c.participant_id, c.sex, c.age_group "
        f"HAVING count(DISTINCT s.round) = 2), {summary}"
    )
    return query, [*params, *weight_params]


# --- raw counts into breakdown frames ---------------------------------------------------------------

def categories(filters: Filters, dimension: str) -> list[str]:
    """Categories of a closed breakdown shown even at zero (restricted to what the filters keep)."""
    chosen = {"sex": filters.sexes, "age_group": filters.age_groups}[dimension]
    values = SEXES if dimension == "sex" else age_group_codes(filters.bracket_set)
    return [v for v in values if not chosen or v in chosen]


def _complete(frame: pd.DataFrame, keys: tuple[str, ...], grid: list[tuple], counts: Sequence[str]) -> pd.DataFrame:
    """`frame` with a zero row for every key of `grid` it lacks, in grid order."""
    index = pd.MultiIndex.from_tuples(grid, names=list(keys)) if len(keys) > 1 else pd.Index(
        [g[0] for g in grid], name=keys[0])
    out = frame.set_index(list(keys))[list(counts)].reindex(index).fillna(0).astype("int64").reset_index()
    return out


def _order(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    rank = {v: i for i, v in enumerate(order)}
    return frame.assign(_rank=frame[column].map(lambda v: rank.get(v, len(rank)))).sort_values(
        ["_rank", column], kind="stable").drop(columns="_rank").reset_index(drop=True)


def split_people(raw: pd.DataFrame, filters: Filters) -> dict[str, pd.DataFrame]:
    """The GROUPING SETS rows as one frame per breakdown ("total" has one row), zero rows completed."""
    counts = list(STAGES)
    named = raw.assign(breakdown=raw["grouping_id"].map(PEOPLE_MASKS))
    frames: dict[str, pd.DataFrame] = {}
    for name, keys in PEOPLE_SETS.items():
        rows = named[named["breakdown"] == name][[*keys, *counts]].reset_index(drop=True)
        frames[name] = rows
    if frames["total"].empty:
        frames["total"] = pd.DataFrame([{c: 0 for c in counts}])
    sexes, ages = categories(filters, "sex"), categories(filters, "age_group")
    grid = [(s, a) for s in sexes for a in ages]
    frames["sex_age"] = _complete(frames["sex_age"], ("sex", "age_group"), grid, counts)
    frames["ethnicity"] = _order(frames["ethnicity"], "ethnicity", ETHNICITIES)
    frames["migration_profile"] = _order(frames["migration_profile"], "migration_profile", MIGRATION_PROFILES)
    frames["municipality"] = frames["municipality"].sort_values("municipality_code").reset_index(drop=True)
    for frame in frames.values():
        frame[counts] = frame[counts].astype("int64")
    return frames


def split_survey(raw: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Survey rows as (group_by, group, surveyed, improved, <score>_<round>...), every sex and age group present."""
    named = raw.assign(group_by=raw["grouping_id"].map(SURVEY_MASKS))
    means = [f"{s}_{r}" for s in SCORES for r in ROUNDS]
    rows = []
    wanted = [("total", "total")] + [("sex", s) for s in categories(filters, "sex")] + \
             [("age_group", a) for a in categories(filters, "age_group")]
    for group_by, group in wanted:
        match = named[named["group_by"] == group_by]
        if group_by != "total":
            match = match[match[group_by] == group]
        row = match.iloc[0] if not match.empty else None
        rows.append({"group_by": group_by, "group": group,
                     "surveyed": 0 if row is None else int(row["surveyed"]),
                     "improved": 0 if row is None else int(row["improved"]),
                     **{m: (math.nan if row is None or pd.isna(row[m]) else float(row[m])) for m in means}})
    return pd.DataFrame(rows)


# --- rates and the published figures -------------------------------------------------------------

def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion successes / n (95 % by default); (nan, nan) when n is 0."""
    if n <= 0:
        return (math.nan, math.nan)
    if not 0 <= successes <= n:
        raise ValueError(f"successes={successes} outside 0..{n}")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Rate:
    """A published rate and its 95 % Wilson interval; None everywhere when it cannot be shown."""

    value: float | None
    low: float | None
    high: float | None


def rate_of(numerator: object, denominator: object, k: int) -> Rate:
    """numerator / denominator with its Wilson interval, only when both counts are published and the
    denominator is at least k."""
    if pd.isna(numerator) or pd.isna(denominator) or int(denominator) < k:
        return Rate(None, None, None)
    low, high = wilson_interval(int(numerator), int(denominator))
    return Rate(int(numerator) / int(denominator), low, high)


@dataclass(frozen=True)
class ReintegrationFigures:
    """Everything the page publishes about people, already protected (<NA> where suppressed or withheld)."""

    start: dt.date
    end: dt.date
    k: int
    weights: dict[str, float]
    plan: Plan
    funnel: pd.DataFrame  # stage, value, rate, low, high
    breakdowns: dict[str, pd.DataFrame]  # keys..., enrolled, employed, enterprise, <stage>_rate/_low/_high
    survey: pd.DataFrame  # group_by, group, surveyed, improved, improved_rate/_low/_high, <score>_<round>

    def total(self, stage: str) -> object:
        return self.funnel.set_index("stage").at[stage, "value"]

    def rate(self, stage: str) -> Rate:
        row = self.funnel.set_index("stage").loc[stage]
        return Rate(*(None if pd.isna(row[c]) else float(row[c]) for c in ("rate", "low", "high")))

    def withheld(self, breakdown: str) -> tuple[str, ...]:
        """Measures of a breakdown not published under these filters (to keep the totals published)."""
        return tuple(m for m in MEASURES if m not in self.plan.of(breakdown))

