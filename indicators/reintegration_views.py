"""What the Reintegration (MISKA) page lists and says beside its protected figures: municipality rows and
their links, policy segments, base organisations, the summary sentence and one headline sentence per chart.

Pure functions of already protected frames (`ReintegrationFigures`) and public institutional facts; the
sentences use published figures only and are built in the language passed in (the forum deck uses them too).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

import i18n
from indicators.headlines import peak, share_of
from indicators.reintegration import ReintegrationFigures


def _t(key: str, lang: str, **params: object) -> str:
    return i18n.translate(key, lang, **params)


def _n(value: object, lang: str) -> str:
    return i18n.format_number(int(value), lang)


def _share(value: float, lang: str, decimals: int = 1) -> str:
    return i18n.format_share(float(value), lang, decimals)


# --- territory, policies, organisations ----------------------------------------------------------

def territorial_map_link(country: str, department_code: str, municipality_code: str, lang: str) -> str:
    """Relative link to the territorial map drilled into the department with the municipality selected."""
    from indicators.map_views import MapView, view_to_query

    view = MapView(indicator="miska_participants", country=country, level="municipality",
                   department=department_code, selected=municipality_code)
    query = {**view_to_query(view), "lang": lang}
    return "territorial_map?" + "&".join(f"{key}={value}" for key, value in query.items())


def my_municipality_link(country: str, municipality_code: str, lang: str) -> str:
    """Relative link to My municipality for one municipality (the page's shareable link form)."""
    return f"my_municipality?municipio={municipality_code}&pais={country}&lang={lang}"


def with_names(frame: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Municipality rows with their name and department name (empty when the code is not in the catalogue)."""
    names = units[units["level"] == "municipality"].set_index(["country", "code"])
    pairs = list(zip(frame["country"], frame["municipality_code"]))
    lookup = lambda column: [names[column].get(pair, "") for pair in pairs]  # noqa: E731
    return frame.assign(name=lookup("name"), department_name=lookup("department_name"))


def ranked(frame: pd.DataFrame, column: str = "enrolled") -> pd.DataFrame:
    """Rows by `column`, largest first; protected values (<NA>) last, in code order."""
    order = frame.assign(_v=frame[column].astype("Float64").fillna(-1))
    return order.sort_values(["_v", "municipality_code"], ascending=[False, True], kind="stable") \
        .drop(columns="_v").reset_index(drop=True)


def policy_segments(policies: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """One row per (policy, status) with the period the status lasted: from its date to the next status
    date of the same policy, the last one to `until` (or its own date if later)."""
    columns = ["country", "municipality_code", "policy_name", "status", "start", "end"]
    if policies.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (country, code, name), steps in policies.sort_values("status_date").groupby(
            ["country", "municipality_code", "policy_name"], sort=False):
        dates = [pd.Timestamp(d).date() for d in steps["status_date"]]
        ends = dates[1:] + [max(until, dates[-1])]
        rows += [(country, code, name, status, start, end)
                 for status, start, end in zip(steps["status"], dates, ends)]
    out = pd.DataFrame(rows, columns=columns)
    first = out.groupby("policy_name")["start"].transform("min")
    return out.assign(_first=first).sort_values(["_first", "policy_name", "start"]).drop(columns="_first") \
        .reset_index(drop=True)


def latest_status(segments: pd.DataFrame) -> pd.DataFrame:
    """The status each policy holds last (from `policy_segments`)."""
    return segments.groupby("policy_name", sort=False).tail(1).reset_index(drop=True)


def organisation_rows(organisations: pd.DataFrame) -> pd.DataFrame:
    """Base organisations: name, seat, members, capacity at baseline and follow-up and its change."""
    out = organisations[["name", "country", "municipality_code", "members", "capacity_baseline",
                         "capacity_follow_up"]].copy()
    out["change"] = out["capacity_follow_up"] - out["capacity_baseline"]
    return out.sort_values("capacity_follow_up", ascending=False, kind="stable").reset_index(drop=True)


# --- the summary sentence ------------------------------------------------------------------------

def _count_clause(key: str, value: object, lang: str, zero_key: str | None = None) -> str:
    """`key` with the count, its '.protected' form naming no number, or its '.none' form for zero."""
    if pd.isna(value):
        return _t(f"{key}.protected", lang)
    if int(value) == 0:
        return _t(zero_key or f"{key}.none", lang)
    return _t(key, lang, count=_n(value, lang))


def summary_sentence(figures: ReintegrationFigures, lang: str) -> str:
    """One plain sentence of the view: participants, jobs and enterprises; protected figures named, never bounded."""
    start, end = figures.start.year, figures.end.year
    period = _t("reintegration.summary.period", lang, start=start, end=end) if start != end else \
        _t("reintegration.summary.year", lang, year=start)
    enrolled = figures.total("enrolled")
    if not pd.isna(enrolled) and int(enrolled) == 0:
        return _t("reintegration.summary.nobody", lang, period=period)
    first = _count_clause("reintegration.summary.enrolled", enrolled, lang)
    employed = _count_clause("reintegration.summary.employed", figures.total("employed"), lang)
    enterprise = _count_clause("reintegration.summary.enterprise", figures.total("enterprise"), lang)
    return _t("reintegration.summary", lang, period=period, enrolled=first, employed=employed,
              enterprise=enterprise)


# --- one headline sentence per chart -------------------------------------------------------------

def _published(value: object) -> bool:
    return value is not None and not pd.isna(value)


def funnel_sentence(figures: ReintegrationFigures, lang: str) -> str:
    """'46 de 136 participantes consiguieron empleo (33,8 %)', from the published totals and rate only."""
    enrolled, employed = figures.total("enrolled"), figures.total("employed")
    if not (_published(enrolled) and _published(employed)) or int(enrolled) == 0:
        return _t("reintegration.headline.funnel.neutral", lang)
    rate = figures.rate("employed").value
    key = "reintegration.headline.funnel" if rate is not None else "reintegration.headline.funnel.no_rate"
    return _t(key, lang, employed=_n(employed, lang), enrolled=_n(enrolled, lang),
              share=_share(rate, lang) if rate is not None else "")


def _someone(frame: pd.DataFrame) -> pd.DataFrame:
    """Groups with anyone in them (a protected count counts as someone)."""
    return frame[frame["enrolled"].isna() | (frame["enrolled"].fillna(0) > 0)]


def _group_label(row: pd.Series, breakdown: str, lang: str) -> str:
    if breakdown == "sex_age":
        return _t(f"headline.group.{row['sex']}", lang, age=_t(f"age_group.{row['age_group']}", lang))
    return _t(f"{breakdown}.{row[breakdown]}", lang)


def highest_rate_sentence(frame: pd.DataFrame, breakdown: str, lang: str) -> str:
    """The group with the highest published employment rate (ties: the first), its rate and counts; the
    enterprise rate when no employment rate is published.

    When some group with participants has no published rate, the claim holds among the rates
    shown and the sentence says so; with no published rate at all, a neutral sentence.
    """
    groups = _someone(frame)
    by = _t(f"reintegration.headline.by.{breakdown}", lang)
    for stage in ("employed", "enterprise"):
        shown = groups[groups[f"{stage}_rate"].notna()]
        if shown.empty:
            continue
        top = shown.loc[shown[f"{stage}_rate"].astype(float).idxmax()]
        form = "sex_age" if breakdown == "sex_age" else "group"
        key = f"reintegration.headline.rate.{form}" + (".among_shown" if len(shown) < len(groups) else "")
        return _t(key, lang, by=by, rate=_t(f"reintegration.headline.rate_name.{stage}", lang),
                  group=_group_label(top, breakdown, lang), share=_share(top[f"{stage}_rate"], lang, 0),
                  count=_n(top[stage], lang), enrolled=_n(top["enrolled"], lang))
    return _t("reintegration.headline.rate.none", lang, by=by)


def pyramid_sentence(frame: pd.DataFrame, lang: str) -> str:
    """Women's share of participants when every sex x age count is published; else the largest published group."""
    cells = frame.assign(value=frame["enrolled"], suppressed=frame["enrolled"].isna())
    women = share_of(cells, "sex", "female")
    if women is not None:
        return _t("reintegration.headline.women", lang, share=_share(women, lang, 0))
    top = peak(cells.assign(group=[f"{s}|{a}" for s, a in zip(cells["sex"], cells["age_group"])]), "group")
    if top is None:
        return _t("reintegration.sex_age.pyramid", lang)
    sex, age = str(top.category).split("|")
    key = "reintegration.headline.largest_group" + (".among_shown" if top.among_published else "")
    return _t(key, lang, group=_t(f"headline.group.{sex}", lang, age=_t(f"age_group.{age}", lang)),
              n=_n(top.value, lang))


def scores_sentence(figures: ReintegrationFigures, lang: str) -> str:
    """'El puntaje compuesto medio pasó de 0,41 a 0,51' (both means published for everyone surveyed)."""
    total = figures.survey[figures.survey["group_by"] == "total"]
    if total.empty or total[["composite_baseline", "composite_follow_up"]].isna().any(axis=None):
        return _t("reintegration.headline.scores.neutral", lang)
    row = total.iloc[0]
    return _t("reintegration.headline.scores", lang, baseline=i18n.format_number(float(row["composite_baseline"]), lang, 2),
              follow_up=i18n.format_number(float(row["composite_follow_up"]), lang, 2))


def territory_sentence(rows: pd.DataFrame, lang: str) -> str:
    """The municipality with the most participants among the published counts (`with_names` rows)."""
    cells = rows.assign(value=rows["enrolled"], suppressed=rows["enrolled"].isna(), place=rows["name"])
    top = peak(cells, "place")
    if top is None:
        return _t("reintegration.territory.title", lang)
    key = "reintegration.headline.territory" + (".among_shown" if top.among_published else "")
    return _t(key, lang, name=top.category, n=_n(top.value, lang))


def policies_sentence(latest: pd.DataFrame, lang: str) -> str:
    """'8 municipios con política municipal de migración; 3 en implementación' (latest status of each policy)."""
    municipalities = latest["municipality_code"].nunique()
    implementing = latest.loc[latest["status"] == "in_implementation", "municipality_code"].nunique()
    key = "reintegration.headline.policies" + (".one" if municipalities == 1 else "")
    return _t(key, lang, n=_n(municipalities, lang), implementing=_n(implementing, lang))


def organisations_sentence(rows: pd.DataFrame, lang: str) -> str:
    """'5 de 6 organizaciones de base mejoraron su capacidad' (follow-up index above baseline)."""
    improved = int((rows["change"] > 0).sum())
    return _t("reintegration.headline.organisations", lang, improved=_n(improved, lang), n=_n(len(rows), lang))
