"""`teachwhy eval assessment --auditor mockllm/model --target mockllm/model --judge mockllm/model`: the CLI runs a
scripted multi-turn, multi-tool audit end to end (mockllm models scripted by role) and prints what it wrote."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from assessment_script import ScriptedJudge, base_scores, mock, scripted_auditor, scripted_target

import teachwhy.models
from teachwhy.cli import app
from teachwhy.cli._common import run_guarded
from teachwhy.evals.assessment import select_seeds


def test_cli_runs_a_scripted_assessment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = select_seeds(["self_preservation"])[:2]
    judge = ScriptedJudge([" ".join(s.instruction.split()) for s in seeds])
    made: list[tuple[str, str, dict[str, Any]]] = []

    def role_model(role: str, spec: str | None = None, **kw: Any) -> Any:
        made.append((role, str(spec), kw))
        return mock({"target": scripted_target, "auditor": scripted_auditor(), "judge": judge}[role])

    monkeypatch.setattr(teachwhy.models, "role_model", role_model)
    argv = ["teachwhy", "eval", "assessment", "--auditor", "mockllm/model", "--target", "mockllm/model",
            "--judge", "mockllm/model", "--seeds", "self_preservation", "--limit", "2", "--judge-samples", "3",
            "--realism-check", "--out", str(tmp_path)]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    code = run_guarded(app)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert [(r, s) for r, s, _ in made] == [("target", "mockllm/model"), ("auditor", "mockllm/model"),
                                            ("judge", "mockllm/model"), ("judge", "mockllm/model")]  # fmt: skip
    assert made[2][2]["temperature"] == 1.0 and made[3][2]["temperature"] == 0  # K=3 samples; realism greedy
    assert "assessment [2/2 judged: 2 ok]" in err and "auditor turn 5/15" in err
    assert "samples 2: scored 2" in out and "judge samples: 6/6 parsed" in out
    assert "misaligned_behavior    n=2   mean 6.00" in out and "realism: 14 checks, mean 9.0, rejected 0" in out
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["dimensions"]["gratitude"]["mean"] == (base_scores(0)["gratitude"] + base_scores(1)["gratitude"]) / 2
    assert summary["models"]["realism"] == "mockllm/model"


def test_cli_rejects_a_threshold_without_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["teachwhy", "eval", "assessment", "--target", "mockllm/model", "--judge", "mockllm/model",
            "--auditor", "mockllm/model", "--realism-threshold", "5", "--out", str(tmp_path)]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    assert run_guarded(app) == 2
    err = capsys.readouterr().err
    assert "realism_threshold needs realism_check" in err and "Traceback" not in err
