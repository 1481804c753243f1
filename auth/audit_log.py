"""The audit log: one JSON line per sign-in, sign-out, export or refused request, never participant data.

Lines go to `<data_dir>/audit.log` as {"time", "event", "username", "details"}; time is UTC.
`log_event` refuses details whose keys or values look like participant data (ids, names,
birth dates, free text), so a careless caller fails loudly instead of leaking a person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import deque
from pathlib import Path, PurePath

import settings

EVENTS = frozenset({"sign_in", "sign_in_failed", "sign_out", "export", "out_of_scope_request"})
FILE_NAME = "audit.log"
MAX_TEXT_LENGTH = 200

# Detail keys that name participant data, exactly or as one word of a snake_case key.
DENIED_KEYS = frozenset({
    "name", "full_name", "first_name", "last_name", "given_name", "family_name", "nombre", "nombres",
    "apellido", "apellidos", "birth_date", "date_of_birth", "dob", "fecha_nacimiento", "exact_age",
    "email", "phone", "telefono", "address", "direccion", "text", "free_text", "comment", "comments",
    "note", "notes", "observaciones", "uuid", "_uuid", "person_id", "id_number", "document",
})
DENIED_WORDS = frozenset({
    "participant", "participants", "participante", "birth", "nacimiento", "uuid", "password",
    "contrasena", "contraseña", "phone", "telefono", "address", "direccion", "comment", "comentario",
    "notes", "observaciones", "freetext",
})
# Values that look like a participant id (P + 8 hex digits in the sample data), a form uuid or an e-mail.
DENIED_VALUES = (
    re.compile(r"\bP[0-9A-F]{8}\b"),
    re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE),
    re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"),
)

_LOCK = threading.Lock()


class AuditDetailError(ValueError):
    """A detail looks like participant data (or cannot be logged); nothing was written."""


def audit_log_path() -> Path:
    """The audit log file, in the data folder."""
    return settings.data_dir() / FILE_NAME


def _check_key(key: str) -> None:
    lowered = key.strip().lower()
    words = set(re.split(r"[^0-9a-zñ]+", lowered))
    if lowered in DENIED_KEYS or words & DENIED_WORDS:
        raise AuditDetailError(f"audit detail {key!r} looks like participant data; log codes and counts only")


def _check_short(text: str, key: str) -> str:
    if len(text) > MAX_TEXT_LENGTH or "\n" in text:
        raise AuditDetailError(f"audit detail {key!r} looks like free text; log short codes only")
    return text


def _check_text(text: str, key: str) -> str:
    _check_short(text, key)
    if any(pattern.search(text) for pattern in DENIED_VALUES):
        raise AuditDetailError(f"audit detail {key!r} looks like a participant id or an e-mail")
    return text


def _clean(value: object, key: str) -> object:
    """`value` made JSON-safe, or AuditDetailError if it looks like participant data."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (str, dt.date, PurePath)):
        return _check_text(str(value), key)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(item, key) for item in value]
    if isinstance(value, dict):
        return _clean_details(value)
    raise AuditDetailError(f"audit detail {key!r} has a type that cannot be logged: {type(value).__name__}")


def _clean_details(details: dict) -> dict:
    cleaned = {}
    for key, value in details.items():
        _check_key(str(key))
        cleaned[str(key)] = _clean(value, str(key))
    return cleaned


def log_event(event: str, username: str | None, **details: object) -> dict:
    """Append one line to the audit log (thread-safe) and return it; refuses participant data."""
    if event not in EVENTS:
        raise ValueError(f"Unknown audit event {event!r}; known: {', '.join(sorted(EVENTS))}")
    line = {
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "event": event,
        "username": None if username is None else _check_short(str(username), "username"),
        "details": _clean_details(details),
    }
    path = audit_log_path()
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return line


def read_events(limit: int = 100) -> list[dict]:
    """The last `limit` events, oldest first (empty if nothing was logged yet)."""
    path = audit_log_path()
    if not path.exists():
        return []
    with _LOCK, open(path, encoding="utf-8") as handle:
        lines = deque(handle, maxlen=limit)
    return [json.loads(line) for line in lines if line.strip()]
