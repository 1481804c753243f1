"""Figures and display tables of the Reintegration (MISKA) page, from already protected frames.

A hidden count (<NA>) reads as its kind ('menos de 5', 'oculta', 'no publicada', from the frame's
`<measure>_hidden` columns); a rate that is not published reads 'no publicada' and is not drawn.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import i18n
from charts.style import ACCENT, MARK_GREY, MUTED, PRIMARY, SEQUENTIAL, SUPPRESSED_COLOUR, TEXT, base_layout

STAGE_COLOURS = {"enrolled": PRIMARY, "component": "#6BAFB3", "completed": "#2F8F83", "outcome": ACCENT}
RATE_COLOURS = {"employed": PRIMARY, "enterprise": ACCENT}
STATUS_COLOURS = {"in_design": "#B8BEC6", "approved": ACCENT, "in_implementation": PRIMARY}
ROUND_COLOURS = {"baseline": MARK_GREY, "follow_up": PRIMARY}
PROTECTED_CELL = SUPPRESSED_COLOUR  # grey: a protected figure


def _t(key: str, lang: str, **params: object) -> str:
    return i18n.translate(key, lang, **params)


def count_text(value: object, lang: str, kind: object = None) -> str:
    """A count, or the reading of its kind of hidden ('menos de 5', 'oculta', 'no publicada')."""
    return i18n.format_count(value, lang, kind)


def rate_hidden(lang: str) -> str:
    """How a rate that is not shown reads: 'no publicada' (a rate is never 'fewer than 5': it is not a count)."""
    return i18n.hidden_mark(i18n.WITHHELD, lang)


def share_text(value: object, lang: str, decimals: int = 1) -> str:
    return rate_hidden(lang) if value is None or pd.isna(value) else i18n.format_share(float(value), lang, decimals)


def interval_text(low: object, high: object, lang: str) -> str:
    if low is None or pd.isna(low) or pd.isna(high):
        return rate_hidden(lang)
    return f"{i18n.format_share(float(low), lang)} – {i18n.format_share(float(high), lang)}"


def _layout(lang: str, **changes: object) -> dict:
    """base_layout with the language's decimal separator on axes and hovers (0,5 in Spanish)."""
    layout = base_layout()
    layout.update(separators=",." if lang == "es" else ".,", **changes)
    return layout


def stage_label(stage: str, lang: str) -> str:
    return _t(f"reintegration.stage.{stage}", lang)


def _stage_group(stage: str) -> str:
    if stage in ("enrolled", "completed"):
        return stage
    return "outcome" if stage.startswith(("employed", "enterprise")) else "component"


