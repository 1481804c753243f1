"""The one place that turns typed errors into what the user sees, in the session's language.

A store that is missing or damaged is said plainly, with the recovery a data manager or
leadership can start from here (restore the last backup, rebuild from the sample data);
other roles are told whom to ask. The app never carries on with empty figures.
"""

from __future__ import annotations

import streamlit as st

import settings
from auth.roles import Role
from data_loaders.errors import LoaderError
from geo.errors import BoundaryError
from store import cached
from store.backup import list_backups, rebuild_from_sample, restore_last_good_backup
from store.database import StoreBusyError, StoreError, StoreMissingError
from ui.language import current_language, date, t

MAX_SHOWN_PROBLEMS = 50
RECOVERY_ROLES = frozenset({Role.DATA_MANAGER, Role.LEADERSHIP})
_FAILED = "recovery.failed"


def show_error(error: Exception) -> None:
    """Render a known error as a translated message with its details; re-raise anything else."""
    lang = current_language()
    if isinstance(error, LoaderError):
        st.error(t("error.loader.title", count=len(error.problems)))
        st.markdown("\n".join(f"- {p.message(lang)}" for p in error.problems[:MAX_SHOWN_PROBLEMS]))
    elif isinstance(error, BoundaryError):
        st.error(t("error.boundary.title"))
        st.markdown(error.message(lang))
    elif isinstance(error, StoreError):
        store_recovery(error)
    else:
        raise error


def _signed_in_role() -> Role | None:
    scope = st.session_state.get("scope")
    return getattr(scope, "role", None)


def _username() -> str:
    scope = st.session_state.get("scope")
    return getattr(scope, "username", "") or "?"


def _when(backup) -> str:
    return f"{date(backup.created_at.date())} {backup.created_at:%H:%M} UTC"


def store_recovery(error: StoreError) -> None:
    """The store cannot be used: say so, and offer recovery to the roles allowed to start it."""
    path = cached.store_path()
    st.error(t("recovery.title"))
    allowed = _signed_in_role() in RECOVERY_ROLES
    where = path if allowed else path.name  # the server's folders only to those who can act on them
    if isinstance(error, StoreBusyError):  # the file is intact: rebuilding or restoring would lose data
        st.markdown(t("recovery.busy", path=where))
        return
    st.markdown(t("recovery.missing" if isinstance(error, StoreMissingError) else "recovery.corrupt", path=where))
    st.markdown(t("recovery.why"))
    if not allowed:
        st.info(t("recovery.contact"))
        return
    with st.expander(t("recovery.detail")):
        st.code(str(error), language=None)
    backups = list_backups(path)
    failure = st.session_state.pop(_FAILED, None)
    if failure:
        st.error(t("recovery.failed", detail=failure))
    restore, rebuild = st.columns(2)
    with restore:
        if backups:
            st.caption(t("recovery.restore.describe", when=_when(backups[0]), file=backups[0].file_name))
        else:
            st.caption(t("recovery.restore.none"))
        st.button(t("recovery.restore"), type="primary", disabled=not backups, key="recovery.restore",
                  on_click=_recover, args=(_restore,))
    with rebuild:
        st.caption(t("recovery.rebuild.describe"))
        st.button(t("recovery.rebuild"), key="recovery.rebuild", on_click=_recover, args=(_rebuild,))


def _restore() -> str:
    backup = restore_last_good_backup(cached.store_path(), _username())
    return t("recovery.restored", when=_when(backup))


def _rebuild() -> str:
    rebuild_from_sample(cached.store_path(), settings.sample_dir(), cached.load_validated, _username())
    return t("recovery.rebuilt")


def _recover(action) -> None:
    """Button callback: runs before the page reruns, so the rerun already reads the recovered store."""
    try:
        message = action()
    except (StoreError, LoaderError, OSError) as failure:
        st.session_state[_FAILED] = str(failure)
        return
    st.cache_data.clear()
    st.toast(message)
