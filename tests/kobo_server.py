"""A KoboToolbox server for the tests: a real HTTP server on 127.0.0.1 answering REST API v2 like kpi does.

It serves one form (`/api/v2/assets/{uid}/`, its questions in `content.survey`) and its
submissions (`/api/v2/assets/{uid}/data/`: `count`, `next`, `previous`, `results`, paged
with `limit`/`start`, filtered by a MongoDB-style `query` with `$gt`/`$in`, projected by
`fields`), checks the `Authorization: Token …` header, and can misbehave on demand (slow,
cut short, invalid JSON, an HTTP status). The submissions are the sample data's Kobo export
(sample_data/raw/miska_registro_kobo.xlsx, written by sample_data/raw_exports.py) in the JSON
shape of the API: XML names with group paths, answers as text, empty answers left out, and
Kobo's metadata (`_id`, `_uuid`, `_validation_status` as an object, `_attachments`, …).
"""

from __future__ import annotations

import contextlib
import copy
import json
import socket
import threading
import time
import uuid as uuidlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

from data_loaders import kobo_form as form
from data_loaders.readers import load_table
from tests.conftest import SAMPLE

UID = "aMiskaRegistro2024xyz"
TOKEN = "test-token-5f1c9a7e2b"
READ_ONLY_TOKEN = "token-without-view-permission"
FORMHUB_UUID = "3f2a9c41d5e84b7f9a0c6e1d2b3a4c5d"
KOBO_EXPORT = SAMPLE / "raw" / "miska_registro_kobo.xlsx"
VALIDATION_LABELS = {"validation_status_approved": "Approved", "validation_status_not_approved": "Not approved",
                     "validation_status_on_hold": "On hold"}


def _validation(status: str | float) -> dict:
    if not isinstance(status, str) or not status:
        return {}
    return {"timestamp": 1_700_000_000, "uid": status, "by_whom": "coordinacion", "color": "#00ff00",
            "label": VALIDATION_LABELS.get(status, status)}


def sample_submissions(uid: str = UID) -> list[dict]:
    """The sample Kobo export's rows as the API returns them."""
    table = load_table(KOBO_EXPORT).frame
    flags = {f"{form.xml_header(form.question(form.SELECT_MULTIPLE))}/{c.name}" for c in
             form.CHOICES[form.SELECT_MULTIPLE]}
    submissions = []
    for _, row in table.iterrows():
        answers = {k: v for k, v in row.items() if isinstance(v, str) and not k.startswith("_") and k not in flags
                   and k not in ("__version__", "meta/instanceID")}
        submissions.append({
            "_id": int(row["_id"]), "formhub/uuid": FORMHUB_UUID, **answers,
            "__version__": row["__version__"], "meta/instanceID": row["meta/instanceID"],
            "_xform_id_string": uid, "_uuid": row["_uuid"], "_attachments": [], "_status": row["_status"],
            "_geolocation": [None, None], "_submission_time": row["_submission_time"], "_tags": [], "_notes": [],
            "_validation_status": _validation(row["_validation_status"]), "_submitted_by": None,
        })
    return submissions


def form_asset(uid: str, base: str, renamed: dict[str, str] | None = None) -> dict:
    """The asset of the registration form (`content.survey` with `$xpath`), optionally with questions renamed."""
    renamed = renamed or {}
    survey, group = [], None
    for q in form.QUESTIONS:
        if q.group != group:
            if group:
                survey.append({"type": "end_group", "$kuid": f"end-{group}"})
            survey.append({"type": "begin_group", "name": q.group, "$xpath": q.group,
                           "label": [form.GROUP_LABELS[q.group]]})
            group = q.group
        name = renamed.get(q.name, q.name)
        kind = ("select_multiple" if q.name == form.SELECT_MULTIPLE
                else "select_one" if q.name in form.CHOICES else "text")
        survey.append({"type": kind, "name": name, "$autoname": name, "$xpath": f"{q.group}/{name}",
                       "label": [q.label]})
    survey.append({"type": "end_group", "$kuid": f"end-{group}"})
    return {"uid": uid, "name": "Registro MISKA", "asset_type": "survey", "deployment__active": True,
            "data": f"{base}/api/v2/assets/{uid}/data/", "content": {"schema": "1", "survey": survey}}


