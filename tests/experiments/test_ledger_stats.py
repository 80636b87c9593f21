"""Statistics with known values, and the ledger's price lookup."""

from __future__ import annotations

import doctest
import math

import teachwhy.experiments.ledger as ledger
import teachwhy.report._figures as figures
import teachwhy.stats as stats
from teachwhy.experiments.config import Price
from teachwhy.stats import bootstrap_diff_ci, generalization_gap, two_proportion_test, wilson


def test_doctests() -> None:
    for mod in (stats, ledger, figures):
        assert doctest.testmod(mod).failed == 0


def test_two_proportion_known_values() -> None:
    # 22% vs 15% with 100 samples each (the study's first data intervention): not significant
    z, p = two_proportion_test(22, 100, 15, 100)
    assert round(z, 3) == 1.275 and round(p, 3) == 0.202  # pooled z; scipy.stats.norm.sf agrees
    # 22% vs 3% with 400 each: significant
    assert two_proportion_test(88, 400, 12, 400)[1] < 1e-10
    z, p = two_proportion_test(15, 100, 22, 100)
    assert z < 0 and round(p, 3) == 0.202


def test_bootstrap_is_seeded_and_covers() -> None:
    a, b = [1.0] * 22 + [0.0] * 78, [1.0] * 15 + [0.0] * 85
    assert bootstrap_diff_ci(a, b) == bootstrap_diff_ci(a, b)
    d, lo, hi = bootstrap_diff_ci(a, b)
    assert math.isclose(d, 0.07) and lo < 0 < hi
    assert all(math.isnan(x) for x in bootstrap_diff_ci([], b))


def test_generalization_gap_and_wilson_unchanged() -> None:
    assert generalization_gap(0.19, 0.19) == 0
    assert [round(x, 3) for x in wilson(5, 10)] == [0.237, 0.763]


def test_price_lookup_and_cost() -> None:
    prices = {"anthropic/": Price(input=3, output=15, cached=0.3)}
    p = ledger.price_for(prices, "anthropic/claude-sonnet-4-5")
    assert p is not None
    row = {"input_tokens": 1_000_000, "output_tokens": 100_000, "cached_tokens": 1_000_000, "train_tokens": 0}
    assert math.isclose(ledger._cost(p, row), 3 + 1.5 + 0.3)
