"""Load test: many concurrent sessions against the real server on 127.0.0.1 (not part of the test suite).

    .venv/bin/python -m benchmarks.load --sessions 30 --duration 120

It starts `streamlit run dashboard.py` itself (a temporary data folder, the demo accounts in a
temporary credentials file, development mode, a free port on 127.0.0.1), warms it up with one
session, then runs N simulated people at once through benchmarks/client.py (Streamlit's own
websocket protocol, no browser). Each one signs in through the real sign-in form as
`liderazgo`, then, until the duration is over, goes round: overview -> change the sex filter ->
change the period -> territorial map -> change the map's country -> reintegration -> change a
department there -> back to the overview, pausing a "think time" between steps. Every rerun is timed
from the rerun_script message sent to the script_finished that ends its run chain; exceptions
drawn on the page, st.error messages, timeouts and disconnects are counted as errors. The server
process's resident memory (VmRSS from /proc) is sampled every second. The report gives reruns,
errors, p50/p95/max rerun time per page and step, and server memory at start, peak and end.
At the end every session is closed and the server is stopped.

Targets: by default one server as above; `--workers N` starts N processes behind HAProxy
(deploy/balanced.py, the same temporary data folder and accounts) and measures them all (CPU and
memory summed over the workers and HAProxy); `--url URL` drives a server or balancer already
running (its CPU and memory are measured only for the processes given with `--pids`).
`--realistic` replaces the round above by people as they use the dashboard: a think time of
5–15 s between steps (reading the page), a page chosen as people choose them (the overview most
often, then the territorial map, then reintegration), and on each page zero to two filter changes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.client import RunResult, StreamlitSession

ROOT = Path(__file__).resolve().parents[1]
USERNAME, PASSWORD = "liderazgo", "demo-liderazgo"
# Page url pathnames (the default page, the overview, has the empty one).
OVERVIEW, TERRITORIAL_MAP, REINTEGRATION = "", "territorial_map", "reintegration"
PAGE_NAMES = {OVERVIEW: "overview", TERRITORIAL_MAP: "territorial_map", REINTEGRATION: "reintegration"}
YEARS = ("2022", "2023", "2024", "2025")


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_demo_credentials(path: Path) -> Path:
    """The demo accounts (bcrypt-hashed at full cost, as in development) in a temporary file."""
    import yaml

    from auth.demo import demo_config

    path.write_text(yaml.safe_dump(demo_config(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class Server:
    """`streamlit run dashboard.py` on 127.0.0.1 with its own data folder and the demo accounts."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir = workdir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = workdir / "streamlit.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> None:
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        credentials = write_demo_credentials(self.workdir / "credentials.yaml")
        env = {**os.environ, "CONEXION_DATA_DIR": str(data), "CONEXION_CREDENTIALS_FILE": str(credentials),
               "CONEXION_MODE": "development"}
        command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
                   "--server.address", "127.0.0.1", "--server.port", str(self.port),
                   "--browser.gatherUsageStats", "false",
                   # Other work may edit the checkout during a run: with the watcher on, Streamlit
                   # re-imports edited modules and st.cache_data can no longer pickle their classes.
                   "--server.fileWatcherType", "none"]
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"streamlit did not become healthy in {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self._log.close()

    def rss_bytes(self) -> int | None:
        """Resident memory of the server process and its children (VmRSS from /proc), None once gone."""
        return rss_of([self.process.pid]) if self.process else None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time of the server process so far (from /proc/<pid>/stat)."""
        return cpu_of([self.process.pid]) if self.process else None

    def log_problems(self) -> list[str]:
        """Lines of the server log that report an error (tracebacks, ERROR/exception lines)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        pattern = re.compile(r"Traceback|\bERROR\b|Exception|Error:")
        return [line for line in text.splitlines() if pattern.search(line)]


