"""Pieces of the Reintegration (MISKA) page: the sections that show the protected figures,
each chart with its headline sentence and image downloads, each table with its CSV / Excel downloads."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts import reintegration as charts
from charts.overview import pyramid
from exports import reintegration_tables as tables
from exports.page_tables import PageTable
from exports.tables import TableNotes
from geo.units import territorial_units
from i18n import NOT_OFFERED
from indicators import reintegration as definitions
from indicators import reintegration_views as views
from indicators.filters import Filters
from indicators.reintegration import ReintegrationFigures
from ui import layout, page_exports, presentation
from ui.exports import chart_downloads
from ui.language import current_language, number, share, t
from ui.memo import built
from ui.tables import dataframe as table_view

KEY = "reintegration"  # prefix of the page's widget keys (its filters: indicators.filter_specs.REINTEGRATION)
# The page's tables, each drawn only while its expander is open (`layout.table_expander`).
TABLES = ("funnel", "sex_age", "ethnicity", "migration_profile", "scores", "municipalities", "policies",
          "organisations")


def table_key(part: str) -> str:
    """The key of the expander of the table `part` (one of TABLES): True in session state while it is open
    (underscores: the page's text is checked for message keys, "reintegration.x.y")."""
    return f"{KEY}_table_{part}"


# --- units ---------------------------------------------------------------------------------------

def _units(level: str) -> pd.DataFrame:
    units = territorial_units()
    return units[(units["country"] == definitions.COUNTRY) & (units["level"] == level)
                 & units["department_code"].isin(definitions.DEPARTMENTS)]


# --- charts and tables with their downloads -------------------------------------------------------

PEOPLE_INDICATORS = ("miska_participants", "miska_employed", "miska_enterprises")
DEFINITIONS = ("enrolled", "component", "completed", "employed", "enterprise", "rates", "surveyed", "composite",
               "improved", "privacy")


def _columns(spec: list[int] | int) -> list:
    """Side-by-side columns, or full-width blocks one under the other when presenting."""
    count = spec if isinstance(spec, int) else len(spec)
    return [st.container() for _ in range(count)] if presentation.is_on() else st.columns(spec)


def _chart(figure: go.Figure, part: str, sentence: str) -> None:
    """A chart with its headline sentence above, PNG / SVG buttons and (when presenting) the source under it."""
    presentation.headline(sentence)
    presentation.chart(figure, width="stretch", key=f"reintegration_{part}")
    chart_downloads(figure, f"miska_{part}", key=f"{KEY}.export.{part}")
    presentation.source_line(layout.data_date())


def _definition_params(figures: ReintegrationFigures) -> dict[str, object]:
    weights = {d: share(w, 0) for d, w in figures.weights.items()}
    return {"k": figures.k, "k_minus": figures.k - 1, **weights}


def _notes(title: str, figures: ReintegrationFigures | None, *indicator_ids: str) -> TableNotes:
    """The standard notes sheet (registry definitions, source, data date, protection rule) plus the page's own
    definitions ('**term**: text' items of the Definitions expander) for tables about people."""
    notes = page_exports.notes(title, *indicator_ids)
    if figures is None:
        return notes
    params = _definition_params(figures)
    own = tuple(m.groups() for m in (re.match(r"\*\*(.+?)\*\*:\s*(.*)", t(f"reintegration.definitions.{item}", **params),
                                              re.S) for item in DEFINITIONS) if m)
    return dataclasses.replace(notes, definitions=notes.definitions + own)


def _table(table: PageTable, part: str, title: str, figures: ReintegrationFigures | None,
           extra: dict[str, list[str]] | None = None, column_config: dict | None = None) -> None:
    """The table as the page shows it (formatted `table`, optional link columns) and its CSV / Excel buttons."""
    if table.frame.empty:  # a sentence, not an empty grid (whose "empty" Streamlit writes in English)
        st.caption(t("reintegration.table.none"))
        return
    shown = built(charts.shown_table, table.frame, table.headers, current_language())
    if extra:
        shown = shown.copy()  # shared (ui.memo): the link columns go on a copy
    for position, (column, values) in enumerate((extra or {}).items(), start=3):
        shown.insert(min(position, len(shown.columns)), column, values)
    table_view(shown, hide_index=True, width="stretch", column_config=column_config)
    indicators = PEOPLE_INDICATORS if figures is not None else ()
    page_exports.downloads(table, f"miska_{part}", _notes(title, figures, *indicators), key=f"{KEY}.export.{part}_table")


# --- sections -----------------------------------------------------------------------------------

def _withheld_note(figures: ReintegrationFigures, breakdown: str) -> None:
    withheld = figures.withheld(breakdown)
    if not withheld:
        return
    if (figures.breakdowns[breakdown][f"{withheld[0]}_hidden"] == NOT_OFFERED).all():
        st.caption(t("publication.not_offered"))  # a municipality: the breakdowns are its department's
    else:
        st.caption(t("reintegration.withheld", what=t(f"reintegration.breakdown.{breakdown}")))


def summary(figures: ReintegrationFigures) -> None:
    st.markdown(f"**{views.summary_sentence(figures, current_language())}**")


def _kind(figures: ReintegrationFigures, stage: str) -> str | None:
    """The kind of hidden of a funnel stage's count (`publication.reintegration.figures`)."""
    rows = figures.funnel[figures.funnel["stage"] == stage]
    return rows["hidden"].iloc[0] if "hidden" in rows and len(rows) else None


def headline(figures: ReintegrationFigures) -> None:
    """Participants, completed, employed and enterprise, with the share of participants under each."""
    for column, stage in zip(st.columns(4), ("enrolled", "completed", "employed", "enterprise")):
        value = figures.total(stage)
        layout.figure_metric(column, t(f"reintegration.metric.{stage}"), value, pd.isna(value), _kind(figures, stage),
                             t(f"reintegration.definition.{stage}"))
        rate = figures.rate(stage)
        if stage != "enrolled" and rate.value is not None:
            column.caption(t("reintegration.metric.share", share=share(rate.value)))


def funnel(figures: ReintegrationFigures) -> None:
    lang = current_language()
    st.subheader(t("reintegration.funnel.title"))
    st.caption(t("reintegration.funnel.caption"))
    _chart(built(charts.funnel, figures.funnel, lang), "funnel", views.funnel_sentence(figures, lang))
    with layout.table_expander(t("reintegration.table.show"), table_key("funnel")) as shown:
        if shown:
            _table(built(tables.funnel, figures.funnel, lang), "funnel", t("reintegration.funnel.title"), figures)


def sex_age(figures: ReintegrationFigures, filters: Filters) -> None:
    lang = current_language()
    frame = figures.breakdowns["sex_age"]
    sexes, ages = charts.visible_groups(frame, definitions.categories(filters, "sex"),
                                        definitions.categories(filters, "age_group"))
    st.subheader(t("reintegration.sex_age.title"))
    withheld = figures.withheld("sex_age")
    if {"enrolled", "employed"} <= set(withheld):  # withheld as a whole: its sentence, not two empty charts
        _withheld_note(figures, "sex_age")
    else:
        left, right = _columns([3, 2])
        with left:
            st.markdown(f"**{t('reintegration.sex_age.matrix')}**")
            if "employed" in withheld:
                _withheld_note(figures, "sex_age")
            else:
                _chart(built(charts.sex_age_matrix, frame, sexes, ages, lang), "matrix",
                       views.highest_rate_sentence(frame, "sex_age", lang))
                st.caption(charts.matrix_caption(frame, sexes, ages, lang))
        with right:
            st.markdown(f"**{t('reintegration.sex_age.pyramid')}**")
            people = frame.rename(columns={"enrolled": "value", "enrolled_hidden": "hidden"})[
                ["sex", "age_group", "value", "hidden"]]
            _chart(built(pyramid, people, ages, lang), "pyramid", views.pyramid_sentence(frame, lang))
    with layout.table_expander(t("reintegration.table.show"), table_key("sex_age")) as shown:
        if shown:
            _table(built(tables.sex_age, frame, sexes, ages, lang), "sex_age", t("reintegration.sex_age.title"),
                   figures)


def _groups(figures: ReintegrationFigures, breakdown: str, title_key: str) -> None:
    lang = current_language()
    frame = figures.breakdowns[breakdown]
    st.markdown(f"**{t(title_key)}**")
    if frame.empty:
        st.caption(t("reintegration.nobody"))
        return
    if set(definitions.MEASURES) <= set(figures.withheld(breakdown)):
        _withheld_note(figures, breakdown)  # withheld as a whole: one sentence
    elif charts.has_rates(frame):
        _chart(built(charts.rate_bars, frame, breakdown, lang), breakdown,
               views.highest_rate_sentence(frame, breakdown, lang))
    else:
        st.caption(t("reintegration.no_rates"))
    with layout.table_expander(t("reintegration.table.show"), table_key(breakdown)) as shown:
        if shown:
            _table(built(tables.by_group, frame, breakdown, lang), breakdown, t(title_key), figures)


def groups(figures: ReintegrationFigures) -> None:
    st.subheader(t("reintegration.groups.title"))
    st.caption(t("reintegration.groups.caption"))
    left, right = _columns(2)
    with left:
        _groups(figures, "ethnicity", "reintegration.groups.ethnicity")
    with right:
        _groups(figures, "migration_profile", "reintegration.groups.migration_profile")


def _dimension_metrics(figures: ReintegrationFigures) -> None:
    lang = current_language()
    total = figures.survey[figures.survey["group_by"] == "total"].iloc[0]
    columns = st.columns(3)
    layout.figure_metric(columns[0], t("reintegration.metric.surveyed"), total["surveyed"], pd.isna(total["surveyed"]),
                         total.get("surveyed_hidden"), t("reintegration.definition.surveyed"))
    improved = total["improved_rate"]
    columns[1].metric(t("reintegration.metric.improved"),
                      charts.rate_hidden(lang) if pd.isna(improved) else share(improved),
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


def dimensions(figures: ReintegrationFigures) -> None:
    lang = current_language()
    survey = figures.survey
    st.subheader(t("reintegration.dimensions.title"))
    weights = figures.weights
    st.caption(t("reintegration.dimensions.weights", economic=share(weights["economic"], 0),
                 social=share(weights["social"], 0), psychosocial=share(weights["psychosocial"], 0)))
    _dimension_metrics(figures)
    if survey["composite_baseline"].notna().any():
        _chart(built(charts.dimensions, survey, lang), "dimensions", views.scores_sentence(figures, lang))
        st.caption(t("reintegration.dimensions.caption"))
    else:
        st.caption(t("reintegration.dimensions.none"))
    if figures.survey_groups_withheld:
        st.caption(t("reintegration.withheld", what=t("reintegration.breakdown.survey_groups")))
    with layout.table_expander(t("reintegration.table.show"), table_key("scores")) as shown:
        if shown:
            _table(built(tables.survey, survey, lang), "scores", t("reintegration.dimensions.title"), figures)


def territory(figures: ReintegrationFigures) -> None:
    lang = current_language()
    st.subheader(t("reintegration.territory.title"))
    frame = figures.breakdowns["municipality"]
    if frame.empty:
        st.caption(t("reintegration.nobody"))
        return
    rows = views.ranked(views.with_names(frame, territorial_units()))
    st.caption(charts.territory_caption(rows, lang))
    _chart(built(charts.municipality_bars, rows, lang), "municipalities", views.territory_sentence(rows, lang))
    if set(definitions.MEASURES) <= set(figures.withheld("municipality")):
        _withheld_note(figures, "municipality")
    with layout.table_expander(t("reintegration.table.show"), table_key("municipalities"), expanded=True) as shown:
        if shown:  # open; hidden when presenting
            _municipalities_table(rows, figures, lang)


def _municipalities_table(rows: pd.DataFrame, figures: ReintegrationFigures, lang: str) -> None:
    """The municipalities' outcomes with a link to each one on the territorial map and on My municipality."""
    map_column, mine_column = t("reintegration.territory.map"), t("reintegration.territory.mine")
    links = {map_column: [views.territorial_map_link(c, d, m, lang) for c, d, m in
                          zip(rows["country"], rows["department_code"], rows["municipality_code"])],
             mine_column: [views.my_municipality_link(c, m, lang) for c, m in
                           zip(rows["country"], rows["municipality_code"])]}
    _table(built(tables.municipalities, rows, lang), "municipalities", t("reintegration.territory.title"), figures,
           extra=links, column_config={
               map_column: st.column_config.LinkColumn(map_column, display_text=t("reintegration.territory.map_link")),
               mine_column: st.column_config.LinkColumn(mine_column,
                                                        display_text=t("reintegration.territory.mine_link"))})


def structural(filters: Filters, policies: pd.DataFrame, organisations: pd.DataFrame) -> None:
    lang = current_language()
    st.subheader(t("reintegration.structural.title"))
    st.caption(t("reintegration.structural.caption"))
    names = _units("municipality").set_index("code")["name"].to_dict()
    st.markdown(f"**{t('reintegration.policies.title')}**")
    segments = views.policy_segments(policies, filters.end)
    if segments.empty:
        st.caption(t("reintegration.policies.none"))
    else:
        latest = views.latest_status(segments)
        _chart(built(charts.policy_timeline, segments, names, (filters.start, filters.end), lang), "policies",
               views.policies_sentence(latest, lang))
        with layout.table_expander(t("reintegration.table.show"), table_key("policies")) as shown:
            if shown:
                _table(built(tables.policies, latest, names, lang), "policies", t("reintegration.policies.title"),
                       None)
    st.markdown(f"**{t('reintegration.organisations.title')}**")
    rows = views.organisation_rows(organisations)
    if rows.empty:
        st.caption(t("reintegration.organisations.none"))
        return
    _chart(built(charts.organisations_dumbbell, rows, lang), "organisations", views.organisations_sentence(rows, lang))
    with layout.table_expander(t("reintegration.table.show"), table_key("organisations"),
                               expanded=True) as shown:
        if shown:
            _table(built(tables.organisations, rows, names, lang), "organisations",
                   t("reintegration.organisations.title"), None)


def definitions_expander(figures: ReintegrationFigures) -> None:
    with st.expander(t("reintegration.definitions.title")):
        params = _definition_params(figures)
        st.markdown("\n".join(f"- {t(f'reintegration.definitions.{item}', **params)}" for item in DEFINITIONS))
