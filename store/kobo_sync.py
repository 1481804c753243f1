"""Sync a dataset from its KoboToolbox form: plan (pull, validate, preview), then commit as one store change.

A sync pulls only what changed since the last one. The state kept from it (table
`kobo_sync_state`: each submission's `_id`, `_uuid`, `_submission_time`, validation status
and the participant it loaded) lives in the store file, so an undo takes it back with the
data and the next sync pulls again what was undone. Against the server's list of every
`_id`/`_uuid` (the `fields` parameter):
- new submissions come from a `query` on `_submission_time` after the last synced one (any
  the query misses, e.g. late uploads from a phone, by a `query` on `_id`);
- edited ones (same `_id`, new `_uuid`, usually the same `_submission_time`) and ones whose
  validation status changed are pulled again by `_id`;
- a participant no current submission names any more (the submission was deleted, marked
  "not approved", or its code was edited) is removed from the store when nothing else refers
  to it, and otherwise kept and listed with the reason.
Everything goes through the same loader and steps as an uploaded Kobo export.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import requests

import settings
from data_loaders import kobo_api
from data_loaders.canonical import LoadResult
from data_loaders.errors import LoaderError, fixed
from data_loaders.identity import identity_conflicts
from data_loaders.kobo import kobo_registration
from data_loaders.kobo_form import NOT_APPROVED
from data_loaders.kobo_api import ID, SUBMISSION_TIME, UUID, VALIDATION, KoboServer, source_name
from data_loaders.schemas import DATASET_KEYS, DATASETS
from store.backup import change_store, store_lock
from store.database import KOBO_SYNC_STATE_DDL, ImportSummary, StoreError, data_version, import_frame, open_store
from store.imports import Preview, Validation, preview_import, stored_rows

# Datasets that have a Kobo loader, and the loader (a RawTable of submissions -> LoadResult).
LOADERS = {"participants": kobo_registration}
STATE_TABLE = "kobo_sync_state"
STATE_COLUMNS = ["submission_id", "submission_uuid", "submission_time", "validation_status", "participant_id"]
KEPT_OTHER_DATA = "other_data"  # why a participant of a deleted submission stays


class StaleSyncError(StoreError):
    """The store changed between the preview and the confirmation: check the server again."""


# --- Settings ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormMapping:
    dataset: str
    uid: str


def form_mappings() -> tuple[list[FormMapping], list[str]]:
    """(datasets mapped to a form that have a Kobo loader, entries of `kobo_forms` that cannot be synced)."""
    mappings, refused = [], []
    for entry in (part.strip() for part in settings.get("kobo_forms").split(",")):
        if not entry:
            continue
        dataset, _, uid = (text.strip() for text in entry.partition("="))
        if dataset in LOADERS and uid:
            mappings.append(FormMapping(dataset, uid))
        else:
            refused.append(entry)
    return mappings, refused


def configured_server() -> KoboServer | None:
    """The KoboToolbox server of the settings, or None when none is configured (then nothing is contacted)."""
    url = settings.get("kobo_server_url").strip()
    if not url:
        return None
    return KoboServer(url, settings.get("kobo_api_token").strip(), float(settings.get("kobo_timeout_seconds")),
                      int(settings.get("kobo_page_size")))


# --- The state kept in the store ------------------------------------------------------------------

def read_state(con: duckdb.DuckDBPyConnection, uid: str) -> pd.DataFrame:
    """The submissions of form `uid` synced into this store (none when the store has never synced)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                         [STATE_TABLE]).fetchone()[0]
    if not exists:
        return pd.DataFrame(columns=STATE_COLUMNS)
    return con.execute(f"SELECT {', '.join(STATE_COLUMNS)} FROM {STATE_TABLE} WHERE asset_uid = ? "
                       "ORDER BY submission_id", [uid]).df()


