"""Throwaway app for tests: one chart and one table with their download widgets (ui/exports.py), as a presenter."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from auth.roles import Role, Scope
from exports.tables import TableNotes, with_hidden
from i18n import SMALL
from ui.exports import chart_downloads, table_downloads
from ui.language import current_language, language_selector
from ui.session import SCOPE_KEY

st.session_state.setdefault(SCOPE_KEY, Scope("presentador", Role.PRESENTER))
language_selector()
lang = current_language()
figure = go.Figure(go.Bar(x=["Mujeres", "Hombres"], y=[820, 650]))
figure.update_layout(title="Personas atendidas en Totonicapán")
st.plotly_chart(figure, key="chart")
chart_downloads(figure, "people_by_sex")
frame = with_hidden(pd.DataFrame({
    "country": ["GTM", "GTM", "GTM"],
    "municipality_code": ["0801", "0903", "0904"],
    "municipality_name": ["Totonicapán", "San Juan Ostuncalco", "San Mateo"],
    "value": pd.array([1470, pd.NA, 12], dtype="Int64"),
}), {"value": [None, SMALL, None]})  # the hidden count is small: its files read "menos de 5" / "fewer than 5"
st.dataframe(frame, key="table")
table_downloads(frame, "people_by_municipality",
                TableNotes("Personas atendidas por municipio", lang, "Registros del programa", dt.date(2025, 1, 15)),
                indicator="people_served")
st.write("RUN")
