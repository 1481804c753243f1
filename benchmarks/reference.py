"""The straightforward reference implementation the benchmark compares the dashboard with.

What a first version of the dashboard would do: on every run, read the canonical CSV files
with pandas (no store, no cache), filter and count people in pandas, build the Plotly charts
and a pydeck choropleth from the boundary files read with geopandas at full resolution. It
computes the same figures as the first screen of

- the overview (``?vista=overview``): the six headline figures, people served by country ×
  migration profile, the sex × age pyramid, the quarterly trend and the department map of
  the region;
- the territorial map (``?vista=territorial_map``): people served by Guatemala municipality
  as a choropleth.

Kept simple and honest: it reads only the columns it needs, lets pandas parse the dates,
groups with pandas, and hides counts of 1–4 (primary suppression only; the dashboard also
applies complementary suppression and audits it). It shares no code with the dashboard, so
the smoke test (tests/test_benchmarks.py) is an independent check of the overview figures.

Run as a Streamlit script (``AppTest.from_file("benchmarks/reference.py")`` in
benchmarks/pages.py), with the same sidebar widget keys as the dashboard (``filters.period``,
``filters.sexes``) so the benchmark changes the same filter on both. The data folder is
``CONEXION_SAMPLE_DIR`` (default: sample_data/).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "sample_data" / "geo"
YEARS = (2022, 2023, 2024, 2025)
PERIOD = (2023, 2024)
SEXES = ("female", "male", "other")  # attendance is counted for female and male only
DEPARTMENT_LAYERS = {"GTM": "gtm_adm1.geojson", "BOL": "bol_adm1.geojson", "COL": "col_adm1.geojson",
                     "PER": "per_adm1.geojson"}
MUNICIPAL_LAYER = "gtm_adm2_shp.zip"
REGION_LAYER = "region_adm0.geojson"
AGE_BINS = [0, 15, 25, 35, 50, 200]  # UN youth brackets 0–14, 15–24, 25–34, 35–49, 50+
AGE_LABELS = ["0_14", "15_24", "25_34", "35_49", "50_plus"]
THRESHOLD = 5  # counts 1..THRESHOLD-1 are hidden
HEADLINES = ("people_served", "miska_participants", "miska_employed", "miska_enterprises", "agents_trained",
             "people_sensitized")


@dataclass(frozen=True)
class Tables:
    participants: pd.DataFrame
    participations: pd.DataFrame
    outcomes: pd.DataFrame
    sessions: pd.DataFrame


def sample_dir() -> Path:
    return Path(os.environ.get("CONEXION_SAMPLE_DIR", ROOT / "sample_data"))


def read_tables(folder: Path) -> Tables:
    """The four CSV files the first screens need, read again on every call."""
    participants = pd.read_csv(
        folder / "participants.csv",
        usecols=["participant_id", "programme", "country", "department_code", "municipality_code", "sex", "age",
                 "migration_profile"],
        dtype={"department_code": str, "municipality_code": str})
    participations = pd.read_csv(folder / "participations.csv",
                                 usecols=["participant_id", "component", "start_date", "end_date", "completed"],
                                 parse_dates=["start_date", "end_date"])
    outcomes = pd.read_csv(folder / "outcomes.csv", usecols=["participant_id", "outcome", "date"], parse_dates=["date"])
    sessions = pd.read_csv(folder / "awareness_sessions.csv", parse_dates=["date"])
    return Tables(participants, participations, outcomes, sessions)


def _people(tables: Tables, sexes: tuple[str, ...]) -> pd.DataFrame:
    people = tables.participants
    return people[people["sex"].isin(sexes)] if sexes else people


def active_ids(tables: Tables, start, end) -> pd.Index:
    """Participants with a participation overlapping [start, end]."""
    parts = tables.participations
    ends = parts["end_date"].fillna(parts["start_date"])
    return pd.Index(parts.loc[(parts["start_date"] <= end) & (ends >= start), "participant_id"].unique())


def headline_figures(tables: Tables, start, end, sexes: tuple[str, ...] = ()) -> dict[str, int]:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    people = _people(tables, sexes).set_index("participant_id")
    served = people[people.index.isin(active_ids(tables, start, end))]
    miska = people[people["programme"] == "miska_reintegration"]
    outcomes = tables.outcomes[tables.outcomes["date"].between(start, end)]
    parts = tables.participations
    completed = parts["completed"].astype(str).str.lower() == "true"
    trained = parts[(parts["component"] == "prevention_agent_training") & completed
                    & parts["end_date"].between(start, end)]["participant_id"]
    agents = people[people["programme"] == "prevention_network"]
    sessions = tables.sessions[tables.sessions["date"].between(start, end)]
    columns = [c for c in sessions.columns if c.startswith(tuple(f"{s}_" for s in (sexes or SEXES)))]
    return {
        "people_served": len(served),
        "miska_participants": int((served["programme"] == "miska_reintegration").sum()),
        "miska_employed": int(miska.index.isin(outcomes.loc[outcomes["outcome"] == "employment", "participant_id"]).sum()),
        "miska_enterprises": int(miska.index.isin(
            outcomes.loc[outcomes["outcome"].isin(["enterprise_started", "enterprise_consolidated"]),
                         "participant_id"]).sum()),
        "agents_trained": int(agents.index.isin(trained).sum()),
        "people_sensitized": int(sessions[columns].to_numpy().sum()),
    }


def served_people(tables: Tables, start, end, sexes: tuple[str, ...] = ()) -> pd.DataFrame:
    people = _people(tables, sexes)
    return people[people["participant_id"].isin(active_ids(tables, pd.Timestamp(start), pd.Timestamp(end)))]


def by_country_profile(served: pd.DataFrame) -> pd.DataFrame:
    return served.groupby(["country", "migration_profile"]).size().rename("value").reset_index()


def pyramid(served: pd.DataFrame) -> pd.DataFrame:
    groups = pd.cut(served["age"], AGE_BINS, right=False, labels=AGE_LABELS)
    return (served.assign(age_group=groups.astype(str)).groupby(["sex", "age_group"]).size()
            .rename("value").reset_index())


def quarterly(tables: Tables, served: pd.DataFrame, start, end) -> pd.DataFrame:
    """People active in each quarter of the period (a person active in two quarters counts in both)."""
    parts = tables.participations[tables.participations["participant_id"].isin(served["participant_id"])]
    ends = parts["end_date"].fillna(parts["start_date"])
    rows = []
    for quarter in pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="Q"):
        first, last = quarter.start_time, quarter.end_time
        rows.append({"quarter": first.date(),
                     "value": parts.loc[(parts["start_date"] <= last) & (ends >= first), "participant_id"].nunique()})
    return pd.DataFrame(rows)


def by_unit(served: pd.DataFrame, level: str, country: str | None = None) -> pd.DataFrame:
    """People served by department (all countries) or by municipality of one country."""
    rows = served if country is None else served[served["country"] == country]
    column = "department_code" if level == "department" else "municipality_code"
    return rows.groupby(["country", column]).size().rename("value").reset_index().rename(columns={column: "code"})


def hide_small(frame: pd.DataFrame) -> pd.DataFrame:
    """Primary suppression only: counts 1..THRESHOLD-1 become missing."""
    values = frame["value"].astype("float")
    return frame.assign(value=values.where((values == 0) | (values >= THRESHOLD)))


# --- charts and maps -----------------------------------------------------------------------

def bar_chart(frame: pd.DataFrame, x: str, colour: str, title: str):
    import plotly.graph_objects as go

    figure = go.Figure()
    for name, part in frame.groupby(colour):
        figure.add_bar(x=part[x], y=part["value"], name=str(name))
    figure.update_layout(title=title, barmode="stack")
    return figure


def pyramid_chart(frame: pd.DataFrame):
    import plotly.graph_objects as go

    figure = go.Figure()
    for sex, sign in (("female", 1), ("male", -1)):
        part = frame[frame["sex"] == sex]
        figure.add_bar(y=part["age_group"], x=sign * part["value"], orientation="h", name=sex)
    figure.update_layout(title="People served by sex and age", barmode="overlay")
    return figure


def trend_chart(frame: pd.DataFrame):
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=frame["quarter"], y=frame["value"], mode="lines+markers"))
    figure.update_layout(title="People served by quarter")
    return figure


def _colours(values: pd.Series) -> list[list[int]]:
    palette = np.array([[222, 235, 247], [158, 202, 225], [66, 146, 198], [33, 113, 181], [8, 48, 107]])
    known = values.dropna()
    if known.empty:
        return [[220, 220, 220, 160]] * len(values)
    edges = np.unique(np.quantile(known, [0.2, 0.4, 0.6, 0.8]))
    classes = np.searchsorted(edges, values.fillna(-1), side="right")
    return [[220, 220, 220, 160] if pd.isna(v) else [*palette[min(c, 4)].tolist(), 200]
            for v, c in zip(values, classes)]


def units_geojson(values: pd.DataFrame, level: str, country: str | None = None) -> dict:
    """The boundary file(s) at full resolution with each unit's value and fill colour."""
    import geopandas as gpd

    if level == "department":
        layers = [gpd.read_file(GEO / name) for code, name in DEPARTMENT_LAYERS.items() if country in (None, code)]
        units = pd.concat(layers, ignore_index=True)
    else:
        units = gpd.read_file(GEO / MUNICIPAL_LAYER)
    units = units[["iso3", "code", "name", "geometry"]].rename(columns={"iso3": "country"})
    units = units.merge(values, on=["country", "code"], how="left")
    units["fill"] = _colours(units["value"])
    units["value"] = units["value"].astype("object").where(units["value"].notna(), None)
    return json.loads(units.to_json())


