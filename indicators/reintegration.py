"""The MISKA reintegration figures, defined once: cohort, funnel stages, outcomes by group, reintegration
scores, the cells they publish (one `CellTable`) and the Wilson interval of every rate shown.

Definitions (the page's "Definiciones" expander says the same in words):
- enrolled (cohort): MISKA participants (programme miska_reintegration) with a participation overlapping
  the period, under the filters; the same people as the registry's `miska_participants`;
- took part in component X: cohort people with a participation in X overlapping the period;
- completed: cohort people who took part in at least one MISKA component during the period and
  completed every MISKA component they took part in during the period;
- employed / enterprise started / enterprise consolidated: cohort people with such an outcome dated in the
  period; "enterprise" is started or consolidated (one per person); rates are stage / enrolled;
- scores: cohort people with both a baseline and a follow-up survey; composite = weighted sum of the
  economic, social and psychosocial scores (programme-defined weights, `settings.reintegration_weights`);
  improved = composite at follow-up above composite at baseline.

SQL builders return (query, params) for the store; everything else is pure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from data_loaders.schemas import ETHNICITIES, MIGRATION_PROFILES, MISKA_COMPONENTS, SEXES
from indicators.age_groups import age_group_codes, age_group_sql
from indicators.filters import Filters, participant_condition
from privacy.cells import CellTable

PROGRAMME = "miska_reintegration"
COUNTRY = "GTM"
DEPARTMENTS = ("13", "12", "09", "08", "14")  # Huehuetenango, San Marcos, Quetzaltenango, Totonicapán, Quiché
OUTCOME_STAGES = ("employed", "enterprise_started", "enterprise_consolidated", "enterprise")
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
NOT = "not"  # prefix of complement cells (enrolled - stage), never shown but published implicitly


# --- SQL ------------------------------------------------------------------------------------------

def _cohort_sql(filters: Filters) -> tuple[str, list[object]]:
    """The cohort CTE body: one row per enrolled person with the columns of every breakdown."""
    condition = participant_condition(filters, extra_programmes=(PROGRAMME,))
    query = (
        "SELECT p.participant_id, p.sex, " + age_group_sql("p.age", filters.bracket_set) + " AS age_group, "
        "p.ethnicity, p.migration_profile, p.country, p.department_code, p.municipality_code "
        "FROM participants p WHERE " + condition.sql() + " AND EXISTS (SELECT 1 FROM participations a "
        "WHERE a.participant_id = p.participant_id AND a.start_date <= ? AND coalesce(a.end_date, a.start_date) >= ?)"
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


def people_query(filters: Filters) -> tuple[str, list[object]]:
    """Counts of every stage for the total and every breakdown, in one GROUPING SETS query."""
    cohort, params = _cohort_sql(filters)
    components = ", ".join(f"bool_or(a.component = '{c}') AS {c}" for c in MISKA_COMPONENTS)
    miska = ", ".join(f"'{c}'" for c in MISKA_COMPONENTS)
    flags = ", ".join(f"coalesce(k.{c}, FALSE) AS {c}" for c in MISKA_COMPONENTS)
    outcomes = ", ".join(f"coalesce(r.{s}, FALSE) AS {s}" for s in OUTCOME_STAGES)
    sets = ", ".join("(" + ", ".join(keys) + ")" for keys in PEOPLE_SETS.values())
    counts = ", ".join(f"count_if({s}) AS {s}" for s in STAGES[1:])
    query = (
        f"WITH cohort AS ({cohort}), "
        f"took AS (SELECT a.participant_id, {components}, bool_and(a.completed) AS completed "
        f"FROM participations a JOIN cohort c ON c.participant_id = a.participant_id "
        f"WHERE a.component IN ({miska}) AND a.start_date <= ? AND coalesce(a.end_date, a.start_date) >= ? "
        f"GROUP BY a.participant_id), "
        f"results AS (SELECT o.participant_id, bool_or(o.outcome = 'employment') AS employed, "
        f"bool_or(o.outcome = 'enterprise_started') AS enterprise_started, "
        f"bool_or(o.outcome = 'enterprise_consolidated') AS enterprise_consolidated, "
        f"bool_or(o.outcome IN ('enterprise_started', 'enterprise_consolidated')) AS enterprise "
        f"FROM outcomes o JOIN cohort c ON c.participant_id = o.participant_id "
        f"WHERE o.date >= ? AND o.date <= ? GROUP BY o.participant_id), "
        f"flags AS (SELECT c.*, {flags}, coalesce(k.completed, FALSE) AS completed, {outcomes} "
        f"FROM cohort c LEFT JOIN took k ON k.participant_id = c.participant_id "
        f"LEFT JOIN results r ON r.participant_id = c.participant_id) "
        f"SELECT GROUPING({', '.join(PEOPLE_COLUMNS)}) AS grouping_id, {', '.join(PEOPLE_COLUMNS)}, "
        f"count(*) AS enrolled, {counts} FROM flags GROUP BY GROUPING SETS ({sets})"
    )
    return query, [*params, filters.end, filters.start, filters.start, filters.end]


SURVEY_SETS = {"total": (), "sex": ("sex",), "age_group": ("age_group",)}
SURVEY_MASKS = _grouping_masks(("sex", "age_group"), SURVEY_SETS)


def survey_query(filters: Filters, weights: dict[str, float]) -> tuple[str, list[object]]:
    """People with both survey rounds, those whose composite improved, and mean scores, by group."""
    cohort, params = _cohort_sql(filters)
    pivot = ", ".join(f"max({d}) FILTER (WHERE s.round = '{r}') AS {d}_{r}" for r in ROUNDS for d in DIMENSIONS)
    composite = ", ".join(
        "(" + " + ".join(f"? * {d}_{r}" for d in DIMENSIONS) + f") AS composite_{r}" for r in ROUNDS)
    means = ", ".join(f"avg({s}_{r}) AS {s}_{r}" for s in SCORES for r in ROUNDS)
    query = (
        f"WITH cohort AS ({cohort}), "
        f"rounds AS (SELECT c.participant_id, c.sex, c.age_group, {pivot} FROM reintegration_surveys s "
        f"JOIN cohort c ON c.participant_id = s.participant_id GROUP BY c.participant_id, c.sex, c.age_group "
        f"HAVING count(DISTINCT s.round) = 2), "
        f"scored AS (SELECT *, {composite} FROM rounds) "
        f"SELECT GROUPING(sex, age_group) AS grouping_id, sex, age_group, count(*) AS surveyed, "
        f"count_if(round(composite_follow_up - composite_baseline, 9) > 0) AS improved, {means} "
        f"FROM scored GROUP BY GROUPING SETS ({', '.join('(' + ', '.join(k) + ')' for k in SURVEY_SETS.values())})"
    )
    weight_params = [weights[d] for _ in ROUNDS for d in DIMENSIONS]
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


# --- the published cells --------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """What a view publishes: the measures of each breakdown and whether survey groups are shown.

    Protection first tries the full plan; when it would hide a headline total that the totals
    alone do not force, the store falls back to the next plan of `PLANS` (fewer breakdown
    figures), so the funnel is never sacrificed to a municipality detail.
    """

    measures: tuple[tuple[str, tuple[str, ...]], ...]
    survey_groups: bool = True

    def of(self, breakdown: str) -> tuple[str, ...]:
        return dict(self.measures).get(breakdown, ())


_ALL, _PEOPLE = MEASURES, ("enrolled",)
PLANS = (
    Plan((("sex_age", _ALL), ("ethnicity", _ALL), ("migration_profile", _ALL), ("municipality", _ALL))),
    Plan((("sex_age", _ALL), ("ethnicity", _ALL), ("migration_profile", _ALL), ("municipality", _PEOPLE))),
    Plan((("sex_age", _ALL), ("ethnicity", _PEOPLE), ("migration_profile", _PEOPLE), ("municipality", _PEOPLE))),
    Plan((("sex_age", _PEOPLE), ("ethnicity", _PEOPLE), ("migration_profile", _PEOPLE), ("municipality", _PEOPLE))),
    Plan((("sex_age", _PEOPLE), ("ethnicity", _PEOPLE), ("migration_profile", _PEOPLE), ("municipality", _PEOPLE)),
         survey_groups=False),
    Plan((), survey_groups=False),
)
# Totals the page leads with: kept published whenever the totals alone allow it.
PRIORITY = tuple((stage, "total", ()) for stage in (*STAGES, "surveyed"))


def cell(measure: str, breakdown: str = "total", key: tuple = ()) -> tuple:
    """Id of a published figure: (measure, breakdown, key)."""
    return (measure, breakdown, tuple(key))


def _keys(frame: pd.DataFrame, breakdown: str) -> list[tuple]:
    columns = BREAKDOWNS[breakdown]
    return list(zip(*(frame[c].tolist() for c in columns)))


def single_group(frame: pd.DataFrame) -> bool:
    """Whether at most one group of a breakdown has anyone (its figures are then the totals themselves)."""
    return int((frame["enrolled"] > 0).sum()) <= 1


def cell_table(people: dict[str, pd.DataFrame], survey: pd.DataFrame, plan: Plan = PLANS[0]) -> CellTable:
    """Every count the view publishes about people, and every relation between them.

    A rate shown beside its denominator reveals the complement (enrolled - stage), and so do
    the two counts shown side by side: each stage shown for a group adds a complement cell with
    enrolled = stage + complement. A breakdown with a single group repeats the totals and adds
    no cell of its own (see `publish`).
    """
    values: dict[Hashable, int] = {}
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []
    total = people["total"].iloc[0]
    for stage in STAGES:
        values[cell(stage)] = int(total[stage])
    for stage in STAGES[1:]:
        values[cell(f"{NOT}:{stage}")] = int(total["enrolled"]) - int(total[stage])
        relations.append((cell("enrolled"), (cell(stage), cell(f"{NOT}:{stage}"))))
    for breakdown in BREAKDOWNS:
        frame, measures = people[breakdown], plan.of(breakdown)
        if not measures or single_group(frame):
            continue
        keys = _keys(frame, breakdown)
        for key, row in zip(keys, frame.itertuples(index=False)):
            for measure in measures:
                values[cell(measure, breakdown, key)] = int(getattr(row, measure))
            for stage in (m for m in measures if m in RATES):
                values[cell(f"{NOT}:{stage}", breakdown, key)] = int(row.enrolled) - int(getattr(row, stage))
                relations.append((cell("enrolled", breakdown, key),
                                  (cell(stage, breakdown, key), cell(f"{NOT}:{stage}", breakdown, key))))
        relations += [(cell(m), tuple(cell(m, breakdown, k) for k in keys)) for m in measures]
    _survey_cells(survey, plan, values, relations)
    return CellTable(values, relations)


def _survey_single(survey: pd.DataFrame, group_by: str) -> bool:
    """Whether at most one group (by sex or by age group) has anyone surveyed: its figures are the totals."""
    return int((survey.loc[survey["group_by"] == group_by, "surveyed"] > 0).sum()) <= 1


def _survey_cells(survey: pd.DataFrame, plan: Plan, values: dict, relations: list) -> None:
    """People with both surveys and those who improved: improved + not improved = surveyed, surveyed + not
    surveyed = enrolled (total), and the groups by sex and by age group adding up to the totals."""
    shown = ["total"] + [g for g in ("sex", "age_group") if plan.survey_groups and not _survey_single(survey, g)]
    groups: dict[str, list[tuple]] = {}
    for row in survey[survey["group_by"].isin(shown)].itertuples(index=False):
        key = () if row.group_by == "total" else (row.group,)
        groups.setdefault(row.group_by, []).append(key)
        values[cell("surveyed", row.group_by, key)] = row.surveyed
        values[cell("improved", row.group_by, key)] = row.improved
        values[cell(f"{NOT}:improved", row.group_by, key)] = row.surveyed - row.improved
        relations.append((cell("surveyed", row.group_by, key),
                          (cell("improved", row.group_by, key), cell(f"{NOT}:improved", row.group_by, key))))
    values[cell(f"{NOT}:surveyed")] = values[cell("enrolled")] - values[cell("surveyed")]
    relations.append((cell("enrolled"), (cell("surveyed"), cell(f"{NOT}:surveyed"))))
    for breakdown in shown[1:]:
        for measure in ("surveyed", "improved"):
            relations.append((cell(measure), tuple(cell(measure, breakdown, k) for k in groups[breakdown])))


# --- what the page shows -------------------------------------------------------------------------

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


def _shown(table: CellTable, suppressed: set, cell_id: Hashable) -> object:
    if cell_id not in table.values:
        return pd.NA
    return pd.NA if cell_id in suppressed else table.values[cell_id]


def _with_rates(frame: pd.DataFrame, numerators: Sequence[str], denominator: str, k: int) -> pd.DataFrame:
    out = frame.copy()
    for stage in numerators:
        rates = [rate_of(n, d, k) for n, d in zip(out[stage], out[denominator])]
        for part, suffix in (("value", "rate"), ("low", "low"), ("high", "high")):
            out[f"{stage}_{suffix}"] = pd.array([getattr(r, part) for r in rates], dtype="Float64")
    return out


def _breakdown_cell(frame: pd.DataFrame, breakdown: str, measure: str, key: tuple, row) -> tuple | int:
    """The cell a breakdown figure is published as: its own, the total's (single group), or a known zero."""
    if not single_group(frame):
        return cell(measure, breakdown, key)
    return cell(measure) if int(row.enrolled) > 0 else 0


