"""A new user's mistakes, each through the real CLI entry point (in-process): exit 2, one `error:` line, one `fix:`
line, no traceback, and nothing written — neither into the output directory nor anywhere else under the working
directory.

Every case is a plausible mistake: typos in commands and options, bad values, missing files, missing API keys, bad
model specs, and unknown config keys at every level (flags, --set, config files, nested keys, list items, experiment
arm/stage ``settings``). No case loads a model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from teachwhy.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "transcript_blackmail.json")

SFT_OK = "model: embedded\nout: OUT\ndata:\n  sources:\n    - path: in/chat.jsonl\ntrain: {max_steps: 1}\n"
EXPERIMENT = """name: mistakes
out: OUT
base_model: embedded
datasets:
  - {name: d, kind: difficult-advice, scripted: ethical, n: 2}
arms:
  - name: a
    stages:
      - kind: sft
        data: [{dataset: d}]
        settings: {train.learning_rate: 1.0e-3}
evals:
  - {name: honeypots, kind: honeypots, settings: {samples: 1}}
"""

# name -> file content, written under in/ before every case
FILES: dict[str, str] = {
    "chat.jsonl": json.dumps({"messages": [{"role": "user", "content": "hi"},
                                           {"role": "assistant", "content": "hello"}]}) + "\n",
    "sft_ok.yaml": SFT_OK,
    "sft_top_typo.yaml": SFT_OK.replace("model: embedded", "modle: embedded"),
    "sft_nested_typo.yaml": SFT_OK + "lora: {rank: 8}\n",
    "sft_list_typo.yaml": SFT_OK.replace("- path: in/chat.jsonl", "- {path: in/chat.jsonl, wieght: 1}"),
    "sft_bad_value.yaml": SFT_OK.replace("max_steps: 1", "max_steps: many"),
    "sft_list.yaml": "- model: embedded\n",
    "sft_bad_yaml.yaml": "model: [embedded\n",
    "hp_typo.yaml": "sample: 4\n",
    "exp_top_typo.yaml": EXPERIMENT.replace("base_model:", "base_modle:"),
    "exp_arm_typo.yaml": EXPERIMENT.replace("  - name: a\n", "  - name: a\n    inti: organism\n"),
    "exp_settings_typo.yaml": EXPERIMENT.replace("train.learning_rate", "train.learnin_rate"),
    "exp_dataset_typo.yaml": EXPERIMENT.replace("scripted: ethical", "scriptd: ethical"),
    "emptymodel/.keep": "",
    "dataset/data.jsonl": json.dumps({"messages": [{"role": "user", "content": "q"},
                                                   {"role": "assistant", "content": "a"}]}) + "\n",
}  # fmt: skip

# (id, argv; OUT is the output directory, in/ the inputs, substring the message must hold)
# fmt: off
CASES: list[tuple[str, list[str], str]] = [
    # typos in commands and options
    ("command-typo", ["eval", "honeypot"], "did you mean 'honeypots'"),
    ("unknown-command", ["frobnicate"], "no such command 'frobnicate'"),
    ("subcommand-typo", ["data", "generat", "stories", "--out", "OUT"], "did you mean 'generate'"),
    ("train-kind-typo", ["train", "sftt"], "did you mean 'sft'"),
    ("experiment-typo", ["experiment", "rn", "in/exp_top_typo.yaml"], "did you mean 'run'"),
    ("option-typo", ["eval", "honeypots", "--sample", "4", "--out", "OUT"], "did you mean --samples"),
    ("train-option-typo", ["train", "sft", "--config", "in/sft_ok.yaml", "--max-step", "3"], "--max-steps"),
    ("models-option-typo", ["models", "--judgee", "embedded"], "did you mean --judge"),
    ("global-option-typo", ["--verbos", "models"], "did you mean --verbose"),
    ("unknown-option", ["data", "generate", "stories", "--colour", "--out", "OUT"], "no such option --colour"),
    ("extra-argument", ["data", "generate", "stories", "--out", "OUT", "extra"], "unexpected extra argument"),
    ("missing-option", ["data", "generate", "stories"], "missing option '--out'"),
    ("missing-argument", ["data", "generate", "--out", "OUT"], "KIND argument"),
    ("report-missing-dir", ["report"], "RUN_DIR argument"),
    # bad values
    ("int-value", ["data", "generate", "stories", "--n", "two", "--out", "OUT"], "'--n'"),
    ("min-value", ["eval", "constitution", "--limit", "0", "--out", "OUT"], "'--limit'"),
    ("turns-value", ["eval", "assessment", "--max-turns", "x", "--out", "OUT"], "'--max-turns'"),
    ("samples-value", ["eval", "honeypots", "--samples", "many", "--out", "OUT"], "'--samples'"),
    ("scripted-value", ["data", "generate", "stories", "--scripted", "evil", "--out", "OUT"], "--scripted"),
    ("scripted-mode", ["data", "generate", "stories", "--scripted", "ethical", "--out", "OUT"], "no --scripted"),
    ("dataset-kind", ["data", "generate", "nonsense", "--out", "OUT"], "unknown dataset kind"),
    ("zero-items", ["data", "generate", "stories", "--n", "0", "--out", "OUT"], "n must be at least 1"),
    ("n-and-tokens", ["data", "generate", "stories", "--n", "2", "--tokens", "9", "--out", "OUT"], "not both"),
    ("principle", ["data", "generate", "sysprompt-distill", "--principles", "nope", "--out", "OUT"], "nope"),
    ("show-config-kind", ["train", "show-config", "ppo"], "unknown kind 'ppo'"),
    ("set-syntax", ["train", "sft", "--config", "in/sft_ok.yaml", "--set", "learning_rate"], "KEY=VALUE"),
    ("classify-scenario", ["eval", "classify", "--scenario", "blackmale", "--transcript", EXAMPLE], "blackmale"),
    # missing files
    ("source-dir", ["data", "generate", "honeypot-reasons", "--source", "in/nowhere", "--out", "OUT"], "--source"),
    ("constitution-file", ["data", "generate", "stories", "--constitution", "in/c.yaml", "--out", "OUT"], "c.yaml"),
    ("check-dir", ["data", "check", "in/nowhere"], "no data.jsonl"),
    ("augment-dir", ["data", "augment", "in/nowhere", "OUT", "--tools"], "no dataset at"),
    ("train-config", ["train", "sft", "--config", "in/nope.yaml", "--out", "OUT"], "config file not found"),
    ("experiment-file", ["experiment", "run", "in/nope.yaml"], "not found"),
    ("adherence-constitution", ["eval", "constitution", "--constitution", "in/c.yaml", "--out", "OUT"], "c.yaml"),
    ("adherence-prompts", ["eval", "constitution", "--prompts", "in/p.yaml", "--out", "OUT"], "--prompts"),
    ("transcript-file", ["eval", "classify", "--scenario", "blackmail", "--transcript", "in/t.json"], "not found"),
    ("report-dir", ["report", "in/nowhere"], "not found"),
    ("honeypots-config", ["eval", "honeypots", "--config", "in/nope.yaml", "--out", "OUT"], "not found"),
    # missing keys
    ("teacher-key", ["data", "generate", "stories", "--teacher", "anthropic/claude-sonnet-4-5", "--out", "OUT"],
     "ANTHROPIC_API_KEY"),
    ("judge-key", ["eval", "constitution", "--judge", "openai/gpt-4o-mini", "--out", "OUT"], "OPENAI_API_KEY"),
    ("auditor-key", ["eval", "assessment", "--auditor", "anthropic/claude-haiku-4-5", "--out", "OUT"],
     "ANTHROPIC_API_KEY"),
    ("target-key", ["eval", "honeypots", "--model", "anthropic/claude-haiku-4-5", "--samples", "1", "--out", "OUT"],
     "ANTHROPIC_API_KEY"),
    ("ping-key", ["models", "--model", "openai/gpt-4o-mini", "--ping"], "OPENAI_API_KEY"),
    ("check-judge-key", ["data", "check", "in/dataset", "--judge", "anthropic/claude-sonnet-4-5"], "ANTHROPIC_API_KEY"),
    ("compatible-key", ["data", "generate", "stories", "--teacher", "openai-api/acme/m1", "--out", "OUT"],
     "ACME_API_KEY"),
    # bad model specs
    ("readme-placeholder", ["data", "generate", "honeypot-demos", "--teacher", "M", "--target", "M", "--out", "OUT"],
     "unknown model 'M'"),
    ("missing-model-dir", ["data", "generate", "honeypot-demos", "--target", "./no/such/dir", "--out", "OUT"],
     "does not exist"),
    ("empty-model-dir", ["models", "--model", "in/emptymodel"], "no config.json"),
    ("uncached-hub-id", ["eval", "constitution", "--target", "hf/teachwhy-test/not-cached", "--out", "OUT"],
     "not in the local Hugging Face cache"),
    ("vllm-here", ["eval", "constitution", "--target", "vllm/meta-llama/Llama-3.1-8B-Instruct", "--out", "OUT"],
     "vllm"),
    ("provider-typo", ["data", "generate", "stories", "--teacher", "anthropc/claude-sonnet-4-5", "--out", "OUT"],
     "unknown model provider"),
    ("honeypots-model", ["eval", "honeypots", "--model", "M", "--out", "OUT"], "unknown model 'M'"),
    ("train-model-dir", ["train", "sft", "--config", "in/sft_ok.yaml", "--model", "./nowhere", "--out", "OUT"],
     "does not exist"),
    ("merge-adapter-dir", ["train", "merge", "./nowhere", "--out", "OUT"], "does not exist"),
    # bad config keys at every level
    ("set-key-typo", ["train", "sft", "--config", "in/sft_ok.yaml", "--set", "train.learnin_rate=1e-4", "--out", "OUT"],
     "train.learning_rate"),
    ("config-top-typo", ["train", "sft", "--config", "in/sft_top_typo.yaml", "--out", "OUT"], "`model`"),
    ("config-nested-typo", ["train", "sft", "--config", "in/sft_nested_typo.yaml", "--out", "OUT"], "lora.rank"),
    ("config-list-item-typo", ["train", "sft", "--config", "in/sft_list_typo.yaml", "--out", "OUT"], "wieght"),
    ("config-bad-value", ["train", "sft", "--config", "in/sft_bad_value.yaml", "--out", "OUT"], "max_steps"),
    ("config-not-mapping", ["train", "sft", "--config", "in/sft_list.yaml", "--out", "OUT"], "mapping"),
    ("config-bad-yaml", ["train", "sft", "--config", "in/sft_bad_yaml.yaml", "--out", "OUT"], "not valid YAML"),
    ("rl-set-typo", ["train", "rl", "--set", "grpo.num_generation=4", "--out", "OUT"], "grpo.num_generations"),
    ("honeypots-config-key", ["eval", "honeypots", "--config", "in/hp_typo.yaml", "--out", "OUT"], "sample"),
    ("experiment-top-key", ["experiment", "run", "in/exp_top_typo.yaml", "--out", "OUT"], "base_model"),
    ("experiment-arm-key", ["experiment", "run", "in/exp_arm_typo.yaml", "--out", "OUT"], "inti"),
    ("experiment-dataset-key", ["experiment", "run", "in/exp_dataset_typo.yaml", "--out", "OUT"], "scriptd"),
    ("experiment-settings-key", ["experiment", "run", "in/exp_settings_typo.yaml", "--dry-run", "--out", "OUT"],
     "train.learnin_rate"),
]
# fmt: on


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# Mistakes whose fix belongs to another module; strict, so the mark must go once it is fixed.
XFAIL: dict[str, str] = {}


def _params() -> list[object]:
    marks = {k: pytest.mark.xfail(strict=True, reason=v) for k, v in XFAIL.items()}
    return [pytest.param(argv, expected, id=name, marks=marks.get(name, ())) for name, argv, expected in CASES]


@pytest.mark.parametrize(("argv", "expected"), _params())
def test_mistake_ends_with_error_and_fix(
    argv: list[str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ACME_API_KEY", "ACME_BASE_URL",
                "TEACHWHY_TARGET", "TEACHWHY_JUDGE", "TEACHWHY_TEACHER", "TEACHWHY_AUDITOR"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name, text in FILES.items():
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("OUT", str(tmp_path / "out")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    monkeypatch.setattr(sys, "argv", ["teachwhy", *[str(tmp_path / "out") if a == "OUT" else a for a in argv]])

    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()

    assert exit_info.value.code == 2, (out, err)
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert sum(line.startswith("error: ") for line in lines) == 1, err
    assert sum(line.startswith("fix: ") for line in lines) == 1, err
    assert lines[0].startswith("error: ") and lines[-1].startswith("fix: "), err
    assert expected in err, err
    assert "[bold]" not in err and "[/" not in err
    assert not (tmp_path / "out").exists(), "a failed command left an output directory"
    assert _tree(tmp_path) == before, f"a failed command wrote {sorted(_tree(tmp_path) - before)}"


def test_the_table_is_large_and_covers_every_group() -> None:
    assert len(CASES) >= 40 and len({c[0] for c in CASES}) == len(CASES)
    groups = {c[1][0] for c in CASES}
    assert {"eval", "data", "train", "experiment", "report", "models"} <= groups
