"""Sync from KoboToolbox against a real HTTP server on 127.0.0.1 (tests/kobo_server.py) and a real store.

The server answers like KoboToolbox's API v2 with the sample data's registration form; each
test has a store of its own (a copy of the session's sample store).
"""

from __future__ import annotations

import logging
import shutil

import pytest
import requests

from data_loaders.kobo_api import KoboServer, KoboServerError, pull, submissions_table
from store.backup import undo_last_import
from store.database import STORE_FILE, file_checksum, open_store
from store.kobo_sync import (KEPT_OTHER_DATA, FormMapping, StaleSyncError, commit_sync, configured_server,
                             form_mappings, plan_sync, read_state)
from tests import kobo_server as ks

MAPPING = FormMapping("participants", ks.UID)
SAMPLE_SUBMISSIONS = 142  # MISKA participants in the sample Kobo export


@pytest.fixture(scope="module")
def submissions() -> list[dict]:
    return ks.sample_submissions()


@pytest.fixture
def kobo(submissions):
    with ks.running(ks.KoboTestServer(submissions)) as server:
        yield server


@pytest.fixture
def store(tmp_path, sample_store_file):
    path = tmp_path / STORE_FILE
    shutil.copyfile(sample_store_file, path)
    return path


def client(kobo: ks.KoboTestServer, page_size: int = 50, timeout: float = 10, token: str = ks.TOKEN) -> KoboServer:
    return KoboServer(kobo.url, token, timeout, page_size)


def plan(store, server: KoboServer, mapping: FormMapping = MAPPING):
    con = open_store(store)
    try:
        return plan_sync(con, server, mapping)
    finally:
        con.close()


def stored(store, sql: str, params: list | None = None):
    con = open_store(store)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def new_submission(kobo: ks.KoboTestServer, participant: str, submission_id: int, when: str) -> dict:
    """A new registration in the form, copied from the first sample submission with another code and time."""
    submission = {**kobo.submissions[0], "_id": submission_id, "_uuid": f"00000000-0000-4000-8000-{submission_id:012d}",
                  "datos_personales/codigo_participante": participant, "_submission_time": when}
    submission["meta/instanceID"] = "uuid:" + submission["_uuid"]
    return submission


def synced(store, kobo) -> None:
    """The first sync, committed."""
    commit_sync(store, plan(store, client(kobo)), "datos")


# --- The server's answers -------------------------------------------------------------------------

def test_the_test_server_answers_in_kobotoolbox_shape(kobo):
    page = requests.get(f"{kobo.url}/api/v2/assets/{ks.UID}/data/", params={"format": "json", "limit": 2},
                        headers={"Authorization": f"Token {ks.TOKEN}"}, timeout=5).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == SAMPLE_SUBMISSIONS and page["previous"] is None and "start=2" in page["next"]
    first = page["results"][0]
    assert {"_id", "_uuid", "_submission_time", "_validation_status", "_attachments", "_geolocation", "_tags",
            "_notes", "_status", "_submitted_by", "__version__", "meta/instanceID", "formhub/uuid",
            "_xform_id_string", "datos_personales/codigo_participante", "inscripcion/componentes"} <= set(first)
    assert isinstance(first["_id"], int) and isinstance(first["_validation_status"], dict)


def test_submissions_become_a_table_indexed_by_id_with_the_validation_uid(submissions):
    table = submissions_table(submissions[:3], ks.UID)
    assert list(table.frame.index) == [s["_id"] for s in submissions[:3]]
    assert table.file == f"KoboToolbox {ks.UID}"
    assert "datos_personales/sexo" in table.frame and "_attachments" in table.frame
    assert table.frame["_attachments"].isna().all()  # lists are read past
    statuses = [s["_validation_status"].get("uid") for s in submissions[:3]]
    assert [v if isinstance(v, str) else None for v in table.frame["_validation_status"]] == statuses


def test_pull_follows_every_page_with_the_token(kobo):
    found = pull(client(kobo, page_size=40), ks.UID)
    assert [s["_id"] for s in found] == [s["_id"] for s in kobo.submissions]
    assert [r["params"]["start"] for r in kobo.data_requests()] == ["0", "40", "80", "120"]
    assert {r["authorization"] for r in kobo.requests} == {f"Token {ks.TOKEN}"}


