"""Cached reads for the Reintegration (MISKA) page: the published people figures, municipal policies and
base organisations, under the page's filters and the user's scope.

Every count of people comes from the people family and its fates (`publication.reintegration`); the
store gives only the mean scores of the surveyed people, shown where their count is. Policies and
organisations are public institutional facts (no suppression), limited to the MISKA departments and
the filters.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

import settings
from indicators import reintegration as definitions
from indicators import reintegration_facts as miska_facts
from indicators.filters import Filters, SqlCondition
from indicators.reintegration_facts import MiskaFacts
from indicators.scope import ScopeLike, scoped_filters
from publication import reintegration as published_figures
from publication.published import PublishedFamily
from store import cached


def survey_means(con: duckdb.DuckDBPyConnection, filters: Filters, weights: dict[str, float],
                 facts: MiskaFacts | None) -> pd.DataFrame:
    """Surveyed people and their mean scores by group (`indicators.reintegration.split_survey`), from the
    MISKA person facts when they answer the filters, else directly."""
    if facts is None or not miska_facts.answers(filters):
        rows = con.execute(*definitions.survey_query(filters, weights)).df()
    else:
        con.register(miska_facts.VIEW, facts.table)
        try:
            rows = con.execute(*miska_facts.survey_query(facts, filters, weights)).df()
        finally:
            con.unregister(miska_facts.VIEW)
    return definitions.split_survey(rows, filters)


def compute(con: duckdb.DuckDBPyConnection, published: PublishedFamily, filters: Filters, weights: dict[str, float],
            k: int, facts: MiskaFacts | None = None) -> definitions.ReintegrationFigures:
    """The page's figures (uncached; the page uses `figures`)."""
    return published_figures.figures(published, filters, survey_means(con, filters, weights, facts), k, weights)


@st.cache_resource(show_spinner=False, max_entries=4)
def _miska_facts(store: str, version: int) -> MiskaFacts | None:
    """Built once per data version and shared by every session (read-only)."""
    with cached.cursor() as con:
        return miska_facts.build(con)


@st.cache_data(show_spinner=False, max_entries=256)
def _figures_cached(filters: Filters, weights: tuple[tuple[str, float], ...], k: int,
                    version: int) -> definitions.ReintegrationFigures:
    store = str(cached.store_path())
    facts = (cached.prepared_once("data.progress.facts", ("miska", store, version), lambda: _miska_facts(store, version))
             if miska_facts.answers(filters) else None)
    published = cached.published_of(version)("people")
    with cached.cursor() as con:
        return compute(con, published, filters, dict(weights), k, facts)


def figures(filters: Filters, *, scope: ScopeLike) -> definitions.ReintegrationFigures:
    """The published figures of the page (raises OutOfScopeError for territory outside the scope)."""
    filters = scoped_filters(filters, scope)
    weights = tuple(sorted(settings.reintegration_weights().items()))
    return _figures_cached(filters, weights, settings.suppression_threshold(), cached.current_data_version())


def _territory_condition(filters: Filters, table_alias: str = "t") -> SqlCondition:
    """Guatemala, the MISKA departments, and the department / municipality filters (codes: 4 digits, the
    first two are the department)."""
    condition = SqlCondition()
    condition.add(f"{table_alias}.country = ?", definitions.COUNTRY)
    condition.add_in(f"left({table_alias}.municipality_code, 2)", definitions.DEPARTMENTS)
    condition.add_territories(f"{table_alias}.country", f"left({table_alias}.municipality_code, 2)",
                              filters.departments)
    condition.add_territories(f"{table_alias}.country", f"{table_alias}.municipality_code", filters.municipalities)
    return condition


@st.cache_data(show_spinner=False, max_entries=128)
def _institutional(table: str, filters: Filters, version: int) -> pd.DataFrame:
    condition = _territory_condition(filters)
    with cached.cursor() as con:
        return con.execute(f'SELECT * FROM "{table}" t WHERE {condition.sql()}', condition.params).df()


def policies(filters: Filters, *, scope: ScopeLike) -> pd.DataFrame:
    """Every status change of the municipal migration policies in the filtered territory."""
    filters = scoped_filters(filters, scope)
    return _institutional("municipal_policies", filters, cached.current_data_version())


def organisations(filters: Filters, *, scope: ScopeLike) -> pd.DataFrame:
    """Base organisations with their seat in the filtered territory (public facts, not people)."""
    filters = scoped_filters(filters, scope)
    return _institutional("base_organisations", filters, cached.current_data_version())