def write_state(con: duckdb.DuckDBPyConnection, uid: str, state: pd.DataFrame) -> None:
    """Replace the state of form `uid` (creating the table in a store that predates the sync).

    Called on the working copy of a store change, which replaces the store whole or not at all.
    """
    con.execute(KOBO_SYNC_STATE_DDL)
    rows = state[STATE_COLUMNS].assign(asset_uid=uid)[["asset_uid", *STATE_COLUMNS]]
    _with_frame(con, "incoming_state", rows, (f"DELETE FROM {STATE_TABLE} WHERE asset_uid = ?", [uid]),
                (f"INSERT INTO {STATE_TABLE} SELECT * FROM incoming_state", []))


def _with_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame,
                *statements: tuple[str, list]) -> None:
    """Run (sql, parameters) statements with `frame` readable as the table `name`."""
    con.register(name, frame)
    try:
        for sql, parameters in statements:
            con.execute(sql, parameters)
    finally:
        con.unregister(name)


# --- Step 1: pull what changed ------------------------------------------------------------------

def _index(listing: list[dict]) -> pd.DataFrame:
    """The server's submissions as state rows (participant still unknown)."""
    rows = [{"submission_id": int(s[ID]), "submission_uuid": str(s.get(UUID) or ""),
             "submission_time": s.get(SUBMISSION_TIME),
             "validation_status": kobo_api.cell_text(VALIDATION, s.get(VALIDATION)),
             "participant_id": None} for s in listing]
    return pd.DataFrame(rows, columns=STATE_COLUMNS)


def _changed(index: pd.DataFrame, state: pd.DataFrame) -> pd.Series:
    """Whether each listed submission is new or differs from the synced one (edited or re-validated)."""
    before = state.set_index("submission_id")[["submission_uuid", "validation_status"]]
    joined = index.merge(before, left_on="submission_id", right_index=True, how="left", suffixes=("", "_before"))
    same_uuid = joined["submission_uuid"].eq(joined["submission_uuid_before"])
    status, status_before = (joined[c].astype(object).fillna("") for c in ("validation_status",
                                                                          "validation_status_before"))
    return ~(same_uuid & status.eq(status_before))


def pull_changes(server: KoboServer, uid: str, state: pd.DataFrame,
                 session: requests.Session) -> tuple[pd.DataFrame, list[dict], set[str]]:
    """(every submission on the server as state rows, the new or changed submissions in full, the form's questions).

    Raises KoboServerError (nothing read is used) and, when the form lost a mapped question, before pulling.
    """
    questions = kobo_api.form_questions(server, uid, session)
    kobo_api.check_questions(questions, uid)
    index = _index(kobo_api.pull(server, uid, fields=kobo_api.INDEX_FIELDS, session=session))
    wanted = set(index.loc[_changed(index, state), "submission_id"])
    if state.empty:
        pulled = kobo_api.pull(server, uid, session=session) if wanted else []
    else:
        last = state["submission_time"].dropna().max()
        after = {SUBMISSION_TIME: {"$gt": last}} if isinstance(last, str) else None
        pulled = kobo_api.pull(server, uid, query=after, session=session) if wanted else []
        missed = wanted - {int(s[ID]) for s in pulled}
        pulled += kobo_api.pull_ids(server, uid, sorted(missed), session=session)
    by_id = {int(s[ID]): s for s in pulled if int(s[ID]) in wanted}  # arrivals after the listing wait for next time
    return index, [by_id[i] for i in sorted(by_id)], questions


# --- Step 2: validate and preview ----------------------------------------------------------------

@dataclass(frozen=True)
class KeptParticipant:
    """A participant of a deleted (or no longer approved) submission that stays in the store."""

    submission_ids: tuple[int, ...]
    reason: str


@dataclass
class SyncPlan:
    """What a sync would do, computed without writing; the participants' codes never leave it."""

    dataset: str
    uid: str
    data_version: int
    validation: Validation
    state: pd.DataFrame  # the state after the sync
    submissions_new: int = 0
    submissions_changed: int = 0
    submissions_deleted: int = 0
    preview: Preview | None = None
    removed: list[str] = field(default_factory=list, repr=False)
    removed_by_municipality: pd.DataFrame | None = None  # country, municipality_code, removed
    kept: list[KeptParticipant] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return self.submissions_new + self.submissions_changed + self.submissions_deleted > 0

    @property
    def source(self) -> str:
        return source_name(self.uid)


