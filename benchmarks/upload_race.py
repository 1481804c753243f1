"""How often a file dropped on the Data page right after choosing what it contains is lost, on a busy machine.

    .venv/bin/python -m benchmarks.upload_race [--attempts 20] [--busy 4] [--wait 30]

The real server (tests/browser.py's `streamlit_server`, a store of the bundled sample data, the
demo accounts) and Debian's Chromium. Each attempt opens the Data page in a new tab, signs in as
`datos`, chooses "Sesiones de sensibilización" and, without waiting for the page's run to end (as a
person does who drops the file straight away), gives the uploader a 103-row .ods. The attempt
counts as lost when "El archivo es válido" does not appear within `--wait` seconds. `--busy N`
runs N processes spinning on the CPU meanwhile (a loaded CI machine); 0 measures an idle one.

It prints one line per attempt (seconds to the message, or LOST with the browser's upload
messages: request for upload addresses, PUT, the widget's rerun) and a summary line.
Before ui/streamlit_fixes.py, a new run started between the browser's request for an upload address
and the answer dropped the answer, and the file was never uploaded (docs/reliability.md).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET_LABEL = "Sesiones de sensibilización"


def _spin() -> None:
    while True:
        pass


def _record_upload_messages(page) -> list[tuple[float, str]]:
    """What the browser sends from now on (websocket messages, upload requests), with monotonic times."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    seen: list[tuple[float, str]] = []

    def sent(frame) -> None:
        message = BackMsg()
        message.ParseFromString(frame)
        seen.append((time.monotonic(), message.WhichOneof("type")))

    page.on("websocket", lambda socket: socket.on("framesent", sent))
    page.on("request", lambda r: seen.append((time.monotonic(), f"{r.method} upload"))
            if "upload_file" in r.url else None)
    page.on("response", lambda r: seen.append((time.monotonic(), f"{r.status} upload"))
            if "upload_file" in r.url else None)
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=20)
    parser.add_argument("--busy", type=int, default=4, help="processes spinning on the CPU meanwhile")
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait for the validation message")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from data_loaders.canonical import read_dataset
    from store.database import STORE_FILE, build_store
    from tests.apps.auth_support import demo_text, write_yaml
    from tests.browser import launch_chromium, sign_in, streamlit_server
    from tests.test_data_page import choose
    from tests.test_imports_workflow import SAMPLE, field_sessions

    folder = Path(tempfile.mkdtemp(prefix="upload-race-"))
    (folder / "data").mkdir()
    build_store(folder / "data" / STORE_FILE, SAMPLE, lambda file, dataset: read_dataset(file, dataset).frame)
    credentials = folder / "credentials.yaml"
    write_yaml(credentials, demo_text())
    sessions = field_sessions()
    ods = folder / "sesiones.ods"
    sessions.to_excel(ods, sheet_name="Sesiones", index=False, engine="odf")
    valid = f"El archivo es válido: {len(sessions)} filas listas para importar."

    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.busy)]
    for spinner in spinners:
        spinner.start()
    lost, not_signed_in, seconds = 0, 0, []
    try:
        with streamlit_server(folder / "data", folder / "streamlit.log", credentials) as url, \
                sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for attempt in range(1, args.attempts + 1):
                page = browser.new_page(viewport={"width": 1400, "height": 1800})
                messages = _record_upload_messages(page)
                page.goto(f"{url}/data?lang=es")
                sign_in(page, "datos", "demo-datos", "es")
                try:
                    page.get_by_role("heading", name="Datos").first.wait_for(timeout=90_000)
                except PlaywrightTimeout:
                    not_signed_in += 1
                    page.screenshot(path=str(folder / f"attempt-{attempt}.png"))
                    print(f"{attempt:3d} NOT SIGNED IN: {folder / f'attempt-{attempt}.png'}", flush=True)
                    page.close()
                    continue
                choose(page, DATASET_LABEL)
                started = time.monotonic()
                page.locator('input[type="file"]').set_input_files(str(ods))
                try:
                    page.get_by_text(valid).wait_for(timeout=args.wait * 1000)
                    seconds.append(time.monotonic() - started)
                    print(f"{attempt:3d} valid after {seconds[-1]:.1f} s", flush=True)
                except PlaywrightTimeout:
                    lost += 1
                    since = "; ".join(f"{at - started:+.2f} {text}" for at, text in messages if at >= started - 1)
                    page.screenshot(path=str(folder / f"attempt-{attempt}.png"))
                    print(f"{attempt:3d} LOST (seconds from the file given): {since}; "
                          f"{folder / f'attempt-{attempt}.png'}", flush=True)
                page.close()
            browser.close()
    finally:
        for spinner in spinners:
            spinner.terminate()
    slowest = f", slowest {max(seconds):.1f} s" if seconds else ""
    print(f"busy processes {args.busy}: {lost} of {args.attempts - not_signed_in} uploads lost{slowest}; "
          f"sign-in did not open the page {not_signed_in} times")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
