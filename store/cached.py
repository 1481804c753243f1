"""Cached access to the store for the app: one connection per process, results keyed on the data version.

Caches are shared by every session; anything scoped to a user is applied after them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import settings
from data_loaders.canonical import read_dataset
from indicators.compute import compute
from indicators import person_facts
from indicators.filters import Filters
from indicators.person_facts import FactsSource, PersonFacts
from indicators.registry import get_indicator
from indicators.linked import LinkedResult, compute_linked
from publication import published as publication
from publication.published import PublishedFamily
from publication.sources import FAMILY_INDICATORS, protected_family_id, published_family
from indicators.scope import ScopeLike, scoped_filters, scoped_rows
from geo.overrides import override_dir
from store.backup import has_history, store_lock
from store.boundary_imports import sync_boundary_files
from store.database import STORE_FILE, build_store, data_version, live_connection


def progress(message_key: str):
    """A spinner saying, in the session's language, what is being prepared; Streamlit draws it only when
    the work takes more than half a second, so a quick answer shows nothing."""
    from ui.language import t

    return st.spinner(t(message_key))


_prepared: set[tuple] = set()


def prepared_once(message_key: str, key: tuple, make):
    """`make()` (a cached builder), under `progress(message_key)` the first time this process asks for
    `key` (a cache miss, up to a minute on the sample data); no spinner element once it is ready."""
    if key in _prepared:
        return make()
    with progress(message_key):
        result = make()
    _prepared.add(key)
    return result


def store_path() -> Path:
    return settings.data_dir() / STORE_FILE


def load_validated(path: Path, dataset: str) -> pd.DataFrame:
    return read_dataset(path, dataset).frame


_synced: dict[str, duckdb.DuckDBPyConnection] = {}


def get_connection() -> duckdb.DuckDBPyConnection:
    """The process-wide store connection, reopened whenever the store file was replaced.

    A brand-new data folder gets a store built from the sample data (first run). A store
    that existed (it has backups) and is now missing, or a damaged one, raises StoreError:
    the app says so and offers recovery, it never starts silently with other figures.
    """
    path = store_path()
    if not path.exists() and not has_history(path):
        with store_lock(path), progress("data.progress.store"):
            if not path.exists() and not has_history(path):
                build_store(path, settings.sample_dir(), load_validated)
    con, reopened = live_connection(path)
    if reopened:  # replaced by an import, undo or recovery: drop every cached figure at once
        st.cache_data.clear()
        st.cache_resource.clear()  # the facts built from the replaced file (person facts, MISKA facts)
    if _synced.get(str(path)) is not con:  # a store opened in this process: its imported boundaries to the maps
        with con.cursor() as reader:
            sync_boundary_files(reader, override_dir())
        _synced[str(path)] = con
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the shared connection: DuckDB connections are not shared across threads."""
    return get_connection().cursor()


_versions: dict[str, tuple[duckdb.DuckDBPyConnection, int]] = {}


def current_data_version() -> int:
    """The data version of the live store, read once per opened file: the live store is read-only and
    only ever replaced by renaming a new file over it, which opens a new connection (a page asks ~20 times
    per run)."""
    con, key = get_connection(), str(store_path())
    held = _versions.get(key)
    if held is None or held[0] is not con:
        with con.cursor() as reader:
            held = _versions[key] = (con, data_version(reader))
    return held[1]


@st.cache_resource(show_spinner=False, max_entries=16)
def _person_facts(indicator_id: str, unit: str, store: str, version: int) -> PersonFacts | None:
    """Built once per data version and shared by every session (read-only, never copied)."""
    with cursor() as con:
        return person_facts.build(con, get_indicator(indicator_id), unit)


def facts_source(version: int) -> FactsSource:
    """The person facts of the current store, built on first use (indicators.person_facts)."""
    store = str(store_path())

    def facts(indicator, unit: str) -> PersonFacts | None:
        key = (indicator.id, unit, store, version)
        return prepared_once("data.progress.facts", key, lambda: _person_facts(*key))

    return facts


# Its spinner (the first time a data version is protected, about a minute on the sample data) is
# `published_of`'s, in the session's language: a decorator's message is fixed before any session.
@st.cache_resource(show_spinner=False, max_entries=16)
def _published(family_id: str, store: str, version: int) -> PublishedFamily:
    """The fates of a publication family, decided once per data version for every session and process."""
    with cursor() as con:
        return published_family(con, family_id, settings.suppression_threshold(), int(settings.get("audit_margin")),
                                settings.cache_dir(), facts=facts_source(version))


