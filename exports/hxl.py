"""The HXL vocabulary of the exports: canonical column names and breakdown dimensions -> HXL hashtags.

The one place that says how our tables are tagged for humanitarian data tools
(https://hxlstandard.org). A tagged export has one extra row right under the header, with
the tag of each column (empty for a column with no tag, as HXL allows). Core hashtags and
attributes are used where HXL defines them (#adm1+code, #sex, +f, +m); attributes of our own
are lowercase words, as the standard allows (+miska, +agents).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Columns and breakdown dimensions (indicators.registry) -> hashtag.
COLUMN_TAGS: dict[str, str] = {
    "country": "#country+code",
    "country_name": "#country+name",
    "programme": "#activity+programme",
    "department": "#adm1+code",
    "department_code": "#adm1+code",
    "department_name": "#adm1+name",
    "municipality": "#adm2+code",
    "municipality_code": "#adm2+code",
    "municipality_name": "#adm2+name",
    "code": "#adm2+code",  # with_unit_names(frame, "municipality"); see LEVEL_TAGS for departments
    "name": "#adm2+name",
    "sex": "#sex",
    "age_group": "#age+group",
    "attendance_age_group": "#age+group",
    "migration_profile": "#population+type",
    "ethnicity": "#group+ethnicity",
    "institution": "#org+name",
    "institution_id": "#org+code",
    "institution_type": "#org+type",
    "topic": "#sector+topic",
    "audience": "#population+audience",
    "component": "#activity+component",
    "quarter": "#date+quarter",
    "month": "#date+month",
    "date": "#date+reported",
    "data_date": "#date+reported",
    "start": "#date+start",
    "end": "#date+end",
    "indicator": "#indicator+name",
    "value": "#indicator+num",
    "numerator": "#indicator+num+numerator",
    "denominator": "#indicator+num+denominator",
    "share": "#indicator+pct",
    "rank": "#indicator+rank",
    "suppressed": "#meta+suppressed",
    "status": "#status",
}

# `code` and `name` of a territorial table name the unit of its level.
LEVEL_TAGS: dict[str, dict[str, str]] = {
    "department": {"code": "#adm1+code", "name": "#adm1+name"},
    "municipality": {"code": "#adm2+code", "name": "#adm2+name", "department_name": "#adm1+name"},
}

# The `value` column of an indicator's table: what is counted.
INDICATOR_TAGS: dict[str, str] = {
    "people_served": "#reached+ind",
    "miska_participants": "#reached+ind+miska",
    "miska_employed": "#reached+ind+miska+employed",
    "miska_enterprises": "#reached+ind+miska+enterprise",
    "agents_trained": "#reached+ind+agents",
    "people_sensitized": "#reached+attendances+indirect",
    "women_share": "#indicator+pct+f",
    "youth_share": "#indicator+pct+youth",
}

# Disaggregation attributes for wide tables (one column per sex x age group).
SEX_ATTRIBUTES: dict[str, str] = {"female": "+f", "male": "+m", "other": "+sex_other"}


def age_attribute(age_group: str) -> str:
    """'18_29' -> '+age18_29', '30_plus' -> '+age30plus' (HXL's age-range attribute form)."""
    return "+age" + age_group.replace("_plus", "plus")


def disaggregated(base: str, sex: str | None = None, age_group: str | None = None) -> str:
    """`base` with the sex and age attributes: ('#reached+ind', 'female', '0_17') -> '#reached+ind+f+age0_17'."""
    tag = base
    if sex is not None:
        tag += SEX_ATTRIBUTES[sex]
    if age_group is not None:
        tag += age_attribute(age_group)
    return tag


def tag_for(column: str, indicator: str | None = None, level: str | None = None) -> str:
    """The hashtag of one canonical column ('' if it has none).

    `indicator` tags the `value` column with what it counts; `level` ('department' or
    'municipality') says which administrative level `code` and `name` belong to.
    """
    if column == "value" and indicator in INDICATOR_TAGS:
        return INDICATOR_TAGS[indicator]
    if level is not None and column in LEVEL_TAGS.get(level, {}):
        return LEVEL_TAGS[level][column]
    if column in COLUMN_TAGS:
        return COLUMN_TAGS[column]
    sex, _, age = column.partition("_")  # attendance counts: female_0_17, male_30_plus
    if sex in SEX_ATTRIBUTES and age:
        return disaggregated(INDICATOR_TAGS["people_sensitized"], sex, age)
    return ""


def hxl_row(columns: Iterable[str], indicator: str | None = None, level: str | None = None,
            overrides: Mapping[str, str] | None = None) -> list[str]:
    """The HXL row for `columns`, in order; `overrides` (column -> tag) win over the vocabulary."""
    overrides = overrides or {}
    return [overrides.get(c, tag_for(c, indicator, level)) for c in columns]
