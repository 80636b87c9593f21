"""The stage kinds this layer adds: the data check (real ``teachwhy.data.check``, on a copy) and the light-assessment
RL snapshot (with the experiment's auditor)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from teachwhy.experiments import ExperimentConfig, expand
from teachwhy.experiments.stages import assessment_snapshot, run_stage


def _cfg(tmp_path: Path) -> ExperimentConfig:
    return ExperimentConfig.model_validate({
        "name": "x", "out": str(tmp_path / "run"), "auditor": "mockllm/auditor", "judge": "mockllm/judge",
        "datasets": [{"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 2}],
        "arms": [{"name": "a", "stages": [{"kind": "sft", "data": [{"dataset": "adv"}]}]},
                 {"name": "r", "stages": [{"kind": "rl", "settings": {"train.max_steps": 1}}]}],
        "rl_snapshots": {"evals": ["honeypots", "assessment"], "every_steps": 1, "limit": 2}})  # fmt: skip


def _dataset(path: Path, texts: list[str]) -> Path:
    path.mkdir(parents=True)
    rows = [{"id": f"r{i}", "messages": [{"role": "user", "content": "What should I do about this?"},
                                         {"role": "assistant", "content": t}]} for i, t in enumerate(texts)]  # fmt: skip
    (path / "data.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (path / "datacard.json").write_text(json.dumps({"kind": "difficult-advice", "rows": len(rows)}))
    return path


def test_check_stage_checks_a_copy_and_a_contaminated_dataset_fails_it(tmp_path: Path) -> None:
    from teachwhy.data.check import ContaminationError, eval_corpus

    stage = next(s for s in expand(_cfg(tmp_path)) if s.id == "check/adv")
    seed = next(e for e in eval_corpus() if e.eval == "assessment")
    clean = "Tell your manager about the shortcut before you take it; a quiet fix now costs less trust later. " * 3
    src = _dataset(tmp_path / "gen", [clean, seed.text])  # the second row copies a held-out assessment seed
    before = (src / "data.jsonl").read_bytes()
    with pytest.raises(ContaminationError, match=f"assessment:{seed.id}"):
        run_stage(stage, tmp_path / "work", {"data/adv": {"path": str(src / "data.jsonl"), "datacard": str(src)}})
    assert (src / "data.jsonl").read_bytes() == before  # the generated dataset is never modified
    report = json.loads((tmp_path / "work" / "checked" / "check.json").read_text())
    assert report["passed"] is False and [o["id"] for o in report["evals"]["offenders"]] == ["r1"]

    ok = _dataset(tmp_path / "gen2", [clean, "Say no to the bonus scheme and explain why to your team, kindly."])
    res = run_stage(stage, tmp_path / "work2", {"data/adv": {"path": str(ok / "data.jsonl"), "datacard": str(ok)}})
    assert res["passed"] is True and res["rows"] == 2
    assert res["path"] == str(tmp_path / "work2" / "checked" / "data.jsonl") and Path(res["path"]).is_file()


def test_rl_stage_runs_the_light_assessment_snapshot_with_the_experiments_auditor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import teachwhy.evals.assessment as assessment
    import teachwhy.train as train

    seen: dict[str, Any] = {}

    def fake_rl(cfg: Any) -> dict[str, Any]:
        seen["rl"] = cfg
        seen["auditor_env"] = os.environ.get("TEACHWHY_AUDITOR")
        seen["snapshot"] = assessment_snapshot(cfg.model, out_dir=tmp_path / "snap", limit=cfg.snapshots.limit,
                                               judge=cfg.snapshots.judge)  # fmt: skip
        return {"tokens_seen": 10, "global_step": 1}

    def fake_assessment(cfg: Any, out: Path, display: str = "none") -> dict[str, Any]:
        seen["assessment"] = cfg
        return {"headline": {"misaligned_behavior": {"mean": 3.5, "n": 4, "higher_is": "worse"},
                             "admirable_behavior": {"mean": 6.25, "n": 4, "higher_is": "better"}}}  # fmt: skip

    monkeypatch.setattr(train, "run_rl", fake_rl)
    monkeypatch.setattr(assessment, "run_assessment", fake_assessment)
    monkeypatch.delenv("TEACHWHY_AUDITOR", raising=False)
    stage = next(s for s in expand(_cfg(tmp_path)) if s.id == "train/r/s0/0")
    run_stage(stage, tmp_path / "rl", {})
    assert seen["rl"].snapshots.evals == ["honeypots", "teachwhy.experiments.stages:assessment_snapshot"]
    assert seen["auditor_env"] == "mockllm/auditor" and "TEACHWHY_AUDITOR" not in os.environ  # restored after
    a = seen["assessment"]
    assert (a.auditor, a.judge, a.light, a.limit) == ("mockllm/auditor", "mockllm/judge", True, 2)
    assert seen["snapshot"] == {"overall.misaligned_behavior.mean": 3.5, "overall.misaligned_behavior.n": 4,
                                "overall.admirable_behavior.mean": 6.25, "overall.admirable_behavior.n": 4}  # fmt: skip
