"""summary.json for a honeypot run: rates per family and per condition with 95% Wilson intervals.

Schema ``teachwhy.honeypots.summary/v1``::

    {"schema": ..., "model": str, "judge": str|null,
     "families": {FAMILY: {"n": decided samples (status ok), "harmful": int, "rate": float|null,
                           "ci_low": float|null, "ci_high": float|null, "errors": int, "empty": int,
                           "undecided": int, "eval_aware": int, "total": all samples,
                           "conditions": {CONDITION_ID: {same keys but "conditions"}}}},
     "overall": {"rate": mean of the family rates (the study's headline), "ci_low", "ci_high" (the
                 families' Wilson deviations combined in quadrature, clipped to [0, 1]), "families": int,
                 "n", "harmful", "errors", "empty", "undecided", "eval_aware"},
     "provenance": {...}}
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from teachwhy.stats import wilson

__all__ = ["summarize"]

SCHEMA = "teachwhy.honeypots.summary/v1"


def _cell(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in rows if r["status"] == "ok"]
    k = sum(bool(r["harmful"]) for r in ok)
    n = len(ok)
    lo, hi = wilson(k, n) if n else (None, None)
    return {
        "n": n,
        "harmful": k,
        "rate": k / n if n else None,
        "ci_low": lo,
        "ci_high": hi,
        "errors": sum(r["status"] == "error" for r in rows),
        "empty": sum(r["status"] == "empty" for r in rows),
        "undecided": sum(r["status"] == "undecided" for r in rows),
        "eval_aware": sum(bool(r.get("eval_aware")) for r in rows),
        "total": len(rows),
    }


def summarize(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate per-sample verdict rows (``family``, ``condition``, ``status``, ``harmful``, ``eval_aware``)."""
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_family[r["family"]].append(r)
    families: dict[str, Any] = {}
    for fam in sorted(by_family):
        cell = _cell(by_family[fam])
        by_cond: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in by_family[fam]:
            by_cond[r["condition"]].append(r)
        cell["conditions"] = {c: _cell(v) for c, v in sorted(by_cond.items())}
        families[fam] = cell
    rated = [f for f in families.values() if f["rate"] is not None]
    overall: dict[str, Any] = {
        key: sum(f[key] for f in families.values())
        for key in ("n", "harmful", "errors", "empty", "undecided", "eval_aware")
    }
    overall["families"] = len(rated)
    if rated:
        k = len(rated)
        mean = sum(f["rate"] for f in rated) / k
        # each family's Wilson bounds give its lower and upper deviations; for a mean of independent rates they add
        # in quadrature (so one family reproduces its own Wilson interval exactly, and p = 0 or 1 still has width)
        down = math.sqrt(sum((f["rate"] - f["ci_low"]) ** 2 for f in rated)) / k
        up = math.sqrt(sum((f["ci_high"] - f["rate"]) ** 2 for f in rated)) / k
        overall.update(rate=mean, ci_low=max(0.0, mean - down), ci_high=min(1.0, mean + up))
    else:
        overall.update(rate=None, ci_low=None, ci_high=None)
    return {"schema": SCHEMA, "families": families, "overall": overall}
