"""Pieces of the Reintegration (MISKA) page: its sidebar filters and the sections that show the protected figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import i18n
from charts import reintegration as charts
from charts.overview import pyramid
from data_loaders.schemas import ETHNICITIES, MAYA_ETHNICITIES, MISKA_COMPONENTS, SEXES
from geo.units import territorial_units
from indicators import reintegration as definitions
from indicators.age_groups import BRACKET_SETS, DEFAULT_BRACKET_SET, age_group_codes
from indicators.filters import Filters, default_period
from indicators.reintegration import ReintegrationFigures
from ui.filters import YEARS
from ui.language import current_language, date, number, share, t

KEY = "reintegration"
ETHNICITY_OPTIONS = (*MAYA_ETHNICITIES, "mestizo", "other", "not_stated")
assert set(ETHNICITY_OPTIONS) <= set(ETHNICITIES)


# --- filters ------------------------------------------------------------------------------------

def _keep_valid(key: str, options: list) -> None:
    """Drop choices no longer offered (a municipality of a department just deselected)."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def _units(level: str) -> pd.DataFrame:
    units = territorial_units()
    return units[(units["country"] == definitions.COUNTRY) & (units["level"] == level)
                 & units["department_code"].isin(definitions.DEPARTMENTS)]


def sidebar_filters() -> Filters:
    """The page's own filters (keys `reintegration.*`), as a `Filters` value of the MISKA programme."""
    side = st.sidebar
    side.subheader(t("filters.header"))
    start, end = default_period()
    first, last = side.select_slider(t("filters.period"), options=YEARS, value=(start.year, end.year),
                                     key=f"{KEY}.period")
    departments = _units("department").set_index("code")["name"]
    chosen_departments = side.multiselect(
        t("reintegration.filters.department"), [c for c in definitions.DEPARTMENTS if c in departments.index],
        format_func=lambda c: departments[c], placeholder=t("filters.all"), key=f"{KEY}.departments")
    municipalities = _units("municipality")
    if chosen_departments:
        municipalities = municipalities[municipalities["department_code"].isin(chosen_departments)]
    municipalities = municipalities.sort_values(["department_name", "name"])
    labels = {row.code: f"{row.name} ({row.department_name})" for row in municipalities.itertuples()}
    _keep_valid(f"{KEY}.municipalities", list(labels))
    chosen_municipalities = side.multiselect(
        t("reintegration.filters.municipality"), list(labels), format_func=labels.get,
        placeholder=t("filters.all"), key=f"{KEY}.municipalities")
    sexes = side.multiselect(t("filters.sex"), SEXES, format_func=lambda c: t(f"sex.{c}"),
                             placeholder=t("filters.all"), key=f"{KEY}.sexes")
    bracket_set = side.selectbox(
        t("filters.age_set"), tuple(BRACKET_SETS), index=tuple(BRACKET_SETS).index(DEFAULT_BRACKET_SET),
        format_func=lambda c: t(f"age_set.{c}"), key=f"{KEY}.bracket_set")
    age_groups = side.multiselect(
        t("filters.age_group"), age_group_codes(bracket_set), format_func=lambda c: t(f"age_group.{c}"),
        placeholder=t("filters.all"), key=f"{KEY}.age_groups.{bracket_set}")
    ethnicities = side.multiselect(t("reintegration.filters.ethnicity"), ETHNICITY_OPTIONS,
                                   format_func=lambda c: t(f"ethnicity.{c}"), placeholder=t("filters.all"),
                                   key=f"{KEY}.ethnicities")
    components = side.multiselect(t("reintegration.filters.component"), MISKA_COMPONENTS,
                                  format_func=lambda c: t(f"municipality.component.{c}"),
                                  placeholder=t("filters.all"), key=f"{KEY}.components",
                                  help=t("reintegration.filters.component.help"))
    return Filters(
        start=dt.date(first, 1, 1), end=dt.date(last, 12, 31), programmes=(definitions.PROGRAMME,),
        departments=tuple((definitions.COUNTRY, c) for c in chosen_departments),
        municipalities=tuple((definitions.COUNTRY, c) for c in chosen_municipalities),
        sexes=tuple(sexes), bracket_set=bracket_set, age_groups=tuple(age_groups),
        ethnicities=tuple(ethnicities), components=tuple(components),
    )


# --- sections -----------------------------------------------------------------------------------

def _withheld_note(figures: ReintegrationFigures, breakdown: str) -> None:
    if figures.withheld(breakdown):
        st.caption(t("reintegration.withheld", what=t(f"reintegration.breakdown.{breakdown}")))


def summary(figures: ReintegrationFigures) -> None:
    st.markdown(f"**{definitions.summary_sentence(figures, current_language())}**")


