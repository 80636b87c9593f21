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
