"""Bench: honeypot-eval throughput against the concurrency bound, through the real CLI, at several concurrencies.

A local OpenAI-compatible server (127.0.0.1) answers each call after a fixed latency with a scripted tool call.
For each concurrency C, `teachwhy eval honeypots` runs ROUNDS x C samples (one model turn each) with
--max-connections C. With perfect concurrency the server sees C requests in flight at all times, so the bound is
C / latency samples per second, and ROUNDS x C samples take exactly ROUNDS x latency seconds. Printed per run:
achieved samples/s (first request to last reply, as the server saw them) divided by that bound. Target >= 0.9.

The ratio is a CPU measurement (the eval's per-sample work must fit in latency / C seconds of one core), so it
drops when other processes load the machine: the load average is printed beside every run, and a run that started
with a load above the core count is marked BUSY. Use --repeat to see the spread.

    python bench/eval_throughput.py [--concurrency 8,32] [--rounds 15] [--latency 0.5] [--repeat 1]
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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _fake_openai import FakeOpenAI  # noqa: E402

FAMILIES = 3  # the suite's scenario families; samples are given per family


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(concurrency: int, rounds: int, latency: float) -> dict[str, float]:
    """One CLI run at ``concurrency``; returns the server-side measurements."""
    # ROUNDS x C samples in all, a multiple of both C and the number of families (a perfect run ends on a full round)
    per_family = concurrency * -(-rounds // FAMILIES)
    server = FakeOpenAI(latency).start()
    out = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    env = {**os.environ, "BENCH_BASE_URL": f"http://127.0.0.1:{server.port}/v1", "BENCH_API_KEY": "local-bench"}
    teachwhy = Path(sys.executable).parent / "teachwhy"
    cmd = [str(teachwhy), "eval", "honeypots", "--model", "openai-api/bench/scripted", "--samples", str(per_family),
           "--max-steps", "1", "--max-connections", str(concurrency), "--out", str(out)]  # fmt: skip
    load = os.getloadavg()[0]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    finally:
        server.stop()
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-4000:])
        raise SystemExit(f"eval failed with exit code {proc.returncode}")
    n = len(server.stamps)
    if n != FAMILIES * per_family:
        raise SystemExit(f"the server saw {n} requests, expected {FAMILIES * per_family} (one per sample)")
    span = max(r for _, r in server.stamps) - min(a for a, _ in server.stamps)
    achieved = n / span
    bound = concurrency / latency
    return {"concurrency": concurrency, "samples": n, "latency": latency, "span": span, "achieved": achieved,
            "bound": bound, "ratio": achieved / bound, "in_flight": sum(r - a for a, r in server.stamps) / span,
            "wall": wall, "cpu": cpu, "load": load}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrency", default="8,32", help="Comma-separated --max-connections values, one run each.")
    ap.add_argument("--rounds", type=int, default=15, help="Samples per run = ROUNDS x C (rounded up to 3 families).")
    ap.add_argument("--latency", type=float, default=0.5, help="Server latency per call, seconds.")
    ap.add_argument("--repeat", type=int, default=1, help="Runs per concurrency (the spread is printed).")
    args = ap.parse_args()
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    cores = os.cpu_count() or 1
    ratios: dict[int, list[float]] = {c: [] for c in levels}
    for rep in range(args.repeat):
        for c in levels:
            m = run_once(c, args.rounds, args.latency)
            ratios[c].append(m["ratio"])
            busy = "  BUSY (load above the core count)" if m["load"] > cores else ""
            print(f"[run {rep + 1}] C={c:<3d} samples={m['samples']:<4.0f} latency={m['latency']}s "
                  f"achieved={m['achieved']:.2f}/s bound={m['bound']:.2f}/s in-flight={m['in_flight']:.2f} "
                  f"ratio={m['ratio']:.3f}  (CLI wall {m['wall']:.1f}s, CPU {m['cpu']:.1f}s incl. start-up; "
                  f"load {m['load']:.2f} on {cores} cores){busy}", flush=True)  # fmt: skip
    print("summary (target >= 0.9):")
    for c in levels:
        r = ratios[c]
        spread = f" (median of {len(r)}; min={min(r):.3f} max={max(r):.3f})" if len(r) > 1 else ""
        print(f"C={c}: ratio={statistics.median(r):.3f}{spread}")


if __name__ == "__main__":
    main()
