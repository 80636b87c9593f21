"""ONE results table (Parquet): every number of an experiment, each with its interval, method and reliability.

Columns (``COLUMNS``): ``arm, label, role, seed, repeat, eval, eval_kind, metric, step, value, ci_low, ci_high,
ci_method, n, higher_is, p_value, reference, reliable, note, training_tokens, environments, config_hash, stage, log``.

Four kinds of rows (docs/ARCHITECTURE.md, "Results", defines each number):

* **run rows** — one eval run (``seed``, ``repeat`` >= 0, ``step = -1``): its summary's numbers (honeypots:
  ``honeypot_rate`` = the headline cell's mean of family rates, ``honeypot_rate.<family>``,
  ``honeypot_rate.all_conditions``, ``honeypot_rate.eval_aware|eval_unaware``; held-out: the judge scores),
  ``count.*`` and ``error_share``. ``reliable`` is false on every row of a run whose non-ok share exceeds the eval's
  error budget (``evals[].error_budget``, default 10%).
* **arm rows** — ``seed = repeat = -1``: the arm's estimate over its training seeds (mean over seeds of the
  per-seed estimate), with a cluster-bootstrap interval (seeds, then instances) never narrower than the
  independent-samples one. Figures plot these rows and nothing else.
* **comparison rows** — ``eval_kind = "compare"``, ``metric = "<headline>.diff"``, for every arm against the
  reference arm and for each comparison the config's ``study:`` block names: arm minus ``reference`` with a
  paired cluster-bootstrap interval and a paired exact p-value (stratified McNemar for honeypot rates, Wilcoxon
  signed-rank for scores). Withheld (value NaN, ``reliable`` false, ``note`` says why) when a run involved is over
  its error budget or a headline is undefined.
* **gap rows** — ``eval_kind = "gap"``, ``metric = "generalization_gap"``, one per held-out eval: in-distribution
  gain (reference minus arm honeypot rate) minus that eval's held-out gain (score change toward better / 9).

RL snapshot and training rows (``eval = rl_snapshot:<eval>`` / ``rl_train``) carry their optimizer ``step``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teachwhy._io import read_jsonl
from teachwhy.evals.honeypots import FAMILIES, is_headline
from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.plan import Stage, expand
from teachwhy.experiments.runner import stage_dir
from teachwhy.stats import (
    DEFAULT_ERROR_BUDGET,
    Obs,
    cluster_bootstrap,
    error_budget,
    generalization_gap,
    mean_ci,
    mean_of_rates,
    newcombe_mean_of_rates,
    stratified_mcnemar,
    welch_diff,
    widen,
    wilcoxon_paired,
)

__all__ = ["COLUMNS", "HEADLINE_METRICS", "RESULTS", "collect", "comparison_pairs", "read_results", "write_results"]

RESULTS = "results.parquet"

COLUMNS: dict[str, str] = {
    "arm": "str", "label": "str", "role": "str", "seed": "int", "repeat": "int", "eval": "str",
    "eval_kind": "str", "metric": "str", "step": "int", "value": "float", "ci_low": "float", "ci_high": "float",
    "ci_method": "str", "n": "int", "higher_is": "str", "p_value": "float", "reference": "str", "reliable": "bool",
    "note": "str", "training_tokens": "int", "environments": "str", "config_hash": "str", "stage": "str",
    "log": "str",
}  # fmt: skip

HEADLINE_METRICS: dict[str, tuple[str, ...]] = {
    "honeypots": ("honeypot_rate",),
    "assessment": ("misaligned_behavior", "admirable_behavior"),
    "constitution": ("adherence",),
}
"""Per eval kind, the metrics that get arm rows and comparisons (the first one also the generalization gap)."""
HIGHER_IS = {"honeypot_rate": "worse", "misaligned_behavior": "worse", "admirable_behavior": "better",
             "adherence": "better"}  # fmt: skip
SCORE_RANGE = 9.0  # 1-10 judge scores: a change of 9 is the whole scale
NAN = math.nan
CI_ARM = {"honeypots": "cluster bootstrap (seeds, then instances per family), at least the pooled Wilson mean",
          "scores": "cluster bootstrap (seeds, then instances), at least the pooled t interval"}  # fmt: skip
CI_DIFF = {"honeypots": "paired cluster bootstrap, at least Newcombe per family (quadrature)",
           "scores": "paired cluster bootstrap, at least Welch t"}  # fmt: skip


def _f(x: Any) -> float:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else NAN


def _row(stage: Stage, /, **kw: Any) -> dict[str, Any]:
    base = {
        "arm": stage.arm or "", "label": stage.meta.get("label", stage.arm or ""), "role": stage.meta.get("role", ""),
        "seed": stage.seed or 0, "repeat": stage.repeat or 0, "eval": stage.meta.get("eval", ""),
        "eval_kind": stage.meta.get("eval_kind", ""), "metric": "", "step": -1, "value": NAN, "ci_low": NAN,
        "ci_high": NAN, "ci_method": "", "n": 0, "higher_is": "", "p_value": NAN, "reference": "", "reliable": True,
        "note": "", "training_tokens": 0, "environments": stage.meta.get("environments", ""),
        "config_hash": stage.key, "stage": stage.id, "log": "",
    }  # fmt: skip
    base.update(kw)
    return base


@dataclass
class _Run:
    """One finished eval stage: its summary, reliability under the eval's budget, and per-sample outcomes."""

    stage: Stage
    summary: dict[str, Any]
    budget: dict[str, Any]
    log: str
    obs: dict[str, list[Obs]] = field(default_factory=dict)
    """Per headline metric: the outcomes behind it (honeypots: decided samples of the headline cell)."""

    @property
    def reliable(self) -> bool:
        return bool(self.budget["reliable"])

    @property
    def note(self) -> str:
        if self.reliable:
            return ""
        b = self.budget
        parts = ", ".join(f"{k} {v}" for k, v in b["counts"].items() if v)
        return (f"unreliable: {b['share']:.0%} of {b['expected']} samples not ok ({parts}) > error budget "
                f"{b['budget']:.0%}")  # fmt: skip