def rss_of(pids: list[int]) -> int | None:
    """Resident memory of processes and their children (VmRSS from /proc), None once all are gone."""
    total, found = 0, False
    for pid in [child for pid in pids for child in (pid, *_children(pid))]:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        found = True
        except OSError:
            continue
    return total if found else None


def cpu_of(pids: list[int]) -> float | None:
    """User + system CPU seconds the processes have used so far (/proc/<pid>/stat), None if none is readable."""
    total, found = 0.0, False
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            found = True
        except OSError:
            continue
    return total if found else None


class BalancedServer(Server):
    """N `streamlit run` processes behind HAProxy (deploy/balanced.py) with the same data folder and accounts."""

    def __init__(self, workdir: Path, port: int, workers: int) -> None:
        super().__init__(workdir, port)
        self.workers = workers
        self._stack = None
        self.running = None

    def start(self, timeout: float = 180) -> None:
        import contextlib

        from deploy.balanced import balanced

        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        credentials = write_demo_credentials(self.workdir / "credentials.yaml")
        env = {"CONEXION_DATA_DIR": str(data), "CONEXION_CREDENTIALS_FILE": str(credentials),
               "CONEXION_MODE": "development"}
        self._stack = contextlib.ExitStack()
        self.running = self._stack.enter_context(balanced(
            self.workers, self.port, "127.0.0.1", ("--server.fileWatcherType", "none"), self.workdir, env, timeout))
        self.url = self.running.url

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def rss_bytes(self) -> int | None:
        return rss_of(self.running.pids) if self.running else None

    def cpu_seconds(self) -> float | None:
        return cpu_of(self.running.pids) if self.running else None

    def log_problems(self) -> list[str]:
        pattern = re.compile(r"Traceback|\bERROR\b|Exception|Error:")
        logs = self.running.logs if self.running else []
        return [line for log in logs if log.exists() for line in log.read_text(errors="replace").splitlines()
                if pattern.search(line)]


class ExternalServer(Server):
    """A server or balancer already running at `url`; CPU and memory of the processes `pids` only."""

    def __init__(self, url: str, pids: list[int]) -> None:
        self.url = url.rstrip("/")
        self.pids = pids
        self.process = None

    def start(self, timeout: float = 30) -> None:
        with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=timeout) as response:
            if response.status != 200:
                raise RuntimeError(f"{self.url} answered {response.status} to /_stcore/health")

    def stop(self) -> None:
        pass

    def rss_bytes(self) -> int | None:
        return rss_of(self.pids) if self.pids else None

    def cpu_seconds(self) -> float | None:
        return cpu_of(self.pids) if self.pids else None

    def log_problems(self) -> list[str]:
        return []


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found += [int(child), *_children(int(child))]
    except OSError:
        pass
    return found


# --- one simulated person --------------------------------------------------------------------

@dataclass
class Rerun:
    session: int
    page: str  # sign_in | overview | territorial_map | reintegration
    step: str  # open | sign_in | sex | period | country
    started: float  # seconds since the load phase began
    seconds: float
    status: str
    problems: list[str] = field(default_factory=list)
    error_alerts: list[str] = field(default_factory=list)
    bytes: int = 0


@dataclass
class SessionLog:
    index: int
    reruns: list[Rerun] = field(default_factory=list)
    signed_in: bool = False
    failure: str | None = None  # why the session stopped early


async def sign_in(tab: StreamlitSession, log: SessionLog, clock, attempts: int = 3) -> bool:
    """Open the app and fill the real sign-in form (widget states of its text inputs and submit button)."""
    from auth.messages import auth_text

    first = await tab.rerun()
    record(log, first, "sign_in", "open", clock)
    for _ in range(attempts):
        user = tab.widget(label=auth_text("sign_in.username", "es"), kind="text_input")
        password = tab.widget(label=auth_text("sign_in.password", "es"), kind="text_input")
        submit = tab.widget(label=auth_text("sign_in.submit", "es"), kind="button")
        result = await tab.rerun({user.id: USERNAME, password.id: PASSWORD, submit.id: True})
        record(log, result, "sign_in", "sign_in", clock)
        if TERRITORIAL_MAP in tab.pages and not any(w.is_password for w in tab.widgets.values()):
            log.signed_in = True
            return True
        if not result.ok:
            return False
    return False


