"""The one statistics module: every interval and test teachwhy reports comes from here (scipy + statsmodels).

Which tool answers which question (docs/ARCHITECTURE.md, "Statistics", says why):

* a rate of one eval run — :func:`wilson` (score interval; honest at 0/n and n/n);
* the honeypot headline of one run, a mean of family rates — :func:`mean_of_rates`;
* a mean judge score of one run — :func:`mean_ci` (Student t);
* an arm against the reference, *across training seeds* (does the method work?) — :func:`cluster_bootstrap`:
  resample training seeds, then instances within each seed; arms that share seeds and instances are resampled
  together (paired). Never narrower than the independent-samples interval (:func:`newcombe` for rates,
  :func:`welch_diff` for scores, :func:`widen`), because three seeds are too few for a bootstrap to see all the
  variance;
* are the two arms' outcomes on the *same instances* different (these checkpoints, not the method)? —
  :func:`stratified_mcnemar` (exact, stratified by family) for 0/1 outcomes, :func:`wilcoxon_paired` for scores;
* the generalization gap — :func:`generalization_gap` for its value, :func:`cluster_bootstrap` for its interval;
* whether a run is trustworthy at all — :func:`error_budget`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_ERROR_BUDGET",
    "Obs",
    "cluster_bootstrap",
    "cluster_estimate",
    "error_budget",
    "generalization_gap",
    "mcnemar_exact",
    "mean_ci",
    "mean_of_rates",
    "newcombe",
    "newcombe_mean_of_rates",
    "stratified_mcnemar",
    "t_critical",
    "welch_diff",
    "widen",
    "wilcoxon_paired",
    "wilson",
]

LEVEL = 0.95
DEFAULT_ERROR_BUDGET = 0.10
"""Share of an eval run's samples that may be non-ok (error, empty, undecided, incomplete, missing) before the run
is marked unreliable."""

NAN = math.nan


def wilson(k: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval ``(low, high)`` for ``k`` successes out of ``n`` (statsmodels' ``proportion_confint``).

    >>> wilson(0, 0)
    (0.0, 1.0)
    >>> [round(x, 3) for x in wilson(5, 10)]
    [0.237, 0.763]
    >>> [round(x, 3) for x in wilson(0, 10)]
    [0.0, 0.278]
    """
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return (0.0, 1.0)
    if not 0 <= k <= n:
        raise ValueError(f"k must be in [0, n], got k={k}, n={n}")
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return (max(0.0, float(lo)), min(1.0, float(hi)))


def newcombe(k1: int, n1: int, k2: int, n2: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Difference ``k1/n1 - k2/n2`` with Newcombe's hybrid score interval (independent samples); NaNs without data.

    Unlike a percentile bootstrap it has width when both rates are 0/n.

    >>> [round(x, 4) for x in newcombe(0, 30, 0, 30)]
    [0.0, -0.1135, 0.1135]
    >>> [round(x, 4) for x in newcombe(30, 100, 15, 100)]
    [0.15, 0.0341, 0.2615]
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 <= 0 or n2 <= 0:
        return (NAN, NAN, NAN)
    lo, hi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1 - level)
    return (k1 / n1 - k2 / n2, float(lo), float(hi))


