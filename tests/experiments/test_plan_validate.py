"""Every key of an experiment is checked when it loads — including arm/stage ``settings``, dataset ``options``, eval
``settings`` and the data check's ``settings`` — so ``--dry-run`` catches a typo, names where it is and the close
matches, exits 2 without a traceback, and writes nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from teachwhy.cli import app
from teachwhy.cli._common import run_guarded


def _dry_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["teachwhy", "experiment", "run", str(path), "--dry-run"])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out + out.err


def _config(out: Path) -> dict[str, Any]:
    return {
        "name": "tiny",
        "out": str(out),
        "datasets": [{"name": "harm", "kind": "honeypot-demos", "scripted": "harmful", "n": 4},
                     {"name": "adv", "kind": "difficult-advice", "scripted": "ethical", "n": 2}],
        "arms": [
            {"name": "organism", "role": "organism", "stages": [{"kind": "sft", "data": [{"dataset": "harm"}]}]},
            {"name": "advice", "init": "organism",
             "stages": [{"kind": "sft", "data": [{"dataset": "adv"}], "settings": {"train.learning_rate": 1e-4}}]},
            {"name": "rl", "init": "organism", "stages": [{"kind": "rl", "settings": {"train.max_steps": 2}}]},
        ],
        "evals": [{"name": "honeypots", "kind": "honeypots", "settings": {"samples": 2}},
                  {"name": "assessment", "kind": "assessment", "settings": {"light": True}}],
    }  # fmt: skip


def _set(cfg: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node: Any = cfg
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return cfg


ADVICE = ("arms", 1, "stages", 0, "settings")
RL = ("arms", 2, "stages", 0, "settings")
CASES = [
    # (where in the config, value, what the error must say)
    (ADVICE, {"train.learnin_rate": 1e-4},
     "arm advice, stage 0 (sft): unknown settings key `train.learnin_rate`; close matches: train.learning_rate"),
    (ADVICE, {"learning_rate": 1e-4},
     "arm advice, stage 0 (sft): unknown settings key `learning_rate`; close matches: train.learning_rate"),
    (ADVICE, {"lora.rank": 8}, "arm advice, stage 0 (sft): unknown settings key `lora.rank`"),
    (ADVICE, {"train.batch_size": "eight"}, "arm advice, stage 0 (sft): settings key `train.batch_size` got 'eight'"),
    (ADVICE, {"train.seed": 3}, "arm advice, stage 0 (sft): settings key `train.seed` is set by the experiment"),
    (ADVICE, {"train.learning_rate.max": 1}, "settings key `train.learning_rate` got {'max': 1}"),
    (ADVICE, {"train.learning_rate": 1e-4, "train.learning_rate.max": 1}, "`train.learning_rate` is not a group of keys"),
    (RL, {"grpo.num_generatons": 4}, "arm rl, stage 0 (rl): unknown settings key `grpo.num_generatons`; close "
                                     "matches: grpo.num_generations"),
    (RL, {"augment.tool_fraction": 0.5}, "close matches: augment.tools_fraction"),
    (RL, {"grpo.num_generations": 3}, "must be a multiple of grpo.num_generations (3)"),
    (("evals", 0, "settings"), {"sampels": 2},
     "eval honeypots (honeypots): unknown settings key `sampels`; close matches: samples"),
    (("evals", 1, "settings"), {"lite": True}, "eval assessment (assessment): unknown settings key `lite`"),
    (("datasets", 1, "options"), {"max_token": 64},
     "dataset adv (difficult-advice): unknown options key `max_token`; close matches: max_tokens"),
    (("data_check",), {"settings": {"ngram_treshold": 0.1}},
     "data_check: unknown settings key `ngram_treshold`; close matches: ngram_threshold"),
    (("data_check",), {"settings": {"dir": "x"}}, "data_check: settings key `dir` is set by the experiment"),
    (("arms", 1, "stages", 0), {"kind": "sft", "data": [{"dataset": "adv"}], "setings": {}},
     "arms[1] (advice) > stages[0] > setings: unknown key; close matches: settings"),
    (("arms", 1, "nme"), "x", "arms[1] (advice) > nme: unknown key; close matches: name"),
    (("evals", 0, "kind"), "honeypot", "evals[0] (honeypots) > kind: got 'honeypot'"),
    (("seedz",), [0], "seedz: unknown key; close matches: seeds"),
    (("rl_snapshots",), {"evals": ["asessment"]}, "unknown snapshot eval 'asessment'"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "value", "message"), CASES, ids=[c[2][:40] for c in CASES])
def test_dry_run_catches_bad_keys(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    where: tuple[Any, ...],
    value: Any,
    message: str,
) -> None:
    cfg = _set(_config(tmp_path / "run"), where, value)
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(cfg))
    code, output = _dry_run(monkeypatch, capsys, path)
    assert code == 2, output
    assert message in output
    assert output.startswith("error: ") and "fix: " in output and "Traceback" not in output
    assert not (tmp_path / "run").exists()


def test_a_valid_config_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(_config(tmp_path / "run")))
    code, output = _dry_run(monkeypatch, capsys, path)
    assert code == 0, output
    assert "13 stages" in output and not (tmp_path / "run").exists()
