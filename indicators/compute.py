"""Compute any registered indicator from the store, under filters, by any allowed breakdown.

Aggregation runs in DuckDB (GROUP BY over the store); only aggregated rows come back.
Every result passes through `suppression`, so no page can publish a small count.
Result frames: one column per breakdown, then `value` (Int64 counts or Float64 fractions)
and `suppressed`; shares also carry `numerator` and `denominator`.
"""

from __future__ import annotations

import itertools

import duckdb
import pandas as pd

from data_loaders.schemas import ATTENDANCE_AGE_GROUPS, ATTENDANCE_COLUMNS, ATTENDANCE_SEXES, COUNTRIES, \
    MIGRATION_PROFILES, PROGRAMMES, SEXES
from i18n import PROTECTING, SMALL
from indicators.age_groups import BRACKET_SETS, age_group_codes, age_group_sql
from indicators import person_facts
from indicators.filters import Filters, SqlCondition, institutions_of_types_sql, participant_condition
from indicators.person_facts import FactsSource
from indicators.registry import Indicator, events_sql, get_indicator
from indicators.suppression import suppress_counts, suppress_rates


class UnsupportedBreakdownError(ValueError):
    """A breakdown the indicator's definition does not allow."""


def _people_columns(dimension: str, filters: Filters) -> list[tuple[str, str]]:
    """(output column, SQL expression) pairs for one breakdown of a people indicator."""
    territory = {
        "country": [("country", "p.country")],
        "department": [("country", "p.country"), ("department_code", "p.department_code")],
        "municipality": [("country", "p.country"), ("department_code", "p.department_code"),
                         ("municipality_code", "p.municipality_code")],
    }
    if dimension in territory:
        return territory[dimension]
    if dimension == "age_group":
        return [("age_group", age_group_sql("p.age", filters.bracket_set))]
    if dimension in ("quarter", "month"):
        return [(dimension, f"{dimension[0]}.{dimension}_start")]
    if dimension == "institution":
        return [("institution_id", "p.institution_id")]
    return [(dimension, f"p.{dimension}")]


def _attendance_columns(dimension: str) -> list[tuple[str, str]]:
    mapping = {
        "country": [("country", "s.country")],
        "department": [("country", "s.country"), ("department_code", "left(s.municipality_code, 2)")],
        "municipality": [("country", "s.country"), ("department_code", "left(s.municipality_code, 2)"),
                         ("municipality_code", "s.municipality_code")],
        "sex": [("sex", "s.sex")],
        "attendance_age_group": [("attendance_age_group", "s.attendance_age_group")],
        "quarter": [("quarter", "CAST(date_trunc('quarter', s.date) AS DATE)")],
        "month": [("month", "CAST(date_trunc('month', s.date) AS DATE)")],
        "institution": [("institution_id", "s.institution_id")],
        "topic": [("topic", "s.topic")],
        "audience": [("audience", "s.audience")],
    }
    return mapping[dimension]


def _select_list(pairs: list[tuple[str, str]]) -> tuple[list[str], str]:
    unique = dict(pairs)  # keeps first occurrence order, drops repeated country columns
    names = list(unique)
    return names, ", ".join(f"{expression} AS {name}" for name, expression in unique.items())


def check_breakdown(indicator: Indicator, by: tuple[str, ...]) -> None:
    not_allowed = [d for d in by if d not in indicator.disaggregations]
    if not_allowed:
        raise UnsupportedBreakdownError(f"{indicator.id} cannot be broken down by {', '.join(not_allowed)}")


_PERIOD_MONTHS = {"quarter": 3, "month": 1}


def _periods_sql(unit: str) -> str:
    """The quarters or months from the period's start to its end, aliased q or m (two parameters)."""
    months = _PERIOD_MONTHS[unit]
    return (
        f"(SELECT CAST(unnest(generate_series(date_trunc('{unit}', CAST(? AS DATE)), CAST(? AS DATE), "
        f"INTERVAL {months} MONTH)) AS DATE) AS {unit}_start) {unit[0]}"
    )


