"""Person facts: a people indicator's participants grouped once, so a filter change is a small sum.

Counting distinct participants with an event overlapping the period means joining every
participant with every event on each query (2.5 million participations at the benchmark's
largest scale). Built once per indicator and data version, the facts hold one row per
combination of everything a filter or breakdown reads (country, department, municipality,
programme, sex, age class, migration profile, ethnicity, institution) and of the set of
quarters each person was served in, as a bit mask, with the number `n` of people in it.

A person counts in a period made of whole quarters exactly when their mask shares a bit with
the period's mask, so for such periods the sum of `n` equals the distinct count; by quarter,
a person counts in each quarter whose bit is set. A month breakdown uses facts with one bit
per month (built only when asked for). Everything else (a period that does not start and end
on the unit's boundaries, a component filter, which reads participations, events spanning
more units than a mask holds) is computed from the store directly.

Age is kept as its class (`age_groups.age_class_sql`): the same bracket in every bracket set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import duckdb
import pandas as pd
import pyarrow as pa

from indicators.age_groups import age_class_sql
from indicators.filters import Filters, SqlCondition
from indicators.registry import ACTIVITY, Indicator, events_sql

# Bits 0..61 of a signed 64-bit mask (shifts stay below the sign bit): up to 62 quarters or months.
MAX_BITS = 62
MONTHS_PER_BIT = {"quarter": 3, "month": 1}
# The participant columns a filter or a breakdown of a people indicator reads.
ATTRIBUTES = ("country", "programme", "department_code", "municipality_code", "sex", "age", "migration_profile",
              "ethnicity", "institution_id")


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _unit_start(day: dt.date, unit: str) -> dt.date:
    index = _month_index(day) // MONTHS_PER_BIT[unit] * MONTHS_PER_BIT[unit]
    return dt.date(index // 12, index % 12 + 1, 1)


def _next_unit(day: dt.date, unit: str) -> dt.date:
    index = _month_index(_unit_start(day, unit)) + MONTHS_PER_BIT[unit]
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class PersonFacts:
    indicator_id: str
    unit: str  # "quarter" or "month": what one bit of the mask is
    table: pa.Table  # ATTRIBUTES, mask (BIGINT), n (people)
    first: dt.date  # the first day of bit 0's quarter or month
    bits: int  # bits in use

    @property
    def view_name(self) -> str:
        return f"person_facts_{self.indicator_id}_{self.unit}"

    def bit(self, day: dt.date) -> int:
        """The bit of the quarter or month `day` falls in (negative before the first)."""
        return (_month_index(day) - _month_index(self.first)) // MONTHS_PER_BIT[self.unit]


# Gives the facts of an indicator by "quarter" or "month" (built once, or cached), None when they cannot be built.
FactsSource = Callable[[Indicator, str], "PersonFacts | None"]


def unit_of(by: tuple[str, ...]) -> str:
    """The facts a breakdown needs: by month, or by quarter for everything else."""
    return "month" if "month" in by else "quarter"


def span_mask_sql(start: str, end: str, first: dt.date, unit: str) -> str:
    """SQL of the BIGINT mask with the bits of every quarter or month from `start` to `end` (columns)."""
    def bit(column: str) -> str:
        return (f"((CAST(year({column}) AS INTEGER) * 12 + CAST(month({column}) AS INTEGER) - 1 "
                f"- {_month_index(first)}) // {MONTHS_PER_BIT[unit]})")
    return f"((CAST(1 AS BIGINT) << ({bit(end)} + 1)) - (CAST(1 AS BIGINT) << {bit(start)}))"


def bits_between(first: dt.date, last: dt.date, unit: str) -> int:
    """Bits a mask needs from `first`'s quarter or month to `last`'s."""
    return (_month_index(last) - _month_index(_unit_start(first, unit))) // MONTHS_PER_BIT[unit] + 1


def build(con: duckdb.DuckDBPyConnection, indicator: Indicator, unit: str = "quarter") -> PersonFacts | None:
    """The person facts of a people indicator; None if its events span more units than a mask holds."""
    return _build(con, indicator.id, events_sql(indicator.events), indicator.programmes, unit)


# Every participation with its component: facts by component count, per component, the people
# with a participation in it (My municipality's "people per component").
COMPONENT_EVENTS = events_sql(ACTIVITY, columns=("component",))


def build_by_component(con: duckdb.DuckDBPyConnection, unit: str = "quarter") -> PersonFacts | None:
    """Person facts with a `component` column: a person counts once in each component they took part in."""
    return _build(con, "components", COMPONENT_EVENTS, (), unit, keys=("component",))


def _build(con: duckdb.DuckDBPyConnection, name: str, events_query: str, programmes: tuple[str, ...], unit: str,
           keys: tuple[str, ...] = ()) -> PersonFacts | None:
    first, last = con.execute(
        f"SELECT min(event_start), max(greatest(event_start, event_end)) FROM ({events_query})").fetchall()[0]
    if first is None:
        first = last = dt.date(dt.date.today().year, 1, 1)
    first = _unit_start(first, unit)
    bits = bits_between(first, last, unit)
    if bits > MAX_BITS:
        return None
    listed = ", ".join(f"'{p}'" for p in programmes)
    scope = f"WHERE p.programme IN ({listed})" if listed else ""
    columns = ", ".join(f"p.{c}" for c in ATTRIBUTES if c != "age")
    event_keys = "".join(f", e.{k}" for k in keys)
    query = (
        f"WITH masks AS (SELECT e.participant_id{event_keys}, "
        f"bit_or({span_mask_sql('e.event_start', 'greatest(e.event_start, e.event_end)', first, unit)}) AS mask "
        f"FROM ({events_query}) e GROUP BY ALL) "
        f"SELECT {columns}{''.join(f', m.{k}' for k in keys)}, {age_class_sql('p.age')} AS age, m.mask, count(*) AS n "
        f"FROM participants p JOIN masks m ON m.participant_id = p.participant_id {scope} GROUP BY ALL"
    )
    return PersonFacts(name, unit, con.sql(query).to_arrow_table(), first, bits)


def answers(filters: Filters, by: tuple[str, ...]) -> bool:
    """Whether facts give the exact count for these filters and breakdowns."""
    unit = unit_of(by)
    aligned = filters.start == _unit_start(filters.start, unit) and \
        filters.end == _next_unit(filters.end, unit) - dt.timedelta(days=1)
    return aligned and not filters.components and not ("month" in by and "quarter" in by)


def period_mask(first: dt.date, bits: int, unit: str, filters: Filters) -> int:
    """The mask of the period's quarters or months (of those a mask from `first` with `bits` bits holds)."""
    def bit(day: dt.date) -> int:
        return (_month_index(day) - _month_index(first)) // MONTHS_PER_BIT[unit]
    low, high = max(bit(filters.start), 0), min(bit(filters.end), bits - 1)
    return 0 if high < low else (1 << (high + 1)) - (1 << low)


