"""Read submissions from a KoboToolbox server (REST API v2) into the table the Kobo loader reads.

`pull` pages through `/api/v2/assets/{uid}/data/` (JSON, `limit`/`start`, following `next`),
optionally with a `query` (MongoDB JSON) and `fields`; `form_questions` reads the deployed
form's questions; `submissions_table` turns submissions into a `RawTable` whose columns are
the JSON keys (XML names with group paths) and whose index is each submission's `_id`, so
every problem names the submission a data manager can open in Kobo. Every failure (network,
HTTP status, broken JSON) raises `KoboServerError` with a `Problem` saying what to do. The
API token travels only in the Authorization header to the configured server: `next` links
are followed by their query alone, and no message ever contains the token.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import requests

from data_loaders import kobo_form as form
from data_loaders.errors import LoaderError, Problem
from data_loaders.readers import RawTable, strip_cells

PAGE_SIZE_LIMIT = 1000  # KoboToolbox serves at most 1,000 submissions per request
ID, UUID, SUBMISSION_TIME, VALIDATION = "_id", "_uuid", "_submission_time", form.VALIDATION_STATUS
INDEX_FIELDS = (ID, UUID, SUBMISSION_TIME, VALIDATION)  # what tells a new, edited or re-validated submission
GROUP_TYPES = ("begin_group", "end_group", "begin_repeat", "end_repeat")


class KoboServerError(LoaderError):
    """The server could not be read or answered something else than submissions; nothing was changed."""


@dataclass(frozen=True)
class KoboServer:
    """A KoboToolbox server and the token that reads its forms (never shown: repr leaves it out)."""

    url: str
    token: str = field(repr=False)
    timeout: float = 30.0
    page_size: int = PAGE_SIZE_LIMIT

    @property
    def base(self) -> str:
        return self.url.rstrip("/")


def source_name(uid: str) -> str:
    """What stands for the "file" in messages and in the import log: 'KoboToolbox aBc123'."""
    return f"KoboToolbox {uid}"


def _fail(uid: str, code: str, params: dict | None = None) -> KoboServerError:
    return KoboServerError([Problem(source_name(uid), None, None, None, code, params or {})])


def _get(server: KoboServer, session: requests.Session, path: str, params: dict, uid: str) -> dict:
    """One GET on the server, its JSON object; KoboServerError for anything else."""
    where = {"server": server.base}
    try:
        response = session.get(server.base + path, params=params, timeout=server.timeout,
                               headers={"Authorization": f"Token {server.token}", "Accept": "application/json"})
        body = response.content  # read it all here: a cut body fails now, not while parsing
    except requests.Timeout:
        raise _fail(uid, "kobo_timeout", {**where, "seconds": server.timeout}) from None
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
        raise _fail(uid, "kobo_truncated", where) from None
    except requests.RequestException:  # refused, unknown host, reset: the message must not echo the request
        raise _fail(uid, "kobo_unreachable", where) from None
    status = response.status_code
    if status in (401, 403):
        raise _fail(uid, "kobo_unauthorized" if status == 401 else "kobo_forbidden", where)
    if status == 404:
        raise _fail(uid, "kobo_not_found", {**where, "uid": uid})
    if status >= 500:
        raise _fail(uid, "kobo_server_error", {**where, "status": status})
    if status != 200:
        raise _fail(uid, "kobo_http_error", {**where, "status": status})
    try:
        data = json.loads(body.decode(response.encoding or "utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _fail(uid, "kobo_bad_json", where) from None
    if not isinstance(data, dict):
        raise _fail(uid, "kobo_bad_json", where)
    return data


@contextlib.contextmanager
def session_for(session: requests.Session | None) -> Iterator[requests.Session]:
    """The caller's session, or one of our own closed afterwards."""
    if session is not None:
        yield session
        return
    with requests.Session() as own:
        yield own


def _data_path(uid: str) -> str:
    return f"/api/v2/assets/{uid}/data/"