def record(log: SessionLog, result: RunResult, page: str, step: str, clock) -> RunResult:
    log.reruns.append(Rerun(
        session=log.index, page=page, step=step, started=clock() - result.seconds, seconds=result.seconds,
        status=result.status, problems=result.problems, error_alerts=list(result.error_alerts), bytes=result.bytes))
    return result


def some(rng: random.Random, options: tuple[str, ...]) -> list[str]:
    """A random selection for a multiselect, sometimes none (= all); one value at most, as the pages allow
    (indicators.filter_specs: max_selections=ONE)."""
    if rng.random() < 0.25:
        return []
    return [rng.choice(options)]


def period(rng: random.Random) -> list[str]:
    first, last = sorted(rng.sample(range(len(YEARS)), 2)) if rng.random() < 0.8 else (0, len(YEARS) - 1)
    return [YEARS[first], YEARS[last]]


def steps(tab: StreamlitSession, rng: random.Random):
    """The round of a person: (page, step, coroutine factory), changed filters chosen at random."""
    def change(key: str, value_of):
        def run():
            widget = tab.widget(key=key)
            return tab.rerun({widget.id: value_of(widget)})
        return run

    yield OVERVIEW, "sex", change("filters.sexes", lambda w: some(rng, w.options))
    yield OVERVIEW, "period", change("filters.period", lambda w: period(rng))
    yield TERRITORIAL_MAP, "open", lambda: tab.rerun(page=TERRITORIAL_MAP)
    yield TERRITORIAL_MAP, "country", change("tmap.country", lambda w: rng.choice(w.options))
    yield REINTEGRATION, "open", lambda: tab.rerun(page=REINTEGRATION)
    yield REINTEGRATION, "department", change("reintegration.departments", lambda w: some(rng, w.options))
    yield OVERVIEW, "open", lambda: tab.rerun(page=OVERVIEW)


# Page visits as people make them (weights), and the filter changes each page offers.
REALISTIC_PAGES = ((OVERVIEW, 0.5), (TERRITORIAL_MAP, 0.3), (REINTEGRATION, 0.2))
REALISTIC_THINK = (5.0, 15.0)  # seconds of reading between two steps


def realistic_steps(tab: StreamlitSession, rng: random.Random):
    """One visit: open a page (weighted), then change 0-2 of its filters (the overview is already open)."""
    def change(key: str, value_of):
        def run():
            widget = tab.widget(key=key)
            return tab.rerun({widget.id: value_of(widget)})
        return run

    filters = {
        OVERVIEW: [("sex", change("filters.sexes", lambda w: some(rng, w.options))),
                   ("period", change("filters.period", lambda w: period(rng)))],
        TERRITORIAL_MAP: [("country", change("tmap.country", lambda w: rng.choice(w.options)))],
        REINTEGRATION: [("department", change("reintegration.departments", lambda w: some(rng, w.options)))],
    }
    page = rng.choices([p for p, _ in REALISTIC_PAGES], [w for _, w in REALISTIC_PAGES])[0]
    yield page, "open", lambda: tab.rerun(page=page)
    for step, run in rng.sample(filters[page], min(len(filters[page]), rng.choice((0, 1, 1, 2)))):
        yield page, step, run


