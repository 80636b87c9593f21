"""The ledger's price lookup and cost, its count of unreadable logs, and the doctests of the modules it feeds."""

from __future__ import annotations

import doctest
import math
from pathlib import Path

import teachwhy.experiments.ledger as ledger
import teachwhy.report._demo as demo_report
import teachwhy.report._figures as figures
from teachwhy.experiments import ExperimentConfig, expand, stage_dir
from teachwhy.experiments.config import Price

from ._fake import run_fake


def test_doctests() -> None:
    for mod in (ledger, figures, demo_report):
        result = doctest.testmod(mod)
        assert result.attempted > 0 and result.failed == 0


def test_price_lookup_and_cost() -> None:
    prices = {"anthropic/": Price(input=3, output=15, cached=0.3)}
    p = ledger.price_for(prices, "anthropic/claude-sonnet-4-5")
    assert p is not None
    row = {"input_tokens": 1_000_000, "output_tokens": 100_000, "cached_tokens": 1_000_000, "train_tokens": 0}
    assert math.isclose(ledger._cost(p, row), 3 + 1.5 + 0.3)


def test_unreadable_logs_are_counted_not_skipped(tmp_path: Path) -> None:
    cfg = ExperimentConfig.model_validate({
        "name": "ledger", "out": str(tmp_path),
        "datasets": [{"name": "harm", "kind": "honeypot-demos", "scripted": "harmful", "n": 2}],
        "arms": [{"name": "organism", "role": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "harm"}]}]}],
        "evals": [{"name": "honeypots", "kind": "honeypots"}],
    })  # fmt: skip
    done = run_fake(cfg, tmp_path)
    stage = next(s for s in expand(cfg) if s.kind == "eval")
    bad = stage_dir(tmp_path, stage) / "eval" / "logs" / "broken.eval"
    bad.write_bytes(b"not a zip archive")
    out = ledger.build_ledger(cfg, tmp_path, done)
    assert out["unreadable_count"] == 1
    assert out["unreadable"][0]["stage"] == stage.id and out["unreadable"][0]["log"] == str(bad)
    assert out["unreadable"][0]["error"]
