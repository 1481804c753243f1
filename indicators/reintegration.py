"""The MISKA reintegration figures, defined once: cohort, funnel stages, outcomes by group, reintegration
scores, and the Wilson interval of every rate shown.

Definitions (the page's "Definiciones" expander says the same in words):
- enrolled (cohort): MISKA participants (programme miska_reintegration) with a participation overlapping
  the period; the same people as the registry's `miska_participants`;
- took part in component X: cohort people with a participation in X overlapping the period;
- completed: cohort people who took part in at least one MISKA component during the period and
  completed every MISKA component they took part in during the period;
- employed / enterprise started / enterprise consolidated / enterprise: MISKA participants with an
  outcome of the stage's set (`registry.OUTCOME_SETS`; "enterprise" is started or consolidated) dated in
  the period, one per person: the registry's `miska_employed` and `miska_enterprises`, the same figure on
  every page (an outcome may follow the participation, so in a period it can count people the cohort
  does not); rates are stage / enrolled, shown only when the stage is not larger than the cohort;
- scores: cohort people with both a baseline and a follow-up survey; composite = weighted sum of the
  economic, social and psychosocial scores (programme-defined weights, `settings.reintegration_weights`);
  improved = composite at follow-up above composite at baseline.

Every count is a cell of the people family (`publication.miska` builds the stages from the MISKA person
facts, `publication.reintegration` reads what the page may show); the store gives only the mean scores
(`survey_query`). What the page lists and says about them is in `indicators.reintegration_views`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data_loaders.schemas import MISKA_COMPONENTS, SEXES
from i18n import NOT_OFFERED, WITHHELD
from indicators.age_groups import age_group_codes, age_group_sql
from indicators.filters import Filters, participant_condition
from indicators.registry import OUTCOME_SETS, events_sql, get_indicator


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
                     "surveyed": 0 if row is None or pd.isna(row["surveyed"]) else int(row["surveyed"]),
                     "improved": 0 if row is None or pd.isna(row["improved"]) else int(row["improved"]),
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
    if pd.isna(numerator) or pd.isna(denominator) or int(denominator) < k or int(numerator) > int(denominator):
        return Rate(None, None, None)  # (a registry outcome may count people outside the period's participants)
    low, high = wilson_interval(int(numerator), int(denominator))
    return Rate(int(numerator) / int(denominator), low, high)


@dataclass(frozen=True)
class ReintegrationFigures:
    """Everything the page publishes about people, already protected (<NA> where suppressed or withheld)."""

    start: dt.date
    end: dt.date
    k: int
    weights: dict[str, float]
    funnel: pd.DataFrame  # stage, value, rate, low, high
    breakdowns: dict[str, pd.DataFrame]  # keys..., enrolled, employed, enterprise, <stage>_rate/_low/_high
    survey: pd.DataFrame  # group_by, group, surveyed, improved, improved_rate/_low/_high, <score>_<round>

    def total(self, stage: str) -> object:
        return self.funnel.set_index("stage").at[stage, "value"]

    def rate(self, stage: str) -> Rate:
        row = self.funnel.set_index("stage").loc[stage]
        return Rate(*(None if pd.isna(row[c]) else float(row[c]) for c in ("rate", "low", "high")))

    def withheld(self, breakdown: str) -> tuple[str, ...]:
        """Measures of a breakdown withheld as a whole (or not offered) under these filters."""
        frame = self.breakdowns[breakdown]
        return tuple(m for m in MEASURES if len(frame) and _all_withheld(frame[f"{m}_hidden"]))

    @property
    def survey_groups_withheld(self) -> bool:
        """Whether the surveys by sex and by age group are withheld as a whole (or not offered)."""
        groups = self.survey[self.survey["group_by"] != "total"]
        return bool(len(groups)) and _all_withheld(groups["surveyed_hidden"])


def _all_withheld(kinds: pd.Series) -> bool:
    return bool(kinds.isin([WITHHELD, NOT_OFFERED]).all())

