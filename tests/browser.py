"""The real Streamlit server and Debian's Chromium for end-to-end tests (no browser download)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    """Skip without Chromium on a developer machine; fail in CI, where browser tests must run."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: test.sh installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} not installed (./test.sh installs it when run as root)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(data_dir: Path, log_path: Path, credentials: Path | None = None,
                     app: Path = ROOT / "dashboard.py"):
    """Start `streamlit run <app>` (the dashboard by default) on 127.0.0.1 and yield its base URL."""
    port = _free_port()
    env = {**os.environ, "CONEXION_DATA_DIR": str(data_dir), "CONEXION_MODE": "development"}
    if credentials:
        env["CONEXION_CREDENTIALS_FILE"] = str(credentials)
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_healthy(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("streamlit did not become healthy")


def sign_in(page, username: str, password: str, lang: str = "es", expect_success: bool = True) -> None:
    """Fill the sign-in form as a person would, reading its labels in `lang`.

    The library's cookie component, which could rerun the form while it was being submitted, is
    no longer drawn (ui.sign_in._CookieScript); as a person would, click again (up to three
    times) if a click lands while the form is being drawn anew and the form stays.
    """
    from auth.messages import auth_text
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    password_box = page.get_by_label(auth_text("sign_in.password", lang), exact=True)
    for _ in range(3 if expect_success else 1):
        page.get_by_role("button", name=auth_text("sign_in.submit", lang)).first.wait_for(timeout=60_000)
        _wait_until_idle(page)
        page.get_by_label(auth_text("sign_in.username", lang), exact=True).first.fill(username)
        password_box.first.fill(password)
        page.get_by_role("button", name=auth_text("sign_in.submit", lang)).first.click()
        if not expect_success:
            return
        try:
            password_box.first.wait_for(state="detached", timeout=20_000)
            return
        except PlaywrightTimeout:
            continue


def sign_in_if_asked(page, username: str, password: str, lang: str = "es") -> None:
    """Sign in again if a new page shows the form (the re-authentication cookie was not applied in time).

    Waits for whichever comes first, the form's button or the signed-in sidebar's sign-out button,
    rather than for the form alone (which costs the whole timeout on every signed-in page)."""
    from auth.messages import auth_text
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    form = page.get_by_role("button", name=auth_text("sign_in.submit", lang))
    signed_in = page.get_by_role("button", name=auth_text("sign_out", lang))
    try:
        form.or_(signed_in).first.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        return  # neither visible (presentation mode hides the sidebar): as before, no form shown
    if form.count():
        sign_in(page, username, password, lang)


def _wait_until_idle(page) -> None:
    """Wait until the script is not running (no status widget) and let late reruns land."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1500)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def copy_screenshot(source: Path, name: str) -> None:
    """Keep screenshots under artifacts/ for people to look at (ignored by git)."""
    target = ROOT / "artifacts" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)
