"""Cached reads for the Reintegration (MISKA) page: the protected people figures, municipal policies and
base organisations, under the page's filters and the user's scope.

People figures are aggregated in DuckDB (indicators.reintegration queries), turned into one CellTable (indicators.reintegration_cells) and
protected once; only the protected `ReintegrationFigures` leave this module. Policies and organisations
are public institutional facts (no suppression), limited to the MISKA departments and the filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

import settings
from indicators import reintegration as definitions
from indicators import reintegration_cells as cells
from indicators import reintegration_facts as miska_facts
from indicators.reintegration_facts import MiskaFacts
from indicators.filters import Filters, SqlCondition
from indicators.scope import ScopeLike, scoped_filters
from privacy.cells import CellTable
from privacy.suppression import protect
from store import cached


@dataclass(frozen=True)
class Protected:
    """The cell table of a page view, the cells it suppresses and the figures published from them."""

    table: CellTable
    suppressed: frozenset
    figures: definitions.ReintegrationFigures


def _aggregates(con: duckdb.DuckDBPyConnection, filters: Filters, weights: dict[str, float],
                facts: MiskaFacts | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(people rows, survey rows): from the MISKA person facts when they answer the filters, else directly."""
    if facts is None or not miska_facts.answers(filters):
        return (con.execute(*definitions.people_query(filters)).df(),
                con.execute(*definitions.survey_query(filters, weights)).df())
    con.register(miska_facts.VIEW, facts.table)
    try:
        return (con.execute(*miska_facts.people_query(facts, filters)).df(),
                con.execute(*miska_facts.survey_query(facts, filters, weights)).df())
    finally:
        con.unregister(miska_facts.VIEW)


def compute(con: duckdb.DuckDBPyConnection, filters: Filters, weights: dict[str, float], k: int,
            margin: int, facts: MiskaFacts | None = None) -> Protected:
    """Aggregate, build the view's one cell table, protect it and publish (uncached; the page uses `figures`).

    The first plan (everything) is kept unless its pattern hides a headline total that the totals
    alone would publish; then the next, smaller plan is tried (`cells.PLANS`).
    """
    people_rows, survey_rows = _aggregates(con, filters, weights, facts)
    people = definitions.split_people(people_rows, filters)
    survey = definitions.split_survey(survey_rows, filters)
    minimal = cells.cell_table(people, survey, cells.PLANS[-1])
    forced = protect(minimal, k, margin) & set(cells.PRIORITY)
    for plan in cells.PLANS:
        table = cells.cell_table(people, survey, plan)
        suppressed = protect(table, k, margin)
        if suppressed & set(cells.PRIORITY) <= forced:
            break
    figures = cells.publish(table, suppressed, people, survey, plan, filters, k, weights)
    return Protected(table, frozenset(suppressed), figures)


@st.cache_resource(show_spinner=False, max_entries=4)
def _miska_facts(store: str, version: int) -> MiskaFacts | None:
    """Built once per data version and shared by every session (read-only)."""
    with cached.cursor() as con:
        return miska_facts.build(con)


@st.cache_data(show_spinner=False, max_entries=256)
def _figures_cached(filters: Filters, weights: tuple[tuple[str, float], ...], k: int, margin: int,
                    version: int) -> definitions.ReintegrationFigures:
    facts = _miska_facts(str(cached.store_path()), version) if miska_facts.answers(filters) else None
    with cached.cursor() as con:
        return compute(con, filters, dict(weights), k, margin, facts).figures


def figures(filters: Filters, *, scope: ScopeLike) -> definitions.ReintegrationFigures:
    """The protected figures of the page (raises OutOfScopeError for territory outside the scope)."""
    filters = scoped_filters(filters, scope)
    weights = tuple(sorted(settings.reintegration_weights().items()))
    return _figures_cached(filters, weights, settings.suppression_threshold(), int(settings.get("audit_margin")),
                           cached.current_data_version())


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
