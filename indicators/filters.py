"""The common filters of every page and their translation into SQL over the store.

Territorial codes repeat across countries (Bolivia's 020101 is also a Peruvian UBIGEO),
so departments and municipalities are always (country, code) pairs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import settings
from indicators.age_groups import DEFAULT_BRACKET_SET, age_group_sql

Territory = tuple[str, str]  # (country ISO3, official code)


def default_period() -> tuple[dt.date, dt.date]:
    first, last = settings.get("reporting_period").split(",")
    return dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())


@dataclass(frozen=True)
class Filters:
    """What a page asks for: period, programme, territory, sex and age group, and page-specific
    restrictions (ethnicity and component on Reintegration; institution type, topic and
    audience on the prevention network).

    Empty tuples mean "all". Hashable, so it can key caches. People filters (ethnicity,
    component) do not apply to awareness-session attendance, which is not per person;
    session filters (topic, audience) do not apply to people.
    """

    start: dt.date = field(default_factory=lambda: default_period()[0])
    end: dt.date = field(default_factory=lambda: default_period()[1])
    countries: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    departments: tuple[Territory, ...] = ()
    municipalities: tuple[Territory, ...] = ()
    sexes: tuple[str, ...] = ()
    bracket_set: str = DEFAULT_BRACKET_SET
    age_groups: tuple[str, ...] = ()
    ethnicities: tuple[str, ...] = ()
    components: tuple[str, ...] = ()  # people who took part in any of them during the period
    institution_types: tuple[str, ...] = ()  # agents of / sessions hosted by institutions of these types
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()

    def with_(self, **changes: object) -> "Filters":
        return replace(self, **changes)


@dataclass
class SqlCondition:
    """A WHERE fragment with its positional parameters."""

    clauses: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def add_in(self, column: str, values: tuple[str, ...]) -> None:
        if values:
            self.add(f"{column} IN ({', '.join('?' for _ in values)})", *values)

    def add_territories(self, country_column: str, code_column: str, territories: tuple[Territory, ...]) -> None:
        if territories:
            pairs = " OR ".join(f"({country_column} = ? AND {code_column} = ?)" for _ in territories)
            self.add(f"({pairs})", *[part for pair in territories for part in pair])

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "TRUE"


def participant_condition(filters: Filters, alias: str = "p", extra_programmes: tuple[str, ...] = ()) -> SqlCondition:
    """Conditions on the participants table for every filter except the period."""
    condition = SqlCondition()
    condition.add_in(f"{alias}.country", filters.countries)
    condition.add_in(f"{alias}.programme", filters.programmes)
    condition.add_in(f"{alias}.programme", extra_programmes)
    condition.add_territories(f"{alias}.country", f"{alias}.department_code", filters.departments)
    condition.add_territories(f"{alias}.country", f"{alias}.municipality_code", filters.municipalities)
    condition.add_in(f"{alias}.sex", filters.sexes)
    if filters.age_groups:
        condition.add_in(age_group_sql(f"{alias}.age", filters.bracket_set), filters.age_groups)
    condition.add_in(f"{alias}.ethnicity", filters.ethnicities)
    if filters.components:
        marks = ", ".join("?" for _ in filters.components)
        condition.add(
            f"EXISTS (SELECT 1 FROM participations fc WHERE fc.participant_id = {alias}.participant_id "
            f"AND fc.component IN ({marks}) AND fc.start_date <= ? AND coalesce(fc.end_date, fc.start_date) >= ?)",
            *filters.components, filters.end, filters.start,
        )
    if filters.institution_types:
        condition.add(f"{alias}.institution_id IN ({institutions_of_types_sql(filters.institution_types)})",
                      *filters.institution_types)
    return condition


def institutions_of_types_sql(types: tuple[str, ...]) -> str:
    """A sub-query of the ids of network institutions of the given types (one parameter per type)."""
    return f"SELECT institution_id FROM network_institutions WHERE type IN ({', '.join('?' for _ in types)})"