def outline_geojson() -> dict:
    import geopandas as gpd

    return json.loads(gpd.read_file(GEO / REGION_LAYER)[["iso3", "name", "geometry"]].to_json())


def choropleth(units: dict, outlines: dict | None, latitude: float, longitude: float, zoom: float):
    import pydeck as pdk

    layers = [pdk.Layer("GeoJsonLayer", units, pickable=True, stroked=True, filled=True,
                        get_fill_color="properties.fill", get_line_color=[255, 255, 255], line_width_min_pixels=1)]
    if outlines is not None:
        layers.insert(0, pdk.Layer("GeoJsonLayer", outlines, stroked=True, filled=False,
                                   get_line_color=[120, 120, 120], line_width_min_pixels=1))
    return pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom),
                    map_provider=None, tooltip={"html": "<b>{name}</b><br/>{value}"})


# --- the two first screens as a Streamlit script ---------------------------------------------

def _filters(st) -> tuple[dt.date, dt.date, tuple[str, ...]]:
    first, last = st.sidebar.select_slider("Period", options=YEARS, value=PERIOD, key="filters.period")
    sexes = st.sidebar.multiselect("Sex", SEXES, key="filters.sexes")
    return dt.date(first, 1, 1), dt.date(last, 12, 31), tuple(sexes)


