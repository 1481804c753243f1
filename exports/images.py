"""Plotly figure -> PNG bytes with kaleido and Debian's Chromium, through one warm kaleido server per process.

A browser launch per image costs ~2 s; the shared server brings it to ~0.15 s. Without
Chromium, `ExportUnavailableError` says what to install instead of kaleido's suggestion to
download a browser (which fails offline).
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading

import plotly.graph_objects as go

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

_LOCK = threading.Lock()
_started = False


class ExportUnavailableError(RuntimeError):
    """Images cannot be made on this machine (no Chromium); the message says how to fix it."""


def chromium_path() -> str | None:
    """The browser kaleido will use: $BROWSER_PATH, else Debian's Chromium, else one on the PATH."""
    candidates = [os.environ.get("BROWSER_PATH", "")] + list(CHROMIUM_CANDIDATES)
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _ensure_server() -> None:
    """Start the process-wide kaleido server once (thread-safe); stopped at exit."""
    global _started
    with _LOCK:
        if _started:
            return
        path = chromium_path()
        if path is None:
            raise ExportUnavailableError(
                "Chromium was not found: install Debian's chromium (apt-get install chromium) "
                "or set BROWSER_PATH to a Chromium executable.")
        os.environ.setdefault("BROWSER_PATH", path)
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(stop_server)
        _started = True


def stop_server() -> None:
    global _started
    with _LOCK:
        if _started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def figure_png(figure: go.Figure, width: int, height: int, scale: float = 2.0) -> bytes:
    """The figure as PNG bytes, width x height CSS pixels times `scale`."""
    _ensure_server()
    import kaleido
    from kaleido.errors import BrowserClosedError, BrowserFailedError, ChromeNotFoundError

    try:
        return kaleido.calc_fig_sync(figure, opts={"format": "png", "width": width, "height": height,
                                                   "scale": scale})
    except (ChromeNotFoundError, BrowserFailedError, BrowserClosedError) as error:
        stop_server()
        raise ExportUnavailableError(f"Chromium could not render the chart image: {error}") from error
