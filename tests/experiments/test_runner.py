"""The runner resumes without redoing finished stages; the results table has one row per (arm, eval, metric)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from teachwhy.errors import ConfigError, TeachwhyError
from teachwhy.experiments import ExperimentConfig, expand, finalize, load_experiment, run_experiment
from teachwhy.experiments.fake import FakeCrash, FakeRunner
from teachwhy.experiments.results import COLUMNS, read_results

REPO = Path(__file__).resolve().parents[2]


def small_config(out: Path, **kw: Any) -> ExperimentConfig:
    data: dict[str, Any] = {
        "name": "tiny",
        "out": str(out),
        "datasets": [{"name": "harm", "kind": "honeypot-demos", "scripted": "harmful", "n": 4},
                     {"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 2}],
        "arms": [
            {"name": "organism", "role": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "harm"}]}]},
            {"name": "advice", "init": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "adv", "tokens": 3000}]}]},
            {"name": "rl-aug", "init": "organism", "stages": [{"kind": "rl", "settings": {"augment.tools_fraction": 0.5}}]},
        ],
        "evals": [{"name": "honeypots", "kind": "honeypots", "settings": {"samples": 2}},
                  {"name": "assessment", "kind": "assessment", "settings": {"light": True}}],
    }  # fmt: skip
    data.update(kw)
    return ExperimentConfig.model_validate(data)


def test_plan_orders_deps_and_keys_are_stable(tmp_path: Path) -> None:
    stages = expand(small_config(tmp_path))
    ids = [s.id for s in stages]
    for s in stages:
        assert all(ids.index(d) < ids.index(s.id) for d in s.deps), s.id
    assert [s.key for s in stages] == [s.key for s in expand(small_config(tmp_path))]
    assert len(ids) == 2 + 3 + 3 * 2
    rl = next(s for s in stages if s.id.startswith("train/rl-aug"))
    assert rl.meta["environments"] == "augmented"


def test_changing_a_dataset_rekeys_only_downstream(tmp_path: Path) -> None:
    a = {s.id: s.key for s in expand(small_config(tmp_path))}
    cfg = small_config(tmp_path)
    changed = cfg.model_dump()
    changed["datasets"][1]["n"] = 3
    b = {s.id: s.key for s in expand(ExperimentConfig.model_validate(changed))}
    diff = {i for i in a if a[i] != b[i]}
    assert diff == {"data/adv", "train/advice/s0/0", "eval/honeypots/advice/s0/r0", "eval/assessment/advice/s0/r0"}


def test_crash_then_resume_never_redoes_finished_stages(tmp_path: Path) -> None:
    cfg = small_config(tmp_path / "run")
    crash_at = "train/advice/s0/0"
    runner = FakeRunner(crash_on={crash_at})
    with pytest.raises(TeachwhyError, match="stage train/advice/s0/0 failed: FakeCrash") as info:
        run_experiment(cfg, runner, run_dir=tmp_path / "run", progress=lambda _: None)
    assert isinstance(info.value.__cause__, FakeCrash)
    first = list(runner.calls)
    assert first[-1] == crash_at
    finished_before = first[:-1]
    for sid in finished_before:  # every stage before the crash has its marker
        s = next(x for x in expand(cfg) if x.id == sid)
        assert (tmp_path / "run" / "stages" / s.dirname / "done.json").exists()

    runner2 = FakeRunner()
    done = run_experiment(cfg, runner2, run_dir=tmp_path / "run", progress=lambda _: None)
    assert not set(runner2.calls) & set(finished_before), "a finished stage was run again"
    assert runner2.calls[0] == crash_at  # the crashed stage continues first
    assert set(done) == {s.id for s in expand(cfg)}

    runner3 = FakeRunner()
    run_experiment(cfg, runner3, run_dir=tmp_path / "run", progress=lambda _: None)
    assert runner3.calls == []  # everything done: nothing runs


def test_marker_with_other_key_is_not_trusted(tmp_path: Path) -> None:
    cfg = small_config(tmp_path / "run")
    run_experiment(cfg, FakeRunner(), run_dir=tmp_path / "run", progress=lambda _: None)
    s = expand(cfg)[0]
    marker = tmp_path / "run" / "stages" / s.dirname / "done.json"
    m = json.loads(marker.read_text())
    marker.write_text(json.dumps({**m, "key": "0" * 12}))
    runner = FakeRunner()
    run_experiment(cfg, runner, run_dir=tmp_path / "run", progress=lambda _: None)
    assert runner.calls == [s.id]


def test_results_table_one_row_per_arm_eval_metric_with_intervals(tmp_path: Path) -> None:
    cfg = small_config(tmp_path / "run")
    done = run_experiment(cfg, FakeRunner(), run_dir=tmp_path / "run", progress=lambda _: None)
    paths = finalize(cfg, tmp_path / "run", done)
    rows = read_results(paths["results"])
    assert rows and set(rows[0]) == set(COLUMNS)
    keys = [(r["arm"], r["seed"], r["repeat"], r["eval"], r["metric"], r["step"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate (arm, eval, metric) rows"
    final = [r for r in rows if r["step"] == -1 and not r["eval"].startswith("compare")]
    for arm in ("organism", "advice", "rl-aug"):
        hp = [r for r in final if r["arm"] == arm and r["metric"] == "honeypot_rate"]
        assert len(hp) == 1
        assert hp[0]["ci_low"] <= hp[0]["value"] <= hp[0]["ci_high"] and hp[0]["n"] == 36
        mis = [r for r in final if r["arm"] == arm and r["metric"] == "misaligned_behavior"]
        assert len(mis) == 1 and not math.isnan(mis[0]["ci_low"])
    assert all(r["config_hash"] for r in rows)
    advice = next(r for r in final if r["arm"] == "advice" and r["metric"] == "honeypot_rate")
    assert advice["training_tokens"] == 3000
    comp = [r for r in rows if r["eval"] == "compare:organism"]
    assert {r["arm"] for r in comp} == {"advice", "rl-aug"}
    hp_diff = next(r for r in comp if r["arm"] == "advice" and r["metric"] == "honeypot_rate.diff")
    assert hp_diff["ci_low"] <= hp_diff["value"] <= hp_diff["ci_high"] and 0 <= hp_diff["p_value"] <= 1
    assert any(r["metric"] == "generalization_gap" for r in comp)
    rl = [r for r in rows if r["eval"] == "rl_snapshot:honeypots"]
    assert sorted(r["step"] for r in rl) == [1, 2, 3] and rl[0]["environments"] == "augmented"
    ledger = json.loads(paths["ledger"].read_text())
    assert ledger["by_stage_kind"]["train"]["train_tokens"] > 0


def test_unknown_keys_rejected(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("name: x\narms: [{name: a, stages: [{kind: rl}]}]\nbogus: 1\n")
    with pytest.raises(ConfigError, match="bogus: unknown key"):
        load_experiment(p)
    p.write_text("name: x\narms: [{name: a, init: nope, stages: [{kind: rl}]}]\n")
    with pytest.raises(ConfigError, match="init"):
        load_experiment(p)


def test_shipped_configs_validate_and_study_dry_run_prints_plan() -> None:
    from typer.testing import CliRunner

    from teachwhy.cli import app

    demo = load_experiment(REPO / "experiments" / "demo.yaml")
    assert demo.pipeline_check() and len(demo.arms) >= 4
    res = CliRunner().invoke(app, ["experiment", "run", str(REPO / "experiments" / "study.yaml"), "--dry-run"])
    assert res.exit_code == 0, res.output
    assert "144 stages" in res.output
    for needle in ("data/difficult-advice", "train/rl-augmented/s2/0", "eval/assessment/base/s0/r0", "augmented"):
        assert needle in res.output


def test_keep_going_runs_independent_stages_and_reports_the_rest(tmp_path: Path) -> None:
    from teachwhy.experiments import run_all

    cfg = small_config(tmp_path / "run")
    runner = FakeRunner(crash_on={"train/advice/s0/0"})
    paths = run_all(cfg, runner=runner, progress=lambda _: None)
    assert "eval/honeypots/rl-aug/s0/r0" in runner.calls  # independent of the failed stage: still ran
    assert "eval/honeypots/advice/s0/r0" not in runner.calls  # needs the failed model: skipped
    unfinished = json.loads(paths["unfinished"].read_text())
    assert unfinished["failed"] == {"train/advice/s0/0": "FakeCrash: scripted crash in train/advice/s0/0"}
    assert paths["report"].exists()
    assert "Traceback" in next((tmp_path / "run" / "stages").glob("train__advice*/error.txt")).read_text()
    paths = run_all(cfg, runner=FakeRunner(), progress=lambda _: None)
    assert "unfinished" not in paths and not (tmp_path / "run" / "unfinished.json").exists()
