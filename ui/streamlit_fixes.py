"""Fixes to Streamlit itself (1.67), applied by dashboard.py; each found and measured with
`python -m benchmarks.upload_race` and the browser tests (docs/reliability.md,
"A file dropped while the page runs")."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

_KEPT_ANSWERS = frozenset({"file_urls_response"})


def keep_upload_answers_across_reruns() -> None:
    """Make a new script run keep the unsent answers to the browser's upload requests (idempotent).

    The browser asks the server where to upload a dropped file (a `file_urls_request`). When a new
    script run started before the answer was sent, Streamlit cleared it from the session's outgoing
    queue with the old run's messages; the browser waited for it for ever and the file was lost.
    Streamlit already keeps toasts across that clear for the same reason (its issue #7740).
    """
    clear = ForwardMsgQueue.clear
    if getattr(clear, "keeps_upload_answers", False):
        return

    @functools.wraps(clear)
    def clear_keeping_upload_answers(self: ForwardMsgQueue, retain_lifecycle_msgs: bool = False,
                                     fragment_ids_this_run: list[str] | None = None) -> None:
        # Only the clear at the start of a run retains lifecycle messages; `flush` clears
        # everything because it has just taken the messages to send them.
        answers = [msg for msg in self._queue if msg.WhichOneof("type") in _KEPT_ANSWERS] \
            if retain_lifecycle_msgs else []
        clear(self, retain_lifecycle_msgs, fragment_ids_this_run)
        self._queue.extend(msg for msg in answers if not any(msg is kept for kept in self._queue))

    clear_keeping_upload_answers.keeps_upload_answers = True  # type: ignore[attr-defined]
    ForwardMsgQueue.clear = clear_keeping_upload_answers  # type: ignore[method-assign]


_pages_known = threading.Event()


def run_again_until_the_pages_are_known(register_pages: Callable[[], None]) -> None:
    """On the first run of this process, register the pages and run again before drawing anything.

    Streamlit computes widget ids with the hash of the running page. On the first run of a process
    no page is registered yet, so that run's widgets get ids under a page hash that no later run
    uses: the sign-in form drawn in it lost the first person's submission (the form came back
    empty and they had to sign in again). A run started after `register_pages` has the right hash.
    """
    if _pages_known.is_set():
        return
    register_pages()
    _pages_known.set()
    st.rerun()
