"""Aggregates of 1-10 judge scores for the held-out evals, and the tail every held-out summary.json shares.

The statistics themselves live in :mod:`teachwhy.stats` (the one statistics module); this module only shapes them
into summary blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from teachwhy.stats import DEFAULT_ERROR_BUDGET, error_budget, t_critical
from teachwhy.stats import mean_ci as _mean_ci

__all__ = ["describe", "expected_samples", "mean_ci", "run_record", "t_critical"]


def mean_ci(
    values: Sequence[float], low: float = 1.0, high: float = 10.0
) -> tuple[float | None, float | None, float | None]:
    """Mean and 95% Student-t interval of judge scores, clipped to the score range; ``(None, None, None)`` for none.

    One value gives the whole range as its interval (nothing is known about the spread).

    >>> mean_ci([])
    (None, None, None)
    >>> mean_ci([4.0])
    (4.0, 1.0, 10.0)
    >>> m, lo, hi = mean_ci([2.0, 4.0, 6.0]); (m, round(lo, 2), round(hi, 2))
    (4.0, 1.0, 8.97)
    """
    return _mean_ci(values, low, high)


def describe(values: Sequence[float], **extra: Any) -> dict[str, Any]:
    """The summary block for one quantity: ``{n, mean, ci_low, ci_high, ci: "95% t"}`` plus ``extra``."""
    mean, lo, hi = mean_ci(values)

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {**extra, "n": len(values), "mean": r(mean), "ci_low": r(lo), "ci_high": r(hi), "ci": "95% t"}


def expected_samples(log: Any, seen: int) -> int:
    """How many samples the run was asked for: the log's selected sample ids times epochs (at least ``seen``)."""
    ev = getattr(log, "eval", None)
    ds = getattr(ev, "dataset", None)
    ids = getattr(ds, "sample_ids", None)
    n = len(ids) if ids else int(getattr(ds, "samples", 0) or 0)
    epochs = int(getattr(getattr(ev, "config", None), "epochs", None) or 1)
    return max(seen, n * epochs)


def run_record(rows: list[dict[str, Any]], log: Any, config: dict[str, Any]) -> dict[str, Any]:
    """The tail every held-out summary.json shares: per-sample rows, the non-ok ones listed as errors, the error
    budget (errors, empties and samples missing from the log against ``config["error_budget"]``, default 10%),
    the inspect log's location and status, and provenance."""
    from teachwhy._provenance import provenance

    expected = expected_samples(log, len(rows))
    counts = {
        "errors": sum(r["status"] == "error" for r in rows),
        "empty": sum(r["status"] == "empty" for r in rows),
        "missing": expected - len(rows),
    }
    budget = config.get("error_budget")
    return {
        "samples": rows,
        "errors": [{"id": r["id"], "status": r["status"], "error": r["error"]} for r in rows if r["status"] != "ok"],
        "error_budget": error_budget(counts, expected, DEFAULT_ERROR_BUDGET if budget is None else float(budget)),
        "log": log.location,
        "inspect_status": log.status,
        "provenance": provenance(config),
    }
