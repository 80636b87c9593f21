"""teachwhy.stats against values worked out by hand (formulas written out here, binomial sums counted by hand)."""

from __future__ import annotations

import doctest
import math

import pytest

import teachwhy.stats as stats
from teachwhy.stats import (
    Obs,
    cluster_bootstrap,
    cluster_estimate,
    error_budget,
    mcnemar_exact,
    mean_ci,
    mean_of_rates,
    newcombe,
    stratified_mcnemar,
    welch_diff,
    wilcoxon_paired,
    wilson,
)

Z = 1.959963984540054


def test_doctests() -> None:
    assert doctest.testmod(stats).failed == 0


def test_wilson_matches_the_formula() -> None:
    for k, n in ((22, 100), (0, 10), (10, 10), (3, 7)):
        p = k / n
        centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
        half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
        assert wilson(k, n) == pytest.approx((max(0, centre - half), min(1, centre + half)))
    assert [round(x, 3) for x in wilson(22, 100)] == [0.150, 0.311]
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_newcombe_has_width_at_zero_and_matches_the_formula() -> None:
    d, lo, hi = newcombe(0, 30, 0, 30)
    assert d == 0 and lo < -0.1 and hi > 0.1  # a percentile bootstrap would say (0, 0)
    (l1, u1), (l2, u2) = wilson(22, 100), wilson(15, 100)
    d, lo, hi = newcombe(22, 100, 15, 100)
    assert d == pytest.approx(0.07)
    assert lo == pytest.approx(0.07 - math.sqrt((0.22 - l1) ** 2 + (u2 - 0.15) ** 2))
    assert hi == pytest.approx(0.07 + math.sqrt((u1 - 0.22) ** 2 + (0.15 - l2) ** 2))
    assert all(math.isnan(x) for x in newcombe(1, 0, 1, 3))


def test_mean_of_rates_and_t_interval() -> None:
    m, lo, hi = mean_of_rates([(1, 2), (0, 2), (2, 2)])
    assert m == 0.5
    devs = [(0.5, wilson(1, 2)), (0.0, wilson(0, 2)), (1.0, wilson(2, 2))]
    assert lo == pytest.approx(0.5 - math.sqrt(sum((p - c[0]) ** 2 for p, c in devs)) / 3)
    assert hi == pytest.approx(0.5 + math.sqrt(sum((c[1] - p) ** 2 for p, c in devs)) / 3)
    assert all(math.isnan(x) for x in mean_of_rates([(1, 2), (0, 0)]))  # an empty family: undefined
    # [2, 4, 6]: mean 4, sd 2, t(2) = 4.303 -> 4 +- 4.303 * 2 / sqrt(3)
    m, lo, hi = mean_ci([2.0, 4.0, 6.0])
    assert (m, lo, hi) == pytest.approx((4.0, 4 - 4.302653 * 2 / math.sqrt(3), 4 + 4.302653 * 2 / math.sqrt(3)))
    assert mean_ci([2.0, 4.0, 6.0], 1, 10)[1] == 1  # clipped to the score range


def test_welch() -> None:
    d, lo, hi = welch_diff([3.0] * 4, [6.0, 6.0, 4.0, 4.0])
    half = 3.182446305284263 * math.sqrt((4 / 3) / 4)  # one side without spread: df = n - 1 = 3
    assert (d, lo, hi) == pytest.approx((-2.0, -2 - half, -2 + half))


def test_stratified_mcnemar() -> None:
    # one stratum: exactly McNemar's exact test (b = 9, c = 3 -> 2 * P(Bin(12, 1/2) <= 3) = 2 * 299 / 4096)
    pairs = [(True, False)] * 9 + [(False, True)] * 3 + [(True, True)] * 5 + [(False, False)] * 3
    t, p = stratified_mcnemar({"f": pairs})
    assert p == pytest.approx(2 * 299 / 4096) and p == pytest.approx(mcnemar_exact(9, 3))
    assert t == pytest.approx((9 - 3) / 20)
    # unequal strata: f has 1 discordant pair (a only) among 2 pairs, g has 1 (a only) among 4.
    # T = (1/2 + 1/4) / 2 = 3/8; the four sign patterns give T = +-3/8, +-1/8: only 2 of 4 reach |T| >= 3/8
    t, p = stratified_mcnemar({"f": [(True, False), (False, False)],
                               "g": [(True, False), (True, True), (False, False), (False, False)]})  # fmt: skip
    assert t == pytest.approx(3 / 8) and p == pytest.approx(0.5)
    assert stratified_mcnemar({"f": [(True, True), (False, False)]}) == (0.0, 1.0)  # no discordant pair
    assert stratified_mcnemar({})[1] == 1.0