def headline(figures: ReintegrationFigures) -> None:
    """Participants, completed, employed and enterprise, with the share of participants under each."""
    for column, stage in zip(st.columns(4), ("enrolled", "completed", "employed", "enterprise")):
        value = figures.total(stage)
        column.metric(t(f"reintegration.metric.{stage}"), i18n.format_count(value, current_language()),
                      help=t(f"reintegration.definition.{stage}"))
        rate = figures.rate(stage)
        if stage != "enrolled" and rate.value is not None:
            column.caption(t("reintegration.metric.share", share=share(rate.value)))


def funnel(figures: ReintegrationFigures) -> None:
    lang = current_language()
    st.subheader(t("reintegration.funnel.title"))
    st.caption(t("reintegration.funnel.caption"))
    st.plotly_chart(charts.funnel(figures.funnel, lang), width="stretch", key="reintegration_funnel")
    with st.expander(t("reintegration.table.show")):
        st.dataframe(charts.funnel_table(figures.funnel, lang), hide_index=True, width="stretch")


def sex_age(figures: ReintegrationFigures, filters: Filters) -> None:
    lang = current_language()
    frame = figures.breakdowns["sex_age"]
    sexes, ages = charts.visible_groups(frame, definitions.categories(filters, "sex"),
                                        definitions.categories(filters, "age_group"))
    st.subheader(t("reintegration.sex_age.title"))
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{t('reintegration.sex_age.matrix')}**")
        if "employed" in figures.withheld("sex_age"):
            _withheld_note(figures, "sex_age")
        else:
            st.plotly_chart(charts.sex_age_matrix(frame, sexes, ages, lang), width="stretch",
                            key="reintegration_matrix")
            st.caption(t("reintegration.sex_age.caption", mark=i18n.SUPPRESSED_MARK))
    with right:
        st.markdown(f"**{t('reintegration.sex_age.pyramid')}**")
        people = frame.rename(columns={"enrolled": "value"})[["sex", "age_group", "value"]]
        st.plotly_chart(pyramid(people, ages, lang), width="stretch", key="reintegration_pyramid")
    with st.expander(t("reintegration.table.show")):
        rows = frame[frame["sex"].isin(sexes) & frame["age_group"].isin(ages)]
        labels = [f"{t(f'sex.{s}')}, {t(f'age_group.{a}')}" for s, a in zip(rows["sex"], rows["age_group"])]
        st.dataframe(charts.outcomes_table(rows, labels, t("reintegration.table.group"), lang),
                     hide_index=True, width="stretch")


def _groups(figures: ReintegrationFigures, breakdown: str, title_key: str) -> None:
    lang = current_language()
    frame = figures.breakdowns[breakdown]
    st.markdown(f"**{t(title_key)}**")
    if frame.empty:
        st.caption(t("reintegration.nobody"))
        return
    if charts.has_rates(frame):
        st.plotly_chart(charts.rate_bars(frame, breakdown, lang), width="stretch", key=f"reintegration_{breakdown}")
    else:
        st.caption(t("reintegration.no_rates"))
    _withheld_note(figures, breakdown)
    with st.expander(t("reintegration.table.show")):
        labels = [t(f"{breakdown}.{c}") for c in frame[breakdown]]
        st.dataframe(charts.outcomes_table(frame, labels, t(f"reintegration.column.{breakdown}"), lang),
                     hide_index=True, width="stretch")


def groups(figures: ReintegrationFigures) -> None:
    st.subheader(t("reintegration.groups.title"))
    st.caption(t("reintegration.groups.caption"))
    left, right = st.columns(2)
    with left:
        _groups(figures, "ethnicity", "reintegration.groups.ethnicity")
    with right:
        _groups(figures, "migration_profile", "reintegration.groups.migration_profile")


def dimensions(figures: ReintegrationFigures) -> None:
    lang = current_language()
    survey = figures.survey
    total = survey[survey["group_by"] == "total"].iloc[0]
    st.subheader(t("reintegration.dimensions.title"))
    weights = figures.weights
    st.caption(t("reintegration.dimensions.weights", economic=share(weights["economic"], 0),
                 social=share(weights["social"], 0), psychosocial=share(weights["psychosocial"], 0)))
    columns = st.columns(3)
    columns[0].metric(t("reintegration.metric.surveyed"), i18n.format_count(total["surveyed"], lang),
                      help=t("reintegration.definition.surveyed"))
    improved = total["improved_rate"]
    columns[1].metric(t("reintegration.metric.improved"),
                      i18n.SUPPRESSED_MARK if pd.isna(improved) else share(improved),
                      help=t("reintegration.definition.improved"))
    if pd.isna(improved):
        columns[1].caption(t("reintegration.metric.improved.protected"))
    else:
        columns[1].caption(t("reintegration.metric.interval",
                             interval=charts.interval_text(total["improved_low"], total["improved_high"], lang)))
    if not pd.isna(total["composite_baseline"]):
        columns[2].metric(t("reintegration.metric.composite"), number(total["composite_follow_up"], 2),
                          delta=number(total["composite_follow_up"] - total["composite_baseline"], 2),
                          help=t("reintegration.definition.composite"))
    if survey["composite_baseline"].notna().any():
        st.plotly_chart(charts.dimensions(survey, lang), width="stretch", key="reintegration_dimensions")
        st.caption(t("reintegration.dimensions.caption"))
    else:
        st.caption(t("reintegration.dimensions.none"))
    if not figures.plan.survey_groups:
        st.caption(t("reintegration.withheld", what=t("reintegration.breakdown.survey_groups")))
    with st.expander(t("reintegration.table.show")):
        st.dataframe(charts.survey_table(survey, lang), hide_index=True, width="stretch")


