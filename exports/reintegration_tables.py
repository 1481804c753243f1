"""The Reintegration (MISKA) page's tables as export frames: the rows and columns the page shows, numbers as
numbers.

One function per table, from already protected frames (`ReintegrationFigures`) or public institutional
facts. Canonical column names, the page's own column titles (`headers`) and one HXL tag per column
(`hxl_tags`). Counts are Int64, <NA> where protected (written "·"); rates and their 95 % Wilson bounds are
fractions, <NA> where the rate is not published. The page formats these same frames for the screen
(`charts.reintegration.shown_table`), so what the files carry is what the page shows.
"""

from __future__ import annotations

import pandas as pd

import i18n
from exports.hxl import INDICATOR_TAGS
from exports.page_tables import PageTable
from exports.tables import with_hidden
from indicators.reintegration import RATES, SCORES

MISKA = INDICATOR_TAGS["miska_participants"]  # "#reached+ind+miska"
COUNT_TAGS = {"enrolled": MISKA, "employed": INDICATOR_TAGS["miska_employed"],
              "enterprise": INDICATOR_TAGS["miska_enterprises"]}
# Export suffix, suffix in ReintegrationFigures' frames, HXL attribute.
BOUNDS = (("rate", "rate", ""), ("rate_low", "low", "+ci_low"), ("rate_high", "high", "+ci_high"))
GROUP_TAGS = {"sex": "#sex", "age_group": "#age+group", "ethnicity": "#group+ethnicity",
              "migration_profile": "#population+type", "municipality_code": "#adm2+code", "name": "#adm2+name",
              "department_name": "#adm1+name"}


def _t(key: str, lang: str, **params: object) -> str:
    return i18n.translate(key, lang, **params)


def _floats(values: object) -> pd.api.extensions.ExtensionArray:
    return pd.array([None if v is None or pd.isna(v) else float(v) for v in values], dtype="Float64")


def is_rate_column(column: str) -> bool:
    """Rates and their interval bounds (fractions shown as percentages)."""
    return column == "rate" or "_rate" in column or column.startswith("rate_")


# --- funnel ---------------------------------------------------------------------------------------

def _funnel_rate(stage: str, value: object, lang: str) -> object:
    """A funnel rate cell: '' for participants themselves (the denominator), 'no publicada' when not published."""
    if stage == "enrolled":
        return ""
    return i18n.hidden_mark(i18n.WITHHELD, lang) if value is None or pd.isna(value) else float(value)


def _kinds(frame: pd.DataFrame, columns: dict[str, str]) -> dict[str, list]:
    """Export column -> the kinds of hidden of its rows (from the figures' `<measure>_hidden` columns)."""
    return {column: [k if isinstance(k, str) else None for k in frame[source]]
            for column, source in columns.items() if source in frame}


def funnel(frame: pd.DataFrame, lang: str) -> PageTable:
    """Stage, people, share of participants and its 95 % interval (`ReintegrationFigures.funnel`)."""
    out = pd.DataFrame({"stage": [_t(f"reintegration.stage.{s}", lang) for s in frame["stage"]],
                        "value": pd.array(frame["value"], dtype="Int64")})
    for column, source in (("rate", "rate"), ("rate_low", "low"), ("rate_high", "high")):
        out[column] = pd.Series([_funnel_rate(s, v, lang) for s, v in zip(frame["stage"], frame[source])],
                                dtype=object)
    out = with_hidden(out, _kinds(frame, {"value": "hidden"}))
    headers = {"stage": _t("reintegration.table.stage", lang), "value": _t("reintegration.table.people", lang),
               "rate": _t("reintegration.table.share_enrolled", lang),
               "rate_low": _t("reintegration.table.low", lang), "rate_high": _t("reintegration.table.high", lang)}
    tags = {"stage": "#indicator+stage", "value": MISKA, "rate": "#indicator+rate",
            "rate_low": "#indicator+rate+ci_low", "rate_high": "#indicator+rate+ci_high"}
    return PageTable(out, headers, tags)


