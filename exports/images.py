"""Plotly figure -> PNG or SVG bytes with kaleido and Debian's Chromium, through one warm kaleido server per process.

A browser launch per image costs ~2 s; the shared server brings it to ~0.15 s. Without
Chromium, `ExportUnavailableError` says what to install instead of kaleido's suggestion to
download a browser (which fails offline).
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from functools import lru_cache

import plotly.graph_objects as go

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# Slides: 960 x 540 CSS pixels (16:9) at scale 2 -> a 1920 x 1080 PNG; text stays legible on a projector.
SLIDE_WIDTH, SLIDE_HEIGHT, SLIDE_SCALE = 960, 540, 2.0

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


def for_slides(figure: go.Figure, factor: float = 1.4) -> go.Figure:
    """A copy of `figure` with its text `factor` times larger, legible when projected (the page's figure unchanged)."""
    slide = go.Figure(figure)
    base = slide.layout.font.size or 12
    slide.update_layout(font_size=round(base * factor))
    if slide.layout.title.text:
        slide.update_layout(title_font_size=round((slide.layout.title.font.size or base * 1.2) * factor))
    def bigger(font) -> None:
        if font is not None and font.size:
            font.size = round(font.size * factor)

    slide.for_each_xaxis(lambda axis: (bigger(axis.tickfont), bigger(axis.title.font)))
    slide.for_each_yaxis(lambda axis: (bigger(axis.tickfont), bigger(axis.title.font)))
    for annotation in slide.layout.annotations:
        bigger(annotation.font)
    bigger(slide.layout.legend.font)
    if any(axis.visible is not False for axis in slide.select_xaxes()) and slide.data:
        # kaleido does not grow margins to fit enlarged tick labels: leave room for them
        margin = slide.layout.margin
        slide.update_layout(margin=dict(l=max(margin.l or 0, 110), b=max(margin.b or 0, 95),
                                        t=max(margin.t or 0, 40), r=max(margin.r or 0, 30)))
    return slide


def _render(figure: go.Figure | dict, fmt: str, width: int, height: int, scale: float) -> bytes:
    _ensure_server()
    import kaleido
    from kaleido.errors import BrowserClosedError, BrowserFailedError, ChromeNotFoundError

    try:
        return kaleido.calc_fig_sync(figure, opts={"format": fmt, "width": width, "height": height,
                                                   "scale": scale})
    except (ChromeNotFoundError, BrowserFailedError, BrowserClosedError) as error:
        stop_server()
        raise ExportUnavailableError(f"Chromium could not render the chart image: {error}") from error


def figure_png(figure: go.Figure, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT,
               scale: float = SLIDE_SCALE) -> bytes:
    """The figure as PNG bytes, width x height CSS pixels times `scale` (default 1920 x 1080 px, for slides)."""
    return _render(figure, "png", width, height, scale)


def figure_svg(figure: go.Figure, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> bytes:
    """The figure as SVG bytes (vector, text kept as text), width x height CSS pixels."""
    return _render(figure, "svg", width, height, 1.0)


@lru_cache(maxsize=32)
def _cached(figure_json: str, fmt: str, width: int, height: int, scale: float) -> bytes:
    import json

    return _render(json.loads(figure_json), fmt, width, height, scale)


def figure_image(figure_json: str, fmt: str, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT,
                 scale: float = SLIDE_SCALE) -> bytes:
    """PNG or SVG of a figure given as JSON (`figure.to_json()`), cached: the same chart is rendered once."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'svg'")
    return _cached(figure_json, fmt, width, height, scale if fmt == "png" else 1.0)