async def person(index: int, url: str, deadline: float, think: float, seed: int, clock,
                 start_delay: float, timeout: float, progress: dict, realistic: bool = False) -> SessionLog:
    log = SessionLog(index)
    rng = random.Random(seed * 1000 + index)
    await asyncio.sleep(start_delay)
    try:
        async with StreamlitSession(url, timeout=timeout) as tab:
            if not await sign_in(tab, log, clock):
                log.failure = "sign-in failed"
                return log
            progress["signed_in"] += 1
            while time.monotonic() < deadline:
                for page, step, run in (realistic_steps if realistic else steps)(tab, rng):
                    if time.monotonic() >= deadline:
                        break
                    await asyncio.sleep(rng.uniform(*REALISTIC_THINK) if realistic
                                        else rng.uniform(0.5 * think, 1.5 * think))
                    result = record(log, await run(), PAGE_NAMES[page], step, clock)
                    if result.status in ("disconnected", "timeout"):
                        log.failure = result.status
                        return log
    except Exception as error:  # noqa: BLE001 - every failure (ClientError, OSError, ...) is reported
        log.failure = f"{type(error).__name__}: {error}"
    return log


# --- memory sampling and the report ----------------------------------------------------------

class MemorySampler:
    def __init__(self, server: Server, clock, interval: float = 1.0) -> None:
        self.server, self.clock, self.interval = server, clock, interval
        self.samples: list[tuple[float, int]] = []
        self._task: asyncio.Task | None = None

    def sample(self) -> int | None:
        rss = self.server.rss_bytes()
        if rss is not None:
            self.samples.append((self.clock(), rss))
        return rss

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def timing_rows(reruns: list[Rerun]) -> list[tuple[str, int, float, float, float]]:
    groups: dict[str, list[float]] = {}
    for rerun in reruns:
        if rerun.status != "finished":
            continue
        groups.setdefault(f"{rerun.page} / {rerun.step}", []).append(rerun.seconds)
        groups.setdefault(f"{rerun.page} (all)", []).append(rerun.seconds)
        if rerun.page != "sign_in":
            groups.setdefault("all pages (excl. sign-in)", []).append(rerun.seconds)
    order = ["sign_in", "overview", "territorial_map", "reintegration", "all pages"]
    keys = sorted(groups, key=lambda k: (next(i for i, p in enumerate(order) if k.startswith(p)), "(all)" in k, k))
    return [(k, len(groups[k]), statistics.median(groups[k]), percentile(groups[k], 95), max(groups[k]))
            for k in keys]


def mib(value: float | None) -> str:
    return "–" if value is None else f"{value / 2**20:,.0f} MiB"


