"""A light client of Streamlit's websocket protocol: one browser tab, without the browser.

It speaks to `streamlit run` the way the web frontend does (Streamlit 1.67, Starlette server):
it opens `/_stcore/stream` with the subprotocol `streamlit`, sends `BackMsg.rerun_script` with a
`ClientState` (query string, widget states, page script hash and page name) and reads the
`ForwardMsg` stream (new_session, navigation, delta..., script_finished) until the run chain
ends. It keeps what a tab keeps between runs: the widgets of the last run (ids, labels,
options) and the values it set, so a rerun sends every current widget state as the frontend
does. Nothing is rendered; element payloads (charts, tables) are parsed and dropped.

    async with StreamlitSession("http://127.0.0.1:8501") as tab:
        first = await tab.rerun()
        sex = tab.widget(key="filters.sexes")
        result = await tab.rerun({sex.id: [sex.options[0]]})
        assert result.ok, result.problems

The app-specific steps (sign-in, pages, filters) live in benchmarks/load.py.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

STREAM_PATH = "/_stcore/stream"
# Statuses that end a run chain. FINISHED_EARLY_FOR_RERUN (st.rerun(), a callback) means
# another run follows on its own, so the client keeps reading.
_CHAIN_END = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "finished",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile_error",
}


class ClientError(RuntimeError):
    """The client cannot do what was asked (no such widget, page or value type)."""


@dataclass(frozen=True)
class Widget:
    """A widget drawn in the last run, as the frontend sees it."""

    id: str
    kind: str  # the Element field: "multiselect", "selectbox", "slider", "text_input", "button", ...
    label: str
    options: tuple[str, ...]  # formatted options (what the widget state carries), if any
    root: int  # delta path root: 0 main area, 1 sidebar
    form_id: str
    is_password: bool = False
    is_form_submitter: bool = False
    set_by_server: bool = False  # the script set its value (session_state): the server is authoritative

    @property
    def key(self) -> str | None:
        """The user key given in the script (ids are "$$ID-<hash>-<key>"), None without one."""
        parts = self.id.split("-", 2)
        return parts[2] if len(parts) == 3 and parts[2] != "None" else None


@dataclass
class RunResult:
    """One rerun request and the run chain it caused, from rerun_script sent to the last script_finished."""

    seconds: float
    status: str  # finished | compile_error | timeout | disconnected
    page_script_hash: str = ""
    script_runs: int = 0  # runs in the chain (st.rerun() makes more than one)
    widgets: dict[str, Widget] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of exception elements
    error_alerts: list[str] = field(default_factory=list)  # st.error bodies
    page_not_found: bool = False
    messages: int = 0
    bytes: int = 0
    element_counts: dict[str, int] = field(default_factory=dict)
    _paths: dict[tuple[int, ...], str] = field(default_factory=dict, repr=False)  # delta path -> widget id
    _texts: dict[tuple[int, ...], tuple[str, str, str]] = field(default_factory=dict, repr=False)

    @property
    def headings(self) -> list[str]:
        """Titles and headers on screen at the end of the chain, in drawing order."""
        return [text for kind, _, text in self._texts.values() if kind == "heading"]

    @property
    def metrics(self) -> dict[str, str]:
        """st.metric label -> shown value, on screen at the end of the chain."""
        return {label: text for kind, label, text in self._texts.values() if kind == "metric"}

    @property
    def problems(self) -> list[str]:
        """What went wrong (empty when the run finished cleanly)."""
        found = [] if self.status == "finished" else [self.status]
        found += [f"exception: {e}" for e in self.exceptions]
        if self.page_not_found:
            found.append("page_not_found")
        return found

    @property
    def ok(self) -> bool:
        return not self.problems


def widget_state(widget: Widget, value: Any) -> WidgetState:
    """The WidgetState the frontend would send for `value` (formatted options, as shown)."""
    state = WidgetState(id=widget.id)
    if widget.kind == "button":
        if value is not True:
            raise ClientError("a button is only ever clicked (value True)")
        state.trigger_value = True
    elif widget.kind in ("multiselect",) or (widget.kind == "slider" and widget.options):
        values = [str(v) for v in value]
        _check_options(widget, values)
        state.string_array_value.data.extend(values)
    elif widget.kind in ("selectbox", "radio"):
        _check_options(widget, [str(value)])
        state.string_value = str(value)
    elif widget.kind in ("text_input", "text_area"):
        state.string_value = str(value)
    elif widget.kind in ("checkbox",):
        state.bool_value = bool(value)
    elif widget.kind == "slider":
        values = value if isinstance(value, (list, tuple)) else [value]
        state.double_array_value.data.extend(float(v) for v in values)
    else:
        raise ClientError(f"widget kind {widget.kind!r} is not supported by the light client")
    return state


def _check_options(widget: Widget, values: list[str]) -> None:
    unknown = [v for v in values if v not in widget.options]
    if unknown:
        raise ClientError(f"{widget.label!r} has no option {unknown} (options: {list(widget.options)})")


def _is_trigger(state: WidgetState) -> bool:
    return state.WhichOneof("value") in ("trigger_value", "string_trigger_value", "json_trigger_value")


class StreamlitSession:
    """One session (one tab) of a Streamlit app over its websocket."""

    def __init__(self, base_url: str, *, query_string: str = "", timeout: float = 180.0,
                 message_cache: bool = False) -> None:
        parts = urlsplit(base_url)
        self.url = f"ws://{parts.netloc}{parts.path.rstrip('/')}{STREAM_PATH}"
        self.query_string = query_string
        self.timeout = timeout
        self.session_id = ""
        # The page of the last run as new_session reported it. The navigation message's hash is kept
        # apart: sending it back before sign-in (the hidden placeholder page) makes the server see a
        # page change and drop the form's submit trigger.
        self.page_script_hash = ""
        self.navigation_page_hash = ""
        self.pages: dict[str, Any] = {}  # url_pathname -> AppPage (from the navigation message)
        self.widgets: dict[str, Widget] = {}  # the last finished run's widgets
        self.closed_reason: str | None = None
        self.last_result: RunResult | None = None
        self._states: dict[str, WidgetState] = {}  # values this tab set, by widget id
        self._socket = None
        # Like the browser (message_cache=True): keep large cacheable messages by hash and tell the server,
        # which then sends a reference instead of a message the tab already has.
        self.message_cache = message_cache
        self._cached: dict[str, bytes] = {}
        self._ages: dict[str, int] = {}  # script runs finished since each cached message was last used
        self.max_cached_message_age = 2  # the server's global.maxCachedMessageAge (new_session says)

    async def __aenter__(self) -> StreamlitSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    async def connect(self) -> None:
        self._socket = await connect(self.url, subprotocols=["streamlit"], max_size=None,
                                     open_timeout=self.timeout, ping_interval=20, ping_timeout=60)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    # --- what the last run drew -----------------------------------------------------------

    def widget(self, *, key: str | None = None, label: str | None = None, kind: str | None = None,
               root: int | None = None) -> Widget:
        """The one widget of the last run matching the user key and/or label (and kind, root)."""
        found = [w for w in self.widgets.values()
                 if (key is None or w.key == key) and (label is None or w.label == label)
                 and (kind is None or w.kind == kind) and (root is None or w.root == root)]
        if len(found) != 1:
            shown = sorted(f"{w.kind}:{w.key or w.label}" for w in self.widgets.values())
            raise ClientError(f"{len(found)} widgets match key={key!r} label={label!r} kind={kind!r}; "
                              f"the last run drew {shown}")
        return found[0]

    def page_hash(self, url_pathname: str) -> str:
        try:
            return self.pages[url_pathname].page_script_hash
        except KeyError:
            raise ClientError(f"no page {url_pathname!r}; pages: {sorted(self.pages)}") from None

    # --- one rerun ---------------------------------------------------------------------------

    async def rerun(self, values: dict[str, Any] | None = None, *, page: str | None = None) -> RunResult:
        """Send widget values ({widget id: value}) and/or go to a page (url pathname); wait for the chain's end."""
        if self._socket is None:
            raise ClientError("not connected")
        changed = {}
        for widget_id, value in (values or {}).items():
            if widget_id not in self.widgets:
                raise ClientError(f"widget {widget_id!r} is not in the last run")
            changed[widget_id] = widget_state(self.widgets[widget_id], value)
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        if page is not None:
            state.page_script_hash = self.page_hash(page)
            state.page_name = page
        else:
            state.page_script_hash = self.page_script_hash
        # Like the frontend: every value of the widgets on screen, then the new ones (triggers once).
        sent = {wid: s for wid, s in self._states.items() if wid in self.widgets}
        sent.update(changed)
        state.widget_states.widgets.extend(sent.values())
        if self.message_cache:
            state.cached_message_hashes.extend(self._cached)
        self._states.update({wid: s for wid, s in changed.items() if not _is_trigger(s)})

        started = time.perf_counter()
        result = RunResult(seconds=0.0, status="timeout")
        try:
            await self._socket.send(message.SerializeToString())
            await asyncio.wait_for(self._read_chain(result), self.timeout)
        except TimeoutError:
            result.status = "timeout"
        except ConnectionClosed as closed:
            result.status = "disconnected"
            self.closed_reason = f"{closed.rcvd.code if closed.rcvd else 'no close frame'}"
            self._socket = None
        result.seconds = time.perf_counter() - started
        self.last_result = result
        if result.status in _CHAIN_END.values():
            self.widgets = result.widgets
            # Values the script set itself replace what this tab had sent.
            for widget in result.widgets.values():
                if widget.set_by_server:
                    self._states.pop(widget.id, None)
        return result

    async def _read_chain(self, result: RunResult) -> None:
        while True:
            raw = await self._socket.recv()
            result.messages += 1
            result.bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if self.message_cache:
                msg = self._from_cache(msg, raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.max_cached_message_age = msg.new_session.config.max_cached_message_age
                self._new_run(msg.new_session, result)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p for p in msg.navigation.app_pages}
                self.navigation_page_hash = msg.navigation.page_script_hash
            elif kind == "delta":
                self._delta(msg, result)
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                result.page_not_found = True
            elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
                error = msg.session_event.script_compilation_exception
                result.exceptions.append(f"{error.type}: {error.message}")
            elif kind == "ref_hash":
                # Only sent for hashes the client said it cached (message_cache=True resolves them above).
                raise ClientError(f"unexpected ref_hash message {msg.ref_hash}")
            elif kind == "script_finished":
                self._age_cache()
                if msg.script_finished in _CHAIN_END:
                    result.status = _CHAIN_END[msg.script_finished]
                    return

    def _from_cache(self, msg: ForwardMsg, raw: bytes) -> ForwardMsg:
        """The message a reference stands for (with the reference's delta path); cacheable ones are kept."""
        if msg.WhichOneof("type") == "ref_hash":
            if msg.ref_hash not in self._cached:
                return msg
            cached = ForwardMsg()
            cached.ParseFromString(self._cached[msg.ref_hash])
            cached.metadata.CopyFrom(msg.metadata)
            self._ages[msg.ref_hash] = 0
            return cached
        if msg.metadata.cacheable and msg.hash:
            self._cached[msg.hash] = raw
            self._ages[msg.hash] = 0
        return msg

    def _age_cache(self) -> None:
        """As the frontend does when a run finishes: messages unused for longer than the maximum age go."""
        for key in list(self._ages):
            self._ages[key] += 1
            if self._ages[key] > self.max_cached_message_age:
                del self._ages[key], self._cached[key]

    def _new_run(self, new_session, result: RunResult) -> None:
        """A run starts: what the previous run of the chain drew is replaced."""
        self.session_id = new_session.initialize.session_id or self.session_id
        self.page_script_hash = new_session.page_script_hash
        result.page_script_hash = new_session.page_script_hash
        result.script_runs += 1
        result.widgets = {}
        result._paths = {}
        result._texts = {}
        result.error_alerts = []
        result.element_counts = {}
        # Exceptions are kept across the chain: an exception is a problem even if a rerun followed.

    def _delta(self, msg: ForwardMsg, result: RunResult) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        if delta.WhichOneof("type") in ("new_element", "add_block"):
            # What is drawn at a path replaces what was there (st.empty(), a container's content).
            for gone in [p for p in result._paths if p[:len(path)] == path]:
                result.widgets.pop(result._paths.pop(gone), None)
            for gone in [p for p in result._texts if p[:len(path)] == path]:
                del result._texts[gone]
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        result.element_counts[kind] = result.element_counts.get(kind, 0) + 1
        inner = getattr(element, kind)
        if kind == "exception":
            result.exceptions.append(f"{inner.type}: {inner.message}")
        elif kind == "alert" and inner.format == Alert.ERROR:
            result.error_alerts.append(inner.body)
        elif kind == "heading":
            result._texts[path] = ("heading", "", inner.body)
        elif kind == "metric":
            result._texts[path] = ("metric", inner.label, inner.body)
        widget_id = getattr(inner, "id", "")
        if widget_id and hasattr(inner, "label"):
            result._paths[path] = widget_id
            result.widgets[widget_id] = Widget(
                id=widget_id, kind=kind, label=inner.label,
                options=tuple(getattr(inner, "options", ())), root=path[0] if path else 0,
                form_id=getattr(inner, "form_id", ""),
                is_password=kind == "text_input" and inner.type == inner.PASSWORD,
                is_form_submitter=kind == "button" and inner.is_form_submitter,
                set_by_server=bool(getattr(inner, "set_value", False)),
            )
