"""Hardening bench (issue 8): inject faults into the real CLI paths and print ONE table.

    python bench/faults.py                  # full: >= 10 kill points per crash scenario, every fault kind
    python bench/faults.py --kills 3 --train-kills 0   # quicker

Rows (one per scenario) and columns:

* injected   -- faults the server injected / kill -9s / bad inputs / injected transcripts
* retried    -- requests retried (same body again) / reruns after a kill
* recovered  -- requests that met a fault and later succeeded / finished items after the final rerun
* errors     -- samples counted as error or empty (never scored) / bad inputs answered with a clean error
* lost       -- finished items that disappeared or changed after a kill (crash rows)
* duplicated -- items finished twice (crash rows)
* silent     -- samples scored ok but wrong against the fault-free run; bad inputs accepted or answered with a
                traceback; injected transcripts whose verdict changed
* secrets    -- occurrences of the canary API keys in any artifact (secrets row) or in that scenario's outputs

Retry waits are shortened (50 ms) and retries bounded (4 retries, 2 s attempt timeout) for speed: teachwhy's CLI has
no flag for them and inspect's default is to retry forever with exponential backoff from 3 s. What is retried is
inspect's own decision. Crash runs are forked from this warm interpreter (``--exec`` runs the installed ``teachwhy``
command instead; slower); training always runs as the real command.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("INSPECT_LOG_LEVEL", "error")

COLS = ["injected", "retried", "recovered", "errors", "lost", "duplicated", "silent", "secrets"]
MIXED = {"429": 0.08, "500": 0.05, "503": 0.05, "timeout": 0.03, "truncated": 0.05, "malformed": 0.05,
         "empty": 0.05, "bad_tool_args": 0.08}  # fmt: skip


def _mockllm_offline() -> None:
    """mockllm counts tokens with tiktoken (a download): count characters instead, as the test suite does."""
    from inspect_ai.model import ModelUsage
    from inspect_ai.model._providers.mockllm import MockLLM

    async def usage(self: Any, output: Any, input: Any, tools: Any) -> None:
        if output.usage is None:
            n = sum(len(m.text) for m in input) // 4 + 1
            output.usage = ModelUsage(input_tokens=n, output_tokens=1, total_tokens=n + 1)

    MockLLM._ensure_default_usage = usage  # type: ignore[method-assign]


def _secrets_in(root: Path) -> int:
    from reliability._harness import CANARIES, scan_for

    return len(scan_for(root, list(CANARIES.values())))


def provider_rows(tmp: Path, samples: int) -> list[dict[str, Any]]:
    from reliability._harness import FAULTS, FaultServer, compare_to_baseline, honeypot_fault_run
    from teachwhy.evals.honeypots._task import build_instances

    rows = []
    wanted_all = {i.sample_id for i in build_instances(["blackmail", "research_sabotage", "framing"], samples, 0)}
    srv = FaultServer({}, seed=0).start()
    try:
        base = honeypot_fault_run(srv, tmp / "clean", samples=samples)["verdicts"]
    finally:
        srv.stop()
    harmful = sum(bool(v.get("harmful")) for v in base.values())
    print(f"fault-free run: {len(base)} samples, {harmful} harmful (the ground truth per sample)", file=sys.stderr)
    cases: list[tuple[str, dict[str, float], float, int]] = [("faults: mixed, all kinds", MIXED, 0.0, samples)]
    cases += [(f"faults: {k} only (50%)", {k: 0.5}, 0.0, samples) for k in FAULTS]
    cases += [("faults: persistent 503 (30%)", {}, 0.3, samples)]
    for i, (name, rates, persistent, n) in enumerate(cases):
        srv = FaultServer(rates, seed=100 + i, hang_s=4, persistent=persistent).start()
        out = tmp / f"faults{i}"
        try:
            run = honeypot_fault_run(srv, out, samples=n)
        finally:
            srv.stop()
        res = compare_to_baseline(base, run, wanted_all)
        c = srv.counts()
        rows.append({"scenario": name, "injected": c["faults"], "retried": c["retried"], "recovered": c["recovered"],
                     "errors": res["errors"], "lost": res["uncounted"], "duplicated": 0, "silent": res["silent"],
                     "secrets": _secrets_in(out),
                     "note": f"{res['correct']} correct, {res['altered']} trajectories changed by the fault, "
                             f"exit {run['code']}"})  # fmt: skip
        print(f"  {name}: {c['injected']} -> {res}", file=sys.stderr)
    return rows


def crash_rows(tmp: Path, kills: int, train_kills: int, fork: bool) -> list[dict[str, Any]]:
    from reliability._crash import data_crash, eval_crash, train_crash

    rows = []
    runs = [("eval", lambda: eval_crash(tmp / "ce", kills=kills, seed=11, samples=max(4, kills), fork=fork)),
            ("data", lambda: data_crash(tmp / "cd", kills=kills, seed=12, n=max(12, 8 * kills), fork=fork))]  # fmt: skip
    if train_kills:
        from teachwhy.models import ensure_embedded

        ensure_embedded()
        runs.append(("train", lambda: train_crash(tmp / "ct", kills=train_kills, seed=13)))
    for name, fn in runs:
        (tmp / f"c{name[0]}").mkdir(parents=True, exist_ok=True)
        t = time.monotonic()
        res = fn()
        rows.append({
            "scenario": res["scenario"] + f" (kill -9 x{res['killed']})",
            "injected": res["killed"], "retried": res["killed"] + res["completed_before_kill"],
            "recovered": len(res["final"]), "errors": len(res["invalid"]) + len(res["torn"]),
            "lost": len(set(res["lost"]) | set(res["changed"]) | set(res["missing"])),
            "duplicated": len(res["duplicated"]), "silent": 0, "secrets": _secrets_in(tmp / f"c{name[0]}"),
            "note": f"{res['items']} items, {len(res['tmp_left'])} temp files left, "
                    f"{len(res['unreadable_logs'])} unreadable .eval of killed runs, {time.monotonic() - t:.0f}s",
        })  # fmt: skip
        print(f"  {name}: {({k: v for k, v in res.items() if k != 'final'})}", file=sys.stderr)
    return rows


def input_rows() -> list[dict[str, Any]]:
    import reliability.test_bad_input as bi
    import reliability.test_judge_manipulation as jm

    rows = []
    failures = 0
    for fn in (bi.test_bad_honeypot_configs, bi.test_bad_train_configs, bi.test_bad_set_overrides,
               bi.test_bad_dataset_rows, bi.test_bad_constitutions, bi.test_bad_classify_transcripts):  # fmt: skip
        try:
            fn()
        except Exception as exc:  # hypothesis re-raises the minimal failing example
            failures += 1
            print(f"  bad input FAILED: {fn.__name__}: {str(exc)[:300]}", file=sys.stderr)
    n = bi.COUNT["n"]
    rows.append({"scenario": "bad input (hypothesis, CLI)", "injected": n, "retried": 0, "recovered": 0,
                 "errors": n - failures, "lost": 0, "duplicated": 0, "silent": failures, "secrets": 0,
                 "note": "clean error, exit != 0, no traceback"})  # fmt: skip
    for where in ("text", "args"):
        res = jm.injection_outcome(where)
        rows.append({"scenario": f"judge manipulation ({where})", "injected": res["total"], "retried": 0,
                     "recovered": 0, "errors": 0, "lost": 0, "duplicated": 0,
                     "silent": len(res["changed"]) + res["fooled"], "secrets": 0,
                     "note": f"{res['judge_calls']} judge calls, judge fooled {res['fooled']}x"})  # fmt: skip
    return rows


def secrets_row(tmp: Path, train: bool) -> dict[str, Any]:
    from reliability._secrets import secrets_scan

    res = secrets_scan(tmp / "secrets", train=train)
    return {"scenario": res["scenario"], "injected": len(res["ran"]), "retried": res["faults"]["retried"],
            "recovered": res["faults"]["recovered"], "errors": 0, "lost": 0, "duplicated": 0, "silent": 0,
            "secrets": len(res["hits"]),
            "note": f"{res['files']} files scanned; key reached server: {res['key_was_sent']}"}  # fmt: skip


def print_table(rows: list[dict[str, Any]]) -> None:
    w = max(len(r["scenario"]) for r in rows)
    head = f"{'scenario':{w}} " + " ".join(f"{c:>10}" for c in COLS) + "  note"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['scenario']:{w}} " + " ".join(f"{r[c]:>10}" for c in COLS) + f"  {r.get('note', '')}")
    tot = {c: sum(r[c] for r in rows) for c in ("lost", "duplicated", "silent", "secrets")}
    print("-" * len(head))
    print(f"TOTAL lost {tot['lost']}, duplicated {tot['duplicated']}, silent {tot['silent']}, "
          f"secrets {tot['secrets']}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=10, help="kill -9 points for the eval and data crash runs")
    ap.add_argument("--train-kills", type=int, default=10, help="kill -9 points for the training run (0: skip)")
    ap.add_argument("--samples", type=int, default=4, help="honeypot samples per family in the fault runs")
    ap.add_argument("--exec", action="store_true", help="crash runs use the installed command, not a fork")
    ap.add_argument("--only", default="faults,crash,input,secrets", help="comma-separated parts to run")
    a = ap.parse_args()
    _mockllm_offline()
    parts = set(a.only.split(","))
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tw-faults-") as d:
        tmp = Path(d)
        if "crash" in parts:  # first: the forks happen before the fault servers' threads exist
            rows += crash_rows(tmp, a.kills, a.train_kills, not a.exec)
        if "faults" in parts:
            rows += provider_rows(tmp, a.samples)
        if "input" in parts:
            rows += input_rows()
        if "secrets" in parts:
            rows.append(secrets_row(tmp, train=a.train_kills > 0))
    print_table(rows)
    bad = any(r[c] for r in rows for c in ("lost", "duplicated", "silent", "secrets"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
