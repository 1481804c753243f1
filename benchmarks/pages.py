"""Time one page of the dashboard (or of the reference implementation) with AppTest, in a fresh process.

    CONEXION_DATA_DIR=... CONEXION_SAMPLE_DIR=... CONEXION_CREDENTIALS_FILE=... \\
        python -m benchmarks.pages measure overview --repeats 3 --json out.json
    CONEXION_DATA_DIR=... CONEXION_SAMPLE_DIR=... python -m benchmarks.pages build

benchmarks/run.py starts one such process per page and scale, so that every cold run starts
from a fresh process. What is measured (script run times, `time.perf_counter` around
`AppTest.run()`, signed in as liderazgo):

- cold: the page's first run with every cache empty. The process first imports the app's
  modules (not timed: a server imports them once at start) and runs the dashboard once with
  an unknown ?municipio= link, which stops before any data is read but registers the
  navigation (AppTest cannot open a navigation page before that). Every cache is then
  emptied (st.cache_data, st.cache_resource, the app's functools caches) and the store
  connection closed, so the timed run opens the store, computes, draws and serialises
  everything from scratch.
- filter change: a new value of the page's period slider (or, on My municipality, another
  municipality), each value new to the caches; the median of `repeats` changes.
- cached rerun: the same inputs again; the median of `repeats` reruns.
- payloads: the size in bytes of every Plotly spec and pydeck JSON the run sends to the
  browser, after the cold run and after the last filter change.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"
REFERENCE = ROOT / "benchmarks" / "reference.py"
USERNAME = "liderazgo"
# New periods (first year, last year), none of them the default 2023–2024.
PERIODS = ((2024, 2024), (2023, 2023), (2022, 2025))
OTHER_MUNICIPALITIES = ("1302", "1303", "1304")  # Huehuetenango, next to 1301


@dataclass(frozen=True)
class Change:
    """The filter a user changes on the page: a widget key and the new values, one per repetition."""

    key: str
    kind: str  # "period" (select_slider range) | "select" (selectbox value)
    values: tuple
    label: str


def period(key: str) -> Change:
    return Change(key, "period", PERIODS, "period")


@dataclass(frozen=True)
class Case:
    name: str
    script: str  # "dashboard" or "reference"
    page: str | None  # page file (dashboard) or None
    query: dict = field(default_factory=dict)
    change: Change | None = None
    title: str = ""  # what the table calls it


CASES: dict[str, Case] = {case.name: case for case in (
    Case("overview", "dashboard", "pages/overview.py", change=period("filters.period"), title="Overview"),
    Case("territorial_map", "dashboard", "pages/territorial_map.py", change=period("filters.period"),
         title="Territorial map (region, departments)"),
    Case("territorial_map_gtm", "dashboard", "pages/territorial_map.py", {"pais": "GTM", "nivel": "municipality"},
         period("filters.period"), title="Territorial map ?pais=GTM&nivel=municipality"),
    Case("my_municipality", "dashboard", "pages/my_municipality.py", {"municipio": "1301", "pais": "GTM"},
         Change("my_municipality.municipality", "select", OTHER_MUNICIPALITIES, "municipality"),
         title="My municipality ?municipio=1301&pais=GTM"),
    Case("reintegration", "dashboard", "pages/reintegration.py", change=period("reintegration.period"),
         title="Reintegration"),
    Case("prevention_network", "dashboard", "pages/prevention_network.py", change=period("network.period"),
         title="Prevention network"),
    Case("forum_deck", "dashboard", "pages/forum_deck.py", change=period("forum.period"), title="Forum deck"),
    Case("methods", "dashboard", "pages/methods.py", title="Methods"),
    Case("data", "dashboard", "pages/data.py", title="Data"),
    Case("reference_overview", "reference", None, {"vista": "overview"}, period("filters.period"),
         title="Reference: overview"),
    Case("reference_territorial_map", "reference", None, {"vista": "territorial_map"}, period("filters.period"),
         title="Reference: territorial map GTM municipalities"),
)}
DASHBOARD_CASES = tuple(name for name, case in CASES.items() if case.script == "dashboard")
REFERENCE_CASES = tuple(name for name, case in CASES.items() if case.script == "reference")
# The real page each reference view is compared with.
REFERENCE_OF = {"reference_overview": "overview", "reference_territorial_map": "territorial_map_gtm"}


def preload() -> float:
    """Import what the pages import (a server does it once); seconds taken."""
    started = time.perf_counter()
    import duckdb  # noqa: F401
    import geopandas  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import pydeck  # noqa: F401
    import streamlit  # noqa: F401
    from streamlit.testing.v1 import AppTest  # noqa: F401

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for module in ("store.cached", "charts.overview", "charts.maps", "ui.maps", "ui.territorial_map",
                   "ui.municipality", "ui.reintegration", "ui.prevention", "ui.forum", "ui.methods",
                   "ui.data_page", "exports.deck", "exports.brief", "benchmarks.reference"):
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 - a page that does not import is reported by its run
            pass
    return time.perf_counter() - started


def clear_caches() -> None:
    """Empty every cache the app keeps in a process and close the store connection."""
    import streamlit as st

    import settings
    from store.database import STORE_FILE, close_live

    st.cache_data.clear()
    st.cache_resource.clear()
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None) or ""
        if not source.startswith(str(ROOT)) or "/.venv/" in source:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == module.__name__:
                value.cache_clear()
    close_live(settings.data_dir() / STORE_FILE)


def payloads(app) -> list[dict]:
    """Bytes of every chart and map spec in the last run, in page order."""
    found = []
    for index, chart in enumerate(app.get("plotly_chart")):
        found.append({"kind": "plotly", "index": index, "bytes": len(chart.proto.spec.encode())})
    for index, deck in enumerate(app.get("deck_gl_json_chart")):
        text = deck.proto.json
        found.append({"kind": "pydeck", "index": index, "bytes": len(text.encode()),
                      "features": text.count('"Feature"'), "coordinates": text.count("[")})
    return found


def problems(app) -> list[str]:
    found = [f"exception: {e.value}"[:300] for e in app.exception]
    found += [f"error: {e.value}"[:300] for e in app.error]
    return found


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _change(app, change: Change, value) -> None:
    if change.kind == "period":
        app.select_slider(key=change.key).set_range(*value).run()
    else:
        app.selectbox(key=change.key).set_value(value).run()


def _new_app(case: Case, timeout: float):
    from streamlit.testing.v1 import AppTest

    if case.script == "reference":
        return AppTest.from_file(str(REFERENCE), default_timeout=timeout)
    app = AppTest.from_file(str(DASHBOARD), default_timeout=timeout)
    app.session_state["authentication_status"] = True
    app.session_state["username"] = USERNAME
    return app


def measure(case: Case, repeats: int, timeout: float = 1800) -> dict:
    """Cold run, filter changes and cached reruns of one page, in this (fresh) process."""
    result: dict = {"case": case.name, "problems": []}
    result["import_seconds"] = preload()
    app = _new_app(case, timeout)
    if case.script == "dashboard":
        app.query_params["municipio"] = "ZZZZ"  # unknown: the overview stops before reading any data
        app.run()
        del app.query_params["municipio"]
        clear_caches()
        app.switch_page(case.page)
    for key, value in case.query.items():
        app.query_params[key] = value
    result["cold"] = _timed(app.run)
    result["problems"] += problems(app)
    result["titles"] = [t.value for t in app.title]
    result["payloads"] = payloads(app)
    result["rerun_after_cold"] = _timed(app.run)
    if case.change is not None:
        changes = []
        for value in case.change.values[:repeats]:
            changes.append(_timed(lambda: _change(app, case.change, value)))
            result["problems"] += problems(app)
        result["filter_change"] = changes
        result["payloads_after_change"] = payloads(app)
    reruns = []
    for _ in range(repeats):
        reruns.append(_timed(app.run))
    result["problems"] += problems(app)
    result["cached_rerun"] = reruns
    result["filter_change_median"] = statistics.median(result["filter_change"]) if "filter_change" in result else None
    result["cached_rerun_median"] = statistics.median(reruns)
    result["problems"] = list(dict.fromkeys(result["problems"]))
    if not result["titles"]:
        result["problems"].append("no title drawn: the page did not run")
    return result


def build() -> dict:
    """Build the store of CONEXION_DATA_DIR from the CSV files of CONEXION_SAMPLE_DIR (timed)."""
    import duckdb

    import settings
    from store.cached import load_validated
    from store.database import STORE_FILE, build_store

    path = settings.data_dir() / STORE_FILE
    started = time.perf_counter()
    build_store(path, settings.sample_dir(), load_validated)
    seconds = time.perf_counter() - started
    con = duckdb.connect(str(path), read_only=True)
    rows = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in ("participants", "participations", "outcomes", "awareness_sessions")}
    con.close()
    return {"seconds": seconds, "bytes": path.stat().st_size, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("measure", help="time one page")
    run.add_argument("case", choices=sorted(CASES))
    run.add_argument("--repeats", type=int, default=3)
    run.add_argument("--json", type=Path, help="write the result here (default: print it)")
    made = commands.add_parser("build", help="build the store from the sample CSV files")
    made.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ.setdefault("CONEXION_MODE", "development")
    result = build() if args.command == "build" else measure(CASES[args.case], args.repeats)
    text = json.dumps(result, indent=1, default=str)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
