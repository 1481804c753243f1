"""The sidebar's common filters, turned into an `indicators.filters.Filters` value."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_loaders.schemas import COUNTRIES, PROGRAMMES, SEXES
from indicators.age_groups import BRACKET_SETS, DEFAULT_BRACKET_SET, age_group_codes
from geo.units import territorial_units
from indicators.filters import Filters, Territory, default_period
from indicators.scope import ScopeLike, allowed_countries
from publication.family import Periods
from store import cached
from ui.language import labels, t

# One value per filter (or all): the publication family protects single values, so two at
# once would be a table nobody protected (publication.published, docs/privacy.md).
ONE = 1


def period_years() -> tuple[int, ...]:
    """The years the period filter offers: those of the data version, and the reporting period's."""
    start, end = default_period()
    years = {*cached.data_years(cached.current_data_version()), *range(start.year, end.year + 1)}
    return tuple(range(min(years), max(years) + 1))


def municipality_from_link() -> tuple[Territory, ...]:
    """The municipality of a shared link (?municipio=1309, or ?municipio=020804&pais=BOL), if any.

    Codes repeat across countries; an ambiguous code without ?pais= or an unknown code stops
    the page with a clear message rather than guessing.
    """
    code = st.query_params.get("municipio")
    if not code:
        return ()
    units = territorial_units()
    matches = units[(units["level"] == "municipality") & (units["code"] == code.strip())]
    country = st.query_params.get("pais")
    if country:
        matches = matches[matches["country"] == country.strip().upper()]
    if len(matches) != 1:
        st.error(t("filters.link_unknown" if matches.empty else "filters.link_ambiguous", code=code))
        st.stop()
    return ((matches["country"].iloc[0], matches["code"].iloc[0]),)


def sidebar_filters(scope: ScopeLike, key: str = "filters") -> Filters:
    """Render the filters in the sidebar and return what they select (only countries in scope are offered)."""
    side = st.sidebar
    side.subheader(t("filters.header"))
    start, end = default_period()
    first, last = side.select_slider(
        t("filters.period"), options=period_years(), value=(start.year, end.year), key=f"{key}.period",
    )
    programmes = side.multiselect(
        t("filters.programme"), PROGRAMMES, format_func=labels("programme"),
        placeholder=t("filters.all"), key=f"{key}.programmes", max_selections=ONE,
    )
    offered = [c for c in COUNTRIES if not scope.is_territorial or c in allowed_countries(scope)]
    countries = side.multiselect(
        t("filters.country"), offered, format_func=labels("country"),
        placeholder=t("filters.all"), key=f"{key}.countries", max_selections=ONE,
    )
    sexes = side.multiselect(
        t("filters.sex"), SEXES, format_func=labels("sex"), placeholder=t("filters.all"),
        key=f"{key}.sexes", max_selections=ONE,
    )
    bracket_set = side.selectbox(
        t("filters.age_set"), tuple(BRACKET_SETS), index=tuple(BRACKET_SETS).index(DEFAULT_BRACKET_SET),
        format_func=labels("age_set"), key=f"{key}.bracket_set",
    )
    age_groups = side.multiselect(
        t("filters.age_group"), age_group_codes(bracket_set), format_func=labels("age_group"),
        placeholder=t("filters.all"), key=f"{key}.age_groups.{bracket_set}", max_selections=ONE,
    )
    filters = Filters(
        start=dt.date(first, 1, 1), end=dt.date(last, 12, 31), countries=tuple(countries),
        programmes=tuple(programmes), sexes=tuple(sexes), bracket_set=bracket_set, age_groups=tuple(age_groups),
        municipalities=municipality_from_link(),
    )
    if not period_offered(filters, scope):
        side.warning(t("filters.period_not_offered", period=f"{start.year}–{end.year}"))
    return filters


def period_offered(filters: Filters, scope: ScopeLike) -> bool:
    """Whether the publication family holds the chosen period at the level the filters ask for.

    Regions and countries offer the reporting period and single years; departments and
    municipalities the reporting period only (publication.family.GRANULARITY).
    """
    level = "municipality" if scope.is_territorial or filters.municipalities else \
        "country" if filters.countries else "region"
    periods = Periods(default_period(), period_years())
    return (filters.start, filters.end) in periods.at(level)
