"""CLI `teachwhy eval constitution|assessment`: clear errors without tracebacks; an offline embedded run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from teachwhy.cli import app
from teachwhy.cli._common import run_guarded


def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["teachwhy", *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_malformed_constitution_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: mine\nversion: '1'\npriority_order: [a]\ntiers: [{id: a, title: A}]\nprinciples: nope\n"
    )
    code, out, err = cli(
        monkeypatch, capsys, "eval", "constitution", "--constitution", str(bad), "--out", str(tmp_path)
    )
    assert code == 2
    assert "error: invalid constitution in" in err and "principles: got 'nope'" in err
    assert "Traceback" not in err + out
    code, _, err = cli(
        monkeypatch, capsys, "eval", "constitution", "--constitution", str(tmp_path / "nope.yaml")
    )
    assert code == 2 and "--constitution: file not found" in err


def test_assessment_flag_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        monkeypatch, capsys, "eval", "assessment", "--seeds", "flattery", "--out", str(tmp_path)
    )
    assert code == 2 and "unknown seed tags ['flattery']" in err and "sycophancy" in err
    code, _, err = cli(monkeypatch, capsys, "eval", "assessment", "--engine", "nope", "--out", str(tmp_path))
    assert code == 2 and "engine" in err and "Traceback" not in err


@pytest.mark.skipif(
    __import__("importlib").util.find_spec("inspect_petri") is not None, reason="inspect-petri is installed"
)
def test_petri_engine_without_inspect_petri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        monkeypatch,
        capsys,
        "eval",
        "assessment",
        "--engine",
        "petri",
        "--judge",
        "mockllm/model",
        "--target",
        "mockllm/model",
        "--auditor",
        "mockllm/model",
        "--out",
        str(tmp_path),
    )
    assert code == 2 and "inspect-petri" in err and "Python >= 3.12" in err and "Traceback" not in err


@pytest.mark.slow
def test_constitution_on_embedded_model_offline(tmp_path: Path, embedded_dir: Path) -> None:
    """The done-when run: every role embedded, offline, tiny limit; per-principle scores or counted errors."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TEACHWHY_TARGET": "",
        "TEACHWHY_JUDGE": "",
    }
    exe = Path(sys.executable).parent / "teachwhy"
    proc = subprocess.run(
        [str(exe), "eval", "constitution", "--target", "embedded", "--judge", "embedded", "--limit", "2",
         "--target-max-tokens", "24", "--judge-max-tokens", "24", "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "pipeline check, not a measurement" in proc.stdout
    assert "by principle:" in proc.stdout
    summary = json.loads((tmp_path / "summary.json").read_text())
    c = summary["counts"]
    assert c["samples"] == 2 and c["scored"] + c["errors"] + c["empty"] == 2
    assert len(summary["by_principle"]) == 2  # round robin: two different principles
    assert summary["note"] and "pipeline check" in summary["note"]
    assert list(tmp_path.glob("*.eval"))