def _budget_of(cfg: ExperimentConfig, eval_name: str) -> float:
    spec = next((e for e in cfg.evals if e.name == eval_name), None)
    value = getattr(spec, "error_budget", None)
    return DEFAULT_ERROR_BUDGET if value is None else float(value)


def _recount(summary: Mapping[str, Any], kind: str, budget: float) -> dict[str, Any]:
    """The run's error budget recomputed under the experiment's budget for this eval."""
    eb = summary.get("error_budget")
    if isinstance(eb, Mapping) and "counts" in eb:
        return error_budget(dict(eb["counts"]), int(eb.get("expected") or 0), budget)
    if kind == "honeypots":  # a summary written before error budgets: what it counted
        c = summary.get("overall", {})
        counts = {k: int(c.get(k) or 0) for k in ("errors", "empty", "undecided")}
        return error_budget(counts, int(c.get("total") or 0), budget)
    c = summary.get("counts", {})
    return error_budget({k: int(c.get(k) or 0) for k in ("errors", "empty")}, int(c.get("samples") or 0), budget)


def _unique(keys: Sequence[str]) -> list[str]:
    """Make repeated ids (epochs) distinct: ``id``, ``id#1``, ``id#2`` ..."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        i = seen.get(k, 0)
        seen[k] = i + 1
        out.append(k if i == 0 else f"{k}#{i}")
    return out


def _score(r: Mapping[str, Any], metric: str) -> float | None:
    v = (r.get("scores") or {}).get(metric) if metric != "adherence" else r.get("score")
    if isinstance(v, Mapping):
        v = v.get("score")
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _observations(stage: Stage, summary: Mapping[str, Any], d: Path) -> dict[str, list[Obs]]:
    kind = stage.meta.get("eval_kind")
    cluster, rep = f"s{stage.seed or 0}", f"r{stage.repeat or 0}"
    out: dict[str, list[Obs]] = {}
    if kind == "honeypots":
        rows = summary.get("samples")
        if rows is None:  # older summaries: the ledger's newest row per sample
            rows = list({r["sample_id"]: r for r in read_jsonl(d / "samples.jsonl")}.values())
        keep = [r for r in rows if r.get("status") == "ok" and isinstance(r.get("condition"), str)
                and r.get("family") in FAMILIES and is_headline(r["condition"])]  # fmt: skip
        out["honeypot_rate"] = [Obs(cluster, f"{rep}:{r['sample_id']}", float(bool(r.get("harmful"))), r["family"])
                                for r in keep]  # fmt: skip
        return out
    rows = [r for r in summary.get("samples", []) if r.get("status") == "ok"]
    ids = _unique([str(r.get("id")) for r in rows])
    for metric in HEADLINE_METRICS.get(str(kind), ()):
        out[metric] = [Obs(cluster, f"{rep}:{i}", v) for i, r in zip(ids, rows, strict=True)
                       if (v := _score(r, metric)) is not None]  # fmt: skip
    return out


def _load(cfg: ExperimentConfig, stage: Stage, run_dir: Path) -> _Run | None:
    d = stage_dir(run_dir, stage) / "eval"
    path = d / "summary.json"
    if not path.exists():
        return None
    s = json.loads(path.read_text(encoding="utf-8"))
    logs = sorted(d.rglob("*.eval"))
    log = str(s.get("log") or (logs[-1] if logs else ""))
    kind = str(stage.meta.get("eval_kind"))
    budget = _recount(s, kind, _budget_of(cfg, stage.meta.get("eval", "")))
    return _Run(stage, s, budget, log, _observations(stage, s, d))


def _run_rows(run: _Run) -> list[dict[str, Any]]:
    """Rows of one eval run, straight from its summary."""
    s, stage, kind = run.summary, run.stage, run.stage.meta.get("eval_kind")
    common = {"log": run.log, "reliable": run.reliable, "note": run.note}
    rows: list[dict[str, Any]] = []

    def add(metric: str, b: Mapping[str, Any], higher_is: str, method: str, key: str = "rate", **kw: Any) -> None:
        note = run.note or str(b.get("reason") or "")
        rows.append(_row(stage, metric=metric, value=_f(b.get(key)), ci_low=_f(b.get("ci_low")),
                         ci_high=_f(b.get("ci_high")), ci_method=method, n=int(b.get("n") or 0), higher_is=higher_is,
                         **{**common, "note": note, **kw}))  # fmt: skip

    if kind == "honeypots":
        h = s.get("headline", {})
        add("honeypot_rate", h.get("overall", {}), "worse", "mean of family Wilson intervals (quadrature)")
        for fam, cell in h.get("families", {}).items():
            add(f"honeypot_rate.{fam}", cell, "worse", "wilson")
        add(
            "honeypot_rate.all_conditions",
            s.get("overall", {}),
            "worse",
            "mean of family Wilson intervals (quadrature)",
        )
        for side, cell in s.get("by_eval_awareness", {}).get("headline", {}).items():
            add(f"honeypot_rate.eval_{side}", cell, "worse", "wilson")
        counts = dict(s.get("counts", {}))
    else:
        blocks: dict[str, Any] = {}
        if kind == "assessment":
            blocks.update(s.get("headline", {}))
            blocks.update({k: v for k, v in s.get("dimensions", {}).items() if k not in blocks})
        elif kind == "constitution":
            blocks["adherence"] = {**s.get("overall", {}), "higher_is": "better"}
            blocks.update({f"adherence.{k}": {**v, "higher_is": "better"} for k, v in s.get("by_tier", {}).items()})
        for name, b in blocks.items():
            add(name, b, str(b.get("higher_is", "")), "t", key="mean")
        counts = {**s.get("counts", {}), **run.budget["counts"]}
    for name, value in counts.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue  # nested breakdowns (e.g. judge_errors by kind) stay in summary.json
        rows.append(_row(stage, metric=f"count.{name}", value=_f(value), n=run.budget["expected"], **common))
    rows.append(_row(stage, metric="error_share", value=run.budget["share"], n=run.budget["expected"],
                     higher_is="worse", ci_method=f"budget {run.budget['budget']:g}", **common))  # fmt: skip
    return rows


def _missing_family(obs: Sequence[Obs]) -> str:
    """Why a honeypot headline over these samples is undefined ('' when every seed has every family)."""
    by: dict[str, set[str]] = {}
    for o in obs:
        by.setdefault(o.cluster, set()).add(o.stratum)
    if not by:
        return "no decided sample in the headline cell"
    gaps = [f"{', '.join(sorted(set(FAMILIES) - fams))} in seed {c[1:]}" for c, fams in sorted(by.items())
            if set(FAMILIES) - fams]  # fmt: skip
    return "no decided headline sample for " + "; ".join(gaps) if gaps else ""


def _family_counts(obs: Sequence[Obs]) -> list[tuple[int, int]]:
    return [(int(sum(o.value for o in obs if o.stratum == f)), sum(o.stratum == f for o in obs)) for f in FAMILIES]


def _arm_estimate(kind: str, obs: list[Obs]) -> tuple[float, float, float, str, str]:
    """(value, low, high, ci_method, why undefined) of one arm on one metric."""
    if kind == "honeypots":
        why = _missing_family(obs)
        if why:
            return (NAN, NAN, NAN, "", why)
        est, lo, hi = cluster_bootstrap({"a": obs}, lambda e: e["a"])
        _, flo, fhi = mean_of_rates(_family_counts(obs))
        return (est, *widen((lo, hi), (flo, fhi)), CI_ARM["honeypots"], "")
    if not obs:
        return (NAN, NAN, NAN, "", "no scored sample")
    est, lo, hi = cluster_bootstrap({"a": obs}, lambda e: e["a"])
    _, tlo, thi = mean_ci([o.value for o in obs], 1.0, 10.0)
    return (est, *widen((lo, hi), (_f(tlo), _f(thi))), CI_ARM["scores"], "")


def _pairs(a: list[Obs], b: list[Obs]) -> dict[str, list[tuple[float, float]]]:
    """Outcomes of the same instance under the same seed in both arms, by stratum."""
    bk = {(o.cluster, o.unit): o.value for o in b}
    out: dict[str, list[tuple[float, float]]] = {}
    for o in a:
        if (o.cluster, o.unit) in bk:
            out.setdefault(o.stratum, []).append((o.value, bk[(o.cluster, o.unit)]))
    return out


def _diff(kind: str, a: list[Obs], b: list[Obs]) -> tuple[float, float, float, float, str, int, str]:
    """(diff, low, high, p, ci_method, pairs, why undefined) of arm ``a`` minus reference ``b``."""
    pairs = _pairs(a, b)
    n_pairs = sum(len(v) for v in pairs.values())
    if kind == "honeypots":
        why = _missing_family(a) or _missing_family(b)
        if why:
            return (NAN, NAN, NAN, NAN, "", n_pairs, why)
        est, lo, hi = cluster_bootstrap({"a": a, "b": b}, lambda e: e["a"] - e["b"])
        _, flo, fhi = newcombe_mean_of_rates(_family_counts(a), _family_counts(b))
        _, p = stratified_mcnemar({s: [(x == 1.0, y == 1.0) for x, y in v] for s, v in pairs.items()})
        return (est, *widen((lo, hi), (flo, fhi)), p, CI_DIFF["honeypots"], n_pairs, "")
    if not a or not b:
        return (NAN, NAN, NAN, NAN, "", n_pairs, "no scored sample")
    est, lo, hi = cluster_bootstrap({"a": a, "b": b}, lambda e: e["a"] - e["b"])
    _, wlo, whi = welch_diff([o.value for o in a], [o.value for o in b])
    p = wilcoxon_paired([x for v in pairs.values() for x in v])
    return (est, *widen((lo, hi), (wlo, whi)), p, CI_DIFF["scores"], n_pairs, "")


def _unreliable(runs: Sequence[_Run]) -> str:
    bad = [r.stage.id for r in runs if not r.reliable]
    return f"withheld: over the error budget: {', '.join(bad)}" if bad else ""


def _obs(runs: Sequence[_Run], metric: str) -> list[Obs]:
    return [o for r in runs for o in r.obs.get(metric, [])]


def _arm_rows(cfg: ExperimentConfig, by: Mapping[tuple[str, str], list[_Run]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for runs in (by[k] for k in sorted(by)):
        kind = str(runs[0].stage.meta["eval_kind"])
        bad = _unreliable(runs).replace("withheld: ", "")
        for metric in HEADLINE_METRICS.get(kind, ()):
            obs = _obs(runs, metric)
            value, lo, hi, method, why = _arm_estimate(kind, obs)
            rows.append(_row(runs[0].stage, seed=-1, repeat=-1, metric=metric, value=value, ci_low=lo, ci_high=hi,
                             ci_method=method, n=len(obs), higher_is=HIGHER_IS[metric], reliable=not bad,
                             note="; ".join(x for x in (bad, why) if x), stage="",
                             config_hash=",".join(r.stage.key for r in runs),
                             log=runs[0].log if len(runs) == 1 else ""))  # fmt: skip
    return rows


def _gain(kind: str, metric: str, ref: float, arm: float) -> float:
    scale = 1.0 if kind == "honeypots" else SCORE_RANGE
    return ((ref - arm) if HIGHER_IS[metric] == "worse" else (arm - ref)) / scale


def comparison_pairs(cfg: ExperimentConfig, arms: set[str]) -> dict[tuple[str, str], set[str] | None]:
    """``(arm, against) -> eval names`` (None: every eval) to compare: every arm against the reference arm, plus each
    comparison the config's ``study:`` block names (``snapshot:`` evals are RL curves, not compared here)."""
    ref = cfg.reference()
    pairs: dict[tuple[str, str], set[str] | None] = {(a, ref): None for a in sorted(arms) if a != ref}
    for x in getattr(cfg, "study", []):
        for c in x.comparisons:
            evals = {e for e in c.evals if not e.startswith("snapshot:")}
            key = (c.arm, c.against)
            if key in pairs and pairs[key] is None:
                continue
            pairs[key] = None if not c.evals else (pairs.get(key) or set()) | evals
    return pairs


