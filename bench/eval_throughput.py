"""Bench: honeypot-eval throughput against the concurrency bound, through the real CLI, at several concurrencies.

A local OpenAI-compatible server (127.0.0.1) answers each call after a fixed latency with a scripted tool call.
For each concurrency C, `teachwhy eval honeypots` runs ROUNDS x C samples (one model turn each) with
--max-connections C. With perfect concurrency the server sees C requests in flight at all times, so the bound is
C / latency samples per second, and ROUNDS x C samples take exactly ROUNDS x latency seconds. Printed per run:
achieved samples/s (first request to last reply, as the server saw them) divided by that bound. Target >= 0.9.

The ratio is a CPU measurement (the eval's per-sample work must fit in latency / C seconds of the cores its
processes run on), so it drops when other processes load the machine: the load average is printed beside every run,
and a run that started with a load above the core count is marked BUSY. Use --repeat to see the spread. CPU/sample is
the CPU time (user + system, all threads) of the CLI and all its worker processes between the first request and the
last reply, divided by the samples: it varies less with the load than the ratio does. It is also printed per process (the CLI
first, then its workers), to show whether a worker was held below its share of the cores. One process runs inspect's
eval loop on about one core (its Python threads share one interpreter lock), so one process reaches 0.9 only while its
CPU/sample stays under latency / (0.9 x C) seconds (17 ms at C = 32, latency 0.5 s). The CLI runs with --workers as
given (default auto, what a user gets: one worker process per 16 connections, at most one per core, so 1 at C = 8
and 2 at C = 32 on a machine with 2 or more cores); the number of worker processes of each run is printed.

    python bench/eval_throughput.py [--concurrency 8,32] [--rounds 15] [--latency 0.5] [--repeat 1] [--workers auto]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _fake_openai import FakeOpenAI  # noqa: E402

FAMILIES = 3  # the suite's scenario families; samples are given per family


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class CpuTrace:
    """Polls the CPU seconds (user + system, all threads) of a process and all its descendants from /proc every
    20 ms (descendants found every second), so the CPU they spent between the first request and the last reply can be
    read afterwards (Linux; empty elsewhere)."""

    def __init__(self, pid: int) -> None:
        self.root = pid
        self.points: dict[int, list[tuple[float, float]]] = {}
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    @staticmethod
    def _stat(pid: int) -> list[str] | None:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None

    def _tree(self) -> set[int]:
        parent: dict[int, int] = {}
        for d in os.listdir("/proc"):
            if d.isdigit() and (f := self._stat(int(d))) is not None:
                parent[int(d)] = int(f[1])
        tree, grew = {self.root}, True
        while grew:
            more = {p for p, pp in parent.items() if pp in tree} - tree
            tree |= more
            grew = bool(more)
        return tree

    def _poll(self) -> None:
        pids, found = {self.root}, 0.0
        while not self._stop.is_set():
            now = time.perf_counter()
            if now - found > 1.0:
                pids |= self._tree()
                found = now
            alive = False
            for pid in pids:
                f = self._stat(pid)
                if f is not None:
                    alive = True
                    self.points.setdefault(pid, []).append((now, (int(f[11]) + int(f[12])) / self._tick))
            if not alive:
                return
            self._stop.wait(0.02)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1)

    def processes(self) -> int:
        """How many processes the trace saw (the CLI and its descendants)."""
        return len(self.points)

    def between(self, t0: float, t1: float) -> float | None:
        """CPU seconds all traced processes used between ``t0`` and ``t1`` (last polls at or before each), or None
        without a trace. A process not yet started at ``t0`` counts from zero; one ended before ``t1``, to its end."""
        if not self.points:
            return None
        return sum(self._used(pid, t0, t1) for pid in self.points)

    def split(self, t0: float, t1: float) -> list[float]:
        """CPU seconds each traced process used between ``t0`` and ``t1``, the CLI's own first, then its
        descendants from the busiest down (where the work sits: the parent's progress and merging, or the workers)."""
        own = [pid for pid in self.points if pid == self.root]
        rest = sorted((pid for pid in self.points if pid != self.root),
                      key=lambda p: -self._used(p, t0, t1))  # fmt: skip
        return [self._used(pid, t0, t1) for pid in own + rest]

    def _used(self, pid: int, t0: float, t1: float) -> float:
        return cpu_used(self.points[pid], t0, t1)


def cpu_used(points: list[tuple[float, float]], t0: float, t1: float) -> float:
    """CPU seconds a process used between ``t0`` and ``t1``, from its polls (time, cumulative CPU): the last poll at
    or before each; a process first seen after ``t0`` counts from zero.

    >>> cpu_used([(0.0, 1.0), (1.0, 1.5), (2.0, 2.25)], 0.5, 2.0)  # 2.25 at 2.0 minus 1.0 at 0.0
    1.25
    >>> cpu_used([(1.0, 0.5), (3.0, 1.0)], 0.0, 2.0)  # started after 0.0: 0.5 at 1.0 minus nothing
    0.5
    """
    before = [[cpu for ts, cpu in points if ts <= t] for t in (t0, t1)]
    return (before[1][-1] if before[1] else 0.0) - (before[0][-1] if before[0] else 0.0)


def _ramp_and_tail(stamps: list[tuple[float, float]], concurrency: int) -> tuple[float, float]:
    """Seconds from the first request until C requests were first in flight at once (start-up of the eval's
    processes), and from the moment the last such stretch ended to the last reply (the final, partial round).

    >>> _ramp_and_tail([(0.0, 1.0), (0.1, 1.1), (1.0, 2.0)], 2)  # full from 0.1 until the reply at 1.1
    (0.1, 0.9)
    """
    events = sorted([(a, 1) for a, _ in stamps] + [(r, -1) for _, r in stamps])
    first, last = events[0][0], events[-1][0]
    full, up, down = 0, None, last
    for t, d in events:
        was = full >= concurrency
        full += d
        if full >= concurrency and up is None:
            up = t
        if was and full < concurrency:
            down = t
    if up is None:
        return last - first, 0.0
    return round(up - first, 6), round(last - down, 6)


def run_once(concurrency: int, rounds: int, latency: float, workers: str) -> dict[str, float]:
    """One CLI run at ``concurrency``; returns the server-side measurements."""
    # ROUNDS x C samples in all, a multiple of both C and the number of families (a perfect run ends on a full round)
    per_family = concurrency * -(-rounds // FAMILIES)
    server = FakeOpenAI(latency).start()
    out = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    env = {**os.environ, "BENCH_BASE_URL": f"http://127.0.0.1:{server.port}/v1", "BENCH_API_KEY": "local-bench"}
    teachwhy = Path(sys.executable).parent / "teachwhy"
    cmd = [str(teachwhy), "eval", "honeypots", "--model", "openai-api/bench/scripted", "--samples", str(per_family),
           "--max-steps", "1", "--max-connections", str(concurrency), "--workers", workers, "--out", str(out)]  # fmt: skip
    load = os.getloadavg()[0]
    cpu0, t0, own0 = _children_cpu(), time.perf_counter(), time.process_time()
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        trace = CpuTrace(proc.pid)
        stdout, stderr = proc.communicate()
        trace.stop()
    finally:
        server.stop()
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    own = time.process_time() - own0  # this process: the fake server and the CPU trace
    n_workers = len(list((out / "logs").glob("*.eval")))  # one eval log per worker process (or the CLI's own)
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        print(stdout[-2000:], stderr[-4000:])
        raise SystemExit(f"eval failed with exit code {proc.returncode}")
    n = len(server.stamps)
    if n != FAMILIES * per_family:
        raise SystemExit(f"the server saw {n} requests, expected {FAMILIES * per_family} (one per sample)")
    first, last = min(a for a, _ in server.stamps), max(r for _, r in server.stamps)
    span = last - first
    achieved = n / span
    bound = concurrency / latency
    span_cpu = trace.between(first, last)
    ramp, tail = _ramp_and_tail(server.stamps, concurrency)
    return {"concurrency": concurrency, "samples": n, "latency": latency, "span": span, "achieved": achieved,
            "bound": bound, "ratio": achieved / bound, "in_flight": sum(r - a for a, r in server.stamps) / span,
            "wall": wall, "cpu": cpu, "load": load, "workers": n_workers, "processes": trace.processes(),
            "cpu_per_sample_ms": float("nan") if span_cpu is None else 1000 * span_cpu / n,
            "ramp": ramp, "tail": tail, "server_ms": 1000 * own / n,
            "split_ms": [1000 * c / n for c in trace.split(first, last)]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrency", default="8,32", help="Comma-separated --max-connections values, one run each.")
    ap.add_argument("--rounds", type=int, default=15, help="Samples per run = ROUNDS x C (rounded up to 3 families).")
    ap.add_argument("--latency", type=float, default=0.5, help="Server latency per call, seconds.")
    ap.add_argument("--repeat", type=int, default=1, help="Runs per concurrency (the spread is printed).")
    ap.add_argument("--workers", default="auto", help="The CLI's --workers (default auto, as a user runs it).")
    args = ap.parse_args()
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    cores = os.cpu_count() or 1
    ratios: dict[int, list[float]] = {c: [] for c in levels}
    for rep in range(args.repeat):
        for c in levels:
            m = run_once(c, args.rounds, args.latency, args.workers)
            ratios[c].append(m["ratio"])
            busy = "  BUSY (load above the core count)" if m["load"] > cores else ""
            print(f"[run {rep + 1}] C={c:<3d} workers={args.workers} ({m['workers']:.0f} eval process"
                  f"{'es' if m['workers'] != 1 else ''}) samples={m['samples']:<4.0f} latency={m['latency']}s "
                  f"achieved={m['achieved']:.2f}/s bound={m['bound']:.2f}/s in-flight={m['in_flight']:.2f} "
                  f"ratio={m['ratio']:.3f}  CPU/sample={m['cpu_per_sample_ms']:.1f}ms over {m['processes']:.0f} "
                  f"processes [CLI, then workers: {' / '.join(f'{x:.1f}' for x in m['split_ms'])} ms] (server and trace {m['server_ms']:.1f}ms/request), C in flight after {m['ramp']:.2f}s, last {m['tail']:.2f}s partial (CLI wall {m['wall']:.1f}s, CPU {m['cpu']:.1f}s incl. start-up; load {m['load']:.2f} "
                  f"on {cores} cores){busy}", flush=True)  # fmt: skip
    print("summary (target >= 0.9):")
    for c in levels:
        r = ratios[c]
        spread = f" (median of {len(r)}; min={min(r):.3f} max={max(r):.3f})" if len(r) > 1 else ""
        print(f"C={c}: ratio={statistics.median(r):.3f}{spread}")


if __name__ == "__main__":
    main()
