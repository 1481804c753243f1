"""The indicator registry: every figure the dashboard shows is defined here, once, as data.

Labels, definitions, numerators and denominators are translated text in the i18n
catalogues under `indicator.<id>.*`; this module declares what the computation needs, and
the SQL (`events_sql`, `outcome_in_sql`), the person-fact masks and the Methods page's
rules are derived from these declarations. Kinds:
- people: distinct participants of the programme scope with at least one qualifying event
  (`Events`) overlapping the period (de-duplicated across programmes, months and components);
- attendance: the sum of aggregated attendance counts of awareness sessions (indirect
  reach, not de-duplicated: a person attending two sessions counts twice);
- share: a people indicator restricted by a condition (numerator), over the same people
  indicator (denominator).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PEOPLE_DIMENSIONS = (
    "country", "programme", "department", "municipality", "sex", "age_group",
    "migration_profile", "ethnicity", "quarter", "month", "institution",
)
ATTENDANCE_DIMENSIONS = (
    "country", "department", "municipality", "sex", "attendance_age_group", "quarter", "month",
    "institution", "topic", "audience",
)

# The outcome sets a definition can name, each written once: the registry's outcome indicators,
# the Reintegration page's outcome stages and the MISKA person facts' masks all read them.
OUTCOME_SETS: dict[str, tuple[str, ...]] = {
    "employed": ("employment",),
    "enterprise_started": ("enterprise_started",),
    "enterprise_consolidated": ("enterprise_consolidated",),
    "enterprise": ("enterprise_started", "enterprise_consolidated"),
}


@dataclass(frozen=True)
class Events:
    """The records that make a person count, and the dates that place each one in time.

    An event runs from its `start` column to its `end` column (an empty end, an ongoing
    participation, falls back to the start); without an `end` it is the one day `start`.
    """

    table: str  # "participations" or "outcomes"
    start: str  # date column of the event's first day
    end: str | None = None  # date column of its last day; None: a one-day event
    outcome_set: str | None = None  # key of OUTCOME_SETS (outcomes only)
    component: str | None = None  # the one component that qualifies (participations only)
    completed: bool = False  # only completed participations qualify

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcome codes that qualify (empty when any record of the table does)."""
        return OUTCOME_SETS[self.outcome_set] if self.outcome_set else ()


# Any outcome, dated on its verification date.
OUTCOMES = Events("outcomes", start="date")


def outcome_events(outcome_set: str) -> Events:
    """Outcomes of a declared set (a key of OUTCOME_SETS)."""
    return replace(OUTCOMES, outcome_set=outcome_set)


# Any participation, from its start to its end: the activity that makes a person "served".
ACTIVITY = Events("participations", start="start_date", end="end_date")


def event_dates_sql(events: Events, alias: str = "") -> tuple[str, str]:
    """SQL of an event's first and last day (columns of `alias`)."""
    prefix = f"{alias}." if alias else ""
    start = prefix + events.start
    return start, (f"coalesce({prefix}{events.end}, {start})" if events.end else start)


def outcome_in_sql(outcome_set: str, column: str = "outcome") -> str:
    """SQL condition: `column` holds an outcome of the declared set."""
    codes = ", ".join(f"'{code}'" for code in OUTCOME_SETS[outcome_set])
    return f"{column} IN ({codes})"


def events_sql(events: Events, columns: tuple[str, ...] = ()) -> str:
    """SQL of the qualifying events: (participant_id, *columns, event_start, event_end), one row per record."""
    start, end = event_dates_sql(events)
    conditions = [f"{start} IS NOT NULL"]  # an undated record is no event in any period
    if events.outcome_set:
        conditions.append(outcome_in_sql(events.outcome_set))
    if events.component:
        conditions.append(f"component = '{events.component}'")
    if events.completed:
        conditions.append("completed")
    return (f"SELECT participant_id, {''.join(f'{c}, ' for c in columns)}{start} AS event_start, {end} AS event_end "
            f"FROM {events.table} WHERE {' AND '.join(conditions)}")


@dataclass(frozen=True)
class Indicator:
    """One figure's definition: numerator (events within a programme scope, or a base restricted by a
    condition), denominator (shares: the base), unit and allowed breakdowns."""

    id: str
    kind: str  # "people" | "attendance" | "share"
    unit: str  # "people" | "attendances" | "share"
    disaggregations: tuple[str, ...]
    events: Events | None = None  # people: the qualifying events
    programmes: tuple[str, ...] = ()  # fixed programme scope of the indicator
    base: str | None = None  # for shares: the people indicator it divides (the denominator)
    condition: str | None = None  # for shares: who of the base is in the numerator, "female" or "youth"

    @property
    def label_key(self) -> str:
        return f"indicator.{self.id}.label"

    @property
    def definition_key(self) -> str:
        return f"indicator.{self.id}.definition"


_MISKA = ("miska_reintegration",)
INDICATORS: dict[str, Indicator] = {
    indicator.id: indicator
    for indicator in (
        Indicator("people_served", "people", "people", PEOPLE_DIMENSIONS, ACTIVITY),
        Indicator("miska_participants", "people", "people", PEOPLE_DIMENSIONS, ACTIVITY, programmes=_MISKA),
        Indicator("miska_employed", "people", "people", PEOPLE_DIMENSIONS, outcome_events("employed"),
                  programmes=_MISKA),
        Indicator("miska_enterprises", "people", "people", PEOPLE_DIMENSIONS, outcome_events("enterprise"),
                  programmes=_MISKA),
        Indicator("agents_trained", "people", "people", PEOPLE_DIMENSIONS,
                  Events("participations", start="end_date", component="prevention_agent_training", completed=True),
                  programmes=("prevention_network",)),
        Indicator("people_sensitized", "attendance", "attendances", ATTENDANCE_DIMENSIONS),
        Indicator("women_share", "share", "share", tuple(d for d in PEOPLE_DIMENSIONS if d != "sex"),
                  base="people_served", condition="female"),
        Indicator("youth_share", "share", "share", tuple(d for d in PEOPLE_DIMENSIONS if d != "age_group"),
                  base="people_served", condition="youth"),
    )
}

# The figures the programme reports publicly, in the order the overview shows them.
HEADLINE_INDICATORS = (
    "people_served", "miska_participants", "miska_employed", "miska_enterprises",
    "agents_trained", "people_sensitized",
)


def get_indicator(indicator_id: str) -> Indicator:
    if indicator_id not in INDICATORS:
        raise KeyError(f"Unknown indicator {indicator_id!r}; define it in indicators.registry")
    return INDICATORS[indicator_id]
