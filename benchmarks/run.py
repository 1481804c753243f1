"""Performance benchmark: every page at several data scales, against a reference implementation.

    python -m benchmarks.run                          # scales 1 10 100 1000, writes docs/performance.md
    python -m benchmarks.run --scales 1 10 --quick    # a quick look (nothing written unless --out)

For each scale, in a temporary folder: generate the sample data
(`python -m sample_data.generate --scale N --seed 2024 --no-raw`), build a store from it, then
time every page in a fresh process (benchmarks/pages.py: cold first run, filter change,
fully cached rerun, payload sizes) and the reference implementation (benchmarks/reference.py:
pandas reading the CSV files on every run). At the memory scales (default: the smallest and
the largest), start the real server on 127.0.0.1 (benchmarks/load.py) and read its resident
memory with 1, 5, 10 and 20 concurrent signed-in sessions (benchmarks/client.py). Prints the
tables and writes them, with the machine, date, command and each target of the issue, to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from benchmarks.pages import CASES, DASHBOARD_CASES, REFERENCE_CASES, REFERENCE_OF

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
SEED = 2024
PACKAGES = ("streamlit", "pandas", "numpy", "duckdb", "pyarrow", "plotly", "pydeck", "geopandas", "shapely")
# The targets.
CHANGE_OVER_RERUN = 1.5
GROWTH = 10.0
CHOROPLETH_BYTES = 300 * 1000
SESSION_MIB = 25.0
MAP_SPEED_UP = 3.0
# Large enough for the benchmark's CSV files (the build reads them through the upload checks).
LIMITS = {"CONEXION_MAX_UPLOAD_MB": "100000", "CONEXION_MAX_UNZIPPED_MB": "100000"}


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# --- one scale --------------------------------------------------------------------------------

def scale_env(folder: Path, credentials: Path) -> dict[str, str]:
    return {**os.environ, **LIMITS, "CONEXION_DATA_DIR": str(folder / "data"),
            "CONEXION_SAMPLE_DIR": str(folder / "sample"), "CONEXION_CREDENTIALS_FILE": str(credentials),
            "CONEXION_MODE": "development", "PYTHONPATH": str(ROOT)}


def _python(args: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def prepare(scale: int, folder: Path, env: dict) -> dict:
    """Sample data and store of one scale (reused when the folder already holds them)."""
    info: dict = {"scale": scale}
    sample, store = folder / "sample", folder / "data" / "conexion.duckdb"
    if not (sample / "participants.csv").exists():
        started = time.perf_counter()
        done = _python(["-m", "sample_data.generate", "--scale", str(scale), "--seed", str(SEED), "--no-raw",
                        "--out", str(sample)], env, 3600)
        if done.returncode:
            raise RuntimeError(f"generation failed at scale {scale}:\n{done.stderr[-3000:]}")
        info["generate_seconds"] = time.perf_counter() - started
    info["csv_bytes"] = sum(p.stat().st_size for p in sample.glob("*.csv"))
    out = folder / "build.json"
    if not store.exists() or not out.exists():
        store.parent.mkdir(parents=True, exist_ok=True)
        done = _python(["-m", "benchmarks.pages", "build", "--json", str(out)], env, 3600)
        if done.returncode:
            raise RuntimeError(f"store build failed at scale {scale}:\n{done.stderr[-3000:]}")
    built = json.loads(out.read_text())
    info.update(build_seconds=built["seconds"], store_bytes=built["bytes"], rows=built["rows"])
    return info


def measure_case(name: str, repeats: int, folder: Path, env: dict, timeout: float) -> dict:
    out = folder / f"{name}.json"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        done = _python(["-m", "benchmarks.pages", "measure", name, "--repeats", str(repeats), "--json", str(out)],
                       env, timeout)
    except subprocess.TimeoutExpired:
        return {"case": name, "problems": [f"timed out after {timeout:.0f} s"]}
    if done.returncode or not out.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"case": name, "problems": [f"process failed ({done.returncode}): {' | '.join(tail)}"[:400]]}
    result = json.loads(out.read_text())
    result["process_seconds"] = time.perf_counter() - started
    return result


# --- server memory with concurrent sessions ---------------------------------------------------

async def _open_session(url: str, index: int, timeout: float):
    """A signed-in session that has drawn the overview and the territorial map, left open."""
    from benchmarks.client import StreamlitSession
    from benchmarks.load import OVERVIEW, TERRITORIAL_MAP, SessionLog, sign_in

    tab = StreamlitSession(url, timeout=timeout)
    await tab.connect()
    session_log = SessionLog(index)
    clock = time.monotonic
    problems = []
    if not await sign_in(tab, session_log, clock):
        problems.append(f"session {index}: sign-in failed")
    else:
        for page in (TERRITORIAL_MAP, OVERVIEW):
            result = await tab.rerun(page=page)
            problems += [f"session {index} {page or 'overview'}: {p}" for p in result.problems]
    return tab, problems


async def _steady_rss(server, settle: float, readings: int = 3) -> int | None:
    """The median of a few RSS readings one second apart, after `settle` seconds."""
    await asyncio.sleep(settle)
    found = []
    for _ in range(readings):
        found.append(server.rss_bytes())
        await asyncio.sleep(1.0)
    found = [v for v in found if v is not None]
    return int(statistics.median(found)) if found else None


async def _memory_curve(server, counts: tuple[int, ...], concurrency: int, settle: float, timeout: float) -> dict:
    curve: dict = {"problems": []}
    curve["idle"] = await _steady_rss(server, settle)
    # Sessions stay open: a closed one is kept by the server for server.disconnectedSessionTTL
    # (120 s), so closing a warm-up session would free its memory in the middle of the curve.
    # The first session fills the shared caches.
    tabs = []
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int):
        async with gate:
            return await _open_session(server.url, index, timeout)

    for count in counts:
        opened = await asyncio.gather(*(one(i) for i in range(len(tabs), count)))
        tabs += [tab for tab, _ in opened]
        curve["problems"] += [p for _, found in opened for p in found]
        curve[count] = await _steady_rss(server, settle)
        log(f"  {count} sessions open: server RSS {curve[count] / 2**20:.0f} MiB")
    for tab in tabs:
        await tab.close()
    return curve


def measure_memory(folder: Path, counts: tuple[int, ...], concurrency: int, settle: float) -> dict:
    from benchmarks.load import Server, free_port

    for key, value in {**LIMITS, "CONEXION_SAMPLE_DIR": str(folder / "sample")}.items():
        os.environ[key] = value
    server = Server(folder, free_port())  # serves folder/data, the store built for this scale
    server.start()
    try:
        curve = asyncio.run(_memory_curve(server, counts, concurrency, settle, timeout=900))
        curve["server_log_problems"] = server.log_problems()[:5]
    finally:
        server.stop()
    return curve


# --- report -----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    with open("/proc/meminfo") as meminfo:
        ram = int(meminfo.readline().split()[1]) * 1024
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "–"
    return {"nproc": os.cpu_count(), "ram_bytes": ram, "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "packages": versions, "loadavg": _loadavg()}


def _loadavg() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def _s(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _kb(value) -> str:
    return "–" if value is None else f"{value / 1000:,.1f}"


def _ratio(a, b) -> float | None:
    return None if a is None or b in (None, 0) else a / b


def _x(value) -> str:
    return "–" if value is None else f"{value:.1f}×"


def _map_bytes(result: dict, after_change: bool = False) -> int | None:
    decks = [p["bytes"] for p in result.get("payloads_after_change" if after_change else "payloads", [])
             if p["kind"] == "pydeck"]
    return max(decks) if decks else None


def _total_bytes(result: dict) -> int | None:
    found = result.get("payloads")
    return sum(p["bytes"] for p in found) if found else None


def page_table(results: dict[int, dict[str, dict]], names) -> list[str]:
    lines = ["| Scale | Page | Cold (s) | Filter change (s) | Cached rerun (s) | Change ÷ rerun | "
             "Charts + maps sent (KB) | Largest map (KB) | Problems |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for scale, cases in results.items():
        for name in names:
            result = cases.get(name)
            if result is None:
                continue
            change, rerun = result.get("filter_change_median"), result.get("cached_rerun_median")
            lines.append(
                f"| {scale:,} | {CASES[name].title} | {_s(result.get('cold'))} | {_s(change)} | {_s(rerun)} | "
                f"{_x(_ratio(change, rerun))} | {_kb(_total_bytes(result))} | {_kb(_map_bytes(result))} | "
                f"{'; '.join(result.get('problems', [])) or ''} |")
    return lines


def reference_table(results: dict[int, dict[str, dict]]) -> list[str]:
    lines = ["| Scale | View | Reference cold (s) | Dashboard cold (s) | Cold speed-up | "
             "Reference change (s) | Dashboard change (s) | Change speed-up | Reference map (KB) | Dashboard map (KB) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for scale, cases in results.items():
        for reference, real in REFERENCE_OF.items():
            ref, dash = cases.get(reference), cases.get(real)
            if ref is None or dash is None:
                continue
            lines.append(
                f"| {scale:,} | {CASES[real].title} | {_s(ref.get('cold'))} | {_s(dash.get('cold'))} | "
                f"{_x(_ratio(ref.get('cold'), dash.get('cold')))} | {_s(ref.get('filter_change_median'))} | "
                f"{_s(dash.get('filter_change_median'))} | "
                f"{_x(_ratio(ref.get('filter_change_median'), dash.get('filter_change_median')))} | "
                f"{_kb(_map_bytes(ref))} | {_kb(_map_bytes(dash))} |")
    return lines


def memory_table(memory: dict[int, dict], counts: tuple[int, ...]) -> list[str]:
    lines = ["| Scale | Server idle | " + " | ".join(f"{n} session{'s' if n > 1 else ''}" for n in counts)
             + " | Added per session |",
             "|---:|---:|" + "---:|" * len(counts) + "---:|"]
    for scale, curve in memory.items():
        lines.append(f"| {scale:,} | {_mib(curve.get('idle'))} | "
                     + " | ".join(_mib(curve.get(n)) for n in counts)
                     + f" | {_per_session(curve, counts)} |")
    return lines


def _mib(value) -> str:
    return "–" if value is None else f"{value / 2**20:,.0f} MiB"


def slope_counts(counts: tuple[int, ...]) -> tuple[int, ...]:
    """The session counts the per-session figure uses: all but the first when there are three or more.

    The first session computes every figure cold; the memory it takes for that (DuckDB's buffers,
    temporary frames) is partly released later, so its reading is not on the line of the others.
    """
    return counts[1:] if len(counts) >= 3 else counts


def per_session_mib(curve: dict, counts: tuple[int, ...]) -> float | None:
    """Memory added per session: the least-squares slope of RSS against the number of open sessions."""
    points = [(n, curve[n]) for n in slope_counts(counts) if curve.get(n) is not None]
    if len(points) < 2:
        return None
    mean_n = statistics.mean(n for n, _ in points)
    mean_rss = statistics.mean(r for _, r in points)
    slope = (sum((n - mean_n) * (r - mean_rss) for n, r in points)
             / sum((n - mean_n) ** 2 for n, _ in points))
    return slope / 2**20


def _per_session(curve: dict, counts) -> str:
    value = per_session_mib(curve, counts)
    return "–" if value is None else f"{value:.1f} MiB"


def data_table(prepared: dict[int, dict]) -> list[str]:
    lines = ["| Scale | Participants | Participations | Sessions | CSV files | Generation (s) | Store build (s) | "
             "Store file |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for scale, info in prepared.items():
        rows = info.get("rows", {})
        lines.append(f"| {scale:,} | {rows.get('participants', 0):,} | {rows.get('participations', 0):,} | "
                     f"{rows.get('awareness_sessions', 0):,} | {info['csv_bytes'] / 1e6:,.1f} MB | "
                     f"{_s(info.get('generate_seconds'))} | {_s(info.get('build_seconds'))} | "
                     f"{info['store_bytes'] / 1e6:,.1f} MB |")
    return lines


def targets(results: dict[int, dict[str, dict]], memory: dict[int, dict], counts: tuple[int, ...]) -> list[dict]:
    """Each target of the issue: what was measured and whether it is met."""
    found = []
    scales = sorted(results)
    top, bottom = scales[-1], scales[0]
    pages = [n for n in DASHBOARD_CASES if CASES[n].change is not None]

    ratios = {n: _ratio(results[top].get(n, {}).get("filter_change_median"),
                        results[top].get(n, {}).get("cached_rerun_median")) for n in pages}
    measured = {n: r for n, r in ratios.items() if r is not None}
    found.append({
        "target": f"At scale {top:,}, a filter change costs at most {CHANGE_OVER_RERUN}× the fully cached rerun",
        "met": all(r <= CHANGE_OVER_RERUN for r in measured.values()) if measured else None,
        "measured": ", ".join(f"{CASES[n].title}: {r:.1f}×" for n, r in measured.items()),
    })

    if top != bottom:
        growth = {n: _ratio(results[top].get(n, {}).get("filter_change_median"),
                            results[bottom].get(n, {}).get("filter_change_median")) for n in pages}
        growth = {n: g for n, g in growth.items() if g is not None}
        found.append({
            "target": f"From scale {bottom:,} to {top:,}, the filter-change time grows at most {GROWTH:.0f}×",
            "met": all(g <= GROWTH for g in growth.values()) if growth else None,
            "measured": ", ".join(f"{CASES[n].title}: {g:.1f}×" for n, g in growth.items()),
        })

    choropleth = {s: _map_bytes(results[s].get("territorial_map_gtm", {})) for s in scales}
    after = _map_bytes(results[top].get("territorial_map_gtm", {}), after_change=True)
    sizes = [b for b in choropleth.values() if b is not None]
    found.append({
        "target": f"The Guatemala municipal choropleth payload is at most {CHOROPLETH_BYTES / 1000:.0f} KB",
        "met": max(sizes) <= CHOROPLETH_BYTES if sizes else None,
        "measured": ", ".join(f"scale {s:,}: {_kb(b)} KB" for s, b in choropleth.items() if b is not None)
                    + (f"; after a filter change the whole map, geometry included, is sent again ({_kb(after)} KB)"
                       if after else ""),
    })

    if memory:
        per = {s: per_session_mib(c, counts) for s, c in memory.items()}
        per = {s: v for s, v in per.items() if v is not None}
        found.append({
            "target": f"Each additional session adds at most {SESSION_MIB:.0f} MiB of server memory",
            "met": all(v <= SESSION_MIB for v in per.values()) if per else None,
            "measured": ", ".join(f"scale {s:,}: {v:.1f} MiB" for s, v in per.items())
                        + f" (least-squares slope of RSS over {', '.join(map(str, slope_counts(counts)))} open sessions)",
        })

    speed = {}
    for scale in scales:
        for reference, real in REFERENCE_OF.items():
            ratio = _ratio(results[scale].get(reference, {}).get("cold"), results[scale].get(real, {}).get("cold"))
            if ratio is not None:
                speed[(scale, real)] = ratio
    at_top = [r for (s, _), r in speed.items() if s == top]
    missed = sorted({s for (s, _), r in speed.items() if r < MAP_SPEED_UP and s != top})
    found.append({
        "target": f"The first map appears at least {MAP_SPEED_UP:.0f}× faster than with the reference "
                  f"(cold first run of the page, scale {top:,})",
        "met": all(r >= MAP_SPEED_UP for r in at_top) if at_top else None,
        "note": f" at {top:,}; not at scale {', '.join(f'{s:,}' for s in missed)}" if missed else "",
        "measured": ", ".join(f"scale {s:,} {CASES[n].title}: {r:.1f}×" for (s, n), r in speed.items()),
    })
    return found


def report(args, command: str, info: dict, prepared: dict, results: dict, memory: dict,
           counts: tuple[int, ...], seconds: float) -> str:
    packages = ", ".join(f"{p} {v}" for p, v in info["packages"].items())
    lines = [
        "# Performance",
        "",
        "Measured by `benchmarks/run.py` (issue 8). Timings are script run times of the real pages with",
        "Streamlit's AppTest, signed in as `liderazgo` (no browser rendering, no network); payloads are",
        "the bytes of each Plotly spec and pydeck JSON a run sends to the browser; memory is the resident",
        "memory of the real `streamlit run` server on 127.0.0.1 with concurrent sessions driven by",
        "`benchmarks/client.py`. The test suite never asserts on time.",
        "",
        "## Run",
        "",
        f"- Command: `{command}`",
        f"- Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; whole run {seconds / 60:.1f} min",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_bytes'] / 2**30:.0f} GiB RAM, "
        f"{info['platform']}",
        f"- Python {info['python']}; {packages}",
        f"- Load average at start {info['loadavg']}, at end {info.get('loadavg_end', '–')} (other work on the",
        "  machine during the run makes single timings noisy; the ratios are what the targets use)",
        f"- Sample data: `python -m sample_data.generate --scale N --seed {SEED} --no-raw`; warm figures are the "
        f"median of {args.repeats} runs ({args.reference_repeats_top} for the reference at the largest scale)",
        "",
        "## Targets",
        "",
        "| Target | Result | Measured |",
        "|---|---|---|",
    ]
    verdicts = {True: "MET", False: "NOT MET", None: "not measured"}
    lines += [f"| {t['target']} | {verdicts[t['met']]}{t.get('note', '')} | {t['measured'] or '–'} |"
              for t in targets(results, memory, counts)]
    lines += ["", "## Data", ""] + data_table(prepared)
    lines += ["", "## Pages", "",
              "Cold: first run with every cache empty and the store connection closed (modules already imported).",
              "Filter change: a new period on the page's period slider (My municipality: another municipality),",
              "each value new to the caches. Cached rerun: the same inputs again. KB = 1,000 bytes.", ""]
    lines += page_table(results, DASHBOARD_CASES)
    lines += ["", "## Dashboard against the reference implementation", "",
              "`benchmarks/reference.py`: pandas reads the CSV files on every run (no cache), counts in pandas,",
              "draws the same charts and a pydeck map from the boundary files at full resolution (primary",
              "suppression only). Speed-up = reference time ÷ dashboard time.", ""]
    lines += reference_table(results)
    lines += ["", "Reference runs:", ""] + page_table(results, REFERENCE_CASES)
    if memory:
        lines += ["", "## Server memory (RSS) with concurrent sessions", "",
                  "Each session signs in through the real form (overview drawn), opens the territorial map and",
                  "returns to the overview, then stays open until the end (the server keeps a closed session for",
                  "120 s, `server.disconnectedSessionTTL`). The first session fills the shared caches, so the",
                  "1-session figure includes them; later sessions find every figure cached.",
                  f"Sessions are opened {args.concurrency} at a time; RSS (server process and children) is the "
                  f"median of 3 readings 1 s apart, {args.settle:.0f} s after each step. Added per session = "
                  "least-squares slope of RSS against the number of open sessions, from "
                  f"{slope_counts(counts)[0]} sessions on (the first session's cold computation leaves "
                  "transient memory that the server releases later).", ""]
        lines += memory_table(memory, counts)
        problems = [p for curve in memory.values() for p in curve.get("problems", [])]
        if problems:
            lines += ["", "Session problems: " + "; ".join(problems[:10])]
    return "\n".join(lines) + "\n"


# Where the hand-written part of the report begins (what changed and why): kept when the report is rewritten.
HAND_WRITTEN = "## What changed and why"


def _written_by_hand(path: Path) -> str:
    """The hand-written end of an existing report, from HAND_WRITTEN on ("" when there is none)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(HAND_WRITTEN)
    return "" if start < 0 else "\n" + text[start:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--quick", action="store_true",
                        help="one warm run instead of three, memory at the smallest scale only, 1 and 5 sessions; "
                             "writes no document unless --out is given")
    parser.add_argument("--pages", nargs="+", choices=sorted(CASES), help="only these pages (default: all)")
    parser.add_argument("--repeats", type=int, help="warm runs per measurement (default 3, --quick 1)")
    parser.add_argument("--sessions", type=int, nargs="+", help="concurrent sessions (default 1 5 10 20)")
    parser.add_argument("--memory-scales", type=int, nargs="*",
                        help="scales with the memory measurement (default: the smallest and the largest)")
    parser.add_argument("--concurrency", type=int, default=4, help="sessions opened at the same time")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before each memory reading "
                                                                 "(then the median of 3 readings 1 s apart)")
    parser.add_argument("--workdir", type=Path, help="keep the generated data here (reused when present)")
    parser.add_argument("--out", type=Path, help=f"write the report here (default {DOC.relative_to(ROOT)}, "
                                                 "not with --quick)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per page process")
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (1 if args.quick else 3)
    counts = tuple(args.sessions or ((1, 5) if args.quick else (1, 5, 10, 20)))
    scales = sorted(set(args.scales))
    memory_scales = sorted(set(args.memory_scales if args.memory_scales is not None
                               else ([scales[0]] if args.quick else [scales[0], scales[-1]])))
    names = args.pages or list(CASES)
    # The reference reads every CSV file on every run: at the largest scale, one warm run of each.
    args.reference_repeats_top = 1 if scales[-1] >= 1000 else args.repeats
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    began = time.perf_counter()
    info = machine()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="conexion-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    from benchmarks.load import write_demo_credentials

    credentials = write_demo_credentials(workdir / "credentials.yaml")
    prepared, results, memory = {}, {}, {}
    try:
        for scale in scales:
            folder = workdir / f"scale-{scale}"
            env = scale_env(folder, credentials)
            log(f"scale {scale}: sample data and store")
            prepared[scale] = prepare(scale, folder, env)
            results[scale] = {}
            for name in names:
                repeats = args.reference_repeats_top if (CASES[name].script == "reference"
                                                         and scale == scales[-1]) else args.repeats
                result = measure_case(name, repeats, folder, env, args.timeout)
                results[scale][name] = result
                log(f"scale {scale} {name}: cold {_s(result.get('cold'))} s, change "
                    f"{_s(result.get('filter_change_median'))} s, rerun {_s(result.get('cached_rerun_median'))} s"
                    + (f" PROBLEMS {result['problems']}" if result.get("problems") else ""))
            if scale in memory_scales:
                log(f"scale {scale}: server memory with {', '.join(map(str, counts))} sessions")
                memory[scale] = measure_memory(folder, counts, args.concurrency, args.settle)
            if args.workdir is None and scale != scales[-1]:
                shutil.rmtree(folder, ignore_errors=True)  # scale 1000 alone needs 2–3 GB
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    info["loadavg_end"] = _loadavg()
    text = report(args, command, info, prepared, results, memory, counts, time.perf_counter() - began)
    print(text)
    out = args.out or (None if args.quick else DOC)
    if out:
        out.write_text(text + _written_by_hand(out), encoding="utf-8")
        log(f"wrote {out}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "prepared": prepared, "results": results,
                                         "memory": {s: {str(k): v for k, v in c.items()} for s, c in memory.items()}},
                                        indent=1, default=str))
    failed = [f"{s}/{n}" for s, cases in results.items() for n, r in cases.items() if r.get("problems")]
    if failed:
        log(f"pages with problems: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