def funnel(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars: enrolled, each component, completed, outcomes; labelled count · share of enrolled."""
    labels = [stage_label(s, lang) for s in frame["stage"]]
    texts = []
    for row in frame.itertuples(index=False):
        count = count_text(row.value, lang, getattr(row, "hidden", None))
        texts.append(count if row.stage == "enrolled" or pd.isna(row.rate) else
                     f"{count}  ({share_text(row.rate, lang)})")
    figure = go.Figure(go.Bar(
        y=labels, x=frame["value"].astype("Float64").fillna(0).astype(float), orientation="h",
        marker_color=[STAGE_COLOURS[_stage_group(s)] for s in frame["stage"]], text=texts,
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    top = float(frame["value"].astype("Float64").fillna(0).max() or 1)
    layout = _layout(lang)
    layout.update(height=420, showlegend=False, margin=dict(l=10, r=30, t=10, b=10),
                  xaxis=dict(title=_t("chart.people", lang), range=[0, top * 1.3], gridcolor="#ECEFF1"),
                  yaxis=dict(autorange="reversed"))
    figure.update_layout(**layout)
    return figure


def visible_groups(frame: pd.DataFrame, sexes: list[str], ages: list[str]) -> tuple[list[str], list[str]]:
    """Sexes and age groups with anyone in them (a protected cell counts as someone)."""
    someone = frame[frame["enrolled"].isna() | (frame["enrolled"].fillna(0) > 0)]
    return ([s for s in sexes if s in set(someone["sex"])] or sexes,
            [a for a in ages if a in set(someone["age_group"])] or ages)


def _nobody(row) -> bool:
    return not pd.isna(row["enrolled"]) and int(row["enrolled"]) == 0


def _cell_kind(row, stage: str) -> str | None:
    """The kind of hidden a matrix cell reads as: None when its rate is shown (or nobody is in the group), its
    count's kind when the count is hidden ('menos de 5' …), else withheld (the rate alone is not published)."""
    if not pd.isna(row[f"{stage}_rate"]) or _nobody(row):
        return None
    return row.get(f"{stage}_hidden") if pd.isna(row[stage]) else i18n.WITHHELD


def _cell_text(row, stage: str, lang: str) -> str:
    if not pd.isna(row[f"{stage}_rate"]):
        return f"<b>{share_text(row[f'{stage}_rate'], lang, 0)}</b><br>{count_text(row[stage], lang)} / " \
               f"{count_text(row['enrolled'], lang)}"
    if _nobody(row):
        return "–"
    return i18n.hidden_mark(_cell_kind(row, stage), lang)


def _with_legend(key: str, kinds: list, lang: str) -> str:
    """The caption `key` with `i18n.hidden_legend` of `kinds` on one line in its {legend} («menos de 5»: why. …)."""
    return " ".join(_t(key, lang, legend=i18n.hidden_legend(kinds, lang)).split())


def matrix_caption(frame: pd.DataFrame, sexes: list[str], ages: list[str], lang: str) -> str:
    """How to read `sex_age_matrix`: what a cell shows, and the reading of each kind of hidden cell it has."""
    cells = frame.set_index(["sex", "age_group"])
    kinds = [_cell_kind(cells.loc[(sex, age)], stage) for stage in ("employed", "enterprise")
             for sex in sexes for age in ages]
    return _with_legend("reintegration.sex_age.caption", [k for k in kinds if k], lang)


def territory_caption(frame: pd.DataFrame, lang: str) -> str:
    """How to read `municipality_bars`: the order, and the reading of each kind of hidden participants' count."""
    kinds = [k for v, k in zip(frame["enrolled"], frame["enrolled_hidden"]) if pd.isna(v)]
    return _with_legend("reintegration.territory.caption", kinds, lang)


def percent_axis(lang: str) -> dict:
    """Axis of percentages 0–100 written as the language does ('50 %' in Spanish, '50%' in English)."""
    suffix = i18n.format_share(0.5, lang, 0).replace("50", "").replace("\xa0", " ")
    ticks = [0, 25, 50, 75, 100]
    return dict(range=[0, 100], tickvals=ticks, ticktext=[f"{v}{suffix}" for v in ticks])


def sex_age_matrix(frame: pd.DataFrame, sexes: list[str], ages: list[str], lang: str) -> go.Figure:
    """Employment (top) and enterprise (bottom) rates by sex x age group; a cell without a published rate is
    grey and reads as its kind of hidden (`matrix_caption` says why)."""
    stages = ("employed", "enterprise")
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.14,
                           subplot_titles=[_t(f"reintegration.rate.{s}", lang) for s in stages])
    x_labels = [_t(f"age_group.{a}", lang) for a in ages]
    y_labels = [_t(f"sex.{s}", lang) for s in sexes]
    cells = frame.set_index(["sex", "age_group"])
    for panel, stage in enumerate(stages, start=1):
        rows = [[cells.loc[(sex, age)] for age in ages] for sex in sexes]
        someone = [[0 if (not pd.isna(r["enrolled"]) and int(r["enrolled"]) == 0) else 1 for r in line]
                   for line in rows]
        figure.add_trace(go.Heatmap(z=someone, x=x_labels, y=y_labels, zmin=0, zmax=1, showscale=False,
                                    colorscale=[[0, "#FFFFFF"], [1, PROTECTED_CELL]], xgap=3, ygap=3,
                                    hoverinfo="skip"), row=panel, col=1)
        z = [[None if pd.isna(r[f"{stage}_rate"]) else float(r[f"{stage}_rate"]) * 100 for r in line] for line in rows]
        hover = [[_t("reintegration.matrix.hover", lang, rate=share_text(r[f"{stage}_rate"], lang),
                     interval=interval_text(r[f"{stage}_low"], r[f"{stage}_high"], lang),
                     count=count_text(r[stage], lang, r.get(f"{stage}_hidden")),
                     enrolled=count_text(r["enrolled"], lang, r.get("enrolled_hidden"))) for r in line]
                 for line in rows]
        figure.add_trace(go.Heatmap(
            z=z, x=x_labels, y=y_labels, zmin=0, zmax=100, colorscale=list(SEQUENTIAL), xgap=3, ygap=3,
            customdata=hover, hovertemplate="%{y}, %{x}<br>%{customdata}<extra></extra>", showscale=panel == 1,
            colorbar=dict(title=dict(text=_t("reintegration.rate.short", lang)), len=1.0, thickness=12,
                          **{k: v for k, v in percent_axis(lang).items() if k != "range"}),
        ), row=panel, col=1)
        for i, sex_label in enumerate(y_labels):
            for j, age_label in enumerate(x_labels):
                value, text = z[i][j], _cell_text(rows[i][j], stage, lang)
                figure.add_annotation(x=age_label, y=sex_label, text=text, showarrow=False,
                                      xref="x" if panel == 1 else f"x{panel}", yref="y" if panel == 1 else f"y{panel}",
                                      font=dict(size=12,
                                                color="white" if value is not None and value > 55 else TEXT))
    layout = _layout(lang)
    layout.pop("legend")
    layout.update(height=150 + 2 * 58 * len(sexes), margin=dict(l=10, r=10, t=30, b=10))
    figure.update_layout(**layout)
    figure.update_xaxes(type="category", showgrid=False)
    figure.update_xaxes(title=_t("chart.age_group", lang), row=2, col=1)
    figure.update_yaxes(type="category", autorange="reversed", showgrid=False)
    return figure