# --- outcomes by group ----------------------------------------------------------------------------

def _outcome_columns(frame: pd.DataFrame, lang: str) -> tuple[dict[str, object], dict[str, str], dict[str, str]]:
    """Participants, then per outcome: people, rate and its interval bounds."""
    columns: dict[str, object] = {"enrolled": pd.array(frame["enrolled"], dtype="Int64")}
    headers = {"enrolled": _t("reintegration.measure.enrolled", lang)}
    tags = {"enrolled": COUNT_TAGS["enrolled"]}
    for stage in RATES:
        columns[stage] = pd.array(frame[stage], dtype="Int64")
        headers[stage] = _t(f"reintegration.measure.{stage}", lang)
        tags[stage] = COUNT_TAGS[stage]
        for suffix, source, attribute in BOUNDS:
            columns[f"{stage}_{suffix}"] = _floats(frame[f"{stage}_{source}"])
            headers[f"{stage}_{suffix}"] = _t(f"reintegration.table.{suffix}.{stage}", lang)
            tags[f"{stage}_{suffix}"] = f"#indicator+rate+{stage}{attribute}"
    return columns, headers, tags


def _outcomes(frame: pd.DataFrame, groups: dict[str, list[str]], group_headers: dict[str, str],
              lang: str) -> PageTable:
    columns, headers, tags = _outcome_columns(frame, lang)
    out = pd.DataFrame({**{c: list(v) for c, v in groups.items()}, **columns})
    out = with_hidden(out, _kinds(frame, {m: f"{m}_hidden" for m in ("enrolled", *RATES)}))
    return PageTable(out, {**group_headers, **headers}, {**{c: GROUP_TAGS[c] for c in groups}, **tags})


def sex_age(frame: pd.DataFrame, sexes: list[str], ages: list[str], lang: str) -> PageTable:
    """Outcomes by sex x age group, the sexes and age groups shown (`breakdowns["sex_age"]` rows)."""
    rows = frame[frame["sex"].isin(sexes) & frame["age_group"].isin(ages)]
    groups = {"sex": [_t(f"sex.{s}", lang) for s in rows["sex"]],
              "age_group": [_t(f"age_group.{a}", lang) for a in rows["age_group"]]}
    return _outcomes(rows, groups, {"sex": _t("chart.sex", lang), "age_group": _t("chart.age_group", lang)}, lang)


def by_group(frame: pd.DataFrame, breakdown: str, lang: str) -> PageTable:
    """Outcomes by ethnicity or by migration profile (`breakdowns[breakdown]` rows)."""
    groups = {breakdown: [_t(f"{breakdown}.{c}", lang) for c in frame[breakdown]]}
    return _outcomes(frame, groups, {breakdown: _t(f"reintegration.column.{breakdown}", lang)}, lang)


def municipalities(rows: pd.DataFrame, lang: str) -> PageTable:
    """Outcomes by municipality, largest first (`indicators.reintegration_views.ranked` rows with names)."""
    groups = {"municipality_code": list(rows["municipality_code"]), "name": list(rows["name"]),
              "department_name": list(rows["department_name"])}
    headers = {"municipality_code": _t("reintegration.table.code", lang),
               "name": _t("reintegration.table.municipality", lang),
               "department_name": _t("reintegration.table.department", lang)}
    return _outcomes(rows, groups, headers, lang)


# --- reintegration scores -------------------------------------------------------------------------