def publish(table: CellTable, suppressed: set, people: dict[str, pd.DataFrame], survey: pd.DataFrame,
            plan: Plan, filters: Filters, k: int, weights: dict[str, float]) -> ReintegrationFigures:
    """The protected figures: counts <NA> where suppressed; rates, intervals and means only where shown."""
    funnel = pd.DataFrame({"stage": list(STAGES)})
    funnel["value"] = pd.array([_shown(table, suppressed, cell(s)) for s in STAGES], dtype="Int64")
    enrolled = funnel["value"].iloc[0]
    rates = [rate_of(v, enrolled, k) if s != "enrolled" else Rate(None, None, None)
             for s, v in zip(STAGES, funnel["value"])]
    for part, column in (("value", "rate"), ("low", "low"), ("high", "high")):
        funnel[column] = pd.array([getattr(r, part) for r in rates], dtype="Float64")
    breakdowns = {}
    for breakdown in BREAKDOWNS:
        frame = people[breakdown]
        out = frame[list(BREAKDOWNS[breakdown])].copy()
        for measure in MEASURES:
            shown = []
            for key, row in zip(_keys(frame, breakdown), frame.itertuples(index=False)):
                source = _breakdown_cell(frame, breakdown, measure, key, row)
                shown.append(pd.NA if measure not in plan.of(breakdown) else
                             source if isinstance(source, int) else _shown(table, suppressed, source))
            out[measure] = pd.array(shown, dtype="Int64")
        breakdowns[breakdown] = _with_rates(out, RATES, "enrolled", k)
    return ReintegrationFigures(filters.start, filters.end, k, dict(weights), plan, funnel, breakdowns,
                                _published_survey(table, suppressed, survey, k))