def published_of(version: int):
    """The publication family of an indicator family id, for the current store."""
    store = str(store_path())

    def family(family_id: str) -> PublishedFamily:
        key = (protected_family_id(family_id), store, version)
        return prepared_once("data.progress.protecting", key, lambda: _published(*key))

    return family


def _by_family(indicator_id: str) -> bool:
    return publication.is_published_by_family(indicator_id, FAMILY_INDICATORS)


@st.cache_data(show_spinner=False, max_entries=512)
def _compute_cached(indicator_id: str, filters: Filters, by: tuple[str, ...], version: int) -> pd.DataFrame:
    with cursor() as con:
        if not _by_family(indicator_id):
            return compute(con, indicator_id, filters, by, facts=facts_source(version))
        if get_indicator(indicator_id).kind == "share":
            return publication.share(con, published_of(version), indicator_id, filters, by, facts_source(version))
        family = published_of(version)(publication.family_of(indicator_id)[0])
        return publication.people(con, family, indicator_id, filters, by, facts_source(version))[0]


def indicator(indicator_id: str, filters: Filters, by: tuple[str, ...] = (), *, scope: ScopeLike) -> pd.DataFrame:
    """Suppressed, aggregated indicator values the user may see.

    The cache is shared across sessions and keyed on filters only; the scope narrows the
    filters before it (raising OutOfScopeError) and the rows after it.
    """
    filters = scoped_filters(filters, scope)
    return scoped_rows(_compute_cached(indicator_id, filters, tuple(by), current_data_version()), scope)


@st.cache_data(show_spinner=False, max_entries=256)
def _linked_cached(indicator_id: str, filters: Filters, breakdowns: tuple, version: int) -> LinkedResult:
    with cursor() as con:
        if not _by_family(indicator_id):
            return compute_linked(con, indicator_id, filters, breakdowns, facts=facts_source(version))
        family = published_of(version)(publication.family_of(indicator_id)[0])
        total, _ = publication.people(con, family, indicator_id, filters, (), facts_source(version))
        answers = [publication.people(con, family, indicator_id, filters, by, facts_source(version))
                   for by in breakdowns]
        return LinkedResult(total, tuple(frame for frame, _ in answers), None, frozenset(),
                            tuple(i for i, (_, withheld) in enumerate(answers) if withheld))


def linked(indicator_id: str, filters: Filters, breakdowns: tuple[tuple[str, ...], ...], *,
           scope: ScopeLike) -> tuple[pd.DataFrame, tuple[pd.DataFrame, ...]]:
    """(total, breakdowns) published together on one page, protected together, limited to the scope."""
    filters = scoped_filters(filters, scope)
    result = _linked_cached(indicator_id, filters, tuple(breakdowns), current_data_version())
    return result.total, tuple(scoped_rows(frame, scope) for frame in result.breakdowns)


@st.cache_data(show_spinner=False)
def data_years(version: int) -> tuple[int, ...]:
    """Every calendar year in which someone took part or a session was held (the period filter's options)."""
    with cursor() as con:
        rows = con.execute(
            "SELECT DISTINCT CAST(year(d) AS INTEGER) FROM (SELECT start_date AS d FROM participations "
            "UNION SELECT coalesce(end_date, start_date) FROM participations UNION SELECT date FROM awareness_sessions) "
            "WHERE d IS NOT NULL ORDER BY 1").fetchall()
    return tuple(year for (year,) in rows)


@st.cache_data(show_spinner=False)
def data_updated_on(version: int):
    """Date of the latest import: the "data as of" date shown under every view."""
    with cursor() as con:
        return con.execute("SELECT CAST(max(imported_at) AS DATE) FROM import_log").fetchone()[0]


@st.cache_data(show_spinner=False)
def programme_departments(programme: str, version: int) -> tuple[tuple[str, str], ...]:
    """(country, department code) of every department where the programme has participants (filter options)."""
    with cursor() as con:
        rows = con.execute("SELECT DISTINCT country, department_code FROM participants WHERE programme = ? "
                           "AND department_code IS NOT NULL ORDER BY 1, 2", [programme]).fetchall()
    return tuple((country, code) for country, code in rows)
