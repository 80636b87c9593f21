"""Cost ledger: tokens each model role consumed in each stage, and what they cost under the config's price table.

Inference tokens come from Inspect's usage records (``stats.role_usage`` and ``stats.model_usage`` of every
``.eval`` log a stage wrote: input, output, cached input); training tokens from the trainer's ``tokens_seen``
(meta.json). Prices are dollars per million tokens, keyed by model spec or prefix (``anthropic/``); a model
missing from the table costs 0 and is listed under ``unpriced``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from teachwhy.experiments.config import ExperimentConfig, Price
from teachwhy.experiments.plan import expand
from teachwhy.experiments.runner import stage_dir

__all__ = ["LEDGER_COLUMNS", "build_ledger", "price_for", "usage_from_log"]

LEDGER_COLUMNS = ("stage", "kind", "arm", "role", "model", "input_tokens", "output_tokens", "cached_tokens",
                  "train_tokens", "cost_usd", "log")  # fmt: skip


def price_for(prices: Mapping[str, Price], model: str) -> Price | None:
    """The price of ``model``: an exact key, else the longest key that is a prefix of it (``anthropic/``).

    >>> p = {"anthropic/": Price(input=3.0), "anthropic/claude-haiku-4-5": Price(input=1.0)}
    >>> price_for(p, "anthropic/claude-haiku-4-5").input, price_for(p, "anthropic/claude-sonnet-4-5").input
    (1.0, 3.0)
    >>> price_for(p, "embedded") is None
    True
    """
    if model in prices:
        return prices[model]
    keys = [k for k in prices if model.startswith(k)]
    return prices[max(keys, key=len)] if keys else None


def usage_from_log(path: Path) -> list[dict[str, Any]]:
    """Per role (or per model where no role is recorded): input, output and cached input tokens of one log."""
    from inspect_ai.log import read_eval_log

    log = read_eval_log(str(path), header_only=True)
    stats = log.stats
    rows: list[dict[str, Any]] = []
    role_usage = dict(getattr(stats, "role_usage", None) or {})
    roles = {name: str(getattr(cfg, "model", "")) for name, cfg in (log.eval.model_roles or {}).items()}
    if role_usage:
        for role, u in role_usage.items():
            rows.append(_usage_row(role, roles.get(role, log.eval.model if role == "target" else role), u))
    else:
        for model, u in (stats.model_usage or {}).items():
            role = next((r for r, m in roles.items() if m == model), "target" if model == log.eval.model else "other")
            rows.append(_usage_row(role, model, u))
    return rows


def _usage_row(role: str, model: str, u: Any) -> dict[str, Any]:
    cached = int(getattr(u, "input_tokens_cache_read", 0) or 0)
    return {"role": role, "model": model, "input_tokens": max(0, int(u.input_tokens or 0) - cached),
            "output_tokens": int(u.output_tokens or 0), "cached_tokens": cached}  # fmt: skip


def _cost(p: Price | None, r: Mapping[str, Any]) -> float:
    if p is None:
        return 0.0
    return float(r["input_tokens"] * p.input + r["output_tokens"] * p.output + r["cached_tokens"] * p.cached
            + r["train_tokens"] * p.train) / 1e6  # fmt: skip


def build_ledger(cfg: ExperimentConfig, run_dir: Path, done: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``{rows, by_arm, by_stage_kind, total_usd, unpriced, unreadable, unreadable_count}`` over every finished
    stage; ``unreadable`` lists each ``.eval`` log that could not be read (``{stage, log, error}``): its tokens are
    not counted, and the report says so."""
    rows: list[dict[str, Any]] = []
    unpriced: set[str] = set()
    unreadable: list[dict[str, str]] = []
    for s in expand(cfg):
        if s.id not in done:
            continue
        d = stage_dir(run_dir, s)
        found: list[dict[str, Any]] = []
        for log in sorted(d.rglob("*.eval")):
            try:
                for u in usage_from_log(log):
                    found.append({**u, "log": str(log), "train_tokens": 0})
            except Exception as exc:  # not worth failing the report for, but counted and shown
                unreadable.append({"stage": s.id, "log": str(log), "error": f"{type(exc).__name__}: {exc}"[:300]})
        if s.kind == "train":
            model = str(s.spec.get("init") if s.spec.get("init") != "model_of_dep" else cfg.base_model)
            found.append({"role": "target (training)", "model": cfg.base_model or model, "input_tokens": 0,
                          "output_tokens": 0, "cached_tokens": 0, "log": "",
                          "train_tokens": int(done[s.id]["result"].get("tokens_seen", 0))})  # fmt: skip
        for r in found:
            p = price_for(cfg.prices, r["model"])
            if p is None:
                unpriced.add(r["model"])
            rows.append({"stage": s.id, "kind": s.kind, "arm": s.arm or "", **r, "cost_usd": _cost(p, r)})
    by_arm: dict[str, dict[str, float]] = {}
    by_kind: dict[str, dict[str, float]] = {}
    for r in rows:
        for key, table in ((r["arm"] or "(datasets)", by_arm), (r["kind"], by_kind)):
            t = table.setdefault(key, {"tokens": 0.0, "train_tokens": 0.0, "cost_usd": 0.0})
            t["tokens"] += r["input_tokens"] + r["output_tokens"] + r["cached_tokens"]
            t["train_tokens"] += r["train_tokens"]
            t["cost_usd"] += r["cost_usd"]
    return {"rows": rows, "by_arm": by_arm, "by_stage_kind": by_kind,
            "total_usd": sum(r["cost_usd"] for r in rows), "unpriced": sorted(unpriced),
            "unreadable": unreadable, "unreadable_count": len(unreadable)}  # fmt: skip
