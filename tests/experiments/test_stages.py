"""The real stage runner builds valid configs for the other stages' public APIs (their runs are stubbed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from teachwhy.experiments import expand, load_experiment
from teachwhy.experiments.stages import run_stage

REPO = Path(__file__).resolve().parents[2]


def test_train_and_eval_stages_of_the_demo_build_valid_configs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import teachwhy.evals.honeypots as hp_run
    import teachwhy.evals.propensity as propensity
    import teachwhy.train as train

    seen: dict[str, Any] = {}

    def fake_sft(cfg: Any) -> dict[str, Any]:
        seen.setdefault("sft", []).append(cfg)
        return {"tokens_seen": 1234, "global_step": 2}

    def fake_hp(cfg: Any, display: Any = None) -> dict[str, Any]:
        seen["hp"] = cfg
        return {}

    def fake_prop(cfg: Any, progress: Any = None) -> dict[str, Any]:
        seen["prop"] = cfg
        return {}

    monkeypatch.setattr(train, "run_sft", fake_sft)
    monkeypatch.setattr(hp_run, "run_honeypots", fake_hp)
    monkeypatch.setattr(propensity, "run_propensity", fake_prop)
    cfg = load_experiment(REPO / "experiments" / "demo.yaml", {"out": str(tmp_path)})
    stages = {s.id: s for s in expand(cfg)}
    data = {"path": str(tmp_path / "d.jsonl"), "tokens": 10}
    org = run_stage(stages["train/organism/s0/0"], tmp_path / "o", {"data/organism-harmful": data})
    assert org["model"] == str(tmp_path / "o" / "model") and org["arm_tokens"] == 1234
    sft = seen["sft"][0]
    raw = yaml.safe_load((REPO / "experiments" / "demo.yaml").read_text())
    org_settings = raw["arms"][0]["stages"][0]["settings"]
    hp_settings = next(e for e in raw["evals"] if e["name"] == "honeypots")["settings"]
    assert sft.model == "embedded"
    assert sft.train.learning_rate == org_settings["train.learning_rate"]  # the demo's settings reach the trainer
    assert sft.train.max_length == org_settings["train.max_length"]
    run_stage(stages["train/difficult-advice/s0/0"], tmp_path / "a", {"data/advice": data, "train/organism/s0/0": org})
    assert seen["sft"][1].model == org["model"]  # the intervention starts from the organism
    res = run_stage(stages["eval/honeypots/organism/s0/r0"], tmp_path / "e", {"train/organism/s0/0": org})
    assert seen["hp"].model == org["model"]
    assert (seen["hp"].samples, seen["hp"].max_steps) == (hp_settings["samples"], hp_settings["max_steps"])
    assert res["summary"].endswith("summary.json")
    run_stage(stages["eval/propensity/organism/s0/r0"], tmp_path / "f", {"train/organism/s0/0": org})
    assert seen["prop"].model == org["model"] and seen["prop"].scenarios == ["research_sabotage", "framing"]
    assert seen["prop"].out == str(tmp_path / "f" / "eval")


def test_scripted_data_stage_runs_for_real(tmp_path: Path) -> None:
    cfg = load_experiment(REPO / "experiments" / "demo.yaml", {"out": str(tmp_path)})
    stage = next(s for s in expand(cfg) if s.id == "data/advice")
    res = run_stage(stage, tmp_path / "adv", {})
    rows = [json.loads(line) for line in Path(res["path"]).read_text().splitlines()]
    assert len(rows) == res["rows"] == stage.spec["n"] and rows[0]["messages"]
