"""Pieces of the My municipality page: the country → department → municipality pickers kept in the URL,
and the sections that show one `MunicipalProfile`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from auth.audit_log import log_event
from charts import municipality as municipal_charts
from charts.overview import pyramid
from data_loaders.schemas import COUNTRIES
from geo import payload
from indicators.filters import Filters, Territory
from indicators.municipal import MunicipalProfile, Place, comparison_frame, comparison_title, component_table, \
    has_published_people, hidden_kinds, level_headers, sentences, sex_age_table
from indicators.scope import ScopeLike
from store.municipal import municipalities_offered
from exports import page_tables
from indicators.municipal import COUNT_FIGURES
from ui import layout, page_exports, presentation
from ui.exports import chart_downloads
from ui.filters import municipality_from_link
from ui.language import current_language, date, labels, t
from ui.session import guard_territory
from ui.tables import dataframe as table_view

KEY = "my_municipality"
_SYNCED = f"{KEY}.synced_link"


def _keep_valid(key: str, options: list) -> None:
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def _seed_from_link(link: tuple[Territory, ...], offered: pd.DataFrame, scope: ScopeLike) -> None:
    """A link (or a municipal official's first visit) sets the pickers once; later picks win."""
    target = link[0] if link else None
    if target is None and scope.is_territorial and f"{KEY}.municipality" not in st.session_state:
        target = tuple(scope.municipalities[0])
    # Streamlit drops a widget's state when its page is left: a link followed again must seed again.
    if target is None or (st.session_state.get(_SYNCED) == target and f"{KEY}.municipality" in st.session_state):
        return
    row = offered[(offered["country"] == target[0]) & (offered["code"] == target[1])]
    if row.empty:
        return
    st.session_state[f"{KEY}.country"] = target[0]
    st.session_state[f"{KEY}.department"] = row["department_code"].iloc[0]
    st.session_state[f"{KEY}.municipality"] = target[1]
    st.session_state[_SYNCED] = target


def pick_municipality(scope: ScopeLike) -> Territory | None:
    """Country, department and municipality selectboxes (only the scope's municipalities for an official).

    A shared link (?municipio=, &pais=) selects its municipality, or stops with 'not in your
    territory'; every pick is written back to the URL so the link reproduces the view.
    """
    link = municipality_from_link()
    if link:
        guard_territory(Filters(municipalities=link), scope)
    offered = municipalities_offered(scope)
    _seed_from_link(link, offered, scope)
    columns = st.columns(3)
    countries = [c for c in COUNTRIES if c in set(offered["country"])]
    _keep_valid(f"{KEY}.country", countries)
    country = columns[0].selectbox(t("municipality.pick.country"), countries, index=None,
                                   format_func=labels("country"),
                                   placeholder=t("municipality.pick.placeholder"), key=f"{KEY}.country")
    in_country = offered[offered["country"] == country]
    departments = in_country.drop_duplicates("department_code").sort_values("department_name")
    department_names = dict(zip(departments["department_code"], departments["department_name"]))
    _keep_valid(f"{KEY}.department", list(department_names))
    department = columns[1].selectbox(t("municipality.pick.department"), list(department_names), index=None,
                                      format_func=department_names.get, disabled=country is None,
                                      placeholder=t("municipality.pick.placeholder"), key=f"{KEY}.department")
    in_department = in_country[in_country["department_code"] == department].sort_values("name")
    names = dict(zip(in_department["code"], in_department["name"]))
    _keep_valid(f"{KEY}.municipality", list(names))
    code = columns[2].selectbox(t("municipality.pick.municipality"), list(names), index=None,
                                format_func=names.get, disabled=department is None,
                                placeholder=t("municipality.pick.placeholder"), key=f"{KEY}.municipality")
    if code is None:
        st.query_params.pop("municipio", None)
        st.query_params.pop("pais", None)
        return None
    st.session_state[_SYNCED] = (country, code)
    st.query_params["municipio"] = code
    st.query_params["pais"] = country
    return country, code


def share_link(municipality: Territory) -> None:
    query = f"?municipio={municipality[1]}&pais={municipality[0]}&lang={current_language()}"
    base = getattr(st.context, "url", None) or ""
    url = base.split("?")[0] + query if base else query
    st.caption(t("municipality.share_link", link=f"`{url}`"))


def summary(profile: MunicipalProfile) -> None:
    lang = current_language()
    st.subheader(t("municipality.summary"))
    st.markdown("\n".join(f"- {sentence}" for sentence in sentences(profile, lang)))


def no_activity(profile: MunicipalProfile) -> None:
    period = f"{profile.start.year}–{profile.end.year}"
    st.info(f"**{t('municipality.no_activity.title', place=profile.place.name)}**\n\n"
            + t("municipality.no_activity.body", period=period), icon=":material/info:")


def headline(profile: MunicipalProfile) -> None:
    """The municipality's own figures as metrics: only the lines of work present there."""
    shown = ["people_served"]
    if profile.miska_works_here:
        shown += ["miska_participants", "miska_employed", "miska_enterprises"]
    if profile.network_works_here:
        shown += ["agents_trained", "people_sensitized"]
    # Two per row: a word such as "menos de 5" needs the width a number does not.
    columns = [column for _ in range(0, len(shown), 2) for column in st.columns(2)]
    for column, indicator_id in zip(columns, shown):
        figure = profile.figure(indicator_id)
        layout.headline_metric(column, indicator_id, figure.value, figure.suppressed, hidden=figure.hidden)


def _stem(profile: MunicipalProfile, part: str) -> str:
    """municipality_GTM_1306_<part>: the file names of this municipality's downloads."""
    return f"municipality_{profile.place.country}_{profile.place.code}_{part}"


def _table_downloads(profile: MunicipalProfile, table: page_tables.PageTable, part: str, title: str,
                     *indicator_ids: str) -> None:
    notes = page_exports.notes(f"{title} · {profile.place.name}", *indicator_ids, data_date_=profile.data_date)
    page_exports.downloads(table, _stem(profile, part), notes, key=f"{KEY}.export.{part}")


def comparison(profile: MunicipalProfile) -> None:
    lang = current_language()
    title = comparison_title(profile, lang)
    st.subheader(title)
    table_view(comparison_frame(profile, lang), hide_index=True, width="stretch")
    layout.hidden_legend(hidden_kinds(profile, "comparison"))
    _table_downloads(profile, page_tables.comparison(profile, lang), "comparison", title, *COUNT_FIGURES)


def people(profile: MunicipalProfile) -> None:
    lang = current_language()
    left, right = st.columns(2)
    with left:
        st.subheader(t("municipality.pyramid", name=profile.place.name))
        if has_published_people(profile.pyramid):
            figure = pyramid(profile.pyramid, profile.age_order, lang)
            presentation.chart(figure, width="stretch", key="municipality_pyramid")
            chart_downloads(figure, _stem(profile, "sex_age"), key=f"{KEY}.export.pyramid")
            presentation.source_line(layout.data_date())
        elif not layout.withheld_note(profile.pyramid):
            st.caption(t("municipality.pyramid.protected"))
    with right:
        st.subheader(t("municipality.profile_mix"))
        layout.withheld_note(profile.profiles[profile.profiles["level"] == "municipality"])
        if municipal_charts.profile_mix_drawable(profile.profiles, list(profile.levels)):  # else an empty chart
            figure = municipal_charts.profile_mix(profile.profiles, list(profile.levels),
                                                  level_headers(profile, lang), lang)
            presentation.chart(figure, width="stretch", key="municipality_profile_mix")
            chart_downloads(figure, _stem(profile, "profile_mix"), key=f"{KEY}.export.profile_mix")
            presentation.source_line(layout.data_date())
    with st.expander(t("municipality.sex_age_table")):
        table_view(sex_age_table(profile, lang), hide_index=True, width="stretch")
        layout.hidden_legend(hidden_kinds(profile, "sex_age"))
        _table_downloads(profile, page_tables.sex_age(profile, lang), "sex_age", t("municipality.sex_age_table"),
                         "people_served")


def components(profile: MunicipalProfile) -> None:
    lang = current_language()
    st.subheader(t("municipality.components"))
    table = component_table(profile, lang)
    mine = profile.components[profile.components["level"] == "municipality"]
    followed = mine[mine["suppressed"] | (mine["value"].fillna(0) > 0)]
    if table.empty:
        st.caption(t("municipality.components.none"))
    elif not layout.withheld_note(followed):  # every count hidden: one sentence, not a table of marks
        table_view(table, hide_index=True, width="stretch")
        st.caption(t("municipality.components.caption"))
        layout.hidden_legend(hidden_kinds(profile, "components"))
        _table_downloads(profile, page_tables.components(profile, lang), "components", t("municipality.components"))


def _titled_table(profile: MunicipalProfile, part: str, rows: pd.DataFrame, build, export) -> None:
    """A subheader, then `build(rows)` as a table with `export(profile, lang)` behind its downloads, or a caption
    saying there is nothing. `part` ('policies', 'organisations') names the messages and the files."""
    st.subheader(t(f"municipality.{part}"))
    if rows.empty:
        st.caption(t(f"municipality.{part}.none"))
    else:
        table_view(build(rows), hide_index=True, width="stretch")
        _table_downloads(profile, export(profile, current_language()), part, t(f"municipality.{part}"))


def policies_and_organisations(profile: MunicipalProfile) -> None:
    lang = current_language()
    left, right = st.columns(2)
    with left:
        _titled_table(profile, "policies", profile.policies, lambda rows: pd.DataFrame({
            t("municipality.policies.column.name"): rows["policy_name"],
            t("municipality.policies.column.status"): [t(f"municipality.policy_status.{s}") for s in rows["status"]],
            t("municipality.policies.column.date"): [date(pd.Timestamp(d).date(), "medium")
                                                     for d in rows["status_date"]],
        }), page_tables.policies)
    with right:
        _titled_table(profile, "organisations", profile.organisations, lambda rows: pd.DataFrame({
            t("municipality.organisations.column.name"): rows["name"],
            t("municipality.organisations.column.members"): [i18n.format_number(m, lang) for m in rows["members"]],
        }), page_tables.organisations)


def locator(profile: MunicipalProfile) -> None:
    """The offline locator map: the municipality highlighted within its department and country."""
    st.subheader(t("municipality.locator"))
    place_locator(profile.place, "municipality_locator", _stem(profile, "locator"))


def place_locator(place: Place, key: str, stem: str | None = None) -> None:
    """The locator of `place`: its department's municipalities around it (named on hover), it highlighted and
    labelled, the country's departments outlined; with image downloads when `stem` names them."""
    context, neighbours, selected, bounds = municipal_charts.locator_payload(place.country, place.department_code,
                                                                             place.code)
    view = payload.view_state_for_bounds(bounds, width=420, height=360)
    st.pydeck_chart(municipal_charts.locator_deck(context, neighbours, selected, view, "<b>{name}</b>"),
                    height=360, key=key)
    st.caption(t("municipality.locator.caption", name=place.name, department=place.department_name))
    if stem:
        chart_downloads(lambda: municipal_charts.locator_figure(context, neighbours, selected, bounds), stem,
                        key=f"{KEY}.export.locator")


def download(profile: MunicipalProfile, scope: ScopeLike) -> None:
    """The one-page PDF factsheet, built when the button is clicked, and the export logged."""
    from exports.images import chromium_path

    if chromium_path() is None:
        st.warning(t("municipality.download.unavailable", detail="Chromium"))
        return
    lang = current_language()

    def build() -> bytes:
        from exports.factsheet import build_factsheet

        data = build_factsheet(profile, lang)
        log_event("export", getattr(scope, "username", None), page="my_municipality", format="pdf",
                  municipality=profile.place.code, country=profile.place.country, language=lang)
        return data

    st.download_button(t("municipality.download"), data=build, mime="application/pdf", type="primary",
                       file_name=f"ficha_{profile.place.country}_{profile.place.code}_{lang}.pdf",
                       help=t("municipality.download.help"), icon=":material/picture_as_pdf:",
                       key="municipality_download")

