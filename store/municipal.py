"""Cached, scope-checked reads for the My municipality page and its factsheet.

Person figures come through `store.cached` (indicator / linked) with the user's scope; this
module adds the municipal facts the indicator registry does not hold (policies, base
organisations, people per component) and assembles one `MunicipalProfile`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from data_loaders.schemas import COMPONENTS
from geo.units import territorial_units
from indicators import person_facts
from indicators.age_groups import age_group_codes
from indicators.filters import Filters, Territory, participant_condition
from indicators.person_facts import PersonFacts
from indicators.municipal import COUNT_FIGURES, Figure, MunicipalProfile, Place, department_columns, figure_of, \
    latest_policy_status, organisations_summary, protect_components
from indicators.scope import ScopeLike, scoped_filters
from store import cached

# MISKA participants are the people served in the MISKA programme: taken from the programme
# breakdown so that they are protected together with the total (otherwise a protected total
# could be read off a municipality where only MISKA works).
# Listed by importance: a breakdown that would hide the total is withheld, the last first (indicators.linked).
PEOPLE_BREAKDOWNS = (("programme",), ("sex", "age_group"), ("migration_profile",))
SEPARATE_FIGURES = ("miska_employed", "miska_enterprises", "agents_trained", "people_sensitized")


class UnknownMunicipalityError(LookupError):
    """The (country, code) pair is not in the catalogue of territorial units."""


def place_of(municipality: Territory) -> Place:
    units = territorial_units()
    rows = units[(units["level"] == "municipality") & (units["country"] == municipality[0])
                 & (units["code"] == municipality[1])]
    if rows.empty:
        raise UnknownMunicipalityError(f"{municipality[0]}-{municipality[1]}")
    row = rows.iloc[0]
    return Place(row["country"], row["code"], row["name"], row["department_code"], row["department_name"])


def level_filters(place: Place, scope: ScopeLike, base: Filters | None = None) -> dict[str, Filters]:
    """The filters of each level shown.

    A municipal official's scope gives no total beyond their department (indicators.scope
    narrows a country request to their municipalities), so they compare with the department only.
    """
    base = base or Filters()
    levels = {
        "municipality": base.with_(municipalities=((place.country, place.code),)),
        "department": base.with_(departments=((place.country, place.department_code),)),
    }
    if not scope.is_territorial:
        levels["reference"] = base
    return levels


@st.cache_resource(show_spinner=False, max_entries=4)
def _facts_by_component(store: str, version: int) -> PersonFacts | None:
    """Built once per data version and shared by every session (read-only)."""
    with cached.cursor() as con:
        return person_facts.build_by_component(con)


# The place of each municipality's count, for `_department_columns`.
PLACE_COLUMNS = ("p.country", "p.department_code", "p.municipality_code")


def component_counts_query(filters: Filters, by_place: bool = False) -> tuple[str, list[object]]:
    """Distinct people per component with a participation in it overlapping the period, from the store; with
    `by_place`, per municipality (country, department_code, municipality_code, component, value)."""
    condition = participant_condition(filters)
    places = "".join(f"{column}, " for column in PLACE_COLUMNS) if by_place else ""
    located = " AND p.municipality_code IS NOT NULL" if by_place else ""
    query = (
        f"SELECT {places}c.component, count(DISTINCT c.participant_id) AS value FROM participations c "
        "JOIN participants p ON p.participant_id = c.participant_id "
        "WHERE c.start_date <= ? AND coalesce(c.end_date, c.start_date) >= ? AND " + condition.sql() + located +
        " GROUP BY ALL ORDER BY ALL"
    )
    return query, [filters.end, filters.start, *condition.params]


def raw_component_counts(con, filters: Filters, facts: PersonFacts | None) -> pd.DataFrame:
    """(component, value) rows: from the facts by component when they answer the filters, else directly."""
    if facts is not None and person_facts.answers(filters, ()):
        return person_facts.people_counts(con, facts, filters, "p.component AS component", ["component"],
                                          participant_condition(filters))
    return con.execute(*component_counts_query(filters)).df()


@st.cache_data(show_spinner=False, max_entries=256)
def _component_counts(filters: Filters, version: int) -> pd.DataFrame:
    """Distinct people per component with a participation overlapping the period (unprotected: stays here)."""
    facts = _facts_by_component(str(cached.store_path()), version) if person_facts.answers(filters, ()) else None
    with cached.cursor() as con:
        raw = raw_component_counts(con, filters, facts)
    return pd.DataFrame({"component": list(COMPONENTS)}).merge(raw, on="component", how="left").fillna({"value": 0})


@st.cache_resource(show_spinner=False, max_entries=8)
def _department_columns(start, end, store: str, version: int) -> dict[tuple, str]:
    """The municipal component counts to hide because their department's count is published elsewhere
    (`indicators.municipal.department_columns`), decided once per data version and period for every session."""
    from publication.family import offered
    from publication.miska import stage_cell
    from publication.protection import PUBLISHED

    period = (start, end)
    with cached.cursor() as con:
        counts = con.execute(*component_counts_query(Filters(start=start, end=end), by_place=True)).df()
    people = cached.published_of(version)("people")
    totals, bases = {}, {}
    for country, department, component in counts[["country", "department_code", "component"]].drop_duplicates() \
            .itertuples(index=False):
        cell = stage_cell(component, period, (country, "department", department))
        if cell in people.family.values and offered(cell, people.family.periods):  # published on Reintegration
            value = people.family.values.get(cell, 0)
            totals[(country, department, component)] = (value, people.fate(cell, value) == PUBLISHED)
    for country, code in counts[["country", "municipality_code"]].drop_duplicates().itertuples(index=False):
        cell = ("people_served", period, (country, "municipality", code), ())  # the municipality's people served
        value = people.family.values.get(cell, 0)
        bases[(country, code)] = value if people.fate(cell, value) == PUBLISHED else None
    return department_columns(counts, totals, bases, settings.suppression_threshold(), int(settings.get("audit_margin")))


def components(filters: Filters, base: Figure, *, scope: ScopeLike) -> pd.DataFrame:
    """People per component (component, value, suppressed, hidden) of one municipality, protected against the
    people served beside it and against its department's counts published elsewhere."""
    filters = scoped_filters(filters, scope)
    counts = _component_counts(filters, cached.current_data_version())
    shown = protect_components(counts, base, settings.suppression_threshold())
    if len(filters.municipalities) != 1:
        return shown
    (country, code), = filters.municipalities
    extra = _department_columns(filters.start, filters.end, str(cached.store_path()), cached.current_data_version())
    kinds = [extra.get((country, code, component)) for component in shown["component"]]
    more = pd.Series([kind is not None and not hidden for kind, hidden in zip(kinds, shown["suppressed"])],
                     index=shown.index)
    return shown.assign(value=shown["value"].mask(more), suppressed=shown["suppressed"] | more,
                        hidden=[kind if add else old for kind, add, old in zip(kinds, more, shown["hidden"])])


