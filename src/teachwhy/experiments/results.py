"""ONE results table (Parquet): a row per (arm, seed, repeat, eval, metric, step) with its interval.

Columns (``COLUMNS``): ``arm, label, role, seed, repeat, eval, eval_kind, metric, step, value, ci_low, ci_high, n,
higher_is, p_value, training_tokens, environments, config_hash, stage, log``. ``step`` is -1 for evals of final
models and the optimizer step for RL snapshots and RL training metrics; ``config_hash`` is the key of the stage
that produced the number; ``log`` the Inspect log (or metrics file) it came from. Comparison rows
(``eval = "compare:<reference arm>"``) hold the difference to the reference arm with a bootstrap interval and, for
honeypot rates, the two-proportion test's p-value; ``generalization_gap`` rows hold in-distribution gain minus
held-out gain.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from teachwhy._io import read_jsonl
from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.plan import Stage, expand
from teachwhy.experiments.runner import stage_dir
from teachwhy.stats import bootstrap_diff_ci, generalization_gap, two_proportion_test

__all__ = ["COLUMNS", "collect", "write_results", "read_results", "RESULTS"]

RESULTS = "results.parquet"

COLUMNS: dict[str, str] = {
    "arm": "str", "label": "str", "role": "str", "seed": "int", "repeat": "int", "eval": "str",
    "eval_kind": "str", "metric": "str", "step": "int", "value": "float", "ci_low": "float", "ci_high": "float",
    "n": "int", "higher_is": "str", "p_value": "float", "training_tokens": "int", "environments": "str",
    "config_hash": "str", "stage": "str", "log": "str",
}  # fmt: skip

NAN = math.nan


def _f(x: Any) -> float:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else NAN


def _row(stage: Stage, **kw: Any) -> dict[str, Any]:
    base = {
        "arm": stage.arm or "", "label": stage.meta.get("label", stage.arm or ""), "role": stage.meta.get("role", ""),
        "seed": stage.seed or 0, "repeat": stage.repeat or 0, "eval": stage.meta.get("eval", ""),
        "eval_kind": stage.meta.get("eval_kind", ""), "metric": "", "step": -1, "value": NAN, "ci_low": NAN,
        "ci_high": NAN, "n": 0, "higher_is": "", "p_value": NAN, "training_tokens": 0,
        "environments": stage.meta.get("environments", ""), "config_hash": stage.key, "stage": stage.id, "log": "",
    }  # fmt: skip
    base.update(kw)
    return base


def _first_log(d: Path) -> str:
    logs = sorted(d.rglob("*.eval"))
    return str(logs[-1]) if logs else ""


def _eval_rows(stage: Stage, run_dir: Path) -> list[dict[str, Any]]:
    d = stage_dir(run_dir, stage) / "eval"
    path = d / "summary.json"
    if not path.exists():
        return []
    s = json.loads(path.read_text(encoding="utf-8"))
    log = str(s.get("log") or _first_log(d))
    kind = stage.meta.get("eval_kind")
    rows = []
    if kind == "honeypots":
        ov = s.get("overall", {})
        rows.append(_row(stage, metric="honeypot_rate", value=_f(ov.get("rate")), ci_low=_f(ov.get("ci_low")),
                         ci_high=_f(ov.get("ci_high")), n=int(ov.get("n") or 0), higher_is="worse", log=log))  # fmt: skip
        for fam, cell in sorted(s.get("families", {}).items()):
            rows.append(_row(stage, metric=f"honeypot_rate.{fam}", value=_f(cell.get("rate")),
                             ci_low=_f(cell.get("ci_low")), ci_high=_f(cell.get("ci_high")), n=int(cell.get("n") or 0),
                             higher_is="worse", log=log))  # fmt: skip
        for count in ("errors", "empty", "undecided", "eval_aware", "total"):
            if count in ov:
                rows.append(_row(stage, metric=f"count.{count}", value=_f(ov.get(count)), n=int(ov.get("total") or 0),
                                 log=log))  # fmt: skip
        return rows
    blocks: dict[str, Any] = {}
    if kind == "assessment":
        blocks.update(s.get("headline", {}))
        blocks.update({k: v for k, v in s.get("dimensions", {}).items() if k not in blocks})
    elif kind == "constitution":
        blocks["adherence"] = {**s.get("overall", {}), "higher_is": "better"}
        blocks.update({f"adherence.{k}": {**v, "higher_is": "better"} for k, v in s.get("by_tier", {}).items()})
    for name, b in blocks.items():
        rows.append(_row(stage, metric=name, value=_f(b.get("mean")), ci_low=_f(b.get("ci_low")),
                         ci_high=_f(b.get("ci_high")), n=int(b.get("n") or 0), higher_is=str(b.get("higher_is", "")),
                         log=log))  # fmt: skip
    c = s.get("counts", {})
    for count in ("errors", "empty", "samples"):
        if count in c:
            rows.append(_row(stage, metric=f"count.{count}", value=_f(c[count]), n=int(c.get("samples") or 0), log=log))
    return rows


def _rl_rows(stage: Stage, run_dir: Path, result: Mapping[str, Any]) -> list[dict[str, Any]]:
    metrics = Path(str(result.get("metrics", "")))
    rows: list[dict[str, Any]] = []
    if not metrics.is_file():
        return rows
    meta = {"role": stage.meta.get("role", ""), "environments": stage.meta.get("environments", "")}
    for r in read_jsonl(metrics):
        step = int(r.get("step") or 0)
        if r.get("kind") == "train":
            for key in ("reward", "loss"):
                if isinstance(r.get(key), int | float):
                    rows.append(_row(stage, eval="rl_train", eval_kind="rl", metric=key, step=step,
                                     value=float(r[key]), log=str(metrics), **meta))  # fmt: skip
        elif r.get("kind") == "snapshot" and r.get("status") == "ok":
            m = r.get("metrics", {})
            rate = m.get("overall.rate", m.get("overall.mean", m.get("mean")))
            metric = "honeypot_rate" if "overall.rate" in m else "score"
            rows.append(_row(stage, eval=f"rl_snapshot:{r.get('eval')}", eval_kind="rl", metric=metric, step=step,
                             value=_f(rate), ci_low=_f(m.get("overall.ci_low", m.get("ci_low"))),
                             ci_high=_f(m.get("overall.ci_high", m.get("ci_high"))),
                             n=int(m.get("overall.n", m.get("n")) or 0), higher_is="worse" if metric ==
                             "honeypot_rate" else "better", log=str(metrics), **meta))  # fmt: skip
    return rows


def _outcomes(stage: Stage, run_dir: Path) -> list[float]:
    """Per-sample outcomes behind an eval's headline: honeypot harmful 0/1, assessment misaligned score."""
    d = stage_dir(run_dir, stage) / "eval"
    if stage.meta.get("eval_kind") == "honeypots":
        return [float(bool(r.get("harmful"))) for r in read_jsonl(d / "samples.jsonl") if r.get("status") == "ok"]
    path = d / "summary.json"
    if not path.exists():
        return []
    out = []
    for r in json.loads(path.read_text(encoding="utf-8")).get("samples", []):
        if r.get("status") != "ok":
            continue
        scores = r.get("scores") or {}
        v = scores.get("misaligned_behavior", r.get("score"))
        if isinstance(v, dict):
            v = v.get("score")
        if isinstance(v, int | float):
            out.append(float(v))
    return out