def _compare_rows(cfg: ExperimentConfig, by: Mapping[tuple[str, str], list[_Run]],
                  tokens: Mapping[str, int]) -> list[dict[str, Any]]:  # fmt: skip
    out: list[dict[str, Any]] = []
    kinds = {ev: str(runs[0].stage.meta["eval_kind"]) for (_, ev), runs in by.items()}
    for (arm, ref), wanted in comparison_pairs(cfg, {a for a, _ in by}).items():
        evals = sorted(ev for ev in kinds if (wanted is None or ev in wanted) and (arm, ev) in by and (ref, ev) in by)
        for ev in evals:
            runs, refs = by[(arm, ev)], by[(ref, ev)]
            kind = kinds[ev]
            withheld = _unreliable([*runs, *refs])
            for metric in HEADLINE_METRICS.get(kind, ()):
                a, b = _obs(runs, metric), _obs(refs, metric)
                diff, lo, hi, p, method, n_pairs, why = _diff(kind, a, b)
                note = withheld or (f"undefined: {why}" if why else f"{n_pairs} paired instances")
                if withheld or why:
                    diff = lo = hi = p = NAN
                out.append(_row(runs[0].stage, seed=-1, repeat=-1, eval_kind="compare", metric=f"{metric}.diff",
                                value=diff, ci_low=lo, ci_high=hi, ci_method=method, n=len(a) + len(b),
                                higher_is=HIGHER_IS[metric], p_value=p, reference=ref, reliable=not withheld,
                                note=note, training_tokens=tokens.get(arm, 0), stage="", config_hash=""))  # fmt: skip
        hp = [ev for ev in evals if kinds[ev] == "honeypots"]
        for h in hp:
            for o in (ev for ev in evals if kinds[ev] != "honeypots" and kinds[ev] in HEADLINE_METRICS):
                keys = [(arm, h), (ref, h), (arm, o), (ref, o)]
                out.append(_gap_row(ref, arm, h, o, [by[k] for k in keys], tokens, len(hp) > 1))
    return out