def report(args, logs: list[SessionLog], memory: dict, server: Server, load_seconds: float,
           warmup: RunResult | None) -> str:
    reruns = [r for log in logs for r in log.reruns]
    errors = [r for r in reruns if r.problems or r.error_alerts]
    kinds: dict[str, int] = {}
    for rerun in errors:
        for problem in rerun.problems + [f"error message: {a[:80]}" for a in rerun.error_alerts]:
            kinds[problem] = kinds.get(problem, 0) + 1
    failures = [f"session {log.index}: {log.failure}" for log in logs if log.failure]
    think = (f"realistic: think time {REALISTIC_THINK[0]:.0f}–{REALISTIC_THINK[1]:.0f} s, weighted pages, "
             "0–2 filter changes per page" if args.realistic else f"think time {args.think:.1f} s ±50 %")
    target = args.url or (f"{args.workers} processes behind HAProxy" if args.workers > 1 else "one process")
    lines = [
        f"Load test: {args.sessions} concurrent sessions for {args.duration:.0f} s against {target} "
        f"({think}, start-up spread over {args.ramp:.0f} s)",
        f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; machine: {os.cpu_count()} cores, "
        f"{_ram()}, Python {platform.python_version()}, Streamlit {_version('streamlit')}",
        "",
        f"Sessions started: {len(logs)}; signed in: {sum(log.signed_in for log in logs)}; "
        f"ended early: {len(failures)}",
        f"Reruns: {len(reruns)} in {load_seconds:.0f} s ({len(reruns) / load_seconds:.1f} per second); "
        f"errors: {len(errors)}",
    ]
    lines += [f"  - {kind}: {count}" for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1])]
    lines += [f"  - {failure}" for failure in failures]
    if memory.get("server_cpu") is not None:
        lines.append(f"CPU during the load: server {memory['server_cpu']:.0f} s "
                     f"({memory['server_cpu'] / load_seconds:.0%} of one core), load generator "
                     f"{memory['client_cpu']:.0f} s ({memory['client_cpu'] / load_seconds:.0%} of one core)")
        other = memory["machine_cpu"] - memory["server_cpu"] - memory["client_cpu"]
        lines.append(f"Machine: {memory['machine_cpu'] / load_seconds:.2f} of {os.cpu_count()} cores busy on average; "
                     f"other processes {max(0.0, other):.0f} s ({max(0.0, other) / load_seconds:.0%} of one core); "
                     f"load average before the sessions {memory['loadavg_before']}")
    log_problems = server.log_problems()
    lines.append(f"Server log lines reporting errors: {len(log_problems)}")
    lines += [f"  | {line[:160]}" for line in log_problems[:10]]
    if warmup is not None:
        lines.append(f"Warm-up (one session, first overview on a cold server): {warmup.seconds:.2f} s")
    lines += ["", "| Page / step | Reruns | p50 (s) | p95 (s) | Max (s) |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {count} | {p50:.2f} | {p95:.2f} | {top:.2f} |"
              for name, count, p50, p95, top in timing_rows(reruns)]
    increment = memory.get("increment_per_session")
    lines += [
        "",
        "| Server memory (RSS) | |", "|---|---:|",
        f"| Before the sessions (after warm-up) | {mib(memory.get('start'))} |",
        f"| All sessions signed in, first overview drawn | {mib(memory.get('all_signed_in'))} |",
        f"| Peak during the test | {mib(memory.get('peak'))} |",
        f"| End (all sessions just closed) | {mib(memory.get('end_of_load'))} |",
        f"| End + {args.settle:.0f} s | {mib(memory.get('after_close'))} |",
        f"| Increment per session (signed in − start) / sessions | "
        f"{'–' if increment is None else f'{increment / 2**20:.1f} MiB'} |",
    ]
    return "\n".join(lines)


def _ram() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 2**20:.0f} GiB RAM"
    except OSError:
        return "RAM unknown"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# --- main ------------------------------------------------------------------------------------