def mean_of_rates(cells: Sequence[tuple[int, int]], level: float = LEVEL) -> tuple[float, float, float]:
    """Mean of the rates ``k/n`` of ``cells`` with an interval from their Wilson intervals.

    Each cell's Wilson bounds give its downward and upward deviation; for a mean of ``m`` independent rates these add
    in quadrature and divide by ``m`` (one cell reproduces its own Wilson interval; a 0/n cell still has width).
    Any cell with ``n = 0`` makes the mean undefined: NaNs.

    >>> [round(x, 4) for x in mean_of_rates([(5, 10)])]
    [0.5, 0.2366, 0.7634]
    >>> m, lo, hi = mean_of_rates([(0, 10), (10, 10)]); (m, round(lo, 4), round(hi, 4))
    (0.5, 0.3612, 0.6388)
    """
    if not cells or any(n <= 0 for _, n in cells):
        return (NAN, NAN, NAN)
    rates = [k / n for k, n in cells]
    bounds = [wilson(k, n, level) for k, n in cells]
    m = len(cells)
    mean = sum(rates) / m
    down = math.sqrt(sum((r - lo) ** 2 for r, (lo, _) in zip(rates, bounds, strict=True))) / m
    up = math.sqrt(sum((hi - r) ** 2 for r, (_, hi) in zip(rates, bounds, strict=True))) / m
    return (mean, max(0.0, mean - down), min(1.0, mean + up))


def newcombe_mean_of_rates(
    cells_a: Sequence[tuple[int, int]], cells_b: Sequence[tuple[int, int]], level: float = LEVEL
) -> tuple[float, float, float]:
    """Difference of two means of rates (cell ``i`` of ``a`` against cell ``i`` of ``b``, e.g. per family), with each
    cell's Newcombe deviations combined in quadrature (as :func:`mean_of_rates`); samples treated as independent.

    >>> [round(x, 4) for x in newcombe_mean_of_rates([(30, 100)], [(15, 100)])]
    [0.15, 0.0341, 0.2615]
    """
    if not cells_a or len(cells_a) != len(cells_b):
        return (NAN, NAN, NAN)
    parts = [newcombe(ka, na, kb, nb, level) for (ka, na), (kb, nb) in zip(cells_a, cells_b, strict=True)]
    if any(math.isnan(d) for d, _, _ in parts):
        return (NAN, NAN, NAN)
    m = len(parts)
    diff = sum(d for d, _, _ in parts) / m
    down = math.sqrt(sum((d - lo) ** 2 for d, lo, _ in parts)) / m
    up = math.sqrt(sum((hi - d) ** 2 for d, _, hi in parts)) / m
    return (diff, max(-1.0, diff - down), min(1.0, diff + up))


def t_critical(df: int, level: float = LEVEL) -> float:
    """Two-sided critical value of Student's t with ``df`` degrees of freedom.

    >>> round(t_critical(4), 3), round(t_critical(2), 3)
    (2.776, 4.303)
    """
    from scipy.stats import t

    if df < 1:
        raise ValueError("df must be >= 1")
    return float(t.ppf(0.5 + level / 2, df))


def mean_ci(
    values: Sequence[float], low: float | None = None, high: float | None = None, level: float = LEVEL
) -> tuple[float | None, float | None, float | None]:
    """Mean and Student-t interval, clipped to ``[low, high]`` when given; ``(None, None, None)`` for no values.

    One value has no spread to estimate: its interval is the whole range (or NaN bounds without a range).

    >>> mean_ci([])
    (None, None, None)
    >>> mean_ci([4.0], 1, 10)
    (4.0, 1, 10)
    >>> m, lo, hi = mean_ci([2.0, 4.0, 6.0], 1, 10); (m, lo, round(hi, 2))
    (4.0, 1, 8.97)
    """
    n = len(values)
    if n == 0:
        return (None, None, None)
    mean = float(sum(values) / n)
    if n == 1:
        return (mean, low if low is not None else NAN, high if high is not None else NAN)
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_critical(n - 1, level) * math.sqrt(var / n)
    lo, hi = mean - half, mean + half
    return (mean, lo if low is None else max(low, lo), hi if high is None else min(high, hi))