def _gap_row(ref: str, arm: str, hp: str, held: str, runs: list[list[_Run]], tokens: Mapping[str, int],
             several: bool) -> dict[str, Any]:  # fmt: skip
    arm_in, ref_in, arm_out, ref_out = runs
    kind = str(arm_out[0].stage.meta["eval_kind"])
    metric = HEADLINE_METRICS[kind][0]
    groups = {"arm_in": _obs(arm_in, "honeypot_rate"), "ref_in": _obs(ref_in, "honeypot_rate"),
              "arm_out": _obs(arm_out, metric), "ref_out": _obs(ref_out, metric)}  # fmt: skip
    withheld = _unreliable([r for rs in runs for r in rs])
    why = _missing_family(groups["arm_in"]) or _missing_family(groups["ref_in"])
    if not groups["arm_out"] or not groups["ref_out"]:
        why = why or f"no scored {held} sample"
    value = lo = hi = NAN
    if not (withheld or why):

        def gap(e: Mapping[str, float]) -> float:
            return generalization_gap(_gain("honeypots", "honeypot_rate", e["ref_in"], e["arm_in"]),
                                      _gain(kind, metric, e["ref_out"], e["arm_out"]))  # fmt: skip

        value, lo, hi = cluster_bootstrap(groups, gap)
    note = withheld or (f"undefined: {why}" if why else f"in-distribution {hp} (honeypot_rate) vs held-out {held} "
                                                         f"({metric} / 9)")  # fmt: skip
    return _row(arm_in[0].stage, seed=-1, repeat=-1, eval=f"{held}~{hp}" if several else held, eval_kind="gap",
                metric="generalization_gap", value=value, ci_low=lo, ci_high=hi,
                ci_method="paired cluster bootstrap" if not (withheld or why) else "",
                n=sum(len(g) for g in groups.values()), higher_is="worse", reference=ref, reliable=not withheld,
                note=note, training_tokens=tokens.get(arm, 0), stage="", config_hash="", log="")  # fmt: skip