def territory(figures: ReintegrationFigures) -> None:
    lang = current_language()
    st.subheader(t("reintegration.territory.title"))
    frame = figures.breakdowns["municipality"]
    if frame.empty:
        st.caption(t("reintegration.nobody"))
        return
    rows = definitions.ranked(definitions.with_names(frame, territorial_units()))
    st.caption(t("reintegration.territory.caption"))
    st.plotly_chart(charts.municipality_bars(rows, lang), width="stretch", key="reintegration_municipalities")
    _withheld_note(figures, "municipality")
    map_column, mine_column = t("reintegration.territory.map"), t("reintegration.territory.mine")
    table = charts.outcomes_table(rows, list(rows["name"]), t("reintegration.table.municipality"), lang)
    table.insert(1, t("reintegration.table.department"), list(rows["department_name"]))
    table.insert(2, map_column, [definitions.territorial_map_link(c, d, m, lang) for c, d, m in
                                 zip(rows["country"], rows["department_code"], rows["municipality_code"])])
    table.insert(3, mine_column, [definitions.my_municipality_link(c, m, lang) for c, m in
                                  zip(rows["country"], rows["municipality_code"])])
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        map_column: st.column_config.LinkColumn(map_column, display_text=t("reintegration.territory.map_link")),
        mine_column: st.column_config.LinkColumn(mine_column, display_text=t("reintegration.territory.mine_link")),
    })


def structural(filters: Filters, policies: pd.DataFrame, organisations: pd.DataFrame) -> None:
    lang = current_language()
    st.subheader(t("reintegration.structural.title"))
    st.caption(t("reintegration.structural.caption"))
    names = _units("municipality").set_index("code")["name"].to_dict()
    st.markdown(f"**{t('reintegration.policies.title')}**")
    segments = definitions.policy_segments(policies, filters.end)
    if segments.empty:
        st.caption(t("reintegration.policies.none"))
    else:
        st.plotly_chart(charts.policy_timeline(segments, names, (filters.start, filters.end), lang), width="stretch",
                        key="reintegration_policies")
        latest = definitions.latest_status(segments)
        with st.expander(t("reintegration.table.show")):
            st.dataframe(pd.DataFrame({
                t("reintegration.table.municipality"): [names.get(c, c) for c in latest["municipality_code"]],
                t("reintegration.policies.column.name"): latest["policy_name"],
                t("reintegration.policies.column.status"): [t(f"reintegration.policy_status.{s}")
                                                            for s in latest["status"]],
                t("reintegration.policies.column.since"): [date(d, "medium") for d in latest["start"]],
            }), hide_index=True, width="stretch")
    st.markdown(f"**{t('reintegration.organisations.title')}**")
    rows = definitions.organisation_rows(organisations)
    if rows.empty:
        st.caption(t("reintegration.organisations.none"))
        return
    st.plotly_chart(charts.organisations_dumbbell(rows, lang), width="stretch", key="reintegration_organisations")
    st.dataframe(pd.DataFrame({
        t("reintegration.organisations.column.name"): rows["name"],
        t("reintegration.table.municipality"): [names.get(c, c) for c in rows["municipality_code"]],
        t("reintegration.organisations.column.members"): [number(m) for m in rows["members"]],
        t("reintegration.organisations.column.baseline"): [number(v, 2) for v in rows["capacity_baseline"]],
        t("reintegration.organisations.column.follow_up"): [number(v, 2) for v in rows["capacity_follow_up"]],
        t("reintegration.organisations.column.change"): [_signed(v) for v in rows["change"]],
    }), hide_index=True, width="stretch")


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + number(value, 2)


def definitions_expander(figures: ReintegrationFigures) -> None:
    with st.expander(t("reintegration.definitions.title")):
        items = ["enrolled", "component", "completed", "employed", "enterprise", "rates", "surveyed",
                 "composite", "improved", "privacy"]
        weights = {d: share(w, 0) for d, w in figures.weights.items()}
        params = {"k": figures.k, "k_minus": figures.k - 1, **weights}
        st.markdown("\n".join(f"- {t(f'reintegration.definitions.{item}', **params)}" for item in items))
