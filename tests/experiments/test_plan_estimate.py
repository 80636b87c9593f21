"""``--dry-run`` estimates tokens, API cost and device hours per stage and in total, before anything runs.

The expected numbers are worked out by hand below from the study's config, the workload figures and the throughput
table (each figure used is asserted to still be what the hand computation assumed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teachwhy.cli import app
from teachwhy.experiments import ExperimentConfig, StageEstimate, estimate, load_experiment
from teachwhy.experiments.estimate import throughput_for, workload

REPO = Path(__file__).resolve().parents[2]
STUDY = REPO / "experiments" / "study.yaml"


@pytest.fixture(scope="module")
def cfg() -> ExperimentConfig:
    return load_experiment(STUDY)


@pytest.fixture(scope="module")
def ests(cfg: ExperimentConfig) -> dict[str, StageEstimate]:
    return {e.stage: e for e in estimate(cfg)}


def test_the_figures_the_hand_computation_uses(cfg: ExperimentConfig) -> None:
    entry = throughput_for(cfg.base_model)
    assert entry is not None and entry.match[0].startswith("(?<![0-9.])[78]b")
    assert entry.rates["sft"].tokens_per_s == 8000 and entry.rates["generate"].tokens_per_s == 1500
    assert entry.rates["prefill"].tokens_per_s == 20000
    advice = workload().data["difficult-advice"]
    assert (advice.row_tokens, advice.keep_rate) == (700, 0.95)
    assert [(c.role, c.input, c.output, c.share) for c in advice.calls] == [("teacher", 1500, 800, 1.0)]
    hp = workload().evals["honeypots"]
    assert (hp["turns"], hp["target_input_per_turn"], hp["target_output_per_turn"]) == (3, 2000, 300)
    assert (hp["judge_share"], hp["judge_input"], hp["judge_output"]) == (0.3, 3000, 300)
    assert cfg.prices["anthropic/claude-sonnet-4-5"].input == 3.0
    assert cfg.prices["anthropic/claude-sonnet-4-5"].output == 15.0
    assert cfg.prices["/models/Qwen2.5-7B-Instruct"].train == 0.5


def test_sft_stage_by_hand(ests: dict[str, StageEstimate]) -> None:
    # hp-demos-30M trains one epoch on a 30,000,000-token budget of hp-demos:
    #   trained tokens = 30,000,000; device = 30e6 / 8000 tok/s = 3750 s = 1.041667 h; cost = 30 x $0.50 = $15.00
    e = ests["train/hp-demos-30M/s0/0"]
    assert e.train_tokens == 30_000_000
    assert e.device_hours == pytest.approx(30_000_000 / 8000 / 3600) == pytest.approx(1.041667, abs=1e-6)
    assert e.cost_usd == pytest.approx(15.00)
    assert e.api == {}


def test_data_stage_by_hand(ests: dict[str, StageEstimate]) -> None:
    # difficult-advice, 3,000,000 tokens at 700 tokens a row: 4286 rows; keep rate 0.95 -> 4512 planned items.
    # Teacher (Sonnet, $3 / $15 per M): in 4512 x 1500 = 6,768,000; out 4512 x min(800, max_tokens 768) = 3,465,216
    # cost = 6.768 x 3 + 3.465216 x 15 = 20.304 + 51.97824 = $72.28224; no local work.
    e = ests["data/difficult-advice"]
    assert e.api == {"anthropic/claude-sonnet-4-5": [6_768_000, 3_465_216]}
    assert e.cost_usd == pytest.approx(72.28224)
    assert e.device_hours == 0 and e.train_tokens == 0


def test_eval_stage_by_hand(ests: dict[str, StageEstimate]) -> None:
    from teachwhy.evals.honeypots import HoneypotRun

    assert len(HoneypotRun().scenarios) == 3
    # honeypots on the base model: 100 samples x 3 families = 300; min(max_steps 6, 3 turns) = 3 turns each.
    # Target (local): prefill 300 x 3 x 2000 = 1,800,000; generate 300 x 3 x min(2048, 300) = 270,000
    #   -> 1.8e6 / 20000 + 270000 / 1500 = 90 + 180 = 270 s = 0.075 h.
    # Judge (Sonnet) on 30 %: 90 x 3000 = 270,000 in, 90 x 300 = 27,000 out -> 0.81 + 0.405 = $1.215
    e = ests["eval/honeypots/base/s0/r0"]
    assert e.device == {"prefill": 1_800_000, "generate": 270_000}
    assert e.device_hours == pytest.approx(0.075)
    assert e.api == {"anthropic/claude-sonnet-4-5": [pytest.approx(270_000), pytest.approx(27_000)]}
    assert e.cost_usd == pytest.approx(1.215)


def test_dry_run_prints_an_estimate_per_stage_and_in_total(ests: dict[str, StageEstimate]) -> None:
    res = CliRunner().invoke(app, ["experiment", "run", str(STUDY), "--dry-run"])
    assert res.exit_code == 0, res.output
    part = res.output.split("estimate before anything runs", 1)[1]
    kinds = ("data/", "check/", "train/", "eval/")
    lines = {line.split()[0]: line for line in part.splitlines() if line.strip().startswith(kinds)}
    assert set(lines) == set(ests)  # one line per stage
    assert lines["train/hp-demos-30M/s0/0"].split()[1:] == ["0", "0", "30.00M", "1.04", "15.00"]
    assert lines["data/difficult-advice"].split()[1:] == ["6.77M", "3.47M", "0", "0.00", "72.28"]
    total = next(line for line in part.splitlines() if line.strip().startswith("TOTAL"))
    cost = sum(e.cost_usd for e in ests.values())
    hours = sum(e.device_hours or 0 for e in ests.values())
    assert total.split()[-2:] == [f"{hours:.2f}", f"{cost:.2f}"]
    assert "sft               8000 tok/s  ASSUMED" in part  # the rate's provenance is printed
    assert "total train stages" in part and "total eval stages" in part


def test_measured_rates_say_on_what() -> None:
    embedded = throughput_for("embedded")
    assert embedded is not None and embedded.rates["sft"].measured and "2 idle cores" in embedded.rates["sft"].how
    assert throughput_for("/models/Qwen2.5-7B-Instruct") is throughput_for("meta-llama/Llama-3.1-8B")
    assert throughput_for("Qwen2.5-72B") is None and throughput_for("17b-model") is None


def test_unknown_hardware_leaves_hours_open_and_throughput_overrides(tmp_path: Path) -> None:
    cfg = ExperimentConfig.model_validate({
        "name": "x", "base_model": "/models/Qwen2.5-72B",
        "datasets": [{"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 10}],
        "arms": [{"name": "a", "stages": [{"kind": "sft", "data": [{"dataset": "adv", "tokens": 36000}]}]}]})  # fmt: skip
    e = {x.stage: x for x in estimate(cfg)}["train/a/s0/0"]
    assert e.device_hours is None and any("add `throughput: {sft:" in n for n in e.notes)
    fast = ExperimentConfig.model_validate({**cfg.model_dump(), "throughput": {"sft": 10.0}})
    # 36,000 tokens / 10 tok/s = 3600 s = 1 h
    assert {x.stage: x for x in estimate(fast)}["train/a/s0/0"].device_hours == pytest.approx(1.0)
