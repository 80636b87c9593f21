"""The report: every figure is drawn, embedded and displayed by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from teachwhy.experiments import ExperimentConfig, finalize, run_experiment
from teachwhy.experiments.fake import FakeRunner
from teachwhy.report import FIGURES
from teachwhy.report._html import PIPELINE_CHECK

CHROMIUM = "/usr/bin/chromium"


def _config(out: Path, base_model: str = "embedded") -> ExperimentConfig:
    return ExperimentConfig.model_validate({
        "name": "report test", "out": str(out), "base_model": base_model,
        "datasets": [{"name": "harm", "kind": "honeypot-demos", "scripted": "harmful", "n": 4},
                     {"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 2},
                     {"name": "rea", "kind": "honeypot-reasons", "scripted": "ethical", "n": 2}],
        "arms": [
            {"name": "organism", "role": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "harm"}]}]},
            {"name": "advice", "init": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "adv", "tokens": 3000}]}]},
            {"name": "reasons", "init": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "rea", "tokens": 80000}]}]},
            {"name": "rl-plain", "init": "organism", "stages": [{"kind": "rl"}]},
            {"name": "rl-aug", "init": "organism", "stages": [{"kind": "rl", "settings": {"augment.tools_fraction": 0.5}}]},
        ],
        "evals": [{"name": "honeypots", "kind": "honeypots"}, {"name": "assessment", "kind": "assessment"}],
    })  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("run")
    cfg = _config(run)
    done = run_experiment(cfg, FakeRunner(), run_dir=run, progress=lambda _: None)
    return finalize(cfg, run, done)["report"]


def test_report_files_and_content(report: Path) -> None:
    html = report.read_text()
    for name in FIGURES:
        assert (report.parent / f"{name}.png").stat().st_size > 1000
        assert f"id='fig-{name}'" in html
    assert len(re.findall(r"src='data:image/png;base64,", html)) == len(FIGURES)
    assert PIPELINE_CHECK in html  # the embedded model: said plainly
    assert "Every number" in html and "honeypot_rate" in html and "compare:organism" in html


def test_no_pipeline_banner_for_a_real_model(tmp_path: Path) -> None:
    cfg = _config(tmp_path, base_model="/models/some-7b")
    page = finalize(cfg, tmp_path, run_experiment(cfg, FakeRunner(), run_dir=tmp_path, progress=lambda _: None))["report"]
    assert PIPELINE_CHECK not in page.read_text()


@pytest.mark.skipif(shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
                    reason="headless Chromium not installed: `apt-get update && apt-get install -y chromium`")  # fmt: skip
def test_report_opens_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
           report.as_uri()]  # fmt: skip
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    assert 'data-ready="1"' in dom, "the page's load handler did not run"
    for name in FIGURES:
        img = re.search(rf"<img[^>]*data-figure=\"{name}\"[^>]*>", dom)
        assert img, f"figure {name} missing from the rendered page"
        assert 'data-loaded="true"' in img.group(0), f"figure {name} did not load (naturalWidth 0)"
    assert "pipeline check" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([*cmd[:-2], f"--screenshot={shot}", "--window-size=1200,3000", report.as_uri()],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    assert shot.stat().st_size > 10000