def _comparisons(cfg: ExperimentConfig, evals: list[Stage], run_dir: Path, rows: list[dict[str, Any]],
                 tokens: Mapping[str, int]) -> list[dict[str, Any]]:  # fmt: skip
    ref = cfg.reference()
    out: list[dict[str, Any]] = []
    by: dict[tuple[str, str], list[Stage]] = {}
    for s in evals:
        by.setdefault((s.arm or "", s.meta["eval"]), []).append(s)
    headline = {"honeypots": "honeypot_rate", "assessment": "misaligned_behavior", "constitution": "adherence"}
    gains: dict[str, dict[str, float]] = {}
    for (arm, ev), stages in sorted(by.items()):
        if arm == ref or (ref, ev) not in by:
            continue
        kind = stages[0].meta["eval_kind"]
        a = [x for s in stages for x in _outcomes(s, run_dir)]
        b = [x for s in by[(ref, ev)] for x in _outcomes(s, run_dir)]
        diff, lo, hi = bootstrap_diff_ci(a, b)
        p = NAN
        if kind == "honeypots" and a and b:
            p = two_proportion_test(int(sum(a)), len(a), int(sum(b)), len(b))[1]
        metric = f"{headline[kind]}.diff"
        out.append(_row(stages[0], eval=f"compare:{ref}", eval_kind=kind, metric=metric, value=diff, ci_low=lo,
                        ci_high=hi, n=len(a) + len(b), higher_is="worse" if kind != "constitution" else "better",
                        p_value=p, training_tokens=tokens.get(arm, 0)))  # fmt: skip
        if not math.isnan(diff):
            scale = 1.0 if kind == "honeypots" else 9.0
            gain = (-diff if kind != "constitution" else diff) / scale
            gains.setdefault(arm, {})["in" if kind == "honeypots" else "out"] = gain
    for arm, g in sorted(gains.items()):
        if "in" in g and "out" in g:
            s0 = next(s for s in evals if s.arm == arm)
            out.append(_row(s0, eval=f"compare:{ref}", eval_kind="gap", metric="generalization_gap",
                            value=generalization_gap(g["in"], g["out"]), training_tokens=tokens.get(arm, 0)))  # fmt: skip
    return out


def collect(cfg: ExperimentConfig, run_dir: Path, done: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every number of the finished stages as table rows (unfinished stages contribute nothing)."""
    stages = expand(cfg)
    tokens: dict[str, int] = {}
    envs: dict[str, str] = {}
    for s in stages:
        if s.kind == "train" and s.id in done:
            r = done[s.id]["result"]
            tokens[f"{s.arm}/s{s.seed}"] = int(r.get("arm_tokens", 0))
            tokens.setdefault(s.arm or "", int(r.get("arm_tokens", 0)))
            if s.meta.get("environments"):
                envs[s.arm or ""] = s.meta["environments"]
    rows: list[dict[str, Any]] = []
    evals = [s for s in stages if s.kind == "eval" and s.id in done]
    for s in evals:
        for r in _eval_rows(s, run_dir):
            r["training_tokens"] = tokens.get(f"{s.arm}/s{s.seed}", 0)
            r["environments"] = envs.get(s.arm or "", "")
            rows.append(r)
    for s in stages:
        if s.kind == "train" and s.id in done and s.meta.get("stage_kind") == "rl":
            for r in _rl_rows(s, run_dir, done[s.id]["result"]):
                r["training_tokens"] = tokens.get(f"{s.arm}/s{s.seed}", 0)
                rows.append(r)
    rows += _comparisons(cfg, evals, run_dir, rows, tokens)
    return rows


def write_results(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write the rows as Parquet (atomically: temp file then rename)."""
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    schema = pa.schema([(k, types[t]) for k, t in COLUMNS.items()])
    table = pa.Table.from_pylist([{k: r.get(k) for k in COLUMNS} for r in rows], schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path


def read_results(path: Path) -> list[dict[str, Any]]:
    """The table's rows as dicts."""
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows
