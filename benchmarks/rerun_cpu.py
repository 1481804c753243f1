"""CPU seconds the server spends on one warm rerun, per page: page change and filter change (issue 15).

    .venv/bin/python -m benchmarks.rerun_cpu [--repeats 5] [--json out.json]

It starts the real server as benchmarks/load.py does (its Server: a temporary data folder, the
demo accounts, a free port on 127.0.0.1), signs in as `liderazgo` through the real form with one
light client (benchmarks/client.py, Streamlit's websocket protocol), opens every page and
changes its filter back and forth until the caches are warm, then measures, page by page:

- page change: going to the page from another one (the overview, or the methods page for the
  overview itself);
- filter change: one of the page's filters switched between two values already seen (warm caches):
  overview and territorial map: the sex filter; reintegration: the department; prevention network:
  the side of the border; my municipality: another municipality of the same department; forum
  deck: the period; methods has no filter, so the same inputs are sent again.

Each figure is the median over `repeats` reruns of the server process's user + system CPU time
(/proc/<pid>/stat) from the rerun request to the end of its run chain plus a short settle (work the
server does after script_finished belongs to the rerun), with the bytes the server sent for it and
the number of script runs in the chain. The client keeps large messages by hash as the browser does
(message_cache=True), so an element identical to one the tab already has arrives as a reference. Nothing a browser would add
(a component reporting its value, the map's rendering) is simulated: this is the server's cost.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.client import ClientError, RunResult, StreamlitSession
from benchmarks.load import Server, SessionLog, _loadavg, free_port, sign_in

PAGES = ("overview", "territorial_map", "reintegration", "prevention_network", "my_municipality",
         "forum_deck", "methods")
# The url pathname of each page (the role's home, the overview, has the empty one).
PATHNAMES = {page: "" if page == "overview" else page for page in PAGES}
# Shared links open My municipality on one municipality (as the overview's link does for an official).
# Two, taken in turn: the page seeds its pickers from a link once, so the same link again after
# leaving the page would show the empty picker (noticed, see docs/performance.md).
MUNICIPALITY_LINKS = ("municipio=0101&pais=GTM", "municipio=0102&pais=GTM")


@dataclass
class Measure:
    page: str
    step: str  # page | filter | sign_in
    cpu: list[float] = field(default_factory=list)  # server CPU seconds per rerun
    wall: list[float] = field(default_factory=list)  # seconds from request to the chain's end
    bytes: list[int] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)  # script runs in the chain

    def row(self) -> dict:
        return {"page": self.page, "step": self.step, "cpu_median": statistics.median(self.cpu),
                "cpu_min": min(self.cpu), "wall_median": statistics.median(self.wall),
                "bytes_median": statistics.median(self.bytes), "runs": max(self.runs), "n": len(self.cpu)}


class Bench:
    def __init__(self, server: Server, tab: StreamlitSession, settle: float) -> None:
        self.server, self.tab, self.settle = server, tab, settle

    async def timed(self, measure: Measure | None, step) -> RunResult:
        """Run one rerun (a coroutine factory); record its server CPU, wall time and bytes in `measure`."""
        await asyncio.sleep(self.settle)  # what the last rerun left running is not counted here
        before = self.server.cpu_seconds()
        result = await step()
        await asyncio.sleep(self.settle)
        after = self.server.cpu_seconds()
        if not result.ok:
            raise RuntimeError(f"{measure.page if measure else '?'}: {result.problems} {result.error_alerts}")
        if measure is not None:
            measure.cpu.append(after - before)
            measure.wall.append(result.seconds)
            measure.bytes.append(result.bytes)
            measure.runs.append(result.script_runs)
        return result

    def go(self, page: str, turn: int = 0):
        # Like the browser's address bar: only My municipality carries its shared link.
        def step():
            self.tab.query_string = MUNICIPALITY_LINKS[turn % 2] if page == "my_municipality" else ""
            return self.tab.rerun(page=PATHNAMES[page])
        return step

    def change(self, page: str, flip: int):
        """The page's filter set to its value number `flip` (0 or 1), as a coroutine factory."""
        tab = self.tab

        def set_to(key: str, values) -> callable:
            def step():
                widget = tab.widget(key=key)
                return tab.rerun({widget.id: values(widget)})
            return step

        if page in ("overview", "territorial_map"):
            return set_to("filters.sexes", lambda w: [] if flip else [w.options[0]])
        if page == "reintegration":
            return set_to("reintegration.departments", lambda w: [] if flip else [w.options[0]])
        if page == "prevention_network":
            return set_to("network.side", lambda w: w.options[flip])
        if page == "my_municipality":
            return set_to("my_municipality.municipality", lambda w: w.options[flip])
        if page == "forum_deck":
            return set_to("forum.period", lambda w: [w.options[0], w.options[-1]] if flip else
                          [w.options[-2], w.options[-1]])
        return lambda: tab.rerun()  # methods: no filter, the same inputs again

    def before(self, page: str) -> str:
        return "methods" if page == "overview" else "overview"