def welch_diff(a: Sequence[float], b: Sequence[float], level: float = LEVEL) -> tuple[float, float, float]:
    """``mean(a) - mean(b)`` with Welch's t interval (independent samples, unequal variances); NaNs when either side
    has fewer than two values.

    >>> [round(x, 3) for x in welch_diff([1.0, 2.0, 3.0], [1.0, 1.0, 2.0])]
    [0.667, -1.382, 2.715]
    """
    from scipy.stats import ttest_ind

    if len(a) < 2 or len(b) < 2:
        return (NAN, NAN, NAN)
    diff = float(np.mean(a) - np.mean(b))
    if np.var(a) == 0 and np.var(b) == 0:
        return (diff, diff, diff)
    with warnings.catch_warnings():  # one side without spread: scipy warns of precision loss in its variance
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = ttest_ind(a, b, equal_var=False).confidence_interval(confidence_level=level)
    return (diff, float(ci.low), float(ci.high))


def widen(interval: tuple[float, float], floor: tuple[float, float]) -> tuple[float, float]:
    """The smallest interval containing both (a NaN ``floor`` leaves ``interval`` as it is).

    >>> widen((0.1, 0.2), (0.05, 0.15))
    (0.05, 0.2)
    """
    lo, hi = interval
    flo, fhi = floor
    return (lo if math.isnan(flo) else min(lo, flo), hi if math.isnan(fhi) else max(hi, fhi))


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts ``b`` (only the first arm positive) and ``c``
    (only the second) — statsmodels' ``mcnemar(exact=True)``.

    >>> round(mcnemar_exact(9, 3), 4)
    0.146
    >>> mcnemar_exact(0, 0)
    1.0
    """
    from statsmodels.stats.contingency_tables import mcnemar

    if b + c == 0:
        return 1.0
    return float(mcnemar([[0, b], [c, 0]], exact=True).pvalue)


def stratified_mcnemar(strata: Mapping[str, Sequence[tuple[bool, bool]]], *, mc_draws: int = 200_000,
                       seed: int = 0) -> tuple[float, float]:  # fmt: skip
    """Exact paired test that two arms differ, on pairs ``(outcome of arm a, outcome of arm b)`` of the same instance,
    stratified: the statistic is the mean over strata of the within-stratum difference of rates,
    ``T = mean_s (b_s - c_s) / n_s`` (the headline's own definition: every family weighs the same). Under the null
    each discordant pair is equally likely either way round, so ``T``'s exact distribution is a convolution of
    scaled binomials; returns ``(T, two-sided p)``. With one stratum (or equal ``n_s``) it is exactly McNemar's test.
    Strata without pairs are left out. Beyond two million support points the p-value is a seeded Monte Carlo estimate.

    >>> t, p = stratified_mcnemar({"x": [(True, False)] * 9 + [(False, True)] * 3 + [(False, False)] * 8})
    >>> round(t, 2), round(p, 4)
    (0.3, 0.146)
    """
    scaled: list[tuple[int, float]] = []  # (discordant pairs, weight 1/(n_s * m))
    used = [(len(pairs), pairs) for pairs in strata.values() if pairs]
    if not used:
        return (NAN, 1.0)
    m = len(used)
    t_obs = 0.0
    for n, pairs in used:
        b = sum(1 for x, y in pairs if x and not y)
        c = sum(1 for x, y in pairs if y and not x)
        t_obs += (b - c) / n / m
        if b + c:
            scaled.append((b + c, 1.0 / (n * m)))
    if not scaled:
        return (t_obs, 1.0)
    from scipy.stats import binom

    tol = 1e-12
    size = math.prod(d + 1 for d, _ in scaled)
    if size <= 2_000_000:
        values = np.zeros(1)
        probs = np.ones(1)
        for d, w in scaled:
            x = np.arange(d + 1)
            v = w * (2 * x - d)
            p = binom.pmf(x, d, 0.5)
            values = np.add.outer(values, v).ravel()
            probs = np.multiply.outer(probs, p).ravel()
        pval = float(probs[np.abs(values) >= abs(t_obs) - tol].sum())
    else:
        rng = np.random.default_rng(seed)
        total = np.zeros(mc_draws)
        for d, w in scaled:
            total += w * (2 * rng.binomial(d, 0.5, mc_draws) - d)
        pval = float((np.abs(total) >= abs(t_obs) - tol).mean())
    return (t_obs, min(1.0, pval))


def wilcoxon_paired(pairs: Sequence[tuple[float, float]]) -> float:
    """Two-sided Wilcoxon signed-rank p-value for paired scores (scipy; zero differences dropped). Up to 13 non-zero
    differences the p-value is exact (every sign flip enumerated, ties included); beyond, scipy's default method.
    1.0 when every pair is tied, NaN without pairs.

    >>> wilcoxon_paired([(5, 1), (6, 1), (7, 1), (8, 1), (9, 1), (10, 1)])
    0.03125
    >>> wilcoxon_paired([(3, 6), (3, 6), (3, 4), (3, 4)])
    0.125
    """
    from scipy.stats import PermutationMethod, wilcoxon

    if not pairs:
        return NAN
    d = [a - b for a, b in pairs if a != b]
    if not d:
        return 1.0
    method: Any = PermutationMethod(n_resamples=2**13) if len(d) <= 13 else "auto"
    return float(wilcoxon(d, zero_method="wilcox", method=method).pvalue)


@dataclass(frozen=True)
class Obs:
    """One outcome: one instance, evaluated on the model one training seed produced."""

    cluster: str
    """Unit of replication: the training seed (arms trained from the same seed share it)."""
    unit: str
    """The instance (eval repeat + sample id): arms evaluated on the same instances share it (paired)."""
    value: float
    """Outcome: 0/1 (harmful) or a score."""
    stratum: str = ""
    """Stratum every cluster's estimate weighs equally (the honeypot family); one stratum: a plain mean."""


def _tree(obs: Sequence[Obs]) -> dict[str, dict[str, dict[str, float]]]:
    tree: dict[str, dict[str, dict[str, float]]] = {}
    for o in obs:
        tree.setdefault(o.cluster, {}).setdefault(o.stratum, {})[o.unit] = o.value
    return tree


def cluster_estimate(obs: Sequence[Obs]) -> float:
    """The estimate every arm-level number uses: mean over clusters (training seeds) of the mean over strata
    (families) of the mean outcome. NaN without observations.

    >>> cluster_estimate([Obs("s0", "a", 1.0, "f"), Obs("s0", "b", 0.0, "f"), Obs("s0", "c", 0.0, "g"),
    ...                   Obs("s1", "a", 1.0, "f"), Obs("s1", "c", 1.0, "g")])
    0.625
    """
    tree = _tree(obs)
    if not tree:
        return NAN
    per = [float(np.mean([np.mean(list(u.values())) for u in strata.values()])) for strata in tree.values()]
    return float(np.mean(per))


def cluster_bootstrap(
    groups: Mapping[str, Sequence[Obs]],
    statistic: Callable[[Mapping[str, float]], float],
    *,
    n_boot: int = 2000,
    level: float = LEVEL,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Two-stage (cluster) bootstrap of ``statistic`` over the :func:`cluster_estimate` of each group; returns
    ``(estimate, low, high)`` with a percentile interval.

    Each replicate draws clusters (training seeds) with replacement, then, for every drawn cluster, the units within
    each stratum with replacement (a fresh draw for every time a cluster is drawn). Groups with the same set of
    clusters share the cluster draw (arms paired by seed: an intervention continues the organism of the same seed),
    and groups with the same units in a (cluster, stratum) share the unit draw (arms paired by instance), so shared
    variation cancels in a difference. Groups with different clusters are resampled independently. Seeded:
    reproducible. Any empty group gives NaNs.

    >>> a = [Obs("s0", "x", 1.0), Obs("s0", "y", 1.0), Obs("s1", "x", 0.0), Obs("s1", "y", 0.0)]
    >>> est, lo, hi = cluster_bootstrap({"a": a}, lambda e: e["a"])
    >>> est, lo, hi
    (0.5, 0.0, 1.0)
    """
    trees = {g: _tree(o) for g, o in groups.items()}
    if not trees or any(not t for t in trees.values()):
        return (NAN, NAN, NAN)
    estimate = float(statistic({g: cluster_estimate(o) for g, o in groups.items()}))
    rng = np.random.default_rng(seed)
    cluster_draws: dict[tuple[str, ...], np.ndarray] = {}  # cluster set -> (n_boot, C) indices
    unit_draws: dict[tuple[Any, ...], np.ndarray] = {}  # (position, cluster, stratum, units) -> (n_boot, m)
    est: dict[str, np.ndarray] = {}
    for g, tree in trees.items():
        clusters = tuple(sorted(tree))
        c = len(clusters)
        if clusters not in cluster_draws:
            cluster_draws[clusters] = rng.integers(0, c, size=(n_boot, c))
        draw = cluster_draws[clusters]
        # per[j, i, b]: estimate of cluster i when drawn at position j, replicate b
        per = np.empty((c, c, n_boot))
        for j in range(c):
            for i, cl in enumerate(clusters):
                strata_means = []
                for stratum, units in sorted(tree[cl].items()):
                    ids = tuple(sorted(units))
                    key = (j, cl, stratum, ids)
                    if key not in unit_draws:
                        unit_draws[key] = rng.integers(0, len(ids), size=(n_boot, len(ids)))
                    vals = np.array([units[u] for u in ids])
                    strata_means.append(vals[unit_draws[key]].mean(axis=1))
                per[j, i] = np.mean(strata_means, axis=0)
        cols = np.arange(n_boot)
        est[g] = np.mean([per[j, draw[:, j], cols] for j in range(c)], axis=0)
    stats = np.array([statistic({g: float(est[g][b]) for g in trees}) for b in range(n_boot)])
    tail = (1 - level) / 2
    lo, hi = np.quantile(stats, [tail, 1 - tail], method="inverted_cdf")
    return (estimate, float(lo), float(hi))


def generalization_gap(in_dist_gain: float, held_out_gain: float) -> float:
    """In-distribution gain minus held-out gain, both improvements on a 0-1 scale.

    A large positive gap is the study's warning sign: training that fixes the eval it resembles (the honeypot rate
    falls) without improving behaviour far from it. Gains are "reference minus arm" for lower-is-better metrics
    (a honeypot rate falling from 0.22 to 0.03 gains 0.19; a 1-10 misaligned score falling from 4 to 3 gains 1/9)
    and "arm minus reference" for higher-is-better ones (adherence), scores divided by 9.

    >>> round(generalization_gap(0.19, 0.0), 2)
    0.19
    >>> round(generalization_gap(0.19, 0.25), 2)
    -0.06
    """
    return in_dist_gain - held_out_gain


def error_budget(counts: Mapping[str, int], expected: int, budget: float = DEFAULT_ERROR_BUDGET) -> dict[str, Any]:
    """The error budget block of a run: ``counts`` of non-ok samples by kind (error, empty, undecided, incomplete,
    missing) against ``expected`` samples; ``reliable`` is false when their share exceeds ``budget``.

    >>> error_budget({"errors": 3, "empty": 0, "missing": 0}, 10)
    {'budget': 0.1, 'expected': 10, 'non_ok': 3, 'share': 0.3, 'reliable': False, 'counts': {'errors': 3, 'empty': 0, 'missing': 0}}
    >>> error_budget({"errors": 1}, 10)["reliable"]
    True
    """
    if not 0 <= budget <= 1:
        raise ValueError(f"error budget must be in [0, 1], got {budget}")
    non_ok = int(sum(counts.values()))
    share = non_ok / expected if expected > 0 else 1.0
    return {"budget": budget, "expected": expected, "non_ok": non_ok, "share": round(share, 6),
            "reliable": expected > 0 and share <= budget + 1e-12, "counts": dict(counts)}  # fmt: skip
