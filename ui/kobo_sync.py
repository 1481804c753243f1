"""The Data page's KoboToolbox section: check a form for changes, see problems and the preview, confirm.

Shown only when a server is configured (settings `kobo_server_url`, `kobo_api_token`,
`kobo_forms`); without one nothing is contacted. The tables are pure functions; the render
functions lay them out. Problems name the submission by its `_id`; the preview counts rows.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from data_loaders.errors import LoaderError, Problem
from store import cached
from store.imports import Preview, log_rejection
from store.kobo_sync import (LOADERS, FormMapping, StaleSyncError, SyncPlan, commit_sync, configured_server,
                             form_mappings, plan_sync)
from ui.data_page import (dataset_label, municipality_names, preview_table, problem_headers, problem_table,
                          problems_csv, show_fixes, show_table)
from ui.language import current_language, number, t

_KEY = "data.kobo."


# --- Pure tables -------------------------------------------------------------------------

def submission_problem_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Problems with the submission's `_id` where an upload has its row (a server has no sheets), headers in `lang`."""
    table = problem_table(problems, lang).drop(columns=["sheet"])
    headers = {**problem_headers(lang), "row": i18n.translate("data.kobo.column.submission", lang)}
    return table.rename(columns=headers)


def sync_preview_table(plan: SyncPlan, lang: str, names: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Rows new / updated / unchanged and participants removed, per municipality (counts only)."""
    keys = ["country", "municipality_code"]
    counts = plan.preview.by_municipality.merge(plan.removed_by_municipality, on=keys, how="outer")
    counts = counts.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)
    for column in ("new", "updated", "unchanged", "removed"):
        counts[column] = counts[column].fillna(0).astype("int64")
    combined = Preview(plan.dataset, plan.preview.rows_new, plan.preview.rows_updated, plan.preview.rows_unchanged,
                       counts)
    table = preview_table(combined, lang, names)
    table[i18n.translate("data.kobo.removed", lang)] = [i18n.format_number(n, lang) for n in counts["removed"]]
    return table


# --- Sections ----------------------------------------------------------------------------

def sync_section(user: str) -> None:
    """The whole section, or nothing at all when no KoboToolbox server is configured."""
    server = configured_server()
    if server is None:
        return
    st.subheader(t("data.kobo.title"))
    message = st.session_state.pop(_KEY + "message", None)
    if message:
        st.success(message)
    st.caption(t("data.kobo.intro", server=server.base))
    mappings, refused = form_mappings()
    if refused:
        lang = current_language()
        st.warning(t("data.kobo.config.refused", entries=", ".join(refused),
                     datasets=", ".join(dataset_label(d, lang) for d in LOADERS)))
    if not server.token:
        st.warning(t("data.kobo.config.no_token"))
    if not mappings:
        st.info(t("data.kobo.config.no_forms"))
    for mapping in mappings:
        form_steps(server, mapping, user)


def _held_plan(mapping: FormMapping) -> SyncPlan | LoaderError | None:
    """The plan (or server error) of the last check of this form, while the store is still the one it read."""
    held = st.session_state.get(_KEY + mapping.uid)
    if held is None or held[0] != cached.current_data_version():
        return None
    return held[1]


def form_steps(server, mapping: FormMapping, user: str) -> None:
    """Check one form for changes, then steps 1-3 of an import."""
    st.markdown(t("data.kobo.form", dataset=dataset_label(mapping.dataset, current_language()), uid=mapping.uid))
    if st.button(t("data.kobo.check"), key=_KEY + "check." + mapping.uid):
        with st.spinner(t("data.kobo.checking")):
            version = cached.current_data_version()
            try:
                with cached.cursor() as con:
                    outcome = plan_sync(con, server, mapping)
            except LoaderError as error:  # KoboServerError: the server could not be read
                outcome = error
        if isinstance(outcome, SyncPlan) and not outcome.validation.ok:  # in the log, as a rejected file is
            log_rejection(cached.store_path(), outcome.validation, user)
        st.session_state[_KEY + mapping.uid] = (version, outcome)
    outcome = _held_plan(mapping)
    if isinstance(outcome, LoaderError):  # a server error is one sentence: no table of empty rows and columns
        st.error("\n\n".join([t("data.kobo.failed"), *outcome.messages(current_language())]))
    elif outcome is not None:
        plan_steps(outcome, user)


def _show_problems(plan: SyncPlan) -> None:
    lang = current_language()
    st.error(t("data.kobo.invalid", count=number(len(plan.validation.problems))))
    st.caption(t("data.kobo.problems.caption"))
    table = submission_problem_table(plan.validation.problems, lang)
    show_table(table)
    st.download_button(t("data.problems.download"), problems_csv(table, lang),
                       file_name=f"kobotoolbox_{plan.uid}_problemas.csv", mime="text/csv",
                       key=_KEY + "problems_csv." + plan.uid)
    show_fixes(plan.validation.fixes)


def plan_steps(plan: SyncPlan, user: str) -> None:
    st.caption(t("data.kobo.pulled", new=number(plan.submissions_new), changed=number(plan.submissions_changed),
                 deleted=number(plan.submissions_deleted)))
    if not plan.changes_anything:
        st.info(t("data.kobo.up_to_date"))
        return
    st.markdown(f"**{t('data.step1')}**")
    if not plan.validation.ok:
        _show_problems(plan)
        return
    st.success(t("data.kobo.valid", rows=number(len(plan.validation.result.frame))))
    show_fixes(plan.validation.fixes)

    st.markdown(f"**{t('data.step2')}**")
    st.caption(t("data.preview.intro"))
    preview = plan.preview
    columns = st.columns(4)
    for column, key, value in zip(columns, ("data.preview.new", "data.preview.updated", "data.preview.unchanged",
                                            "data.kobo.removed"),
                                  (preview.rows_new, preview.rows_updated, preview.rows_unchanged, len(plan.removed))):
        column.metric(t(key), number(value))
    st.caption(t("data.kobo.removed.caption"))
    if plan.kept:
        ids = ", ".join(str(i) for kept in plan.kept for i in kept.submission_ids)
        st.warning(t("data.kobo.kept", ids=ids))
    st.markdown(f"**{t('data.preview.by_municipality')}**")
    show_table(sync_preview_table(plan, current_language(), municipality_names()))

    st.markdown(f"**{t('data.step3')}**")
    st.caption(t("data.confirm.caption"))
    if st.button(t("data.kobo.confirm", source=plan.source), type="primary", key=_KEY + "confirm." + plan.uid):
        try:
            summary = commit_sync(cached.store_path(), plan, user)
        except StaleSyncError:
            st.session_state.pop(_KEY + plan.uid, None)
            st.warning(t("data.kobo.stale"))
            return
        imported = summary.imported
        st.session_state.pop(_KEY + plan.uid, None)
        st.session_state[_KEY + "message"] = t(
            "data.kobo.done", source=plan.source, new=number(imported.rows_new), updated=number(imported.rows_updated),
            unchanged=number(imported.rows_unchanged), removed=number(summary.removed))
        st.rerun()