def _published_survey(table: CellTable, suppressed: set, survey: pd.DataFrame, k: int) -> pd.DataFrame:
    out = survey[["group_by", "group"]].copy()
    for measure in ("surveyed", "improved"):
        shown = []
        for row in survey.itertuples(index=False):
            own = cell(measure) if row.group_by == "total" else cell(measure, row.group_by, (row.group,))
            if own not in table.values and row.group_by != "total" and _survey_single(survey, row.group_by):
                own = cell(measure) if row.surveyed > 0 else None  # the one group with anyone is the total
            shown.append(0 if own is None else _shown(table, suppressed, own))
        out[measure] = pd.array(shown, dtype="Int64")
    out = _with_rates(out, ("improved",), "surveyed", k)
    visible = [not pd.isna(n) and int(n) >= k for n in out["surveyed"]]
    for column in (f"{s}_{r}" for s in SCORES for r in ROUNDS):
        out[column] = pd.array([v if ok else None for v, ok in zip(survey[column], visible)], dtype="Float64")
    return out


# --- territory, policies, organisations, summary ------------------------------------------------

def territorial_map_link(country: str, department_code: str, municipality_code: str, lang: str) -> str:
    """Relative link to the territorial map drilled into the department with the municipality selected."""
    from indicators.map_views import MapView, view_to_query

    view = MapView(indicator="miska_participants", country=country, level="municipality",
                   department=department_code, selected=municipality_code)
    query = {**view_to_query(view), "lang": lang}
    return "territorial_map?" + "&".join(f"{key}={value}" for key, value in query.items())