@st.cache_data(show_spinner=False, max_entries=256)
def _facts(table: str, country: str, code: str, version: int) -> pd.DataFrame:
    with cached.cursor() as con:
        return con.execute(f'SELECT * FROM "{table}" WHERE country = ? AND municipality_code = ?',
                           [country, code]).df()


def policies(municipality: Territory, *, scope: ScopeLike) -> pd.DataFrame:
    """The latest status of each municipal migration policy of the municipality."""
    scoped_filters(Filters(municipalities=(municipality,)), scope)
    return latest_policy_status(_facts("municipal_policies", *municipality, cached.current_data_version()))


def organisations(municipality: Territory, *, scope: ScopeLike) -> pd.DataFrame:
    """Base organisations with their seat in the municipality: public name and members."""
    scoped_filters(Filters(municipalities=(municipality,)), scope)
    return organisations_summary(_facts("base_organisations", *municipality, cached.current_data_version()))


def _long(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return pd.concat([f.assign(level=level) for level, f in frames.items()], ignore_index=True)


def municipal_profile(municipality: Territory, *, scope: ScopeLike, base: Filters | None = None) -> MunicipalProfile:
    """Every figure of the page and the factsheet for one municipality (raises OutOfScopeError outside the scope)."""
    scoped_filters(Filters(municipalities=(municipality,)), scope)
    place = place_of(municipality)
    levels = level_filters(place, scope, base)
    figures: dict[str, dict[str, Figure]] = {i: {} for i in COUNT_FIGURES}
    sex_age, profiles, per_component = {}, {}, {}
    for level in levels:
        # The total and its breakdowns are shown together, so they are protected together.
        served, (by_programme, pyramid, by_profile) = cached.linked("people_served", levels[level],
                                                                    PEOPLE_BREAKDOWNS, scope=scope)
        figures["people_served"][level] = figure_of(served)
        miska = by_programme[by_programme["programme"] == "miska_reintegration"]
        figures["miska_participants"][level] = figure_of(miska)
        sex_age[level], profiles[level] = pyramid, by_profile
        for indicator_id in SEPARATE_FIGURES:
            figures[indicator_id][level] = figure_of(cached.indicator(indicator_id, levels[level], scope=scope))
        if level == "municipality":  # a department's count beside its municipalities' would give a hidden one away
            per_component[level] = components(levels[level], figures["people_served"][level], scope=scope)
    filters = levels["municipality"]
    return MunicipalProfile(
        place=place, start=filters.start, end=filters.end,
        levels=tuple(levels),
        figures=figures, pyramid=sex_age["municipality"], age_order=age_group_codes(filters.bracket_set),
        sex_age=_long(sex_age), profiles=_long(profiles), components=_long(per_component),
        policies=policies(municipality, scope=scope), organisations=organisations(municipality, scope=scope),
        data_date=cached.data_updated_on(cached.current_data_version()),
    )


def municipalities_offered(scope: ScopeLike) -> pd.DataFrame:
    """Municipalities the user may pick: country, code, name, department_code, department_name."""
    units = territorial_units()
    units = units[units["level"] == "municipality"]
    if scope.is_territorial:
        wanted = set(scope.municipalities)
        units = units[[(c, k) in wanted for c, k in zip(units["country"], units["code"])]]
    return units[["country", "code", "name", "department_code", "department_name"]].reset_index(drop=True)