def test_a_next_link_to_another_host_is_asked_of_the_configured_server(kobo):
    """The token never leaves for a host the settings do not name, even if `next` points there."""
    real = kobo._page
    kobo._page = lambda params: {**real(params), "next": None if int(params.get("start", 0)) >= 40
                                 else f"http://other.invalid/api/v2/assets/{ks.UID}/data/?start=40&limit=40"}
    found = pull(client(kobo, page_size=40), ks.UID)
    assert len(found) == 80 and [r["params"]["start"] for r in kobo.data_requests()] == ["0", "40"]


# --- First sync, incremental pulls, edits, deletions, undo ----------------------------------------

def test_first_sync_pulls_every_page_and_previews_against_the_store(store, kobo):
    result = plan(store, client(kobo))
    assert result.validation.ok, result.validation.problems
    counts = (result.submissions_new, result.submissions_changed, result.submissions_deleted)
    assert counts == (SAMPLE_SUBMISSIONS, 0, 0)
    # The sample store already holds these participants as the export loads them.
    assert (result.preview.rows_new, result.preview.rows_updated) == (0, 0)
    assert result.preview.rows_unchanged == len(result.validation.result.frame)
    listing = [r for r in kobo.data_requests() if "fields" in r["params"]]
    full = [r for r in kobo.data_requests() if "fields" not in r["params"]]
    assert [r["params"]["start"] for r in listing] == [r["params"]["start"] for r in full] == ["0", "50", "100"]
    assert all("query" not in r["params"] for r in full)  # nothing synced yet: everything


def test_commit_logs_the_form_and_keeps_the_state_in_the_store(store, kobo):
    synced(store, kobo)
    log = stored(store, "SELECT file_name, dataset, imported_by, result FROM import_log "
                        "ORDER BY import_id DESC LIMIT 1")
    assert log == [(f"KoboToolbox {ks.UID}", "participants", "datos", "ok")]
    con = open_store(store)
    state = read_state(con, ks.UID)
    con.close()
    assert sorted(state["submission_id"]) == sorted(s["_id"] for s in kobo.submissions)
    assert state["participant_id"].notna().sum() > 0


def test_incremental_sync_pulls_only_new_submissions(store, kobo):
    synced(store, kobo)
    last = max(s["_submission_time"] for s in kobo.submissions)
    kobo.add(new_submission(kobo, "PNEW00001", 999_000_001, "2099-01-01T10:00:00"))
    kobo.requests.clear()
    result = plan(store, client(kobo))
    assert (result.submissions_new, result.submissions_changed, result.submissions_deleted) == (1, 0, 0)
    assert (result.preview.rows_new, result.preview.rows_updated, result.preview.rows_unchanged) == (1, 0, 0)
    full = [r for r in kobo.data_requests() if "fields" not in r["params"]]
    assert [r["params"]["query"] for r in full] == ['{"_submission_time":{"$gt":"%s"}}' % last]
    commit_sync(store, result, "datos")
    assert stored(store, "SELECT count(*) FROM participants WHERE participant_id = 'PNEW00001'") == [(1,)]
    again = plan(store, client(kobo))
    assert not again.changes_anything


def test_an_edit_keeps_its_id_and_time_and_is_pulled_by_id(store, kobo):
    synced(store, kobo)
    target = kobo.submissions[5]
    pid = target["datos_personales/codigo_participante"].strip()
    kobo.edit(target["_id"], {"datos_personales/pueblo": "chuj"})
    kobo.requests.clear()
    result = plan(store, client(kobo))
    assert (result.submissions_new, result.submissions_changed) == (0, 1)
    assert (result.preview.rows_new, result.preview.rows_updated, result.preview.rows_unchanged) == (0, 1, 0)
    queries = [r["params"].get("query") for r in kobo.data_requests() if "fields" not in r["params"]]
    assert '{"_id":{"$in":[%d]}}' % target["_id"] in queries
    commit_sync(store, result, "datos")
    assert stored(store, "SELECT ethnicity FROM participants WHERE participant_id = ?", [pid]) == [("chuj",)]


def test_a_deleted_submission_removes_its_participant_when_nothing_else_refers_to_it(store, kobo):
    synced(store, kobo)
    kobo.add(new_submission(kobo, "PNEW00002", 999_000_002, "2099-01-02T10:00:00"))
    commit_sync(store, plan(store, client(kobo)), "datos")
    kobo.delete(999_000_002)
    result = plan(store, client(kobo))
    assert result.submissions_deleted == 1 and result.removed == ["PNEW00002"] and result.kept == []
    assert result.removed_by_municipality["removed"].sum() == 1
    summary = commit_sync(store, result, "datos")
    assert summary.removed == 1
    assert stored(store, "SELECT count(*) FROM participants WHERE participant_id = 'PNEW00002'") == [(0,)]