def people_counts(con: duckdb.DuckDBPyConnection, facts: PersonFacts, filters: Filters, select: str,
                  names: list[str], condition: SqlCondition) -> pd.DataFrame:
    """The rows of the direct distinct count, from the facts: `select` and `names` are its breakdown
    columns and `condition` its conditions on the participant (alias p), as the direct query has them."""
    joins, params = "", []
    if facts.unit in names:  # one row per quarter or month of the period in which the person was served
        starts, bits = [], []
        day = _unit_start(filters.start, facts.unit)
        while day <= filters.end:
            if 0 <= facts.bit(day) < facts.bits:
                starts.append(day)
                bits.append(facts.bit(day))
            day = _next_unit(day, facts.unit)
        alias = facts.unit[0]
        joins = (f" JOIN (SELECT unnest(CAST(? AS DATE[])) AS {facts.unit}_start, unnest(CAST(? AS INTEGER[])) AS bit)"
                 f" {alias} ON ((p.mask >> {alias}.bit) & 1) = 1")
        params += [starts, bits]
    params += [period_mask(facts.first, facts.bits, facts.unit, filters), *condition.params]
    group = f"GROUP BY {', '.join(str(i + 1) for i in range(len(names)))}" if names else ""
    query = (
        f"SELECT {select + ', ' if select else ''}CAST(coalesce(sum(p.n), 0) AS BIGINT) AS value "
        f"FROM {facts.view_name} p{joins} WHERE (p.mask & ?) != 0 AND {condition.sql()} {group}"
    )
    con.register(facts.view_name, facts.table)
    try:
        return con.execute(query, params).df()
    finally:
        con.unregister(facts.view_name)
