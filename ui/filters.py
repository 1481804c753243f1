"""The sidebar's filters: any page's declaration (`indicators.filter_specs`) rendered, as an `indicators.filters.Filters`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from data_loaders.schemas import COUNTRIES
from geo.units import territorial_units
from indicators import reintegration
from indicators.age_groups import age_group_codes
from indicators.filter_specs import SIDES, FilterSpec, PageFilters
from indicators.filters import Filters, Territory, default_period
from indicators.scope import ScopeLike, allowed_countries
from publication.family import Periods
from store import cached
from ui.language import labels, t

Options = Sequence | dict  # codes, or {code: name} where the source names its options


def period_years() -> tuple[int, ...]:
    """The years the period filter offers: those of the data version, and the reporting period's."""
    start, end = default_period()
    years = {*cached.data_years(cached.current_data_version()), *range(start.year, end.year + 1)}
    return tuple(range(min(years), max(years) + 1))


def miska_units(level: str, departments: Sequence[str] = ()) -> pd.DataFrame:
    """Departments or municipalities of the departments where the data has MISKA participants (those of
    `departments` when given), ordered by department and name."""
    offered = {code for country, code in cached.programme_departments(reintegration.PROGRAMME,
                                                                       cached.current_data_version())
               if country == reintegration.COUNTRY}
    units = territorial_units()
    column = "code" if level == "department" else "department_code"
    units = units[(units["country"] == reintegration.COUNTRY) & (units["level"] == level)
                  & units[column].isin(sorted(offered & set(departments) if departments else offered))]
    return units.sort_values(["name"] if level == "department" else ["department_name", "name"])


def _miska_departments(scope: ScopeLike, parent: object) -> dict[str, str]:
    units = miska_units("department")
    return dict(zip(units["code"], units["name"]))


def _miska_municipalities(scope: ScopeLike, departments: object) -> dict[str, str]:
    return {row.code: f"{row.name} ({row.department_name})"
            for row in miska_units("municipality", tuple(departments)).itertuples()}


def _border_sides(scope: ScopeLike, parent: object) -> dict[str, str]:
    return {side: t("network.filters.both") if side == "both" else t(f"country.{side}") for side in SIDES}


# Options that come from the data version or the user's scope, by the name a FilterSpec gives them;
# each gets the user's scope and the value chosen in the filter it depends on.
OPTION_SOURCES: dict[str, Callable[[ScopeLike, object], Options]] = {
    "years": lambda scope, parent: period_years(),
    "countries_in_scope": lambda scope, parent: tuple(
        c for c in COUNTRIES if not scope.is_territorial or c in allowed_countries(scope)),
    "age_groups": lambda scope, bracket_set: tuple(age_group_codes(bracket_set)),
    "miska_departments": _miska_departments,
    "miska_municipalities": _miska_municipalities,
    "border_sides": _border_sides,
}


def options(spec: FilterSpec, scope: ScopeLike, parent: object = None) -> tuple[tuple, Callable[[object], str]]:
    """(options, how each is shown) of a filter, for the user's scope and the value it depends on."""
    offered = OPTION_SOURCES[spec.options](scope, parent) if isinstance(spec.options, str) else spec.options
    if isinstance(offered, dict):
        return tuple(offered), offered.get
    return tuple(offered), labels(spec.labels) if spec.labels else str


def _keep_valid(key: str, offered: tuple) -> None:
    """Drop choices no longer offered (a municipality of a department just deselected)."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in offered]


def _widget(spec: FilterSpec, key: str, offered: tuple, shown: Callable[[object], str]) -> object:
    """Draw one filter in the sidebar and return its value."""
    side, label, help_text = st.sidebar, t(spec.label), t(spec.help) if spec.help else None
    if spec.widget == "period":
        start, end = default_period()
        return side.select_slider(label, options=offered, value=(start.year, end.year), key=key, help=help_text)
    if spec.widget == "select":
        index = offered.index(spec.default) if spec.default else 0
        return side.selectbox(label, offered, index=index, format_func=shown, key=key, help=help_text)
    if spec.widget == "radio":
        return side.radio(label, offered, horizontal=True, format_func=shown, key=key, help=help_text)
    if spec.depends_on and not spec.key_per_choice:
        _keep_valid(key, offered)
    return side.multiselect(label, offered, format_func=shown, placeholder=t("filters.all"), key=key,
                            max_selections=spec.max_selections, help=help_text)


def sidebar(page: PageFilters, scope: ScopeLike) -> Filters:
    """Render a page's declared filters in the sidebar and return what they select (only countries in scope
    are offered)."""
    if page.header:
        st.sidebar.subheader(t("filters.header"))
    chosen: dict[str, object] = {}
    for spec in page.specs():
        parent = chosen[spec.depends_on] if spec.depends_on else None
        key = f"{page.key}.{spec.name}" + (f".{parent}" if spec.key_per_choice else "")
        chosen[spec.name] = _widget(spec, key, *options(spec, scope, parent))
        if spec.note:
            st.sidebar.caption(t(spec.note))
    values = page.filter_values(chosen)
    if page.link_municipality:
        values["municipalities"] = municipality_from_link()
    filters = Filters(**values)
    if page.check_period and not period_offered(filters, scope):
        start, end = default_period()
        st.sidebar.warning(t("filters.period_not_offered", period=f"{start.year}–{end.year}"))
    return filters


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


def period_offered(filters: Filters, scope: ScopeLike) -> bool:
    """Whether the publication family holds the chosen period at the level the filters ask for.

    Regions and countries offer the reporting period and single years; departments and
    municipalities the reporting period only (publication.family.GRANULARITY).
    """
    level = "municipality" if scope.is_territorial or filters.municipalities else \
        "country" if filters.countries else "region"
    periods = Periods(default_period(), period_years())
    return (filters.start, filters.end) in periods.at(level)