def test_a_submission_marked_not_approved_is_pulled_again_and_its_participant_removed(store, kobo):
    """A validation status changes neither `_uuid` nor `_submission_time`: the listing finds it."""
    synced(store, kobo)
    kobo.add(new_submission(kobo, "PNEW00005", 999_000_005, "2099-01-05T10:00:00"))
    commit_sync(store, plan(store, client(kobo)), "datos")
    kobo._by_id(999_000_005)["_validation_status"] = ks._validation("validation_status_not_approved")
    result = plan(store, client(kobo))
    assert result.validation.ok, result.validation.problems
    assert (result.submissions_changed, result.removed) == (1, ["PNEW00005"])
    assert [p.code for p in result.validation.fixes if p.code == "kobo_not_approved"] == ["kobo_not_approved"]


def test_a_deleted_submission_keeps_a_participant_other_data_refer_to(store, kobo):
    synced(store, kobo)
    referred = {row[0] for row in stored(store, "SELECT DISTINCT participant_id FROM participations")}
    target = next(s for s in kobo.submissions if s["datos_personales/codigo_participante"].strip() in referred)
    kobo.delete(target["_id"])
    result = plan(store, client(kobo))
    assert result.removed == [] and [(k.submission_ids, k.reason) for k in result.kept] == \
        [((target["_id"],), KEPT_OTHER_DATA)]
    commit_sync(store, result, "datos")
    pid = target["datos_personales/codigo_participante"].strip()
    assert stored(store, "SELECT count(*) FROM participants WHERE participant_id = ?", [pid]) == [(1,)]


def test_undo_takes_the_sync_state_back_so_the_next_sync_pulls_again(store, kobo):
    synced(store, kobo)
    kobo.add(new_submission(kobo, "PNEW00003", 999_000_003, "2099-01-03T10:00:00"))
    commit_sync(store, plan(store, client(kobo)), "datos")
    undo_last_import(store, "datos")
    assert stored(store, "SELECT count(*) FROM participants WHERE participant_id = 'PNEW00003'") == [(0,)]
    again = plan(store, client(kobo))
    assert again.submissions_new == 1 and again.preview.rows_new == 1


def test_a_plan_made_before_another_change_is_refused(store, kobo):
    first = plan(store, client(kobo))
    synced(store, kobo)
    before = file_checksum(store)
    with pytest.raises(StaleSyncError):
        commit_sync(store, first, "datos")
    assert file_checksum(store) == before


# --- Validation: problems name the submission ---------------------------------------------------

def test_invalid_answers_are_problems_naming_the_submission(store, kobo):
    bad = kobo.submissions[3]
    kobo.edit(bad["_id"], {"datos_personales/sexo": "desconocido"})
    result = plan(store, client(kobo))
    assert not result.validation.ok and result.preview is None
    problem = next(p for p in result.validation.problems if p.column == "datos_personales/sexo")
    assert (problem.file, problem.row, problem.value) == (f"KoboToolbox {ks.UID}", bad["_id"], "desconocido")
    location = f"KoboToolbox {ks.UID}, fila {bad['_id']}, columna «datos_personales/sexo»"
    assert problem.message("es").startswith(location)


def test_a_new_submission_reusing_a_stored_code_with_other_identity_is_refused(store, kobo):
    synced(store, kobo)
    first = kobo.submissions[0]
    other_sex = "hombre" if first["datos_personales/sexo"] == "mujer" else "mujer"
    clash = new_submission(kobo, first["datos_personales/codigo_participante"].strip(), 999_000_004,
                           "2099-01-04T10:00:00")
    kobo.add({**clash, "datos_personales/sexo": other_sex})
    result = plan(store, client(kobo))
    assert [(p.code, p.row) for p in result.validation.problems] == [("identity_changed", 999_000_004)]


def test_an_edit_may_correct_the_identity_of_its_own_participant(store, kobo):
    synced(store, kobo)
    target = kobo.submissions[0]
    kobo.edit(target["_id"], {"datos_personales/edad": str(int(target["datos_personales/edad"]) + 1)})
    result = plan(store, client(kobo))
    assert result.validation.ok and result.preview.rows_updated == 1