async def measure(server: Server, repeats: int, settle: float, timeout: float) -> tuple[list[Measure], dict]:
    async with StreamlitSession(server.url, timeout=timeout, message_cache=True) as tab:
        bench = Bench(server, tab, settle)
        log = SessionLog(0)
        sign = Measure("sign_in", "sign_in")
        before = server.cpu_seconds()
        if not await sign_in(tab, log, time.monotonic):
            raise RuntimeError(f"sign-in failed: {[(r.status, r.problems) for r in log.reruns]}")
        sign.cpu.append(server.cpu_seconds() - before)
        sign.wall.append(sum(r.seconds for r in log.reruns))
        sign.bytes.append(sum(r.bytes for r in log.reruns))
        sign.runs.append(len(log.reruns))
        # Warm-up: every page and both values of its filter, twice (caches of both values filled).
        for page in PAGES:
            await bench.timed(None, bench.go(page, 1))
            await bench.timed(None, bench.go(page, 0))
            for flip in (0, 1, 0, 1):
                await bench.timed(None, bench.change(page, flip))
        results = [sign]
        for page in PAGES:
            page_change, filter_change = Measure(page, "page"), Measure(page, "filter")
            for i in range(repeats):
                await bench.timed(None, bench.go(bench.before(page)))
                await bench.timed(page_change, bench.go(page, i + 1))
            for i in range(repeats):
                await bench.timed(filter_change, bench.change(page, i % 2))
            results += [page_change, filter_change]
    return results, {"loadavg_after": _loadavg()}


def table(results: list[Measure]) -> str:
    lines = ["| Page | Step | CPU s (median) | CPU s (min) | Wall s (median) | KB sent (median) | Script runs |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for m in results:
        r = m.row()
        lines.append(f"| {r['page']} | {r['step']} | {r['cpu_median']:.3f} | {r['cpu_min']:.3f} | "
                     f"{r['wall_median']:.3f} | {r['bytes_median'] / 1000:,.0f} | {r['runs']} |")
    typical = [m.row()["cpu_median"] for m in results if m.step in ("page", "filter")]
    lines.append(f"\nMedian of the pages' medians (typical warm rerun): {statistics.median(typical):.3f} CPU s; "
                 f"mean {statistics.fmean(typical):.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="reruns per page and step (default 5)")
    parser.add_argument("--settle", type=float, default=0.3, help="idle seconds before and after each rerun")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a rerun counts as timed out")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    loadavg = _loadavg()
    with tempfile.TemporaryDirectory(prefix="conexion-rerun-") as workdir:
        server = Server(Path(workdir), free_port())
        print(f"Starting streamlit on {server.url} ...", flush=True)
        server.start()
        try:
            results, extra = asyncio.run(measure(server, args.repeats, args.settle, args.timeout))
        except ClientError as error:
            print(f"client error: {error}", file=sys.stderr)
            return 1
        finally:
            server.stop()
            problems = server.log_problems()
    print(f"Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {os.cpu_count()} cores; "
          f"load average before {loadavg}, after {extra['loadavg_after']}; server log error lines: {len(problems)}")
    print(table(results))
    print(f"\nCommand: python -m benchmarks.rerun_cpu {' '.join(argv if argv is not None else sys.argv[1:])}")
    if args.json:
        args.json.write_text(json.dumps({"rows": [m.row() for m in results],
                                         "raw": [asdict(m) for m in results], "loadavg": [loadavg, extra]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