def render_overview(st, tables: Tables, start, end, sexes) -> None:
    st.title("Regional overview (reference)")
    figures = headline_figures(tables, start, end, sexes)
    for column, name in zip(st.columns(3) + st.columns(3), HEADLINES):
        column.metric(name, f"{figures[name]:,}")
    served = served_people(tables, start, end, sexes)
    st.plotly_chart(bar_chart(hide_small(by_country_profile(served)), "country", "migration_profile",
                              "People served by country and migration profile"))
    st.plotly_chart(pyramid_chart(hide_small(pyramid(served))))
    st.plotly_chart(trend_chart(hide_small(quarterly(tables, served, start, end))))
    units = units_geojson(hide_small(by_unit(served, "department")), "department")
    st.pydeck_chart(choropleth(units, outline_geojson(), -2.0, -75.0, 2.6))


def render_territorial_map(st, tables: Tables, start, end, sexes) -> None:
    st.title("Territorial map (reference): people served by municipality, Guatemala")
    served = served_people(tables, start, end, sexes)
    units = units_geojson(hide_small(by_unit(served, "municipality", "GTM")), "municipality", "GTM")
    st.pydeck_chart(choropleth(units, None, 15.6, -90.3, 6.5))


def render() -> None:
    import streamlit as st

    start, end, sexes = _filters(st)
    tables = read_tables(sample_dir())  # every run, no cache: the point of the reference
    if st.query_params.get("vista", "overview") == "territorial_map":
        render_territorial_map(st, tables, start, end, sexes)
    else:
        render_overview(st, tables, start, end, sexes)


if __name__ == "__main__":  # Streamlit runs the script as __main__
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    render()