async def run_load(args, server: Server) -> tuple[list[SessionLog], dict, float, RunResult | None]:
    began = time.monotonic()
    clock = lambda: time.monotonic() - began  # noqa: E731
    sampler = MemorySampler(server, clock)
    sampler.start()
    # Warm-up: one session builds the store and fills the caches (not counted in the figures).
    warmup = None
    # Behind the balancer each worker is warmed up directly: each process has its own caches.
    workers = [server.running.worker_url(w.name) for w in server.running.workers] \
        if isinstance(server, BalancedServer) else [server.url]
    for url in workers:
        warmup_log = SessionLog(-1)
        async with StreamlitSession(url, timeout=args.timeout) as tab:
            if await sign_in(tab, warmup_log, clock):
                warmup = warmup or warmup_log.reruns[-1]
                for page in (TERRITORIAL_MAP, REINTEGRATION):
                    await tab.rerun(page=page)
    await asyncio.sleep(args.settle)
    memory = {"start": sampler.sample(), "loadavg_before": _loadavg()}
    cpu_before = (server.cpu_seconds(), _own_cpu(), _machine_busy())
    load_began = time.monotonic()
    deadline = load_began + args.duration
    delays = [args.ramp * i / max(1, args.sessions - 1) for i in range(args.sessions)]
    progress = {"signed_in": 0}
    tasks = [asyncio.create_task(person(i, server.url, deadline, args.think, args.seed, clock, delays[i],
                                        args.timeout, progress, args.realistic)) for i in range(args.sessions)]

    async def all_signed_in() -> None:
        """Memory once every session is signed in and has drawn its first overview."""
        while True:
            await asyncio.sleep(0.5)
            if all(t.done() for t in tasks):
                return
            if progress["signed_in"] >= args.sessions:
                memory["all_signed_in"] = sampler.sample()
                return

    watcher = asyncio.create_task(all_signed_in())
    logs = await asyncio.gather(*tasks)
    load_seconds = time.monotonic() - load_began
    if cpu_before[0] is not None:
        memory["server_cpu"] = server.cpu_seconds() - cpu_before[0]
    memory["client_cpu"] = _own_cpu() - cpu_before[1]
    memory["machine_cpu"] = _machine_busy() - cpu_before[2]
    watcher.cancel()
    memory["end_of_load"] = sampler.sample()
    # The sessions are closed by now (each `async with` closed its socket); let the server clean up.
    await asyncio.sleep(args.settle)
    memory["after_close"] = sampler.sample()
    await sampler.stop()
    memory["peak"] = max((rss for _, rss in sampler.samples), default=None)
    if memory.get("all_signed_in") and memory.get("start"):
        memory["increment_per_session"] = (memory["all_signed_in"] - memory["start"]) / args.sessions
    memory["samples"] = sampler.samples
    return list(logs), memory, load_seconds, (_as_result(warmup) if warmup else None)


def _loadavg() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def _machine_busy() -> float:
    """CPU seconds all processes of the machine have used (non-idle time of all cores, /proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _as_result(rerun: Rerun) -> RunResult:
    return RunResult(seconds=rerun.seconds, status=rerun.status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent sessions (default 30)")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load after start-up (default 120)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between steps, seconds (default 1)")
    parser.add_argument("--ramp", type=float, default=10, help="sessions start spread over this many seconds")
    parser.add_argument("--settle", type=float, default=5, help="pause before memory readings, seconds")
    parser.add_argument("--timeout", type=float, default=180, help="seconds before a rerun counts as timed out")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the filter choices")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--json", type=Path, help="also write every rerun and memory sample to this file")
    parser.add_argument("--realistic", action="store_true",
                        help="think time 5-15 s, pages weighted as people use them, 0-2 filter changes per page")
    parser.add_argument("--workers", type=int, default=1,
                        help="start this many processes behind HAProxy (deploy/balanced.py) instead of one")
    parser.add_argument("--url", help="drive a server or balancer already running at this URL (starts nothing)")
    parser.add_argument("--pids", type=int, nargs="*", default=[],
                        help="with --url: the server processes whose CPU and memory to measure")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="conexion-load-") as workdir:
        if args.url:
            server = ExternalServer(args.url, args.pids)
        elif args.workers > 1:
            server = BalancedServer(Path(workdir), args.port or free_port(), args.workers)
        else:
            server = Server(Path(workdir), args.port or free_port())
        print(f"Starting the target for {server.url} (data in {workdir}) ...", flush=True)
        server.start()
        try:
            logs, memory, load_seconds, warmup = asyncio.run(run_load(args, server))
            text = report(args, logs, memory, server, load_seconds, warmup)
        finally:
            server.stop()
    print(text)
    print(f"\nCommand: python -m benchmarks.load {' '.join(argv if argv is not None else sys.argv[1:])}")
    if args.json:
        args.json.write_text(json.dumps({
            "args": {k: str(v) for k, v in vars(args).items()},
            "reruns": [asdict(r) for log in logs for r in log.reruns],
            "failures": {log.index: log.failure for log in logs if log.failure},
            "memory": memory, "load_seconds": load_seconds,
        }, indent=1))
    errors = sum(1 for log in logs for r in log.reruns if r.problems or r.error_alerts)
    return 1 if errors or any(log.failure for log in logs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
