"""Person facts: a people indicator's participants grouped once, so a filter change is a small sum.

Counting distinct participants with an event overlapping the period means joining every
participant with every event on each query (2.5 million participations at the benchmark's
largest scale). Built once per indicator and data version, the facts hold one row per
combination of everything a filter or breakdown reads (country, department, municipality,
programme, sex, age class, migration profile, ethnicity, institution) and of the set of
quarters each person was served in, as a bit mask, with the number `n` of people in it.

A person counts in a period made of whole quarters exactly when their mask shares a bit with
the period's mask, so for such periods the sum of `n` equals the distinct count; by quarter,
a person counts in each quarter whose bit is set. Everything else (a period that does not
start and end on quarter boundaries, a component filter, which reads participations, a
month breakdown) is computed from the store directly: `people_counts` returns None for it.

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
from indicators.registry import Indicator

# Bits 0..61 of a signed 64-bit mask (shifts stay below the sign bit): up to 62 quarters, 15.5 years.
MAX_QUARTERS = 62
# The participant columns a filter or a breakdown of a people indicator reads.
ATTRIBUTES = ("country", "programme", "department_code", "municipality_code", "sex", "age", "migration_profile",
              "ethnicity", "institution_id")


@dataclass(frozen=True)
class PersonFacts:
    indicator_id: str
    table: pa.Table  # ATTRIBUTES, qmask (BIGINT), n (people)
    first_quarter: dt.date  # the quarter of bit 0
    quarters: int  # bits in use

    @property
    def view_name(self) -> str:
        return f"person_facts_{self.indicator_id}"

    def bit(self, day: dt.date) -> int:
        """The bit of the quarter `day` falls in (negative before the first quarter)."""
        return (day.year - self.first_quarter.year) * 4 + (day.month - 1) // 3 - (self.first_quarter.month - 1) // 3


# Builds (or fetches from a cache) the facts of an indicator; None when they cannot be built.
FactsSource = Callable[[Indicator], "PersonFacts | None"]


def _quarter_index(column: str, first_year: int) -> str:
    return f"(CAST(year({column}) AS INTEGER) - {first_year}) * 4 + CAST(quarter({column}) AS INTEGER) - 1"


def build(con: duckdb.DuckDBPyConnection, indicator: Indicator) -> PersonFacts | None:
    """The person facts of a people indicator; None if its events span more quarters than a mask holds."""
    first, last = con.execute(
        f"SELECT min(event_start), max(greatest(event_start, event_end)) FROM ({indicator.events_sql})").fetchall()[0]
    if first is None:
        first = last = dt.date(dt.date.today().year, 1, 1)
    quarters = (last.year - first.year) * 4 + (last.month - 1) // 3 - (first.month - 1) // 3 + 1
    if quarters > MAX_QUARTERS:
        return None
    start_bit = _quarter_index("e.event_start", first.year) + f" - {(first.month - 1) // 3}"
    end_bit = _quarter_index("greatest(e.event_start, e.event_end)", first.year) + f" - {(first.month - 1) // 3}"
    programmes = ", ".join(f"'{p}'" for p in indicator.programmes)
    scope = f"WHERE p.programme IN ({programmes})" if programmes else ""
    columns = ", ".join(f"p.{c}" for c in ATTRIBUTES if c != "age")
    query = (
        f"WITH masks AS (SELECT e.participant_id, CAST(bit_or((CAST(1 AS BIGINT) << ({end_bit} + 1)) "
        f"- (CAST(1 AS BIGINT) << ({start_bit}))) AS BIGINT) AS qmask "
        f"FROM ({indicator.events_sql}) e GROUP BY e.participant_id) "
        f"SELECT {columns}, {age_class_sql('p.age')} AS age, m.qmask, count(*) AS n "
        f"FROM participants p JOIN masks m ON m.participant_id = p.participant_id {scope} GROUP BY ALL"
    )
    table = con.sql(query).to_arrow_table()
    first_quarter = dt.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    return PersonFacts(indicator.id, table, first_quarter, quarters)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _next_quarter(day: dt.date) -> dt.date:
    start = _quarter_start(day)
    return dt.date(start.year + 1, 1, 1) if start.month == 10 else dt.date(start.year, start.month + 3, 1)


def _quarter_end(day: dt.date) -> dt.date:
    return _next_quarter(day) - dt.timedelta(days=1)


def answers(filters: Filters, by: tuple[str, ...]) -> bool:
    """Whether the facts give the exact count for these filters and breakdowns."""
    whole_quarters = filters.start == _quarter_start(filters.start) and filters.end == _quarter_end(filters.end)
    return whole_quarters and not filters.components and "month" not in by


def _period_mask(facts: PersonFacts, filters: Filters) -> int:
    low, high = max(facts.bit(filters.start), 0), min(facts.bit(filters.end), facts.quarters - 1)
    return 0 if high < low else (1 << (high + 1)) - (1 << low)


def people_counts(con: duckdb.DuckDBPyConnection, facts: PersonFacts, filters: Filters, select: str,
                  names: list[str], condition: SqlCondition) -> pd.DataFrame:
    """The rows of the direct distinct count, from the facts: `select` and `names` are its breakdown
    columns and `condition` its conditions on the participant (alias p), as the direct query has them."""
    joins, params = "", []
    if "quarter" in names:
        starts, bits = [], []
        day = _quarter_start(filters.start)
        while day <= filters.end:
            if 0 <= facts.bit(day) < facts.quarters:
                starts.append(day)
                bits.append(facts.bit(day))
            day = _next_quarter(day)
        joins = (" JOIN (SELECT unnest(CAST(? AS DATE[])) AS quarter_start, unnest(CAST(? AS INTEGER[])) AS bit) q "
                 "ON ((p.qmask >> q.bit) & 1) = 1")
        params += [starts, bits]
    params += [_period_mask(facts, filters), *condition.params]
    group = f"GROUP BY {', '.join(str(i + 1) for i in range(len(names)))}" if names else ""
    query = (
        f"SELECT {select + ', ' if select else ''}CAST(coalesce(sum(p.n), 0) AS BIGINT) AS value "
        f"FROM {facts.view_name} p{joins} WHERE (p.qmask & ?) != 0 AND {condition.sql()} {group}"
    )
    con.register(facts.view_name, facts.table)
    try:
        return con.execute(query, params).df()
    finally:
        con.unregister(facts.view_name)
