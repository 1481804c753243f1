"""The indicator registry: every figure the dashboard shows is defined here, once.

Labels, definitions, numerators and denominators are translated text in the i18n
catalogues under `indicator.<id>.*`; this module holds what the computation needs.
Kinds:
- people: distinct participants with at least one qualifying event overlapping the
  period (de-duplicated across programmes, months and components);
- attendance: the sum of aggregated attendance counts of awareness sessions (indirect
  reach, not de-duplicated: a person attending two sessions counts twice);
- share: a people indicator restricted by a condition, over the same people indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

PEOPLE_DIMENSIONS = (
    "country", "programme", "department", "municipality", "sex", "age_group",
    "migration_profile", "ethnicity", "quarter", "month", "institution",
)
ATTENDANCE_DIMENSIONS = (
    "country", "department", "municipality", "sex", "attendance_age_group", "quarter", "month",
    "institution", "topic", "audience",
)

# Qualifying events per people indicator: (participant_id, event_start, event_end).
_ACTIVITY_EVENTS = (
    "SELECT participant_id, start_date AS event_start, coalesce(end_date, start_date) AS event_end "
    "FROM participations"
)
_OUTCOME_EVENTS = "SELECT participant_id, date AS event_start, date AS event_end FROM outcomes WHERE outcome IN ({})"
_AGENT_TRAINING_EVENTS = (
    "SELECT participant_id, end_date AS event_start, end_date AS event_end FROM participations "
    "WHERE component = 'prevention_agent_training' AND completed AND end_date IS NOT NULL"
)


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: str  # "people" | "attendance" | "share"
    unit: str  # "people" | "attendances" | "share"
    disaggregations: tuple[str, ...]
    events_sql: str | None = None
    programmes: tuple[str, ...] = ()  # fixed programme scope of the indicator
    base: str | None = None  # for shares: the people indicator it divides
    condition: str | None = None  # for shares: "female" or "youth"

    @property
    def label_key(self) -> str:
        return f"indicator.{self.id}.label"

    @property
    def definition_key(self) -> str:
        return f"indicator.{self.id}.definition"


INDICATORS: dict[str, Indicator] = {
    indicator.id: indicator
    for indicator in (
        Indicator("people_served", "people", "people", PEOPLE_DIMENSIONS, _ACTIVITY_EVENTS),
        Indicator("miska_participants", "people", "people", PEOPLE_DIMENSIONS, _ACTIVITY_EVENTS,
                  programmes=("miska_reintegration",)),
        Indicator("miska_employed", "people", "people", PEOPLE_DIMENSIONS,
                  _OUTCOME_EVENTS.format("'employment'"), programmes=("miska_reintegration",)),
        Indicator("miska_enterprises", "people", "people", PEOPLE_DIMENSIONS,
                  _OUTCOME_EVENTS.format("'enterprise_started', 'enterprise_consolidated'"),
                  programmes=("miska_reintegration",)),
        Indicator("agents_trained", "people", "people", PEOPLE_DIMENSIONS, _AGENT_TRAINING_EVENTS,
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