def _category_label(dimension: str, code: str, enrolled: object, kind: object, lang: str) -> str:
    return f"{_t(f'{dimension}.{code}', lang)} (n = {count_text(enrolled, lang, kind)})"


def _or_none(values: pd.Series) -> list[float | None]:
    """Plain floats, None where missing (Plotly draws no error bar there)."""
    return [None if pd.isna(v) else float(v) for v in values]


def rate_bars(frame: pd.DataFrame, dimension: str, lang: str) -> go.Figure:
    """Employment and enterprise rates per category with 95 % Wilson intervals; n beside each category."""
    labels = [_category_label(dimension, c, n, k, lang)
              for c, n, k in zip(frame[dimension], frame["enrolled"], frame["enrolled_hidden"])]
    figure = go.Figure()
    for offset, stage in ((-0.2, "employed"), (0.2, "enterprise")):
        rates = frame[f"{stage}_rate"].astype("Float64") * 100
        low, high = frame[f"{stage}_low"].astype("Float64") * 100, frame[f"{stage}_high"].astype("Float64") * 100
        figure.add_bar(
            y=labels, x=_or_none(rates), orientation="h", name=_t(f"reintegration.rate.{stage}", lang),
            marker_color=RATE_COLOURS[stage],
            error_x=dict(type="data", symmetric=False, array=_or_none(high - rates), arrayminus=_or_none(rates - low),
                         color=TEXT, thickness=1.2, width=4),
            customdata=[[share_text(r, lang, 0), interval_text(lo, hi, lang)] for r, lo, hi in
                        zip(frame[f"{stage}_rate"], frame[f"{stage}_low"], frame[f"{stage}_high"])],
            hovertemplate="%{y}: %{customdata[0]} (" + _t("reintegration.ci", lang) + ": %{customdata[1]})"
                          "<extra>%{fullData.name}</extra>",
        )
        for i, (rate, top) in enumerate(zip(frame[f"{stage}_rate"], high)):
            text = share_text(rate, lang, 0)
            figure.add_annotation(x=2 if pd.isna(top) else float(top) + 2, y=i + offset, text=text, showarrow=False,
                                  xanchor="left", font=dict(size=12, color=TEXT))
    layout = _layout(lang)
    layout.update(barmode="group", height=150 + 62 * len(frame), bargap=0.3, bargroupgap=0.05,
                  xaxis=dict(title=_t("reintegration.rate.axis", lang), gridcolor="#ECEFF1",
                             **{**percent_axis(lang), "range": [0, 112]}),
                  yaxis=dict(autorange="reversed"))
    figure.update_layout(**layout)
    return figure


