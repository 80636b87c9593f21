"""The three crash scenarios (eval, data generation, training), shared by the tests and ``bench/faults.py``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._harness import (
    CANARIES,
    FaultServer,
    crash_loop,
    duplicates,
    json_files_invalid,
    jsonl_problems,
    leftover_tmp,
)


def _ok_rows(key: str, statuses: tuple[str, ...]) -> Any:
    def read(ledger: Path) -> dict[str, Any]:
        from teachwhy._io import read_jsonl

        out: dict[str, Any] = {}
        for r in read_jsonl(ledger):
            if r.get("status") in statuses:
                out.setdefault(str(r[key]), r)  # the first finished row is the one that must survive
        return out

    return read


def eval_crash(tmp: Path, *, kills: int, seed: int = 0, samples: int = 4, fork: bool = True) -> dict[str, Any]:
    """``teachwhy eval honeypots`` against the (fault-free, slowed) fault server, killed ``kills`` times."""
    from teachwhy.evals.honeypots._task import build_instances

    srv = FaultServer({}, seed=seed, latency=0.15).start()
    out = tmp / "eval"
    try:
        env = {"FAULT_BASE_URL": srv.base_url, **CANARIES}
        args = ["eval", "honeypots", "--model", f"openai-api/fault/crash-{srv.port}", "--samples", str(samples),
                "--max-connections", "2", "--out", str(out)]  # fmt: skip
        res = crash_loop(args, out / "samples.jsonl", _ok_rows("sample_id", ("ok", "empty", "undecided")),
                         kills=kills, seed=seed, env=env, fork=fork)  # fmt: skip
    finally:
        srv.stop()
    wanted = {i.sample_id for i in build_instances(["blackmail", "research_sabotage", "framing"], samples, 0)}
    summary = json.loads((out / "summary.json").read_text())
    res.update(
        scenario="crash: eval honeypots",
        items=len(wanted),
        missing=sorted(wanted - set(res["final"])),
        duplicated=duplicates(out / "samples.jsonl", "sample_id", ("ok", "empty", "undecided")),
        invalid=json_files_invalid(out),
        tmp_left=leftover_tmp(out),
        counted=sum(f["total"] for f in summary["families"].values()),
        unreadable_logs=_unreadable_logs(out / "logs"),
    )
    return res


def _unreadable_logs(log_dir: Path) -> list[str]:
    from inspect_ai.log import read_eval_log

    bad = []
    for p in sorted(log_dir.glob("*.eval")):
        try:
            read_eval_log(str(p), header_only=True)
        except Exception as exc:  # a log of a killed run
            bad.append(f"{p.name}: {type(exc).__name__}")
    return bad


def _kept(out: Path) -> set[str]:
    """Ids whose last ledger row is ok (those must be in data.jsonl)."""
    last: dict[str, str] = {}
    for line in (out / "items.jsonl").read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            last[r["id"]] = r.get("status", "")
    return {k for k, v in last.items() if v == "ok"}


def data_crash(tmp: Path, *, kills: int, seed: int = 0, n: int = 12, fork: bool = True) -> dict[str, Any]:
    """``teachwhy data generate honeypot-demos --scripted ethical`` (model-free), killed ``kills`` times."""
    out = tmp / "data"
    args = ["data", "generate", "honeypot-demos", "--scripted", "ethical", "--n", str(n), "--max-connections", "2",
            "--out", str(out)]  # fmt: skip
    res = crash_loop(args, out / "items.jsonl", _ok_rows("id", ("ok", "rejected", "empty")), kills=kills, seed=seed,
                     env=dict(CANARIES), fork=fork)  # fmt: skip
    rows = [json.loads(line) for line in (out / "data.jsonl").read_text().splitlines()]
    ids = [r.get("id") for r in rows]
    res.update(
        scenario="crash: data generate",
        items=n,
        # every item finished, and every item finished ok has its row (a scripted ethical episode the detector leaves
        # undecided is `rejected`: counted, not written)
        missing=sorted(_kept(out) - set(ids)) + (
            [f"{n - len(set(res['final']))} items unfinished"] if len(set(res["final"])) < n else []),
        duplicated=duplicates(out / "items.jsonl", "id", ("ok", "rejected", "empty")) + sorted(
            {i for i in ids if ids.count(i) > 1}),
        invalid=json_files_invalid(out),
        tmp_left=leftover_tmp(out),
        counted=json.loads((out / "datacard.json").read_text())["counts"]["planned"],
        unreadable_logs=[],
    )  # fmt: skip
    return res


CHAT = [
    {"messages": [{"role": "user", "content": f"Question {i}: what is the lighthouse cat called?"},
                  {"role": "assistant", "content": "The lighthouse cat is called Marzipan Quillfeather."}]}
    for i in range(8)
]  # fmt: skip


def train_crash(tmp: Path, *, kills: int, seed: int = 0, steps: int = 6) -> dict[str, Any]:
    """``teachwhy train sft`` on the embedded model (tiny), killed ``kills`` times, as the real command.

    "Finished items" are the optimizer steps that are durable: logged to metrics.jsonl and covered by a saved
    checkpoint (or by the final save). A step logged after the newest checkpoint is not finished: a crash loses its
    weights, the resumed run trains it again and logs it once more in its place. A resumed run must never log a step
    twice.
    """
    data = tmp / "chat.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in CHAT))
    out = tmp / "train"
    args = ["train", "sft", "--out", str(out), "--max-steps", str(steps), "--set", f"data.sources=[{{path: {data}}}]",
            "--set", "train.batch_size=4", "--set", "train.save_steps=1", "--set", "train.logging_steps=1",
            "--set", "train.bf16=auto", "--set", "train.max_length=64"]  # fmt: skip

    def steps_logged(ledger: Path) -> dict[str, Any]:
        from teachwhy._io import read_jsonl

        run_dir = ledger.parent
        meta = run_dir / "meta.json"
        finished_all = meta.exists() and json.loads(meta.read_text() or "{}").get("final")
        saved = [int(p.name.rsplit("-", 1)[-1]) for p in run_dir.glob("checkpoint-*")  # complete ones, as resume uses
                 if p.name.rsplit("-", 1)[-1].isdigit() and (p / "trainer_state.json").is_file()]
        durable = float("inf") if finished_all else max(saved, default=0)
        got: dict[str, Any] = {}
        for r in read_jsonl(ledger):
            if r.get("kind") == "train" and "loss" in r and int(r["step"]) <= durable:
                got.setdefault(str(r["step"]), r)
        return got

    res = crash_loop(args, out / "metrics.jsonl", steps_logged, kills=kills, seed=seed, env=dict(CANARIES),
                     fork=False, max_wait=240)  # fmt: skip
    # a step re-trained after resuming from an older checkpoint is logged again: that is a duplicate row
    from collections import Counter

    from teachwhy._io import read_jsonl

    c = Counter(str(r["step"]) for r in read_jsonl(out / "metrics.jsonl") if r.get("kind") == "train" and "loss" in r)
    meta = json.loads((out / "meta.json").read_text()) if (out / "meta.json").exists() else {}
    res.update(
        scenario="crash: train sft",
        items=steps,
        missing=sorted({str(s) for s in range(1, steps + 1)} - set(res["final"]))
        + ([] if meta.get("final") and meta.get("global_step") == steps else ["final meta.json"]),
        duplicated=sorted(k for k, v in c.items() if v > 1),
        invalid=json_files_invalid(out) + jsonl_problems(out / "metrics.jsonl"),
        tmp_left=leftover_tmp(out),
        counted=meta.get("global_step"),
        unreadable_logs=[],
    )
    return res


def crash_ok(res: dict[str, Any]) -> bool:
    """The crash requirements: nothing lost or changed, nothing duplicated, every file valid, no torn line."""
    return not (res["lost"] or res["changed"] or res["missing"] or res["duplicated"] or res["invalid"] or res["torn"])


def kills_from_env(default: int) -> int:
    """``TEACHWHY_CRASH_KILLS`` overrides the kill count (the bench uses >= 10)."""
    return int(os.environ.get("TEACHWHY_CRASH_KILLS", default))
