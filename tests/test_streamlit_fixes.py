"""ui/streamlit_fixes.py: a new script run no longer drops the answer to the browser's upload request."""

from __future__ import annotations

import subprocess
import sys

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from tests.conftest import ROOT
from ui.streamlit_fixes import keep_upload_answers_across_reruns


def _upload_answer(request_id: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.file_urls_response.response_id = request_id
    msg.file_urls_response.file_urls.add(file_id="f1", upload_url="/_stcore/upload_file/s/f1")
    return msg


def _markdown(path: int) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = [0, path]
    msg.delta.new_element.markdown.body = f"text {path}"
    return msg


def _new_session() -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.page_script_hash = "page"
    return msg


def _queued(queue: ForwardMsgQueue) -> list[str]:
    return [msg.WhichOneof("type") for msg in queue._queue]


def test_a_new_run_keeps_the_unsent_answer_to_an_upload_request_and_still_drops_the_old_runs_elements():
    keep_upload_answers_across_reruns()
    queue = ForwardMsgQueue()
    for msg in (_new_session(), _markdown(0), _upload_answer("r1"), _markdown(1)):
        queue.enqueue(msg)

    queue.clear(retain_lifecycle_msgs=True)  # what AppSession does when a new run starts

    assert _queued(queue) == ["new_session", "file_urls_response"]
    assert queue._queue[1].file_urls_response.response_id == "r1"


def test_the_answer_is_sent_once():
    keep_upload_answers_across_reruns()
    keep_upload_answers_across_reruns()  # applying it twice changes nothing
    queue = ForwardMsgQueue()
    queue.enqueue(_upload_answer("r1"))
    queue.clear(retain_lifecycle_msgs=True)
    queue.clear(retain_lifecycle_msgs=True)

    sent = queue.flush()

    assert [msg.file_urls_response.response_id for msg in sent] == ["r1"]
    assert queue.is_empty()


def test_the_dashboard_applies_the_fixes_in_its_first_run():
    """In a process of its own, so this module's own call cannot make it pass."""
    script = ("from streamlit.testing.v1 import AppTest\n"
              "from streamlit.runtime.forward_msg_queue import ForwardMsgQueue\n"
              "before = getattr(ForwardMsgQueue.clear, 'keeps_upload_answers', False)\n"
              "from ui import streamlit_fixes\n"
              "AppTest.from_file('dashboard.py', default_timeout=120).run()\n"
              "print(before, getattr(ForwardMsgQueue.clear, 'keeps_upload_answers', False),"
              " streamlit_fixes._pages_known.is_set())\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-3:] == ["False", "True", "True"]  # the pages were registered first too