def _empty_result(dataset: str, uid: str) -> LoadResult:
    frame = pd.DataFrame({column: pd.Series(dtype="object") for column in DATASETS[dataset].columns})
    return LoadResult(frame, [], source_name(uid))


def _checksum(pulled: list[dict], deleted: list[int]) -> str:
    text = json.dumps({"pulled": pulled, "deleted": sorted(deleted)}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load(dataset: str, uid: str, pulled: list[dict], questions: set[str]) -> LoadResult:
    """The pulled submissions through the dataset's Kobo loader (which leaves out those not approved)."""
    left_out = [int(s[ID]) for s in pulled if kobo_api.cell_text(VALIDATION, s.get(VALIDATION)) == NOT_APPROVED]
    if len(left_out) == len(pulled):  # nothing for the loader to read (it would call the table empty)
        result = _empty_result(dataset, uid)
        if left_out:
            result.fixes.append(fixed(source_name(uid), None, None, None, "kobo_not_approved", {"rows": left_out}))
        return result
    mapped = [q for q in kobo_api.mapped_questions() if q in questions]
    return LOADERS[dataset](kobo_api.submissions_table(pulled, uid, mapped))


def _identity_problems(con, dataset: str, result: LoadResult, state: pd.DataFrame) -> list:
    """Identity conflicts, except for an edit of a submission that had loaded this same participant."""
    key = DATASET_KEYS[dataset][0]
    synced = dict(zip(state["submission_id"], state["participant_id"]))
    own = dict(zip(result.rows, result.frame[key]))
    return [p for p in identity_conflicts(result, stored_rows(con, dataset, result.frame), dataset)
            if synced.get(p.row) is None or synced.get(p.row) != own.get(p.row)]


def _with_participants(index: pd.DataFrame, state: pd.DataFrame, result: LoadResult,
                       pulled: list[dict]) -> pd.DataFrame:
    """The state after the sync: every submission listed, each with the participant it loads now."""
    loaded = dict(zip(result.rows, result.frame["participant_id"]))
    before = dict(zip(state["submission_id"], state["participant_id"]))
    pulled_ids = {int(s[ID]) for s in pulled}
    new_state = index.copy()
    new_state["participant_id"] = [loaded.get(i) if i in pulled_ids else before.get(i)
                                   for i in new_state["submission_id"]]
    return new_state


def _referring_datasets(dataset: str) -> list[str]:
    return [d for d, schema in DATASETS.items() if d != dataset and "participant_id" in schema.columns]


def _orphans(con, dataset: str, state: pd.DataFrame, new_state: pd.DataFrame,
             incoming: pd.DataFrame) -> tuple[list[str], list[KeptParticipant]]:
    """(participants to remove, participants kept): those no current submission names any more."""
    still = set(new_state["participant_id"].dropna()) | set(incoming["participant_id"].dropna())
    gone = sorted(set(state["participant_id"].dropna()) - still)
    if not gone:
        return [], []
    cur = con.cursor()
    try:
        cur.register("gone", pd.DataFrame({"participant_id": gone}))
        stored = {r[0] for r in cur.execute(
            f'SELECT participant_id FROM "{dataset}" JOIN gone USING (participant_id)').fetchall()}
        referred = set()
        for other in _referring_datasets(dataset):
            referred |= {r[0] for r in cur.execute(
                f'SELECT DISTINCT participant_id FROM "{other}" JOIN gone USING (participant_id)').fetchall()}
    finally:
        cur.close()
    removed = [p for p in gone if p in stored and p not in referred]
    kept = [KeptParticipant(tuple(int(i) for i in state.loc[state["participant_id"] == p, "submission_id"]),
                            KEPT_OTHER_DATA) for p in gone if p in stored and p in referred]
    return removed, kept


def _removed_by_municipality(con, dataset: str, removed: list[str]) -> pd.DataFrame:
    cur = con.cursor()
    try:
        cur.register("removed", pd.DataFrame({"participant_id": pd.Series(removed, dtype="object")}))
        return cur.execute(f'SELECT country, municipality_code, count(*) AS removed FROM "{dataset}" '
                           "JOIN removed USING (participant_id) GROUP BY ALL ORDER BY ALL").df()
    finally:
        cur.close()


def plan_sync(con: duckdb.DuckDBPyConnection, server: KoboServer, mapping: FormMapping,
              session: requests.Session | None = None) -> SyncPlan:
    """Pull what changed on the server, validate it with the dataset's Kobo loader and preview it; writes nothing.

    Raises KoboServerError when the server cannot be read or the form lost a question.
    """
    dataset, uid = mapping.dataset, mapping.uid
    state = read_state(con, uid)
    version = data_version(con)
    with kobo_api.session_for(session) as http:
        index, pulled, questions = pull_changes(server, uid, state, http)
    deleted = sorted(set(state["submission_id"]) - set(index["submission_id"]))
    new = int((~index["submission_id"].isin(state["submission_id"])).sum())
    checksum = _checksum(pulled, deleted)
    counts = {"submissions_new": new, "submissions_changed": len(pulled) - new, "submissions_deleted": len(deleted)}
    try:
        result = _load(dataset, uid, pulled, questions)
    except LoaderError as error:
        validation = Validation(source_name(uid), dataset, checksum, None, error.problems, error.fixes)
        return SyncPlan(dataset, uid, version, validation, state, **counts)
    conflicts = _identity_problems(con, dataset, result, state)
    if conflicts:
        validation = Validation(source_name(uid), dataset, checksum, None, conflicts, result.fixes)
        return SyncPlan(dataset, uid, version, validation, state, **counts)
    new_state = _with_participants(index, state, result, pulled)
    removed, kept = _orphans(con, dataset, state, new_state, result.frame)
    validation = Validation(source_name(uid), dataset, checksum, result, [], result.fixes)
    return SyncPlan(dataset, uid, version, validation, new_state, **counts,
                    preview=preview_import(con, dataset, result.frame), removed=removed,
                    removed_by_municipality=_removed_by_municipality(con, dataset, removed), kept=kept)


# --- Step 3: commit -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SyncSummary:
    imported: ImportSummary
    removed: int


def _remove(con: duckdb.DuckDBPyConnection, dataset: str, participant_ids: list[str]) -> None:
    """Delete these participants (on the working copy of a store change)."""
    frame = pd.DataFrame({"participant_id": pd.Series(participant_ids, dtype="object")})
    _with_frame(con, "removed", frame,
                (f'DELETE FROM "{dataset}" WHERE participant_id IN (SELECT participant_id FROM removed)', []))


def commit_sync(store: Path, plan: SyncPlan, user: str) -> SyncSummary:
    """Apply a valid plan as one store change (a backup first, so the existing undo takes it back).

    Raises StaleSyncError when the store changed since the plan was made (nothing written).
    """
    if not plan.validation.ok:
        raise ValueError("a sync whose validation failed cannot be committed")
    with store_lock(store):
        con = open_store(store)
        try:
            version = data_version(con)
        finally:
            con.close()
        if version != plan.data_version:
            raise StaleSyncError(f"{store}: the store changed since the sync was previewed")
        meta = {"data_version": version, "dataset": plan.dataset, "file_name": plan.source, "user": user}

        def change(work: duckdb.DuckDBPyConnection) -> SyncSummary:
            imported = import_frame(work, plan.dataset, plan.validation.result.frame, file_name=plan.source,
                                    checksum=plan.validation.checksum, imported_by=user)
            _remove(work, plan.dataset, plan.removed)
            write_state(work, plan.uid, plan.state)
            return SyncSummary(imported, len(plan.removed))

        return change_store(store, change, meta)