def survey_groups(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Survey rows with a readable group label (Total, a sex, an age group)."""
    label = [_t("chart.total", lang) if g == "total" else _t(f"{g}.{v}", lang)
             for g, v in zip(frame["group_by"], frame["group"])]
    return frame.assign(label=label)


def dimensions(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Mean scores (0–1) at baseline and follow-up, one panel per dimension and the composite, by group."""
    from indicators.reintegration import SCORES

    rows = survey_groups(frame, lang)
    rows = rows[rows["composite_baseline"].notna()]
    figure = make_subplots(rows=1, cols=len(SCORES), shared_yaxes=True, horizontal_spacing=0.025,
                           subplot_titles=[_t(f"reintegration.score.{s}", lang) for s in SCORES])
    for column, score in enumerate(SCORES, start=1):
        for label, base, follow in zip(rows["label"], rows[f"{score}_baseline"], rows[f"{score}_follow_up"]):
            figure.add_scatter(x=[float(base), float(follow)], y=[label, label], mode="lines",
                               line=dict(color="#C9D1D9", width=4), showlegend=False, hoverinfo="skip",
                               row=1, col=column)
        for stage in ("baseline", "follow_up"):
            values = rows[f"{score}_{stage}"].astype(float)
            figure.add_scatter(
                x=values, y=rows["label"], mode="markers", name=_t(f"reintegration.round.{stage}", lang),
                marker=dict(color=ROUND_COLOURS[stage], size=11, line=dict(color="white", width=1)),
                showlegend=column == 1, legendgroup=stage,
                customdata=[i18n.format_number(v, lang, 2) for v in values],
                hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>", row=1, col=column)
    layout = _layout(lang)
    layout.update(height=150 + 34 * max(len(rows), 1), margin=dict(l=10, r=10, t=70, b=10),
                  legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0))
    figure.update_layout(**layout)
    figure.update_xaxes(range=[0, 1], tickvals=[0, 0.5, 1], gridcolor="#ECEFF1")
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def municipality_bars(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Participants per municipality, largest first; a hidden count is a grey stub that reads as its kind.

    The hover adds people employed and with an enterprise (or the reading of their kind)."""
    labels = [f"{name} ({department})" for name, department in zip(frame["name"], frame["department_name"])]
    top = float(frame["enrolled"].astype("Float64").fillna(0).max() or 1)
    protected = frame["enrolled"].isna()
    counts = {m: [count_text(v, lang, k) for v, k in zip(frame[m], frame[f"{m}_hidden"])]
              for m in ("enrolled", "employed", "enterprise")}
    hover = [_t("reintegration.territory.hover", lang, enrolled=e, employed=j, enterprise=n)
             for e, j, n in zip(counts["enrolled"], counts["employed"], counts["enterprise"])]
    figure = go.Figure(go.Bar(
        y=labels, x=[top * 0.03 if p else float(v) for p, v in zip(protected, frame["enrolled"].fillna(0))],
        orientation="h", marker_color=[PROTECTED_CELL if p else "#4F9A9F" for p in protected],
        text=counts["enrolled"], textposition="outside", cliponaxis=False, textfont=dict(size=12), customdata=hover,
        hovertemplate="%{y}<br>%{customdata}<extra></extra>",
    ))
    layout = _layout(lang)
    layout.update(height=90 + 26 * len(frame), bargap=0.25, showlegend=False,
                  xaxis=dict(title=_t("reintegration.measure.enrolled", lang), range=[0, top * 1.12],
                             gridcolor="#ECEFF1"),
                  yaxis=dict(autorange="reversed"))
    figure.update_layout(**layout)
    return figure


def policy_timeline(segments: pd.DataFrame, names: dict[str, str], period: tuple[dt.date, dt.date],
                    lang: str) -> go.Figure:
    """One row per municipal policy: a coloured segment per status, a marker where each status was reached."""
    figure = go.Figure()
    rows = [names.get(code, code) for code in segments["municipality_code"]]
    order = list(dict.fromkeys(rows))
    for status, colour in STATUS_COLOURS.items():
        picked = segments[segments["status"] == status]
        label = _t(f"reintegration.policy_status.{status}", lang)
        xs, ys = [], []
        for row, start, end in zip([rows[i] for i in picked.index], picked["start"], picked["end"]):
            xs += [start, end, None]
            ys += [row, row, None]
        figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=16), name=label,
                           legendgroup=status, hoverinfo="skip")
        figure.add_scatter(
            x=list(picked["start"]), y=[rows[i] for i in picked.index], mode="markers", legendgroup=status,
            showlegend=False, marker=dict(color=colour, size=13, symbol="diamond", line=dict(color=TEXT, width=1)),
            customdata=[[name, label, i18n.format_date(d, lang, "medium")] for name, d in
                        zip(picked["policy_name"], picked["start"])],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}: %{customdata[2]}<extra></extra>")
    figure.add_vrect(x0=period[0], x1=period[1], fillcolor=PRIMARY, opacity=0.06, line_width=0,
                     annotation_text=_t("reintegration.policies.period", lang), annotation_position="top left",
                     annotation_font=dict(size=11, color=MUTED))
    layout = _layout(lang)
    layout.update(height=130 + 44 * len(order), margin=dict(l=10, r=10, t=60, b=10),
                  legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0),
                  xaxis=dict(type="date", gridcolor="#ECEFF1", tickformat="%Y-%m" if lang == "en" else "%m/%Y"),
                  yaxis=dict(categoryorder="array", categoryarray=order[::-1]))
    figure.update_layout(**layout)
    return figure


def organisations_dumbbell(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Capacity index (0–1) of each base organisation at baseline and follow-up."""
    figure = go.Figure()
    for name, base, follow in zip(frame["name"], frame["capacity_baseline"], frame["capacity_follow_up"]):
        figure.add_annotation(x=float(follow), y=name, ax=float(base), ay=name, xref="x", yref="y", axref="x",
                              ayref="y", showarrow=True, arrowhead=2, arrowsize=1.1, arrowwidth=2.5, standoff=7,
                              startstandoff=7,
                              arrowcolor=PRIMARY if follow >= base else "#C44E52", text="")
    for stage, column in (("baseline", "capacity_baseline"), ("follow_up", "capacity_follow_up")):
        values = frame[column].astype(float)
        figure.add_scatter(x=values, y=frame["name"], mode="markers", name=_t(f"reintegration.round.{stage}", lang),
                           marker=dict(color=ROUND_COLOURS[stage], size=12),
                           customdata=[i18n.format_number(v, lang, 2) for v in values],
                           hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>")
    layout = _layout(lang)
    layout.update(height=140 + 46 * len(frame),
                  xaxis=dict(range=[0, 1], title=_t("reintegration.organisations.capacity", lang), gridcolor="#ECEFF1"),
                  yaxis=dict(autorange="reversed", type="category"))
    figure.update_layout(**layout)
    return figure


# --- display tables ----------------------------------------------------------------------------

def _rate_column(column: str) -> bool:
    return column == "rate" or "_rate" in column or column.startswith("rate_")


def _shown_cell(column: str, value: object, lang: str, kind: object = None) -> str:
    """One cell as the page writes it: counts '1.301' or the reading of their kind of hidden ('menos de 5' …),
    rates '40,0 %' or 'no publicada', scores '0,51', change '+0,12'."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return rate_hidden(lang) if _rate_column(column) else i18n.hidden_mark(kind, lang)
    if isinstance(value, dt.date):
        return i18n.format_date(value, lang, "medium")
    if _rate_column(column):
        return share_text(value, lang)
    if isinstance(value, (int, np.integer)):
        return count_text(value, lang)
    text = i18n.format_number(float(value), lang, 2)
    return "+" + text if column == "change" and value > 0 else text


def shown_table(frame: pd.DataFrame, headers: dict[str, str], lang: str) -> pd.DataFrame:
    """An export frame (`exports.reintegration_tables`) as the page shows it: formatted text under the page's
    column titles, a hidden count read as its kind (the kinds the frame carries for its files,
    `exports.tables.with_hidden`), 'no publicada' where a rate is not published."""
    kinds = frame.attrs.get("hidden", {})
    return pd.DataFrame({headers[c]: [_shown_cell(c, v, lang, k) for v, k in zip(frame[c], kinds.get(c, [None] * len(frame)))]
                         for c in frame.columns})


def has_rates(frame: pd.DataFrame) -> bool:
    return bool(frame[[c for c in frame.columns if c.endswith("_rate")]].notna().any().any())