# --- Errors: clear messages, the store as it was -----------------------------------------------

def _error(store, server: KoboServer, mapping: FormMapping = MAPPING) -> KoboServerError:
    before = file_checksum(store)
    with pytest.raises(KoboServerError) as caught:
        plan(store, server, mapping)
    assert file_checksum(store) == before
    messages = caught.value.text("es") + caught.value.text("en")
    assert ks.TOKEN not in messages and ks.READ_ONLY_TOKEN not in messages
    return caught.value


@pytest.mark.parametrize("fault, code", [
    ("slow", "kobo_timeout"), ("truncated", "kobo_truncated"), ("bad_json", "kobo_bad_json"),
    ("status:500", "kobo_server_error"), ("status:502", "kobo_server_error"),
])
def test_server_faults_are_clear_problems(store, kobo, fault, code):
    kobo.fault = fault
    error = _error(store, client(kobo, timeout=0.5))
    assert [p.code for p in error.problems] == [code]
    assert kobo.url in error.problems[0].message("en")


def test_a_fault_on_a_later_page_changes_nothing(store, kobo):
    kobo.fault, kobo.fault_after = "status:500", 3  # the form and two pages answer, the third page fails
    error = _error(store, client(kobo, page_size=50))
    assert [p.code for p in error.problems] == ["kobo_server_error"]


def test_a_closed_port_is_unreachable(store):
    error = _error(store, KoboServer(f"http://127.0.0.1:{ks.closed_port()}", ks.TOKEN, 2))
    assert [p.code for p in error.problems] == ["kobo_unreachable"]
    assert "no se pudo conectar" in error.problems[0].message("es")


@pytest.mark.parametrize("token, code", [("wrong-token", "kobo_unauthorized"), (ks.READ_ONLY_TOKEN, "kobo_forbidden")])
def test_a_bad_token_is_named_without_showing_it(store, kobo, token, code):
    error = _error(store, client(kobo, token=token))
    assert [p.code for p in error.problems] == [code]
    assert token not in error.text("es") + error.text("en")


def test_a_wrong_form_uid_is_not_found(store, kobo):
    error = _error(store, client(kobo), FormMapping("participants", "aNoSuchForm"))
    assert [p.code for p in error.problems] == ["kobo_not_found"]
    assert "aNoSuchForm" in error.problems[0].message("es")


def test_a_renamed_question_names_what_is_missing(store, kobo):
    kobo.renamed = {"sexo": "sexo_persona", "municipio": "muni"}
    error = _error(store, client(kobo))
    assert [p.code for p in error.problems] == ["kobo_form_changed"]
    assert error.problems[0].params["questions"] == ["datos_personales/sexo", "ubicacion/municipio"]
    assert "«datos_personales/sexo» y «ubicacion/municipio»" in error.problems[0].message("es")
    assert kobo.data_requests() == []  # refused before any submission is pulled


def test_the_token_is_never_logged(store, kobo, caplog):
    caplog.set_level(logging.DEBUG)
    plan(store, client(kobo))
    kobo.fault = "status:500"
    with pytest.raises(KoboServerError):
        plan(store, client(kobo))
    assert caplog.text and ks.TOKEN not in caplog.text
    assert ks.TOKEN not in repr(client(kobo))


# --- Settings ----------------------------------------------------------------------------------

def test_nothing_is_configured_by_default(monkeypatch):
    for name in ("KOBO_SERVER_URL", "KOBO_API_TOKEN", "KOBO_FORMS"):
        monkeypatch.delenv(f"CONEXION_{name}", raising=False)
    assert configured_server() is None
    assert form_mappings() == ([], [])


def test_forms_of_datasets_without_a_kobo_loader_are_refused(monkeypatch):
    monkeypatch.setenv("CONEXION_KOBO_FORMS", "participants=aBc123, outcomes=xYz789, participants=")
    monkeypatch.setenv("CONEXION_KOBO_SERVER_URL", "https://kf.example.org/")
    monkeypatch.setenv("CONEXION_KOBO_API_TOKEN", "secret")
    assert form_mappings() == ([FormMapping("participants", "aBc123")], ["outcomes=xYz789", "participants="])
    server = configured_server()
    shown = (server.base, server.token, server.timeout, server.page_size)
    assert shown == ("https://kf.example.org", "secret", 30.0, 1000)