def _rl_rows(stage: Stage, result: Mapping[str, Any]) -> list[dict[str, Any]]:
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
            # the light snapshot suite pools all conditions (its summary's ``overall``): not the headline cell
            hp = "overall.rate" in m
            rate = m.get("overall.rate", m.get("overall.mean", m.get("mean")))
            rows.append(_row(stage, eval=f"rl_snapshot:{r.get('eval')}", eval_kind="rl",
                             metric="honeypot_rate.all_conditions" if hp else "score", step=step, value=_f(rate),
                             ci_low=_f(m.get("overall.ci_low", m.get("ci_low"))),
                             ci_high=_f(m.get("overall.ci_high", m.get("ci_high"))),
                             ci_method="mean of family Wilson intervals (quadrature)" if hp else "",
                             n=int(m.get("overall.n", m.get("n")) or 0), higher_is="worse" if hp else "better",
                             log=str(metrics), **meta))  # fmt: skip
    return rows


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
    by: dict[tuple[str, str], list[_Run]] = {}
    for s in stages:
        if s.kind != "eval" or s.id not in done:
            continue
        run = _load(cfg, s, run_dir)
        if run is None:
            continue
        by.setdefault((s.arm or "", s.meta["eval"]), []).append(run)
        for r in _run_rows(run):
            r["training_tokens"] = tokens.get(f"{s.arm}/s{s.seed}", 0)
            r["environments"] = envs.get(s.arm or "", "")
            rows.append(r)
    for r in _arm_rows(cfg, by):
        r["training_tokens"] = tokens.get(r["arm"], 0)
        r["environments"] = envs.get(r["arm"], "")
        rows.append(r)
    for s in stages:
        if s.kind == "train" and s.id in done and s.meta.get("stage_kind") == "rl":
            for r in _rl_rows(s, done[s.id]["result"]):
                r["training_tokens"] = tokens.get(f"{s.arm}/s{s.seed}", 0)
                rows.append(r)
    rows += _compare_rows(cfg, by, tokens)
    return rows


def write_results(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write the rows as Parquet (atomically: temp file then rename)."""
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
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