def my_municipality_link(country: str, municipality_code: str, lang: str) -> str:
    """Relative link to My municipality for one municipality (the page's shareable link form)."""
    return f"my_municipality?municipio={municipality_code}&pais={country}&lang={lang}"


def with_names(frame: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Municipality rows with their name and department name (empty when the code is not in the catalogue)."""
    names = units[units["level"] == "municipality"].set_index(["country", "code"])
    pairs = list(zip(frame["country"], frame["municipality_code"]))
    lookup = lambda column: [names[column].get(pair, "") for pair in pairs]  # noqa: E731
    return frame.assign(name=lookup("name"), department_name=lookup("department_name"))


def ranked(frame: pd.DataFrame, column: str = "enrolled") -> pd.DataFrame:
    """Rows by `column`, largest first; protected values (<NA>) last, in code order."""
    order = frame.assign(_v=frame[column].astype("Float64").fillna(-1))
    return order.sort_values(["_v", "municipality_code"], ascending=[False, True], kind="stable") \
        .drop(columns="_v").reset_index(drop=True)


def policy_segments(policies: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """One row per (policy, status) with the period the status lasted: from its date to the next status
    date of the same policy, the last one to `until` (or its own date if later)."""
    columns = ["country", "municipality_code", "policy_name", "status", "start", "end"]
    if policies.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (country, code, name), steps in policies.sort_values("status_date").groupby(
            ["country", "municipality_code", "policy_name"], sort=False):
        dates = [pd.Timestamp(d).date() for d in steps["status_date"]]
        ends = dates[1:] + [max(until, dates[-1])]
        rows += [(country, code, name, status, start, end)
                 for status, start, end in zip(steps["status"], dates, ends)]
    out = pd.DataFrame(rows, columns=columns)
    first = out.groupby("policy_name")["start"].transform("min")
    return out.assign(_first=first).sort_values(["_first", "policy_name", "start"]).drop(columns="_first") \
        .reset_index(drop=True)


def latest_status(segments: pd.DataFrame) -> pd.DataFrame:
    """The status each policy holds last (from `policy_segments`)."""
    return segments.groupby("policy_name", sort=False).tail(1).reset_index(drop=True)


def organisation_rows(organisations: pd.DataFrame) -> pd.DataFrame:
    """Base organisations: name, seat, members, capacity at baseline and follow-up and its change."""
    out = organisations[["name", "country", "municipality_code", "members", "capacity_baseline",
                         "capacity_follow_up"]].copy()
    out["change"] = out["capacity_follow_up"] - out["capacity_baseline"]
    return out.sort_values("capacity_follow_up", ascending=False, kind="stable").reset_index(drop=True)


def _count_clause(key: str, value: object, lang: str, zero_key: str | None = None) -> str:
    """`key` with the count, its '.protected' form naming no number, or its '.none' form for zero."""
    from i18n import format_number, translate

    if pd.isna(value):
        return translate(f"{key}.protected", lang)
    if int(value) == 0:
        return translate(zero_key or f"{key}.none", lang)
    return translate(key, lang, count=format_number(int(value), lang))


def summary_sentence(figures: ReintegrationFigures, lang: str) -> str:
    """One plain sentence of the view: participants, jobs and enterprises; protected figures named, never bounded."""
    from i18n import translate

    start, end = figures.start.year, figures.end.year
    period = translate("reintegration.summary.period", lang, start=start, end=end) if start != end else \
        translate("reintegration.summary.year", lang, year=start)
    enrolled = figures.total("enrolled")
    if not pd.isna(enrolled) and int(enrolled) == 0:
        return translate("reintegration.summary.nobody", lang, period=period)
    first = _count_clause("reintegration.summary.enrolled", enrolled, lang)
    employed = _count_clause("reintegration.summary.employed", figures.total("employed"), lang)
    enterprise = _count_clause("reintegration.summary.enterprise", figures.total("enterprise"), lang)
    return translate("reintegration.summary", lang, period=period, enrolled=first, employed=employed,
                     enterprise=enterprise)
