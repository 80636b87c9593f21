"""Aggregates with confidence intervals for 1-10 judge scores (Student-t interval on the mean)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["mean_ci", "t_critical", "describe"]

# two-sided 95% Student-t critical values, df = 1..30
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def t_critical(df: int) -> float:
    """Two-sided 95% critical value of Student's t with ``df`` degrees of freedom.

    >>> t_critical(1), t_critical(10)
    (12.706, 2.228)
    >>> round(t_critical(100), 3)
    1.984
    """
    if df < 1:
        raise ValueError("df must be >= 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975  # Cornish-Fisher expansion: accurate to ~1e-3 beyond df 30
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean_ci(
    values: Sequence[float], low: float = 1.0, high: float = 10.0
) -> tuple[float | None, float | None, float | None]:
    """Mean and 95% t-interval, clipped to the score range; (None, None, None) for no values.

    One value gives the whole range as its interval (nothing is known about the spread).

    >>> mean_ci([])
    (None, None, None)
    >>> mean_ci([4.0])
    (4.0, 1.0, 10.0)
    >>> m, lo, hi = mean_ci([2.0, 4.0, 6.0]); (m, round(lo, 2), round(hi, 2))
    (4.0, 1.0, 8.97)
    """
    n = len(values)
    if n == 0:
        return (None, None, None)
    mean = sum(values) / n
    if n == 1:
        return (mean, low, high)
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_critical(n - 1) * math.sqrt(var / n)
    return (mean, max(low, mean - half), min(high, mean + half))


def describe(values: Sequence[float], **extra: Any) -> dict[str, Any]:
    """The summary block for one quantity: ``{n, mean, ci_low, ci_high, ci: "95% t"}`` plus ``extra``."""
    mean, lo, hi = mean_ci(values)

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {**extra, "n": len(values), "mean": r(mean), "ci_low": r(lo), "ci_high": r(hi), "ci": "95% t"}


def run_record(rows: list[dict[str, Any]], log: Any, config: dict[str, Any]) -> dict[str, Any]:
    """The tail every held-out summary.json shares: per-sample rows, the non-ok ones listed as errors, the inspect
    log's location and status, and provenance."""
    from teachwhy._provenance import provenance

    return {
        "samples": rows,
        "errors": [{"id": r["id"], "status": r["status"], "error": r["error"]} for r in rows if r["status"] != "ok"],
        "log": log.location,
        "inspect_status": log.status,
        "provenance": provenance(config),
    }
