"""Bench: honeypot-eval throughput against the concurrency bound, through the real CLI.

A local OpenAI-compatible server (127.0.0.1) answers each call after a fixed latency with a scripted tool call.
`teachwhy eval honeypots` runs N samples (one model turn each) at concurrency C. With perfect concurrency the
server sees C requests in flight at all times, so the bound is C / latency samples per second. Printed: achieved
samples/s (first request to last reply, as the server saw them) divided by that bound. Target >= 0.9.

    python bench/eval_throughput.py [--samples 200] [--concurrency 10] [--latency 0.5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _fake_openai import FakeOpenAI  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=200, help="Total samples (split over the three families).")
    ap.add_argument("--concurrency", type=int, default=10, help="--max-connections for the eval.")
    ap.add_argument("--latency", type=float, default=0.5, help="Server latency per call, seconds.")
    args = ap.parse_args()

    server = FakeOpenAI(args.latency).start()
    out = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    per_family = -(-args.samples // 3)
    env = {**os.environ, "BENCH_BASE_URL": f"http://127.0.0.1:{server.port}/v1", "BENCH_API_KEY": "local-bench"}
    teachwhy = Path(sys.executable).parent / "teachwhy"
    cmd = [str(teachwhy), "eval", "honeypots", "--model", "openai-api/bench/scripted", "--samples", str(per_family),
           "--max-steps", "1", "--max-connections", str(args.concurrency), "--out", str(out)]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    server.stop()
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-4000:])
        raise SystemExit(f"eval failed with exit code {proc.returncode}")
    n = len(server.stamps)
    span = max(r for _, r in server.stamps) - min(a for a, _ in server.stamps)
    achieved = n / span
    bound = args.concurrency / args.latency
    print(f"samples={n} concurrency={args.concurrency} latency={args.latency}s")
    print(f"achieved={achieved:.2f} samples/s  bound={bound:.2f} samples/s  (CLI wall incl. start-up {wall:.1f}s)")
    in_flight = sum(r - a for a, r in server.stamps) / span
    print(f"mean requests in flight={in_flight:.2f} of {args.concurrency}")
    print(f"ratio={achieved / bound:.3f}  (target >= 0.9)")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