def _matches(submission: dict, query: dict) -> bool:
    for key, condition in query.items():
        value = submission.get(key)
        if isinstance(condition, dict):
            for op, operand in condition.items():
                if op == "$gt" and not (value is not None and value > operand):
                    return False
                if op == "$in" and value not in operand:
                    return False
        elif value != condition:
            return False
    return True


class KoboTestServer:
    """The server's data and behaviour; change them between requests from the test."""

    def __init__(self, submissions: list[dict], uid: str = UID) -> None:
        self.uid = uid
        self.submissions = sorted(copy.deepcopy(submissions), key=lambda s: s["_id"])  # edits stay in this server
        self.renamed: dict[str, str] = {}
        self.fault: str | None = None  # slow | truncated | bad_json | status:<code>
        self.fault_after = 0  # requests answered normally before the fault starts
        self.slow_seconds = 2.0
        self.requests: list[dict] = []  # path, params and the Authorization header of each request
        self.url = ""

    # Changes a data manager makes in Kobo.
    def edit(self, submission_id: int, answers: dict) -> str:
        """Edit a submission: same `_id` and `_submission_time`, a new `_uuid` (returned)."""
        submission = self._by_id(submission_id)
        new = str(uuidlib.uuid4())
        submission.update(answers)
        submission["meta/deprecatedID"] = submission["meta/instanceID"]
        submission["meta/instanceID"], submission["_uuid"] = f"uuid:{new}", new
        return new

    def delete(self, submission_id: int) -> None:
        self.submissions.remove(self._by_id(submission_id))

    def add(self, submission: dict) -> None:
        self.submissions = sorted([*self.submissions, submission], key=lambda s: s["_id"])

    def _by_id(self, submission_id: int) -> dict:
        return next(s for s in self.submissions if s["_id"] == submission_id)

    def data_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith("/data/")]

    # Answers.
    def answer(self, path: str, params: dict, token: str | None) -> tuple[int, dict]:
        if token != f"Token {TOKEN}":
            return (403, {"detail": "You do not have permission to perform this action."}) \
                if token == f"Token {READ_ONLY_TOKEN}" else (401, {"detail": "Invalid token."})
        if path == f"/api/v2/assets/{self.uid}/":
            return 200, form_asset(self.uid, self.url, self.renamed)
        if path == f"/api/v2/assets/{self.uid}/data/":
            return 200, self._page(params)
        return 404, {"detail": "Not found."}

    def _page(self, params: dict) -> dict:
        query = json.loads(params["query"]) if "query" in params else {}
        matching = [s for s in self.submissions if _matches(s, query)]
        start, limit = int(params.get("start", 0)), min(int(params.get("limit", 100)), 1000)
        results = [copy.deepcopy(s) for s in matching[start:start + limit]]
        if "fields" in params:
            fields = json.loads(params["fields"])
            results = [{k: s[k] for k in fields if k in s} for s in results]

        def link(at: int) -> str:
            return f"{self.url}/api/v2/assets/{self.uid}/data/?{urlencode({**params, 'start': at, 'limit': limit})}"

        return {"count": len(matching), "next": link(start + limit) if start + limit < len(matching) else None,
                "previous": link(max(start - limit, 0)) if start > 0 else None, "results": results}


def _handler(server: KoboTestServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query))
            server.requests.append({"path": parts.path, "params": params,
                                    "authorization": self.headers.get("Authorization")})
            faulty = server.fault and len(server.requests) > server.fault_after
            if faulty and server.fault == "slow":
                time.sleep(server.slow_seconds)
            status, data = server.answer(parts.path, params, self.headers.get("Authorization"))
            body = json.dumps(data).encode("utf-8")
            if faulty and server.fault.startswith("status:"):
                status, body = int(server.fault.split(":")[1]), b"<html><body>Server Error</body></html>"
            if faulty and server.fault == "bad_json":
                body = body[: len(body) // 2] + b"}]"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            announced = len(body) * 2 if faulty and server.fault == "truncated" else len(body)
            self.send_header("Content-Length", str(announced))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (the timeout test)
                pass

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

    return Handler


@contextlib.contextmanager
def running(server: KoboTestServer) -> Iterator[KoboTestServer]:
    """Serve `server` on a free port of 127.0.0.1 in a thread, for the duration of the block."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

