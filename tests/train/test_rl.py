"""GRPO on the embedded model (CPU, ~a minute): format rewards with variance move the policy the way they
reward;
eval snapshots run during training and land in the metrics log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teachwhy.cli import app

from .conftest import loglik

pytestmark = pytest.mark.slow

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "train" / "cpu_smoke_rl.yaml"
PROMPTS = CONFIG.parent / "data" / "smoke_rl_prompts.yaml"
SNAPSHOT_CALLS: list[dict[str, Any]] = []


def snap_eval(model: str, *, out_dir: Path, limit: int | None) -> dict[str, float]:
    """A stand-in eval: records that it was called on a loadable policy directory."""
    SNAPSHOT_CALLS.append({"model": model, "limit": limit})
    assert (Path(model) / "adapter_config.json").is_file() and (Path(model) / "meta.json").is_file()
    return {"score": 1.0}


def test_grpo_rewards_short_clean_answers(tmp_path: Path, embedded_dir: Path) -> None:
    out = tmp_path / "rl"
    probe = [{"role": "user", "content": "Reply with only yes or no: is ice cold?"}]
    # the rewards penalize long, cut-off answers: a rambling answer must become less likely
    rambling = "The answer to this question is yes. Ice is cold because it is frozen water, and frozen water"
    before = loglik(embedded_dir, probe, rambling)
    r = CliRunner().invoke(
        app,
        [
            "train",
            "rl",
            "--config",
            str(CONFIG),
            "--out",
            str(out),
            "--set",
            f"prompts.path={PROMPTS}",
            "--set",
            "train.seed=1",
            "--set",
            f"snapshots={{every_steps: 2, at_end: true, limit: 1, evals: [{__name__}:snap_eval, honeypotz]}}",
        ],  # fmt: skip
    )
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    train = [x for x in rows if x["kind"] == "train" and "reward" in x]
    assert len(train) == 3 and any(x["reward_std"] > 0 for x in train), train
    assert train[-1]["reward"] > train[0]["reward"], train
    assert train[-1]["completions/mean_length"] < train[0]["completions/mean_length"], train
    after = loglik(out, probe, rambling)
    assert after < before - 0.2, (before, after)

    snaps = [x for x in rows if x["kind"] == "snapshot"]
    assert [(x["step"], x["status"]) for x in snaps] == [
        (2, "ok"),
        (2, "unavailable"),
        (3, "ok"),
        (3, "unavailable"),
    ]
    assert len(SNAPSHOT_CALLS) == 2 and snaps[0]["metrics"] == {"score": 1.0}
    meta = json.loads((out / "meta.json").read_text())
    assert meta["kind"] == "rl" and meta["reward"]["terms"] == ["clean_end", "brevity"]
    assert meta["datacards"][0]["environments"] == {"plain": 8} and meta["tokens_seen"] > 0
