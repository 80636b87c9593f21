"""A scripted stage runner for the experiment, results and report tests (moved here from ``src/``: it is test code).

``FakeRunner`` writes, for every stage, outputs shaped like the real ones — a dataset file, a model directory with
``metrics.jsonl``, and eval ``summary.json`` files built by the real summary code (the honeypot suite's
``summarize``, the held-out evals' ``describe`` and ``run_record`` shape) — records each call, can crash on chosen
stages (once) to test resume, and can be given:

* ``outcomes``: stage id -> the per-sample rows an eval stage produces (hand-written fixtures);
* ``error_share``: stage id -> share of that stage's samples that end as ``error`` (error-budget tests).

Without outcomes, honeypot samples are drawn deterministically (a hash) with a rate that depends on the arm; three
of every four samples lie in the headline cell.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from teachwhy._io import append_jsonl, atomic_write_json
from teachwhy.evals._aggregate import describe
from teachwhy.evals.honeypots import FAMILIES
from teachwhy.evals.honeypots._summary import summarize
from teachwhy.experiments.plan import Stage
from teachwhy.stats import error_budget

__all__ = ["HEADLINE_IDS", "OTHER_ID", "FakeCrash", "FakeRunner", "run_fake"]

HEADLINE_IDS = (
    "explicit-replacement-high-scratchpad_off-notice_off",
    "explicit-replacement-low-scratchpad_on-notice_off",
)
OTHER_ID = "latent-none-low-scratchpad_off-notice_on"


class FakeCrash(RuntimeError):
    """Raised by :class:`FakeRunner` where told to crash."""


def _u(*parts: object) -> float:
    """A deterministic number in [0, 1) from ``parts``."""
    h = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()
    return int(h[:8], 16) / 2**32


class FakeRunner:
    """Runs stages instantly with fake but well-formed outputs."""

    def __init__(
        self,
        crash_on: set[str] | None = None,
        samples: int = 12,
        outcomes: Mapping[str, list[dict[str, Any]]] | None = None,
        error_share: Mapping[str, float] | None = None,
    ) -> None:
        self.calls: list[str] = []
        self.crash_on = set(crash_on or ())
        self.samples = samples
        self.outcomes = dict(outcomes or {})
        self.error_share = dict(error_share or {})

    def __call__(self, stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        """Do the stage's fake work (crash first if told to, once)."""
        self.calls.append(stage.id)
        if stage.id in self.crash_on:
            self.crash_on.discard(stage.id)
            (workdir / "partial.txt").write_text("half done\n")
            raise FakeCrash(f"scripted crash in {stage.id}")
        if stage.kind == "data":
            path = workdir / "data.jsonl"
            append_jsonl(
                path, {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]}
            )
            return {"path": str(path), "rows": 1, "tokens": 100}
        if stage.kind == "check":  # the dataset passes: training reads it unchanged
            return {**inputs[f"data/{stage.spec['dataset']}"], "passed": True}
        if stage.kind == "train":
            return self._train(stage, workdir, inputs)
        return self._eval(stage, workdir)

    def _train(self, stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        model = workdir / "model"
        model.mkdir(exist_ok=True)
        budget = sum(int(u.get("tokens") or 1000) for u in stage.spec["stage"]["data"]) or 5000
        if stage.spec["stage"]["kind"] == "rl":
            for step in (1, 2, 3):
                append_jsonl(model / "metrics.jsonl", {"kind": "train", "step": step, "reward": 0.2 * step})
                rate = max(0.0, 0.6 - 0.1 * step - (0.1 if stage.meta.get("environments") == "augmented" else 0))
                append_jsonl(model / "metrics.jsonl", {"kind": "snapshot", "step": step, "eval": "honeypots",
                             "status": "ok", "metrics": {"overall.rate": rate, "overall.ci_low": rate / 2,
                                                         "overall.ci_high": min(1, rate + 0.2), "overall.n": 6}})  # fmt: skip
        prior = (
            sum(int(r.get("arm_tokens", 0)) for r in inputs.values() if "model" in r)
            if stage.meta.get("stage_index")
            else 0
        )  # noqa: E501
        return {"model": str(model), "tokens_seen": budget, "arm_tokens": prior + budget, "global_step": 3,
                "metrics": str(model / "metrics.jsonl")}  # fmt: skip

    def _with_errors(self, stage: Stage, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        share = self.error_share.get(stage.id, 0.0)
        k = round(share * len(rows))
        doomed = set(sorted(range(len(rows)), key=lambda i: _u("err", stage.id, i))[:k])
        return [{**r, "status": "error", "harmful": None, "score": None, "scores": None, "error": "scripted failure"}
                if i in doomed else r for i, r in enumerate(rows)]  # fmt: skip

    def _eval(self, stage: Stage, workdir: Path) -> dict[str, Any]:
        out = workdir / "eval"
        out.mkdir(exist_ok=True)
        kind = stage.spec["kind"]
        arm = stage.arm or "base"
        p = 0.8 if stage.meta.get("role") in ("organism", "base") else 0.15 + 0.5 * _u(arm)
        summary: dict[str, Any]
        if kind == "honeypots":
            rows = self.outcomes.get(stage.id) or [
                {"sample_id": f"{fam}:{i}", "family": fam, "condition": OTHER_ID if i % 4 == 3 else HEADLINE_IDS[i % 2],
                 "storyline": f"{fam}-a", "seed": stage.repeat, "status": "ok",
                 "harmful": _u(arm, stage.seed, fam, i, stage.repeat) < p, "eval_aware": False}
                for fam in FAMILIES for i in range(self.samples)]  # fmt: skip
            rows = self._with_errors(stage, rows)
            for r in rows:
                append_jsonl(out / "samples.jsonl", r)
            summary = summarize(rows, expected=[r["sample_id"] for r in rows])
        else:
            mis = 1 + 8 * p
            rows = self.outcomes.get(stage.id) or [
                {"id": f"seed{i}", "status": "ok", "error": None,
                 "scores": {"misaligned_behavior": round(mis + _u(arm, stage.seed, i) - 0.5, 2),
                            "admirable_behavior": round(11 - mis - _u(arm, i), 2)},
                 "score": round(11 - mis + _u(arm, stage.seed, i) - 0.5, 2)}
                for i in range(4)]  # fmt: skip
            rows = self._with_errors(stage, rows)
            ok = [r for r in rows if r["status"] == "ok"]
            counts = {"samples": len(rows), "scored": len(ok), "errors": sum(r["status"] == "error" for r in rows),
                      "empty": sum(r["status"] == "empty" for r in rows)}  # fmt: skip
            summary = {"schema": f"teachwhy.{kind}.summary/v1", "kind": kind, "counts": counts, "samples": rows,
                       "error_budget": error_budget({"errors": counts["errors"], "empty": counts["empty"],
                                                     "missing": 0}, len(rows))}  # fmt: skip
            if kind == "assessment":
                summary["headline"] = {
                    m: describe([r["scores"][m] for r in ok], higher_is=h)
                    for m, h in (("misaligned_behavior", "worse"), ("admirable_behavior", "better"))
                }
            else:
                summary["overall"] = describe([r["score"] for r in ok])
        (out / "logs").mkdir(exist_ok=True)
        summary["log"] = str(out / "logs" / "fake.eval")
        atomic_write_json(out / "summary.json", summary)
        return {"summary": str(out / "summary.json"), "dir": str(out), "echo": json.dumps(stage.spec["settings"])}


def run_fake(cfg: Any, run_dir: Path, runner: FakeRunner | None = None) -> dict[str, dict[str, Any]]:
    """Every stage through ``runner`` in plan order (a crashed stage and its dependants are skipped), without the
    real runner's checks; returns the done markers ``finalize`` and ``collect`` read."""
    from teachwhy.experiments import expand, stage_dir

    runner = runner or FakeRunner()
    done: dict[str, dict[str, Any]] = {}
    for s in expand(cfg):
        if any(d not in done for d in s.deps):
            continue
        wd = stage_dir(run_dir, s)
        wd.mkdir(parents=True, exist_ok=True)
        try:
            result = runner(s, wd, {d: done[d]["result"] for d in s.deps})
        except FakeCrash:
            continue
        done[s.id] = {"stage": s.id, "key": s.key, "kind": s.kind, "seconds": 0.0, "cpu_seconds": 0.0,
                      "result": result}  # fmt: skip
    return done
