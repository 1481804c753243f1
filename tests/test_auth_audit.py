"""The audit log: one JSON line per event in the data folder, thread-safe, and never participant data."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from auth.audit_log import AuditDetailError, audit_log_path, log_event, read_events


@pytest.fixture(autouse=True)
def data_folder(monkeypatch, tmp_path):
    folder = tmp_path / "new" / "data"
    monkeypatch.setenv("CONEXION_DATA_DIR", str(folder))
    return folder


def test_one_json_line_per_event(data_folder):
    log_event("sign_in", "liderazgo", method="password")
    log_event("export", "presentador", format="pdf", page="overview", filters={"sex": ["female"], "countries": ["GTM"]})
    log_event("out_of_scope_request", "municipal", requested=["GTM-1201"])
    log_event("sign_in_failed", None, known_account=False)
    assert audit_log_path() == data_folder / "audit.log"
    lines = (data_folder / "audit.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert list(first) == ["time", "event", "username", "details"]
    assert (first["event"], first["username"], first["details"]) == ("sign_in", "liderazgo", {"method": "password"})
    stamp = dt.datetime.fromisoformat(first["time"])
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.timezone.utc) - stamp) < dt.timedelta(minutes=1)
    assert json.loads(lines[1])["details"]["filters"] == {"sex": ["female"], "countries": ["GTM"]}
    assert json.loads(lines[3]) | {"time": None} == {
        "time": None, "event": "sign_in_failed", "username": None, "details": {"known_account": False}}


def test_read_events_returns_the_last_ones_oldest_first():
    assert read_events() == []
    for number in range(5):
        log_event("export", "datos", number=number)
    assert [e["details"]["number"] for e in read_events(limit=3)] == [2, 3, 4]


def test_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown audit event 'download'"):
        log_event("download", "datos")


@pytest.mark.parametrize("key", [
    "participant_id", "participant", "name", "full_name", "nombre", "birth_date", "date_of_birth",
    "fecha_nacimiento", "free_text", "comments", "observaciones", "_uuid", "email", "phone", "Participant_Name",
])
def test_keys_that_name_participant_data_are_refused(key):
    with pytest.raises(AuditDetailError, match="participant data"):
        log_event("export", "datos", **{key: "x"})
    assert read_events() == []


@pytest.mark.parametrize("value", [
    "P5C756DAB", ["GTM-1306", "P28885F17"], "2f1c3a4e-9b7d-4c2e-8f00-1a2b3c4d5e6f",
    "persona@example.org", "x" * 201, "una línea\ny otra",
])
def test_values_that_look_like_participant_data_are_refused(value):
    with pytest.raises(AuditDetailError):
        log_event("export", "datos", reference=value)
    assert read_events() == []


def test_nested_keys_are_checked_too():
    with pytest.raises(AuditDetailError, match="participant data"):
        log_event("export", "datos", filters={"participant_id": "x"})


def test_objects_that_cannot_be_logged_are_refused():
    with pytest.raises(AuditDetailError, match="type that cannot be logged"):
        log_event("export", "datos", frame=object())


def test_codes_dates_and_counts_are_accepted():
    line = log_event("export", "datos", file_name="factsheet-GTM-1306.pdf", rows=12, share=0.5,
                     start=dt.date(2023, 1, 1), municipalities=("GTM:1306",))
    assert line["details"]["start"] == "2023-01-01" and line["details"]["municipalities"] == ["GTM:1306"]


def test_concurrent_writers_never_mix_lines():
    def write(worker: int) -> None:
        for number in range(50):
            log_event("export", f"user{worker}", number=number, padding="p" * 150)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = read_events(limit=1000)
    assert len(events) == 400
    assert sorted((e["username"], e["details"]["number"]) for e in events) == sorted(
        (f"user{w}", n) for w in range(8) for n in range(50))
