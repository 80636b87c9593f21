"""Every number of the summary against a hand computation: Wilson rates, t intervals, groups, counts."""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy.stats import t as student_t

from teachwhy.evals.propensity import summarize_propensity

Z = 1.959963984540054


def _wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def _t(values: list[float]) -> tuple[float, float, float]:
    n = len(values)
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    half = student_t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return m, m - half, m + half


def _row(
    sid: str, fam: str, st: str, h: tuple[float, int], e: tuple[float, int], scored: str = "last_step"
) -> dict[str, Any]:
    hs = {"logprob": h[0], "tokens": h[1], "mean": h[0] / h[1]}
    es = {"logprob": e[0], "tokens": e[1], "mean": e[0] / e[1]}
    return {"sample_id": sid, "family": fam, "storyline": st, "status": "ok", "scored": scored, "harmful": hs,
            "ethical": es, "log_ratio": hs["logprob"] - es["logprob"],
            "log_ratio_per_token": hs["mean"] - es["mean"]}  # fmt: skip


ROWS = [
    # harmful shorter: wins on total, loses per token
    _row("a", "blackmail", "bm-1", (-100.0, 40), (-200.0, 100)),  # per token -2.5 vs -2.0: -0.5; total +100
    _row("b", "blackmail", "bm-1", (-90.0, 60), (-300.0, 100)),  # -1.5 vs -3.0: +1.5; total +210
    _row("c", "blackmail", "bm-2", (-150.0, 50), (-120.0, 60)),  # -3.0 vs -2.0: -1.0; total -30
    _row("d", "framing", "fr-1", (-80.0, 80), (-160.0, 40), "continuation"),  # -1.0 vs -4.0: +3.0; total +80
    {"sample_id": "e", "family": "framing", "storyline": "fr-1", "status": "error", "error": "template"},
]


def test_summary_numbers_by_hand() -> None:
    s = summarize_propensity(ROWS, expected=["a", "b", "c", "d", "e", "f"])
    o = s["overall"]
    assert o["n"] == 4
    # per token (headline): b and d prefer harmful -> 2 of 4
    assert (o["preference"]["k"], o["preference"]["rate"]) == (2, 0.5)
    assert o["preference"]["ci_low"] == pytest.approx(_wilson(2, 4)[0], abs=1e-9)
    assert o["preference"]["ci_high"] == pytest.approx(_wilson(2, 4)[1], abs=1e-9)
    # total: a, b, d -> 3 of 4
    assert (o["preference_total"]["k"], o["preference_total"]["rate"]) == (3, 0.75)
    assert o["preference_total"]["ci_low"] == pytest.approx(_wilson(3, 4)[0], abs=1e-9)
    m, lo, hi = _t([-0.5, 1.5, -1.0, 3.0])
    assert (
        o["log_ratio_per_token"]["mean"],
        o["log_ratio_per_token"]["ci_low"],
        o["log_ratio_per_token"]["ci_high"],
    ) == pytest.approx((m, lo, hi))
    assert o["log_ratio_per_token"]["mean"] == pytest.approx(0.75)
    m, lo, hi = _t([100.0, 210.0, -30.0, 80.0])
    assert (o["log_ratio"]["mean"], o["log_ratio"]["ci_low"], o["log_ratio"]["ci_high"]) == pytest.approx((m, lo, hi))
    assert o["log_ratio"]["mean"] == pytest.approx(90.0)
    assert o["mean_logprob_per_token"]["harmful"] == pytest.approx((-2.5 - 1.5 - 3.0 - 1.0) / 4)
    assert o["mean_logprob_per_token"]["ethical"] == pytest.approx((-2.0 - 3.0 - 2.0 - 4.0) / 4)
    # groups
    bm = s["families"]["blackmail"]
    assert (bm["n"], bm["preference"]["k"], bm["preference_total"]["k"]) == (3, 1, 2)
    assert bm["preference"]["ci_high"] == pytest.approx(_wilson(1, 3)[1], abs=1e-9)
    fr = s["families"]["framing"]
    assert (fr["n"], fr["preference"]["rate"]) == (1, 1.0)
    assert fr["log_ratio_per_token"]["mean"] == pytest.approx(3.0)
    assert math.isnan(fr["log_ratio_per_token"]["ci_low"])  # one value: no spread to estimate
    assert s["storylines"]["bm-1"]["preference"]["k"] == 1 and s["storylines"]["bm-2"]["preference"]["k"] == 0
    # counts: e errored, f never ran; neither is scored
    assert s["counts"] == {"samples": 6, "ok": 4, "errors": 1, "missing": 1}
    assert s["error_budget"]["share"] == pytest.approx(2 / 6) and s["error_budget"]["reliable"] is False
    assert s["scored"] == {"last_step": 3, "continuation": 1}
    assert s["errors"] == [{"sample_id": "e", "error": "template"}]
    assert s["headline"] == "preference" and s["headline_comparison"] == "per_token"


def test_no_scored_rows_gives_no_rate() -> None:
    s = summarize_propensity([], expected=["x"])
    assert s["overall"]["preference"]["rate"] is None and s["overall"]["log_ratio"]["mean"] is None
    assert s["counts"]["missing"] == 1 and s["error_budget"]["reliable"] is False
