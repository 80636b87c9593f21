"""`teachwhy demo` and `teachwhy report` are wired to the experiment runner (stage work faked here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teachwhy.cli import app

from ._fake import FakeRunner


def test_demo_runs_the_demo_config_and_prints_the_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import teachwhy.experiments.stages as stages

    fake = FakeRunner()
    monkeypatch.setattr(stages, "run_stage", fake)
    out = tmp_path / "demo"
    res = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert f"report:  {out / 'report' / 'report.html'}" in res.output
    assert "data/organism-harmful" in fake.calls and "eval/honeypots/difficult-advice/s0/r0" in fake.calls
    assert "eval/propensity/base/s0/r0" in fake.calls and "eval/propensity/difficult-advice/s0/r0" in fake.calls
    assert not any(c.startswith("eval/assessment") for c in fake.calls)  # the embedded model cannot audit
    assert "result: honeypot taken in distribution (held-out storylines, headline cell): organism " in res.output
    assert (out / "results.parquet").exists() and (out / "ledger.json").exists()

    again = FakeRunner()
    monkeypatch.setattr(stages, "run_stage", again)
    res = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert res.exit_code == 0 and again.calls == []

    res = CliRunner().invoke(app, ["report", str(out)])
    assert res.exit_code == 0 and res.output.strip().endswith("report.html")


def test_report_on_a_directory_without_results_fails_clearly(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert res.exit_code != 0
    assert "results.parquet not found" in str(res.exception) or "results.parquet not found" in res.output


def test_dry_run_estimates_the_propensity_stages() -> None:
    """One prefill per instance: 3 samples x 2 families x (2000 prompt + 600 action tokens) at the shipped 407 tok/s
    prefill rate = 38.3 s = 0.0106 device hours per propensity stage."""
    from teachwhy.experiments import estimate, expand, load_experiment

    cfg = load_experiment(Path(__file__).resolve().parents[2] / "experiments" / "demo.yaml")
    ests = {e.stage: e for e in estimate(cfg, expand(cfg))}
    e = ests["eval/propensity/base/s0/r0"]
    assert e.device_hours == pytest.approx(3 * 2 * 2600 / 407 / 3600, rel=0.01)
