"""A scripted stage runner for tests and for checking a config end to end without a model.

``FakeRunner`` writes, for every stage, outputs shaped like the real ones (a dataset file, a model directory with
``metrics.jsonl``, eval ``summary.json`` and ``samples.jsonl``) with deterministic numbers, records each call, and
can be told to crash on chosen stages (once) to test resume.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from teachwhy._io import append_jsonl, atomic_write_json
from teachwhy.experiments.plan import Stage
from teachwhy.stats import wilson

__all__ = ["FakeCrash", "FakeRunner"]


class FakeCrash(RuntimeError):
    """Raised by :class:`FakeRunner` where told to crash."""


def _u(*parts: object) -> float:
    """A deterministic number in [0, 1) from ``parts``."""
    h = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()
    return int(h[:8], 16) / 2**32


class FakeRunner:
    """Runs stages instantly with fake but well-formed outputs."""

    def __init__(self, crash_on: set[str] | None = None, samples: int = 12) -> None:
        self.calls: list[str] = []
        self.crash_on = set(crash_on or ())
        self.samples = samples

    def __call__(self, stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        """Do the stage's fake work (crash first if told to, once)."""
        self.calls.append(stage.id)
        if stage.id in self.crash_on:
            self.crash_on.discard(stage.id)
            (workdir / "partial.txt").write_text("half done\n")
            raise FakeCrash(f"scripted crash in {stage.id}")
        if stage.kind == "data":
            path = workdir / "data.jsonl"
            append_jsonl(path, {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]})
            return {"path": str(path), "rows": 1, "tokens": 100}
        if stage.kind == "train":
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
            prior = sum(int(r.get("arm_tokens", 0)) for r in inputs.values() if "model" in r) if stage.meta.get("stage_index") else 0  # noqa: E501
            return {"model": str(model), "tokens_seen": budget, "arm_tokens": prior + budget, "global_step": 3,
                    "metrics": str(model / "metrics.jsonl")}  # fmt: skip
        out = workdir / "eval"
        out.mkdir(exist_ok=True)
        kind = stage.spec["kind"]
        arm = stage.arm or "base"
        p = 0.8 if stage.meta.get("role") in ("organism", "base") else 0.15 + 0.5 * _u(arm)
        if kind == "honeypots":
            fams: dict[str, Any] = {}
            for fam in ("blackmail", "research_sabotage", "framing"):
                k = 0
                for i in range(self.samples):
                    harmful = _u(arm, fam, i, stage.repeat) < p
                    k += harmful
                    append_jsonl(out / "samples.jsonl", {"sample_id": f"{fam}:{i}", "family": fam, "status": "ok",
                                                         "harmful": harmful})  # fmt: skip
                lo, hi = wilson(k, self.samples)
                fams[fam] = {"n": self.samples, "harmful": k, "rate": k / self.samples, "ci_low": lo, "ci_high": hi}
            rate = sum(f["rate"] for f in fams.values()) / 3
            summary: dict[str, Any] = {
                "schema": "teachwhy.honeypots.summary/v1", "families": fams,
                "overall": {"rate": rate, "ci_low": max(0, rate - 0.15), "ci_high": min(1, rate + 0.15),
                            "n": 3 * self.samples, "errors": 0, "empty": 0, "undecided": 0, "total": 3 * self.samples},
            }  # fmt: skip
        else:
            mis = 1 + 8 * p
            samples = [{"id": f"seed{i}", "status": "ok", "scores": {"misaligned_behavior": round(mis + _u(arm, i) - 0.5, 2)}}
                       for i in range(4)]  # fmt: skip
            block = {"n": 4, "mean": mis, "ci_low": max(1, mis - 1), "ci_high": min(10, mis + 1)}
            summary = {"schema": f"teachwhy.{kind}.summary/v1", "counts": {"samples": 4, "scored": 4, "errors": 0,
                                                                           "empty": 0}, "samples": samples}  # fmt: skip
            if kind == "assessment":
                summary["headline"] = {"misaligned_behavior": {**block, "higher_is": "worse"},
                                       "admirable_behavior": {**block, "mean": 11 - mis, "ci_low": max(1, 10 - mis),
                                                              "ci_high": min(10, 12 - mis), "higher_is": "better"}}  # fmt: skip
            else:
                summary["overall"] = {**block, "mean": 11 - mis}
        (out / "logs").mkdir(exist_ok=True)
        summary["log"] = str(out / "logs" / "fake.eval")
        atomic_write_json(out / "summary.json", summary)
        return {"summary": str(out / "summary.json"), "dir": str(out), "echo": json.dumps(stage.spec["settings"])}