def _people_counts(con: duckdb.DuckDBPyConnection, indicator: Indicator, filters: Filters,
                   by: tuple[str, ...], extra: SqlCondition | None = None,
                   facts: FactsSource | None = None) -> pd.DataFrame:
    pairs = [pair for dimension in by for pair in _people_columns(dimension, filters)]
    names, select = _select_list(pairs)
    condition = participant_condition(filters, extra_programmes=indicator.programmes)
    if extra:
        condition.add(extra.sql(), *extra.params)
    if facts is not None and person_facts.answers(filters, by):
        built = facts(indicator, person_facts.unit_of(by))
        if built is not None:
            return person_facts.people_counts(con, built, filters, select, names, condition)
    params: list[object] = []
    joins = f"JOIN ({events_sql(indicator.events)}) e ON e.participant_id = p.participant_id"
    period = "e.event_start <= ? AND e.event_end >= ?"
    for unit in (u for u in _PERIOD_MONTHS if u in by):
        alias, months = unit[0], _PERIOD_MONTHS[unit]
        joins += f" JOIN {_periods_sql(unit)} ON e.event_start < {alias}.{unit}_start + INTERVAL {months} MONTH " \
                 f"AND e.event_end >= {alias}.{unit}_start"
        params += [filters.start, filters.end]
    params += [filters.end, filters.start, *condition.params]
    group = f"GROUP BY {', '.join(str(i + 1) for i in range(len(names)))}" if names else ""
    query = (
        f"SELECT {select + ', ' if select else ''}count(DISTINCT p.participant_id) AS value "
        f"FROM participants p {joins} WHERE {period} AND {condition.sql()} {group}"
    )
    return con.execute(query, params).df()


def _attendance_counts(con: duckdb.DuckDBPyConnection, filters: Filters, by: tuple[str, ...]) -> pd.DataFrame:
    pairs = [pair for dimension in by for pair in _attendance_columns(dimension)]
    names, select = _select_list(pairs)
    condition = SqlCondition()
    condition.add("s.date BETWEEN ? AND ?", filters.start, filters.end)
    condition.add_in("s.country", filters.countries)
    condition.add_territories("s.country", "left(s.municipality_code, 2)", filters.departments)
    condition.add_territories("s.country", "s.municipality_code", filters.municipalities)
    condition.add_in("s.sex", tuple(s for s in filters.sexes))
    condition.add_in("s.topic", filters.topics)
    condition.add_in("s.audience", filters.audiences)
    if filters.institution_types:
        condition.add(f"s.institution_id IN ({institutions_of_types_sql(filters.institution_types)})",
                      *filters.institution_types)
    if filters.programmes and "prevention_network" not in filters.programmes:
        condition.add("FALSE")
    cells = " UNION ALL ".join(
        f"SELECT session_id, date, country, municipality_code, institution_id, topic, audience, "
        f"'{sex}' AS sex, '{age}' AS attendance_age_group, \"{sex}_{age}\" AS attendees FROM awareness_sessions"
        for sex in ATTENDANCE_SEXES for age in ATTENDANCE_AGE_GROUPS
    )
    group = f"GROUP BY {', '.join(str(i + 1) for i in range(len(names)))}" if names else ""
    query = (
        f"SELECT {select + ', ' if select else ''}CAST(coalesce(sum(s.attendees), 0) AS BIGINT) AS value "
        f"FROM ({cells}) s WHERE {condition.sql()} {group}"
    )
    return con.execute(query, condition.params).df()


def _categories(dimension: str, indicator: Indicator, filters: Filters) -> list | None:
    """Every category of a breakdown that should appear even with a zero count; None for open lists."""
    restrict = lambda values, chosen: [v for v in values if not chosen or v in chosen]  # noqa: E731
    if dimension == "sex":
        values = ATTENDANCE_SEXES if indicator.kind == "attendance" else SEXES
        return restrict(values, filters.sexes)
    if dimension == "age_group":
        return restrict(age_group_codes(filters.bracket_set), filters.age_groups)
    if dimension == "attendance_age_group":
        return list(ATTENDANCE_AGE_GROUPS)
    if dimension == "migration_profile":
        return list(MIGRATION_PROFILES)
    if dimension == "programme":
        return restrict(restrict(PROGRAMMES, indicator.programmes), filters.programmes)
    if dimension == "country" and not filters.departments and not filters.municipalities:
        return restrict(COUNTRIES, filters.countries)
    if dimension in _PERIOD_MONTHS:
        frequency = "QS" if dimension == "quarter" else "MS"
        starts = pd.date_range(pd.Timestamp(filters.start).to_period(frequency[0]).start_time, filters.end,
                               freq=frequency)
        return [start.date() for start in starts]
    return None


