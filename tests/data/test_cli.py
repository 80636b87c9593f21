"""`teachwhy data` from the command line: help, clear errors without tracebacks, scripted runs, and one slow run
with the embedded model as teacher and target."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from teachwhy.cli import app
from teachwhy.cli._common import run_guarded


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["teachwhy", "data", *args])
    return run_guarded(app)


@pytest.mark.parametrize("cmd", ["generate", "augment", "check"])
def test_help(cmd: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(monkeypatch, cmd, "--help") == 0
    assert "Usage" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["generate", "nonsense", "--out", "X"], "unknown dataset kind"),
        (["generate", "stories", "--scripted", "ethical", "--out", "X"], "no --scripted ethical"),
        (["generate", "stories", "--scripted", "evil", "--out", "X"], "--scripted must be"),
        (["generate", "stories", "--n", "2", "--tokens", "9", "--out", "X"], "not both"),
        (["generate", "honeypot-reasons", "--source", "nowhere", "--out", "X"], "--source: directory not found"),
        (["generate", "stories", "--teacher", "anthropic/claude-x", "--n", "1", "--out", "X"], "ANTHROPIC_API_KEY"),
        (["generate", "sysprompt-distill", "--principles", "nope", "--out", "X"], "no principle 'nope'"),
        (["check", "nowhere"], "no data.jsonl"),
        (["augment", "nowhere", "Y", "--tools"], "no dataset at"),
    ],
)
def test_clear_errors(args: list[str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert _run(monkeypatch, *args) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_scripted_generate_augment_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = tmp_path / "demos"
    assert _run(monkeypatch, "generate", "honeypot-demos", "--scripted", "ethical", "--n", "3", "--out", str(out)) == 0
    assert "acceptance rate 1.0" in capsys.readouterr().out
    assert _run(monkeypatch, "augment", "--tools", "--system-prompts", str(out), str(tmp_path / "aug")) == 0
    assert "3 system prompts" not in capsys.readouterr().out  # honeypot rows keep their own system prompt
    assert _run(monkeypatch, "check", str(tmp_path / "aug")) == 0
    card = json.loads((tmp_path / "aug" / "datacard.json").read_text())
    assert card["augment"]["tools_added"] >= 6 and card["check"]["passed"]


@pytest.mark.slow
def test_embedded_teacher_and_target_from_the_cli(embedded_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    out = tmp_path / "da"
    code = _run(monkeypatch, "generate", "difficult-advice", "--teacher", "embedded", "--target", "embedded",
                "--n", "1", "--max-tokens", "24", "--out", str(out))  # fmt: skip
    assert code == 0
    card = json.loads((out / "datacard.json").read_text())
    assert card["counts"]["planned"] == 1
    assert card["counts"]["ok"] + card["counts"]["empty"] + card["counts"]["error"] == 1
    assert card["models"]["teacher"]["called"] and "note" in card
    rows = [json.loads(x) for x in (out / "data.jsonl").read_text().splitlines()]
    assert len(rows) == card["counts"]["ok"]
    for r in rows:
        assert r["messages"][1]["role"] == "assistant" and r["messages"][1]["content"].strip()
