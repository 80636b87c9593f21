"""The runner resumes without redoing finished stages, validates every setting before writing anything, blocks
training on a contaminated dataset, and says for each failed stage whether a rerun fixes it (the results table:
test_results.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from teachwhy.errors import ConfigError, TeachwhyError
from teachwhy.experiments import ExperimentConfig, expand, load_experiment, run_experiment

from ._fake import FakeCrash, FakeRunner

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


def test_unknown_keys_rejected(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("name: x\narms: [{name: a, stages: [{kind: rl}]}]\nbogus: 1\n")
    with pytest.raises(ConfigError, match="bogus: unknown key"):
        load_experiment(p)
    p.write_text("name: x\narms: [{name: a, init: nope, stages: [{kind: rl}]}]\n")
    with pytest.raises(ConfigError, match="init"):
        load_experiment(p)


def test_keep_going_runs_independent_stages_and_reports_the_rest(tmp_path: Path) -> None:
    from teachwhy.experiments import run_all

    cfg = small_config(tmp_path / "run")
    runner = FakeRunner(crash_on={"train/advice/s0/0"})
    paths = run_all(cfg, runner=runner, progress=lambda _: None)
    assert "eval/honeypots/rl-aug/s0/r0" in runner.calls  # independent of the failed stage: still ran
    assert "eval/honeypots/advice/s0/r0" not in runner.calls  # needs the failed model: skipped
    unfinished = json.loads(paths["unfinished"].read_text())
    failed = unfinished["failed"]["train/advice/s0/0"]
    assert failed["error"] == "FakeCrash: scripted crash in train/advice/s0/0"
    assert failed["retryable"] is False and "a rerun would fail the same way" in failed["fix"]
    assert paths["report"].exists()
    assert "Traceback" in next((tmp_path / "run" / "stages").glob("train__advice*/error.txt")).read_text()
    paths = run_all(cfg, runner=FakeRunner(), progress=lambda _: None)
    assert "unfinished" not in paths and not (tmp_path / "run" / "unfinished.json").exists()


class _Failing(FakeRunner):
    """FakeRunner that raises a given exception in chosen stages (every time)."""

    def __init__(self, failures: dict[str, BaseException]) -> None:
        super().__init__()
        self.failures = failures

    def __call__(self, stage: Any, workdir: Path, inputs: Any) -> dict[str, Any]:
        if stage.id in self.failures:
            self.calls.append(stage.id)
            raise self.failures[stage.id]
        return super().__call__(stage, workdir, inputs)


def test_a_contaminated_dataset_blocks_every_stage_that_trains_on_it(tmp_path: Path) -> None:
    from teachwhy.data.check import ContaminationError
    from teachwhy.experiments import run_all

    hint = "remove or rewrite these items (they would leak evaluation content into training)"
    runner = _Failing({"check/adv": ContaminationError("1 item(s) overlap the evaluations", hint=hint)})
    paths = run_all(small_config(tmp_path / "run"), runner=runner, progress=lambda _: None)
    assert "check/adv" in runner.calls and "data/adv" in runner.calls
    assert not [c for c in runner.calls if "/advice/" in c]  # the arm training on it never ran, nor its evals
    assert "train/rl-aug/s0/0" in runner.calls and "eval/honeypots/organism/s0/r0" in runner.calls
    info = json.loads(paths["unfinished"].read_text())
    assert info["failed"]["check/adv"] == {"error": "ContaminationError: 1 item(s) overlap the evaluations\n  fix: "
                                           + hint, "retryable": False, "fix": hint}  # fmt: skip
    assert sorted(info["unfinished"]) == ["check/adv", "eval/assessment/advice/s0/r0", "eval/honeypots/advice/s0/r0",
                                          "train/advice/s0/0"]  # fmt: skip


def test_failures_say_whether_a_rerun_fixes_them() -> None:
    from teachwhy.experiments import diagnose

    class RateLimitError(Exception):
        """Named like the providers' SDK error."""

    class APIStatusError(Exception):
        def __init__(self, status_code: int) -> None:
            super().__init__(f"status {status_code}")
            self.status_code = status_code

    wrapped = RuntimeError("generation failed")
    wrapped.__cause__ = RateLimitError("429 Too Many Requests")
    for exc in (TimeoutError("read timed out"), ConnectionResetError("reset"), wrapped, APIStatusError(503)):
        d = diagnose(exc, "e.txt")
        assert d["retryable"] is True and "run the same command again" in d["fix"], exc
    for exc, fix in (
        (APIStatusError(401), "read the traceback in e.txt"),
        (ValueError("bad shape"), "a rerun would fail the same way: read the traceback in e.txt"),
        (TeachwhyError("no model", hint="pass a model directory"), "pass a model directory"),
        (RuntimeError("CUDA out of memory. Tried to allocate 2 GiB"), "lower train.batch_size"),
        (ModuleNotFoundError("No module named 'vllm'", name="vllm"), "install the missing package (vllm)"),
        (FileNotFoundError(2, "No such file", "/x/data.jsonl"), "/x/data.jsonl does not exist"),
    ):
        d = diagnose(exc, "e.txt")
        assert d["retryable"] is False and fix in d["fix"] and "run the same command again" not in d["fix"], exc


def _write(tmp_path: Path, cfg: ExperimentConfig) -> Path:
    import yaml

    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(cfg.model_dump(exclude_defaults=True)))
    return path


def test_experiment_run_exits_nonzero_and_lists_failed_stages_with_their_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    import teachwhy.experiments.stages as stages
    from teachwhy.cli import app

    path = _write(tmp_path, small_config(tmp_path / "run"))
    monkeypatch.setattr(stages, "run_stage", _Failing({"train/advice/s0/0": ValueError("bad shape")}))
    res = CliRunner().invoke(app, ["experiment", "run", str(path)])
    assert res.exit_code == 1, res.output
    assert "error: 1 stage(s) failed; 2 stage(s) that need them did not run" in res.output
    assert "  train/advice/s0/0: ValueError: bad shape" in res.output
    assert "a rerun would fail the same way" in res.output and "rerun to resume" not in res.output
    assert "fix: apply the fix named for each failed stage" in res.output

    monkeypatch.setattr(stages, "run_stage", _Failing({"train/advice/s0/0": TimeoutError("provider timed out")}))
    res = CliRunner().invoke(app, ["experiment", "run", str(path)])
    assert res.exit_code == 1
    assert "fix: run the same command again to resume (finished stages are kept)" in res.output

    monkeypatch.setattr(stages, "run_stage", FakeRunner())
    res = CliRunner().invoke(app, ["experiment", "run", str(path)])
    assert res.exit_code == 0 and "error:" not in res.output


def test_bad_settings_fail_before_anything_is_written(tmp_path: Path) -> None:
    cfg = small_config(tmp_path / "run").model_dump()
    cfg["arms"][1]["stages"][0]["settings"] = {"train.learnin_rate": 1e-4}
    with pytest.raises(ConfigError, match=r"arm advice, stage 0 \(sft\): unknown settings key `train.learnin_rate`; "
                                          r"close matches: train.learning_rate"):  # fmt: skip
        run_experiment(ExperimentConfig.model_validate(cfg), FakeRunner(), progress=lambda _: None)
    assert not (tmp_path / "run").exists()
