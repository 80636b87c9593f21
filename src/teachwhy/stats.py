"""Statistics researchers can defend: Wilson intervals for rates, two-proportion tests, bootstrap intervals of a
difference, and the generalization gap (in-distribution gain against held-out gain)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

__all__ = ["wilson", "two_proportion_test", "bootstrap_diff_ci", "generalization_gap"]


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Return the Wilson score interval (low, high) for ``k`` successes out of ``n`` (95% by default).

    >>> wilson(0, 0)
    (0.0, 1.0)
    >>> [round(x, 3) for x in wilson(5, 10)]
    [0.237, 0.763]
    """
    if n <= 0:
        return (0.0, 1.0)
    if not 0 <= k <= n:
        raise ValueError(f"k must be in [0, n], got k={k}, n={n}")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def two_proportion_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """Two-sided pooled z-test that rates ``k1/n1`` and ``k2/n2`` differ; returns ``(z, p_value)``.

    ``z`` is positive when the first rate is higher. With no data or no variance (both 0% or both 100%)
    ``(0.0, 1.0)``.

    >>> z, p = two_proportion_test(30, 100, 15, 100)
    >>> round(z, 3), round(p, 4)
    (2.54, 0.0111)
    >>> two_proportion_test(0, 10, 0, 10)
    (0.0, 1.0)
    """
    if n1 <= 0 or n2 <= 0:
        return (0.0, 1.0)
    if not (0 <= k1 <= n1 and 0 <= k2 <= n2):
        raise ValueError(f"need 0 <= k <= n, got {k1}/{n1} and {k2}/{n2}")
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return (0.0, 1.0)
    z = (k1 / n1 - k2 / n2) / se
    return (z, math.erfc(abs(z) / math.sqrt(2)))


def bootstrap_diff_ci(
    a: Sequence[float], b: Sequence[float], *, n_boot: int = 2000, level: float = 0.95, seed: int = 0
) -> tuple[float, float, float]:
    """Difference of means ``mean(a) - mean(b)`` with a percentile bootstrap interval; returns ``(diff, low, high)``.

    Each resample draws ``len(a)`` from ``a`` and ``len(b)`` from ``b`` with replacement (seeded: reproducible).
    Works for 0/1 outcomes (a difference of rates) and for scores. Empty input gives NaNs.

    >>> bootstrap_diff_ci([1, 1, 1, 1], [0, 0, 0, 0])
    (1.0, 1.0, 1.0)
    >>> d, lo, hi = bootstrap_diff_ci([1] * 30 + [0] * 70, [1] * 15 + [0] * 85)
    >>> round(d, 2), lo < 0.15 < hi, lo > 0
    (0.15, True, True)
    """
    if not a or not b:
        return (math.nan, math.nan, math.nan)
    rng = random.Random(seed)
    diff = sum(a) / len(a) - sum(b) / len(b)
    stats = []
    for _ in range(n_boot):
        ma = sum(rng.choices(a, k=len(a))) / len(a)
        mb = sum(rng.choices(b, k=len(b))) / len(b)
        stats.append(ma - mb)
    stats.sort()
    tail = (1 - level) / 2
    lo = stats[max(0, math.floor(tail * n_boot))]
    hi = stats[min(n_boot - 1, math.ceil((1 - tail) * n_boot) - 1)]
    return (diff, lo, hi)


def generalization_gap(in_dist_gain: float, held_out_gain: float) -> float:
    """In-distribution gain minus held-out gain, both as improvements on a 0-1 scale.

    A large positive gap is the study's warning sign: training that fixes the eval it resembles (honeypot rate
    falls) without improving behaviour far from it (the held-out assessment). Gains are ``reference - arm`` for
    "lower is better" metrics, e.g. a honeypot rate falling from 0.22 to 0.03 is a gain of 0.19; a 1-10
    assessment score falling from 4 to 3 is a gain of 1/9.

    >>> round(generalization_gap(0.19, 0.0), 2)
    0.19
    >>> round(generalization_gap(0.19, 0.25), 2)
    -0.06
    """
    return in_dist_gain - held_out_gain