def _complete(frame: pd.DataFrame, indicator: Indicator, filters: Filters, by: tuple[str, ...]) -> pd.DataFrame:
    """Add zero rows for categories with no one, so a zero reads as zero, not as missing."""
    closed = {d: _categories(d, indicator, filters) for d in by}
    closed = {d: c for d, c in closed.items() if c is not None}
    if not closed:
        return frame
    value_columns = [c for c in frame.columns if c in ("value",)]
    open_columns = [c for c in frame.columns if c not in closed and c not in value_columns]
    open_rows = frame[open_columns].drop_duplicates().to_dict("records") if open_columns else [{}]
    grid = pd.DataFrame(
        [{**row, **dict(zip(closed, combo))} for row in open_rows for combo in itertools.product(*closed.values())],
        columns=open_columns + list(closed),
    )
    for unit in (u for u in _PERIOD_MONTHS if u in grid):
        grid[unit] = pd.to_datetime(grid[unit])
        frame = frame.assign(**{unit: pd.to_datetime(frame[unit])})
    merged = grid.merge(frame, on=open_columns + list(closed), how="left")
    merged["value"] = merged["value"].fillna(0)
    return merged[[c for c in frame.columns]]


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in frame.columns if c not in ("value", "suppressed", "hidden", "numerator", "denominator")]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame


def true_counts(con: duckdb.DuckDBPyConnection, indicator: Indicator, filters: Filters, by: tuple[str, ...],
            extra: SqlCondition | None = None, facts: FactsSource | None = None) -> pd.DataFrame:
    """Unsuppressed counts; `facts` (person facts of the data version) answers people counts faster."""
    if indicator.kind == "attendance":
        raw = _attendance_counts(con, filters, by)
    else:
        raw = _people_counts(con, indicator, filters, by, extra, facts)
    complete = _complete(raw, indicator, filters, by)
    complete["value"] = complete["value"].astype("Int64")
    return _order(complete)


def _share_condition(indicator: Indicator, filters: Filters) -> SqlCondition:
    condition = SqlCondition()
    if indicator.condition == "female":
        condition.add("p.sex = 'female'")
    elif indicator.condition == "youth":
        youth = BRACKET_SETS[filters.bracket_set].youth_group or BRACKET_SETS["un_youth"].youth_group
        bracket_set = filters.bracket_set if BRACKET_SETS[filters.bracket_set].youth_group else "un_youth"
        condition.add(f"{age_group_sql('p.age', bracket_set)} = ?", youth)
    return condition


def _shares(con: duckdb.DuckDBPyConnection, indicator: Indicator, filters: Filters, by: tuple[str, ...],
            facts: FactsSource | None = None) -> pd.DataFrame:
    base = get_indicator(indicator.base)
    denominators = true_counts(con, base, filters, by, facts=facts)
    numerators = true_counts(con, base, filters, by, extra=_share_condition(indicator, filters), facts=facts)
    keys = [c for c in denominators.columns if c != "value"]
    merged = denominators.rename(columns={"value": "denominator"})
    merged = merged.merge(numerators.rename(columns={"value": "numerator"}), on=keys, how="left") if keys else \
        merged.assign(numerator=numerators["value"].iloc[0])
    merged["numerator"] = merged["numerator"].fillna(0).astype("Int64")
    rate, suppressed = suppress_rates(merged["numerator"], merged["denominator"])
    count_view = suppress_counts(merged[["numerator"]], "numerator")["numerator"]
    denominator_view = suppress_counts(merged[["denominator"]], "denominator")["denominator"]
    return merged.assign(value=rate, suppressed=suppressed.to_numpy(), hidden=hidden_kinds(suppressed, PROTECTING),
                         numerator=count_view, denominator=denominator_view)[
        keys + ["value", "suppressed", "hidden", "numerator", "denominator"]]


def compute(con: duckdb.DuckDBPyConnection, indicator_id: str, filters: Filters, by: tuple[str, ...] = (),
            facts: FactsSource | None = None) -> pd.DataFrame:
    """The indicator under `filters`, broken down by `by`, with small cells suppressed."""
    indicator = get_indicator(indicator_id)
    check_breakdown(indicator, by)
    if indicator.kind == "share":
        return _shares(con, indicator, filters, by, facts)
    published = suppress_counts(true_counts(con, indicator, filters, by, facts=facts))
    return published.assign(hidden=hidden_kinds(published["suppressed"], SMALL))  # primary suppression only


def hidden_kinds(suppressed: pd.Series, kind: str) -> pd.Series:
    """The `hidden` column of a frame whose every hidden cell is of one kind (None where published)."""
    return pd.Series([kind if bool(s) else None for s in suppressed], index=suppressed.index, dtype=object)


def headline(con: duckdb.DuckDBPyConnection, indicator_id: str, filters: Filters) -> tuple[object, bool]:
    """(value, suppressed) of an indicator without breakdown."""
    row = compute(con, indicator_id, filters).iloc[0]
    return row["value"], bool(row["suppressed"])