def _next_params(next_url: str | None) -> dict | None:
    """The query of a `next` link, asked again of our own server (the token never goes to another host)."""
    if not next_url:
        return None
    return dict(parse_qsl(urlsplit(next_url).query, keep_blank_values=True))


def pull(server: KoboServer, uid: str, *, query: dict | None = None, fields: Iterable[str] | None = None,
         session: requests.Session | None = None) -> list[dict]:
    """Every submission of form `uid` matching `query` (all when None), page by page."""
    params: dict = {"format": "json", "limit": min(server.page_size, PAGE_SIZE_LIMIT), "start": 0}
    if query is not None:
        params["query"] = json.dumps(query, separators=(",", ":"))
    if fields is not None:
        params["fields"] = json.dumps(list(fields), separators=(",", ":"))
    submissions: list[dict] = []
    with session_for(session) as http:
        while params is not None:
            page = _get(server, http, _data_path(uid), params, uid)
            results = page.get("results")
            if not isinstance(results, list) or "count" not in page \
                    or not all(isinstance(r, dict) and isinstance(r.get(ID), int) for r in results):
                raise _fail(uid, "kobo_bad_json", {"server": server.base})
            submissions += results
            params = _next_params(page.get("next")) if results else None
    return submissions


def pull_ids(server: KoboServer, uid: str, ids: list[int], session: requests.Session | None = None,
             batch: int = 200) -> list[dict]:
    """The submissions whose `_id` is in `ids` (a `query` with `$in`, in batches that keep URLs short)."""
    found: list[dict] = []
    for start in range(0, len(ids), batch):
        chunk = [int(i) for i in ids[start:start + batch]]
        found += pull(server, uid, query={ID: {"$in": chunk}}, session=session)
    return found


def form_questions(server: KoboServer, uid: str, session: requests.Session | None = None) -> set[str]:
    """The XML paths (`group/question`) of the questions in the deployed form `uid`."""
    with session_for(session) as http:
        asset = _get(server, http, f"/api/v2/assets/{uid}/", {"format": "json"}, uid)
    survey = (asset.get("content") or {}).get("survey")
    if not isinstance(survey, list):
        raise _fail(uid, "kobo_bad_json", {"server": server.base})
    return {row.get("$xpath") or row.get("name") for row in survey
            if isinstance(row, dict) and row.get("type") not in GROUP_TYPES and (row.get("$xpath") or row.get("name"))}


def mapped_questions() -> list[str]:
    """XML paths of the form's questions the Kobo loader reads (free text is never read)."""
    return [form.xml_header(q) for q in form.QUESTIONS if q.column is not None]


def check_questions(questions: set[str], uid: str) -> None:
    """Raise when the form no longer has a question the loader reads (renamed, moved to another group, removed)."""
    missing = [path for path in mapped_questions() if path not in questions]
    if missing:
        raise _fail(uid, "kobo_form_changed", {"uid": uid, "questions": missing})


def cell_text(key: str, value: object) -> str | None:
    """A submission value as the text an export would hold; Kobo's lists and objects are read past."""
    if key == VALIDATION:
        return value.get("uid") if isinstance(value, dict) else None
    if value is None or isinstance(value, (list, dict)):
        return None
    return str(value)


def submissions_table(submissions: list[dict], uid: str, questions: Iterable[str] = ()) -> RawTable:
    """Text cells of the submissions: a column per JSON key (plus `questions`, which Kobo omits when
    unanswered), index = `_id`; cells stripped, the corrections noted as an upload's are."""
    columns: dict[str, None] = dict.fromkeys(questions)
    for submission in submissions:
        columns.update(dict.fromkeys(submission))
    columns.pop(ID, None)
    rows = [[cell_text(key, s.get(key)) for key in columns] for s in submissions]
    index = pd.Index([int(s[ID]) for s in submissions], name=ID)
    grid = pd.DataFrame(rows, columns=list(columns), index=index, dtype=object)
    frame, fixes = strip_cells(grid.where(grid.notna(), ""), source_name(uid), None)
    return RawTable(frame, source_name(uid), None, fixes)
