"""The data contract: one declared schema per dataset, in canonical (English) form.

Every loader returns frames that pass these schemas; `docs/data-dictionary.md` is
generated from them. Category codes are stable English identifiers; labels live in i18n.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

COUNTRIES = ("GTM", "BOL", "PER", "COL")
PROGRAMMES = ("miska_reintegration", "prevention_network", "regional_support")
SEXES = ("female", "male", "other")
MIGRATION_PROFILES = ("returnee", "in_transit", "settled", "host_community", "at_risk")
ETHNICITIES = (
    "mam", "kiche", "qanjobal", "kaqchikel", "popti", "akateko", "chuj", "awakateko",
    "tektiteko", "sipakapense", "ixil", "mestizo", "aymara", "quechua", "afrodescendant",
    "other", "not_stated",
)
MAYA_ETHNICITIES = (
    "mam", "kiche", "qanjobal", "kaqchikel", "popti", "akateko", "chuj", "awakateko",
    "tektiteko", "sipakapense", "ixil",
)
COMPONENTS = (
    "technical_training", "digital_skills", "community_leadership", "entrepreneurship",
    "psychosocial_support", "life_skills", "employability", "prevention_agent_training",
)
MISKA_COMPONENTS = COMPONENTS[:5]
OUTCOMES = ("employment", "enterprise_started", "enterprise_consolidated")
SECTORS = (
    "agriculture", "commerce", "services", "manufacturing", "construction", "tourism",
    "technology", "other",
)
SURVEY_ROUNDS = ("baseline", "follow_up")
INSTITUTION_TYPES = ("school", "local_authority", "police", "justice", "health", "community_organisation")
TIE_TYPES = ("coordination", "referral", "joint_activity", "training")
SESSION_TOPICS = (
    "trafficking_prevention", "gender_violence", "safe_migration", "child_protection", "digital_safety",
)
SESSION_AUDIENCES = ("students", "parents", "teachers", "community", "authorities")
POLICY_STATUSES = ("in_design", "approved", "in_implementation")

# Awareness sessions are recorded as aggregated attendance by sex x age group.
ATTENDANCE_SEXES = ("female", "male")
ATTENDANCE_AGE_GROUPS = ("0_17", "18_29", "30_plus")
ATTENDANCE_COLUMNS = tuple(f"{s}_{a}" for s in ATTENDANCE_SEXES for a in ATTENDANCE_AGE_GROUPS)

_DIGITS = r"^\d+$"

# Dates outside the programme's plausible period are typing mistakes (2204 for 2024).
DATE_MIN = pd.Timestamp("2015-01-01")
DATE_MAX = pd.Timestamp("2030-12-31")


def _code(description: str, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(_DIGITS), nullable=nullable, description=description)


def _category(values: tuple[str, ...], description: str, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.isin(values), nullable=nullable, description=description)


def _date(description: str, nullable: bool = False) -> pa.Column:
    return pa.Column("datetime64[ns]", pa.Check.in_range(DATE_MIN, DATE_MAX), nullable=nullable, coerce=True,
                     description=description)


def _score(description: str) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0, 1), coerce=True, description=description)


PARTICIPANTS = pa.DataFrameSchema(
    {
        "participant_id": pa.Column(str, unique=True, description="Pseudonymous id, unique; never a name."),
        "programme": _category(PROGRAMMES, "Line of work the person is registered in."),
        "country": _category(COUNTRIES, "ISO 3166-1 alpha-3 country code."),
        "department_code": _code("Official first-level code, zero-padded (GTM INE `13`, BOL INE `02`, PER UBIGEO `21`, COL DIVIPOLA `54`)."),
        "municipality_code": _code("Official municipal code, zero-padded (GTM `1301`, BOL `020804`, PER `210402`, COL `54001`)."),
        "sex": _category(SEXES, "Sex as recorded at registration."),
        "age": pa.Column(int, pa.Check.in_range(0, 110), coerce=True, description="Age in years at enrolment."),
        "ethnicity": _category(ETHNICITIES, "Self-identified people or group."),
        "migration_profile": _category(MIGRATION_PROFILES, "Situation with respect to migration."),
        "enrolment_date": _date("Date of registration in the programme."),
        "institution_id": pa.Column(str, nullable=True, description="Network institution of a prevention agent; empty otherwise."),
    },
    name="participants",
    strict=False,
)

PARTICIPATIONS = pa.DataFrameSchema(
    {
        "participant_id": pa.Column(str, description="Participant taking part (see participants)."),
        "component": _category(COMPONENTS, "Programme component."),
        "start_date": _date("First day of the participation."),
        "end_date": _date("Last day (empty while ongoing).", nullable=True),
        "hours": pa.Column(float, pa.Check.in_range(0, 2000), coerce=True, description="Hours attended."),
        "completed": pa.Column(bool, coerce=True, description="Whether the component was completed."),
    },
    name="participations",
    strict=False,
)

OUTCOMES_SCHEMA = pa.DataFrameSchema(
    {
        "participant_id": pa.Column(str, description="Participant with the outcome."),
        "outcome": _category(OUTCOMES, "Kind of outcome."),
        "date": _date("Date the outcome was verified."),
        "sector": _category(SECTORS, "Economic sector of the job or enterprise."),
    },
    name="outcomes",
    strict=False,
)

REINTEGRATION_SURVEYS = pa.DataFrameSchema(
    {
        "participant_id": pa.Column(str, description="Surveyed participant."),
        "round": _category(SURVEY_ROUNDS, "Survey round."),
        "date": _date("Date of the interview."),
        "economic": _score("Economic reintegration score, 0-1."),
        "social": _score("Social reintegration score, 0-1."),
        "psychosocial": _score("Psychosocial reintegration score, 0-1."),
    },
    name="reintegration_surveys",
    strict=False,
)

AWARENESS_SESSIONS = pa.DataFrameSchema(
    {
        "session_id": pa.Column(str, unique=True, description="Session id, unique."),
        "date": _date("Date of the session."),
        "country": _category(COUNTRIES, "ISO3 country code."),
        "municipality_code": _code("Official municipal code where the session took place."),
        "institution_id": pa.Column(str, description="Network institution hosting the session."),
        "topic": _category(SESSION_TOPICS, "Main topic."),
        "audience": _category(SESSION_AUDIENCES, "Main audience."),
        **{
            column: pa.Column(int, pa.Check.in_range(0, 10_000), coerce=True,
                              description=f"Attendance: {column.replace('_', ' ', 1)} years (count).")
            for column in ATTENDANCE_COLUMNS
        },
        "facilitating_agents": pa.Column(int, pa.Check.in_range(0, 100), coerce=True,
                                         description="Prevention agents who ran the session."),
    },
    name="awareness_sessions",
    strict=False,
)

NETWORK_INSTITUTIONS = pa.DataFrameSchema(
    {
        "institution_id": pa.Column(str, unique=True, description="Institution id, unique."),
        "name": pa.Column(str, description="Public name of the institution (not a person)."),
        "type": _category(INSTITUTION_TYPES, "Kind of institution."),
        "country": _category(COUNTRIES, "ISO3 country code."),
        "municipality_code": _code("Official municipal code."),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90), coerce=True, description="Latitude, WGS 84."),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180), coerce=True, description="Longitude, WGS 84."),
        "joined_date": _date("Date the institution joined the network."),
    },
    name="network_institutions",
    strict=False,
)

NETWORK_TIES = pa.DataFrameSchema(
    {
        "source_id": pa.Column(str, description="Institution at one end of the tie."),
        "target_id": pa.Column(str, description="Institution at the other end."),
        "tie_type": _category(TIE_TYPES, "Kind of tie."),
        "since_date": _date("Date the tie started."),
    },
    name="network_ties",
    strict=False,
)

MUNICIPAL_POLICIES = pa.DataFrameSchema(
    {
        "country": _category(COUNTRIES, "ISO3 country code."),
        "municipality_code": _code("Official municipal code."),
        "policy_name": pa.Column(str, description="Name of the municipal migration policy."),
        "status": _category(POLICY_STATUSES, "Status reached on status_date."),
        "status_date": _date("Date the status was reached."),
    },
    name="municipal_policies",
    strict=False,
)

BASE_ORGANISATIONS = pa.DataFrameSchema(
    {
        "organisation_id": pa.Column(str, unique=True, description="Organisation id, unique."),
        "name": pa.Column(str, description="Public name of the organisation (e.g. AMIDEGA)."),
        "country": _category(COUNTRIES, "ISO3 country code."),
        "municipality_code": _code("Official municipal code of its seat."),
        "members": pa.Column(int, pa.Check.ge(0), coerce=True, description="Members (count)."),
        "capacity_baseline": _score("Organisational capacity index at baseline, 0-1."),
        "capacity_follow_up": _score("Organisational capacity index at follow-up, 0-1."),
    },
    name="base_organisations",
    strict=False,
)

# Dataset name -> schema; the name is also the canonical CSV file stem and the store table.
DATASETS: dict[str, pa.DataFrameSchema] = {
    "participants": PARTICIPANTS,
    "participations": PARTICIPATIONS,
    "outcomes": OUTCOMES_SCHEMA,
    "reintegration_surveys": REINTEGRATION_SURVEYS,
    "awareness_sessions": AWARENESS_SESSIONS,
    "network_institutions": NETWORK_INSTITUTIONS,
    "network_ties": NETWORK_TIES,
    "municipal_policies": MUNICIPAL_POLICIES,
    "base_organisations": BASE_ORGANISATIONS,
}

# Keys that identify a record, so a re-import updates instead of duplicating.
DATASET_KEYS: dict[str, tuple[str, ...]] = {
    "participants": ("participant_id",),
    "participations": ("participant_id", "component", "start_date"),
    "outcomes": ("participant_id", "outcome", "date"),
    "reintegration_surveys": ("participant_id", "round"),
    "awareness_sessions": ("session_id",),
    "network_institutions": ("institution_id",),
    "network_ties": ("source_id", "target_id", "tie_type"),
    "municipal_policies": ("country", "municipality_code", "policy_name", "status"),
    "base_organisations": ("organisation_id",),
}
