"""The report: every figure is drawn, embedded and displayed by a real browser (headless Chromium); unreliable runs
are red and their comparisons withheld; the page never scrolls sideways at 1200 px; Pareto labels never overlap."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from experiments._fake import FakeRunner, run_fake
from teachwhy.experiments import ExperimentConfig, finalize
from teachwhy.report import FIGURES
from teachwhy.report._figures import fig_pareto
from teachwhy.report._html import PIPELINE_CHECK

CHROMIUM = "/usr/bin/chromium"
BAD = "eval/honeypots/advice/s0/r0"  # 30% of its samples end in errors


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


def _write(run: Path, base_model: str = "embedded") -> Path:
    cfg = _config(run, base_model)
    (run / "experiment.json").write_text(json.dumps({"config": cfg.model_dump()}))
    done = run_fake(cfg, run, FakeRunner(samples=10, error_share={BAD: 0.3}))
    return finalize(cfg, run, done)["report"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("run"))


def test_report_files_and_content(report: Path) -> None:
    html = report.read_text()
    for name in FIGURES:
        assert (report.parent / f"{name}.png").stat().st_size > 1000
        assert f"id='fig-{name}'" in html
    assert len(re.findall(r"src='data:image/png;base64,", html)) == len(FIGURES)
    assert PIPELINE_CHECK in html  # the embedded model: said plainly
    assert "Every number" in html and "honeypot_rate" in html and "generalization_gap" in html
    assert "unit of replication is the training seed" in html


def test_an_unreliable_run_is_red_and_its_comparison_withheld(report: Path) -> None:
    html = report.read_text()
    alert = re.search(r"<div class='alert' id='unreliable'>(.*?)</div>", html, re.S)
    assert alert and "1 eval run(s) over their error budget" in alert.group(1) and BAD in alert.group(1)
    assert "unreliable: 30% of 30 samples not ok (errors 9) &gt; error budget 10%" in alert.group(1)
    comparisons = html[html.index("id='comparisons'") : html.index("id='arms'")]
    red = re.findall(r"<tr class='unreliable'>(.*?)</tr>", comparisons)
    withheld = [r for r in red if "honeypot_rate.diff" in r or "generalization_gap" in r]
    assert withheld and all(f"withheld: over the error budget: {BAD}" in r for r in withheld)
    assert all("advice" in r for r in red)  # only the advice arm's comparisons use the bad run
    every = html[html.index("id='all-numbers'") :]
    assert len(re.findall(r"<tr class='unreliable'>[^\n]*?error_share", every)) == 1


def test_no_pipeline_banner_for_a_real_model(tmp_path: Path) -> None:
    assert PIPELINE_CHECK not in _write(tmp_path, base_model="/models/some-7b").read_text()


def test_pareto_labels_never_overlap() -> None:
    # six arms crowded at nearly the same tokens and rate: their labels must be moved apart
    rows = [{"arm": "organism", "label": "organism", "role": "organism", "eval_kind": "honeypots",
             "metric": "honeypot_rate", "seed": -1, "step": -1, "value": 0.8, "ci_low": 0.7, "ci_high": 0.9,
             "n": 30, "reliable": True, "training_tokens": 0}]  # fmt: skip
    for i in range(6):
        rows.append({**rows[0], "arm": f"arm{i}", "label": f"intervention number {i}", "role": "intervention",
                     "value": 0.30 + 0.004 * i, "ci_low": 0.2, "ci_high": 0.4, "training_tokens": 10000 + 300 * i})  # fmt: skip
    fig = plt.figure(figsize=(7.5, 4.5), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    fig_pareto(rows, ax)
    fig.tight_layout()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().startswith("intervention number")]
    assert len(boxes) == 6
    overlaps = [(i, j) for i in range(6) for j in range(i + 1, 6) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    plt.close(fig)


@pytest.mark.skipif(shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
                    reason="headless Chromium not installed: `apt-get update && apt-get install -y chromium`")  # fmt: skip
def test_report_opens_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,3000", "--virtual-time-budget=5000",
           "--dump-dom", report.as_uri()]  # fmt: skip
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    assert 'data-ready="1"' in dom, "the page's load handler did not run"
    for name in FIGURES:
        img = re.search(rf"<img[^>]*data-figure=\"{name}\"[^>]*>", dom)
        assert img, f"figure {name} missing from the rendered page"
        assert 'data-loaded="true"' in img.group(0), f"figure {name} did not load (naturalWidth 0)"
    assert "pipeline check" in dom
    scroll = int(re.search(r'data-scroll-width="(\d+)"', dom).group(1))  # type: ignore[union-attr]
    view = int(re.search(r'data-view-width="(\d+)"', dom).group(1))  # type: ignore[union-attr]
    assert 1100 <= view <= 1200, view  # the window really was 1200 px wide
    assert scroll <= view, f"the page scrolls sideways: {scroll} px of content in a {view} px window"
    shot = tmp_path / "shot.png"
    subprocess.run([*cmd[:-2], f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120,
                   check=True)  # fmt: skip
    assert shot.stat().st_size > 10000