def survey(frame: pd.DataFrame, lang: str) -> PageTable:
    """Per group (total, each sex, each age group): people with both surveys, those who improved, the share
    who improved with its interval, and the mean score of each dimension and the composite at both rounds."""
    label = [_t("chart.total", lang) if g == "total" else _t(f"{g}.{v}", lang)
             for g, v in zip(frame["group_by"], frame["group"])]
    out = pd.DataFrame({"group": label, "surveyed": pd.array(frame["surveyed"], dtype="Int64"),
                        "improved": pd.array(frame["improved"], dtype="Int64"),
                        "improved_rate": _floats(frame["improved_rate"]),
                        "improved_rate_low": _floats(frame["improved_low"]),
                        "improved_rate_high": _floats(frame["improved_high"])})
    headers = {"group": _t("reintegration.table.group", lang),
               "surveyed": _t("reintegration.table.surveyed", lang),
               "improved": _t("reintegration.table.improved", lang),
               "improved_rate": _t("reintegration.table.improved_share", lang),
               "improved_rate_low": _t("reintegration.table.low", lang),
               "improved_rate_high": _t("reintegration.table.high", lang)}
    tags = {"group": "#population+group", "surveyed": f"{MISKA}+surveyed", "improved": f"{MISKA}+improved",
            "improved_rate": "#indicator+rate+improved", "improved_rate_low": "#indicator+rate+improved+ci_low",
            "improved_rate_high": "#indicator+rate+improved+ci_high"}
    for score in SCORES:
        for round_ in ("baseline", "follow_up"):
            column = f"{score}_{round_}"
            out[column] = _floats(frame[column])
            headers[column] = _t("reintegration.table.score", lang, score=_t(f"reintegration.table.score.{score}", lang),
                                 round=_t(f"reintegration.round.{round_}", lang).lower())
            tags[column] = f"#indicator+score+{score}+{round_}"
    return PageTable(with_hidden(out, _kinds(frame, {m: f"{m}_hidden" for m in ("surveyed", "improved")})), headers,
                     tags)


# --- policies and organisations (public institutional facts) -----------------------------------------

def policies(latest: pd.DataFrame, names: dict[str, str], lang: str) -> PageTable:
    """Each municipal policy's latest status and since when (`indicators.reintegration_views.latest_status`)."""
    out = pd.DataFrame({"name": [names.get(c, c) for c in latest["municipality_code"]],
                        "policy_name": list(latest["policy_name"]),
                        "status": [_t(f"reintegration.policy_status.{s}", lang) for s in latest["status"]],
                        "start": [pd.Timestamp(d).date() for d in latest["start"]]})
    headers = {"name": _t("reintegration.table.municipality", lang),
               "policy_name": _t("reintegration.policies.column.name", lang),
               "status": _t("reintegration.policies.column.status", lang),
               "start": _t("reintegration.policies.column.since", lang)}
    return PageTable(out, headers, {"name": "#adm2+name", "policy_name": "#output+policy+name", "status": "#status",
                                    "start": "#date+start"})


def organisations(rows: pd.DataFrame, names: dict[str, str], lang: str) -> PageTable:
    """Base organisations: seat, members, capacity index (0–1) at baseline and follow-up and its change."""
    out = pd.DataFrame({"organisation": list(rows["name"]),
                        "name": [names.get(c, c) for c in rows["municipality_code"]],
                        "members": pd.array(rows["members"], dtype="Int64"),
                        "capacity_baseline": _floats(rows["capacity_baseline"]),
                        "capacity_follow_up": _floats(rows["capacity_follow_up"]),
                        "change": _floats(rows["change"])})
    column = lambda key: _t(f"reintegration.organisations.column.{key}", lang)  # noqa: E731
    headers = {"organisation": column("name"), "name": _t("reintegration.table.municipality", lang),
               "members": column("members"), "capacity_baseline": column("baseline"),
               "capacity_follow_up": column("follow_up"), "change": column("change")}
    tags = {"organisation": "#org+name", "name": "#adm2+name", "members": "#org+members+num",
            "capacity_baseline": "#indicator+capacity+baseline", "capacity_follow_up": "#indicator+capacity+follow_up",
            "change": "#indicator+capacity+change"}
    return PageTable(out, headers, tags)

