"""Cached reads for the Prevention network page: the network (institutions, ties), the published reach of
agents trained and people sensitized, and the territorial units drawn around the institutions.

Every figure of reach is a cell of its publication family (`publication.published`), with the fate decided
once per data version: the same on this page, the overview, the forum deck and every download.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.filters import Filters
from indicators.network import AGENT_BREAKDOWNS, SESSION_BREAKDOWNS, Reach, cumulative_series
from indicators.scope import ScopeLike, scoped_filters, scoped_rows
from publication import published as publication
from store import cached

BREAKDOWNS = {"agents_trained": AGENT_BREAKDOWNS, "people_sensitized": SESSION_BREAKDOWNS}
INSTITUTION_COLUMNS = ["institution_id", "name", "type", "country", "municipality_code", "lat", "lon", "joined_date"]
TIE_COLUMNS = ["source_id", "target_id", "tie_type", "since_date"]


@st.cache_data(show_spinner=False, max_entries=4)
def _table(name: str, columns: tuple[str, ...], version: int) -> pd.DataFrame:
    with cached.cursor() as con:
        return con.execute(f'SELECT {", ".join(columns)} FROM "{name}" ORDER BY 1, 2').df()


def institutions() -> pd.DataFrame:
    """Every registered institution of the network (public facts: name, type, place, coordinates)."""
    frame = _table("network_institutions", tuple(INSTITUTION_COLUMNS), cached.current_data_version())
    return frame.astype({"lat": float, "lon": float})


def ties() -> pd.DataFrame:
    """Every registered tie between two institutions (public facts)."""
    return _table("network_ties", tuple(TIE_COLUMNS), cached.current_data_version())


@st.cache_data(show_spinner=False, max_entries=128)
def _reach(indicator_id: str, filters: Filters, version: int) -> Reach:
    family = cached.published_of(version)(indicator_id)
    facts = cached.facts_source(version)
    with cached.cursor() as con:
        total, _ = publication.people(con, family, indicator_id, filters, (), facts)
        frames = {name: publication.people(con, family, indicator_id, filters, by, facts)[0]
                  for name, by in BREAKDOWNS[indicator_id].items()}
    return Reach(total, frames, cumulative_series(frames["quarter"]))


def reach(indicator_id: str, filters: Filters, *, scope: ScopeLike) -> Reach:
    """Agents trained or people sensitized under `filters`: total, breakdowns (country, municipality,
    institution, sex × age group, topic, audience, quarter) and the cumulative quarterly series, as published;
    territorial rows limited to the scope."""
    filters = scoped_filters(filters, scope)
    result = _reach(indicator_id, filters, cached.current_data_version())
    if not scope.is_territorial:
        return result
    visible = {name: scoped_rows(frame, scope) for name, frame in result.breakdowns.items()}
    return Reach(result.total, visible, result.cumulative)


@st.cache_data(show_spinner=False, max_entries=4)
def _units_around(hosts: tuple[tuple[str, str], ...], version: int) -> tuple[tuple[str, str], ...]:
    """Municipal units that host an institution and the units touching them, in any of the hosts' countries
    (a hair of tolerance joins the two countries' layers, drawn from different sources, at the border)."""
    from geo.boundaries import load_layer
    from geo.units import has_layer

    countries = sorted({country for country, _ in hosts if has_layer(country, "municipality")})
    if not countries:
        return ()
    layers = pd.concat([load_layer(c, "municipality") for c in countries], ignore_index=True)
    wanted = set(hosts)
    hosting = layers[[(c, k) in wanted for c, k in zip(layers["country"], layers["code"])]]
    if hosting.empty:
        return ()
    area = hosting.geometry.union_all()
    near = layers[layers.geometry.intersects(area.buffer(0.002))]
    return tuple(sorted(zip(near["country"], near["code"])))


def units_around(nodes: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """(country, code) of the municipal units drawn on the map: hosts of `nodes` and their neighbours."""
    hosts = tuple(sorted(set(zip(nodes["country"], nodes["municipality_code"]))))
    return _units_around(hosts, cached.current_data_version())


@st.cache_data(show_spinner=False, max_entries=2)
def _border(version: int) -> dict:
    import shapely
    from shapely.geometry import mapping

    from geo.boundaries import load_layer

    bolivia = load_layer("BOL", "department").geometry.union_all()
    peru = load_layer("PER", "department").geometry.union_all()
    line = shapely.simplify(bolivia.boundary.intersection(peru.buffer(0.01)), 0.0005)
    geometry = mapping(line)
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": _lists(geometry)}]}


def _lists(geometry: dict) -> dict:
    """A GeoJSON geometry with nested lists (shapely gives tuples) rounded to ~11 m."""
    def walk(value):
        if isinstance(value, (tuple, list)) and value and isinstance(value[0], (int, float)):
            return [round(float(v), 4) for v in value]
        return [walk(v) for v in value] if isinstance(value, (tuple, list)) else value
    return {key: walk(value) if key == "coordinates" else value for key, value in geometry.items()}


def border_line() -> dict:
    """The Bolivia–Peru border as a GeoJSON line: Bolivia's departments' outline where it meets Peru's
    (both layers carry the municipal boundaries drawn on the map, so the line matches them)."""
    return _border(cached.current_data_version())