def test_wilcoxon_exact_with_ties() -> None:
    assert wilcoxon_paired([(3, 6), (3, 6), (3, 4), (3, 4)]) == pytest.approx(2 / 16)
    assert wilcoxon_paired([(1, 1), (2, 2)]) == 1.0
    assert math.isnan(wilcoxon_paired([]))


def _seeded(values: dict[str, list[float]], stratum: str = "") -> list[Obs]:
    return [Obs(c, f"u{i}", v, stratum) for c, vs in values.items() for i, v in enumerate(vs)]


def test_cluster_estimate_weighs_seeds_and_families_equally() -> None:
    obs = _seeded({"s0": [1, 1, 1, 1]}, "f") + _seeded({"s0": [0, 0]}, "g") + _seeded({"s1": [0]}, "f") + _seeded(
        {"s1": [1, 0]}, "g")  # fmt: skip
    # s0: (1 + 0) / 2 = 0.5; s1: (0 + 0.5) / 2 = 0.25 -> 0.375 (a pooled mean would say 6/9)
    assert cluster_estimate(obs) == 0.375


def test_cluster_bootstrap_two_seeds_by_hand() -> None:
    # every unit of a seed equal: a replicate is one seed's value (prob 1/2) or the mean (1/2)
    obs = _seeded({"s0": [0.9, 0.9, 0.9], "s1": [0.1, 0.1, 0.1]})
    est, lo, hi = cluster_bootstrap({"a": obs}, lambda e: e["a"])
    assert (est, lo, hi) == pytest.approx((0.5, 0.1, 0.9))
    assert cluster_bootstrap({"a": obs}, lambda e: e["a"]) == (est, lo, hi)  # seeded


def test_paired_resampling_cancels_shared_seed_effects() -> None:
    # both arms follow the same seed effect (s0 high, s1 low) and the arm is always 0.2 lower on the same units:
    # resampled together, the difference never moves; resampled apart, each arm is 0, the mean or the high seed
    # (1/4, 1/2, 1/4), so the difference reaches 0.0 - 0.8 and 0.6 - 0.2 with probability 1/16 each (> 2.5%)
    a = _seeded({"s0": [0.6, 0.6], "s1": [0.0, 0.0]})
    b = _seeded({"s0": [0.8, 0.8], "s1": [0.2, 0.2]})
    assert cluster_bootstrap({"a": a, "b": b}, lambda e: e["a"] - e["b"]) == pytest.approx((-0.2, -0.2, -0.2))
    b_other_seeds = [Obs("t" + o.cluster, o.unit, o.value) for o in b]  # same data, seeds not shared
    d, lo, hi = cluster_bootstrap({"a": a, "b": b_other_seeds}, lambda e: e["a"] - e["b"])
    assert d == pytest.approx(-0.2) and lo == pytest.approx(-0.8) and hi == pytest.approx(0.4)


def test_cluster_bootstrap_resamples_units_within_strata() -> None:
    # one seed, family f all harmful, family g none: every replicate keeps both families -> always 0.5
    obs = _seeded({"s0": [1, 1, 1]}, "f") + _seeded({"s0": [0, 0, 0]}, "g")
    assert cluster_bootstrap({"a": obs}, lambda e: e["a"]) == (0.5, 0.5, 0.5)
    assert all(math.isnan(x) for x in cluster_bootstrap({"a": []}, lambda e: e["a"]))


def test_error_budget() -> None:
    b = error_budget({"errors": 3, "empty": 1, "undecided": 0, "incomplete": 1, "missing": 1}, 20)
    assert (b["non_ok"], b["share"], b["reliable"]) == (6, 0.3, False)
    assert error_budget({"errors": 2}, 20)["reliable"] is True  # exactly the 10% budget: still reliable
    assert error_budget({"errors": 3}, 20, budget=0.15)["reliable"] is True
    assert error_budget({}, 0)["reliable"] is False  # nothing came back
    with pytest.raises(ValueError):
        error_budget({}, 10, budget=1.5)
