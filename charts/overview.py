"""Plotly figures of the regional overview, built from indicator frames (no computation of figures)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n
from charts.style import MUTED, PRIMARY, SEX_COLOURS, base_layout

PROFILE_COLOURS = {
    "returnee": "#0F6E74", "in_transit": "#E07A1F", "settled": "#5E8C31",
    "host_community": "#9C6FB0", "at_risk": "#C44E52",
}


def _display(rows: pd.DataFrame, lang: str) -> list[str]:
    """Each row's count, or the reading of its kind of hidden (its `hidden` column) where it is hidden."""
    kinds = rows["hidden"] if "hidden" in rows else [None] * len(rows)
    return [i18n.format_count(v, lang, k) for v, k in zip(rows["value"], kinds)]


def pyramid(frame: pd.DataFrame, age_order: list[str], lang: str) -> go.Figure:
    """Population pyramid: women to the right, men to the left; a hidden cell reads as its kind ('menos de 5' …)."""
    figure = go.Figure()
    top = float(frame["value"].astype("Float64").fillna(0).max() or 1) * 1.25
    for sex, direction in (("male", -1), ("female", 1)):
        rows = frame[frame["sex"] == sex].set_index("age_group").reindex(age_order)
        # A hidden cell gets a hairline bar on its own side, so its word is written there and not
        # under the other sex's bar.
        values = rows["value"].astype("Float64").fillna(top * 1e-4)
        figure.add_bar(
            y=[i18n.translate(f"age_group.{a}", lang) for a in age_order],
            x=(values * direction).astype(float), orientation="h",
            name=i18n.translate(f"sex.{sex}", lang), marker_color=SEX_COLOURS[sex],
            text=_display(rows, lang), textposition="outside", customdata=_display(rows, lang),
            hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
        )
    layout = base_layout()
    layout.update(barmode="relative", bargap=0.15, height=360,
                  xaxis=dict(range=[-top, top], showticklabels=False, zeroline=True, zerolinecolor=MUTED,
                             title=i18n.translate("chart.count", lang)),
                  yaxis=dict(title=i18n.translate("chart.age_group", lang)))
    figure.update_layout(**layout)
    return figure


def country_profile_bars(frame: pd.DataFrame, countries: list[str], profiles: list[str], lang: str) -> go.Figure:
    """Stacked horizontal bars: people served per country, split by migration profile."""
    figure = go.Figure()
    names = [i18n.translate(f"country.{c}", lang) for c in countries]
    for profile in profiles:
        rows = frame[frame["migration_profile"] == profile].set_index("country").reindex(countries)
        figure.add_bar(
            y=names, x=rows["value"].astype("Float64").fillna(0).astype(float), orientation="h",
            name=i18n.translate(f"migration_profile.{profile}", lang), marker_color=PROFILE_COLOURS[profile],
            customdata=_display(rows, lang),
            hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
        )
    layout = base_layout()
    layout.update(barmode="stack", height=320, xaxis=dict(title=i18n.translate("chart.count", lang)),
                  yaxis=dict(autorange="reversed"))
    figure.update_layout(**layout)
    return figure


def quarterly_trend(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Distinct people per quarter as bars labelled with their value."""
    labels = [i18n.format_quarter(pd.Timestamp(q).date(), lang) for q in frame["quarter"]]
    figure = go.Figure(go.Bar(
        x=labels, y=frame["value"].astype("Float64").fillna(0).astype(float), marker_color=PRIMARY,
        text=_display(frame, lang), textposition="outside",
        hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    layout = base_layout()
    top = float(frame["value"].astype("Float64").fillna(0).max() or 1) * 1.2
    layout.update(height=320, xaxis=dict(title=i18n.translate("chart.quarter", lang), type="category"),
                  yaxis=dict(title=i18n.translate("chart.people", lang), range=[0, top]))
    figure.update_layout(**layout)
    return figure
