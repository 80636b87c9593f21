"""The shared CLI plumbing: exit codes, usage errors, quiet output, and the small fixes of issue 17."""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
import yaml

from teachwhy.cli._common import quiet_libraries, run_guarded, set_verbose, strip_markup
from teachwhy.errors import TeachwhyError, TeachwhyWarning

Cli = Callable[..., tuple[int, str, str]]


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def go(code: int = 0, interrupt: bool = False, fail: bool = False) -> None:
        if interrupt:
            raise KeyboardInterrupt
        if fail:
            raise TeachwhyError("it broke", hint="do the other thing")
        raise typer.Exit(code)

    @app.command()
    def other() -> None:
        """A second command, so that the app is a group."""

    return app


def test_exit_codes_are_returned(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Outside standalone mode Click returns a typer.Exit's code instead of raising it: it must not become 0."""
    app = _app()
    for argv, code in ((["go", "--code", "3"], 3), (["go"], 0), (["go", "--interrupt"], 130), (["go", "--fail"], 2)):
        monkeypatch.setattr("sys.argv", ["prog", *argv])
        assert run_guarded(app) == code, argv
    err = capsys.readouterr().err
    assert "interrupted: finished work is saved" in err
    assert "error: it broke\nfix: do the other thing\n" in err


def test_usage_errors(cli: Cli) -> None:
    code, out, err = cli("eval", "honeypot")
    assert code == 2 and out == ""
    assert err == (
        "error: teachwhy eval: no such command 'honeypot'\n"
        "fix: did you mean 'honeypots'? `teachwhy eval --help` lists the commands\n"
    )
    code, _, err = cli("data", "generate", "stories", "--out", "x", "--seed", "one")
    assert code == 2 and "error: teachwhy data generate: invalid value for '--seed'" in err
    assert "fix: give '--seed' a value" in err


def test_bare_group_prints_its_help(cli: Cli) -> None:
    code, out, err = cli("data")
    assert code == 0 and "Usage" in out and "generate" in out and err == ""


def test_markup_is_removed() -> None:
    assert strip_markup("No [bold][blue]OPENAI_API_KEY[/blue][/bold] set") == "No OPENAI_API_KEY set"
    assert strip_markup("[link=https://x.y]docs[/link]") == "docs"
    assert strip_markup("allowed: [tools, xml] and [0]") == "allowed: [tools, xml] and [0]"


_VERBOSITY = ("TRANSFORMERS_VERBOSITY", "DATASETS_VERBOSITY", "INSPECT_LOG_LEVEL", "HF_HUB_DISABLE_PROGRESS_BARS")
_LOGGERS = ("transformers", "datasets", "accelerate", "peft", "trl", "httpx")


@pytest.fixture()
def restore_verbosity(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """-v changes process-wide settings: put them back for the tests that follow."""
    for key in _VERBOSITY:
        if key in os.environ:
            monkeypatch.setenv(key, os.environ[key])
        else:
            monkeypatch.delenv(key, raising=False)
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("restore_verbosity")
def test_quiet_by_default_and_verbose() -> None:
    with warnings.catch_warnings(record=True) as caught:
        quiet_libraries()
        warnings.warn("library noise", FutureWarning, stacklevel=1)
        warnings.warn("library noise", UserWarning, stacklevel=1)
        assert caught == []
        set_verbose()
        warnings.warn("shown with -v", FutureWarning, stacklevel=1)
        assert [str(w.message) for w in caught] == ["shown with -v"]


@pytest.mark.usefixtures("restore_verbosity")
def test_verbose_flag_is_accepted(cli: Cli) -> None:
    code, out, _ = cli("-v", "train", "show-config", "rl")
    assert code == 0 and "grpo:" in out


def test_models_shows_paths_not_hf_double_slash(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    code, out, _ = cli("models", "--target", str(tmp_path))
    assert code == 0 and "hf//" not in out and f"resolves to: {tmp_path.resolve()} (local model directory" in out


def test_show_config_without_a_file(cli: Cli) -> None:
    from teachwhy.train.config import SFTRunConfig

    code, out, _ = cli("train", "show-config", "sft")
    assert code == 0 and out.startswith("# data.sources: ")
    cfg = SFTRunConfig.model_validate(yaml.safe_load(out))
    assert cfg.data.sources[0].path == "data/YOUR_DATASET/data.jsonl" and cfg.model == "embedded"


def test_merge_message_does_not_claim_the_cache_changed(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import teachwhy.train.merge as merge

    monkeypatch.setattr(merge, "merge_adapter", lambda adapter, out, dtype: {"base_model": "/cache/base"})
    code, out, _ = cli("train", "merge", "runs/sft", "--out", "runs/merged")
    assert code == 0
    assert "merged runs/sft with its base model /cache/base into a new model: runs/merged" in out
    assert "unchanged" in out and "into /cache/base" not in out


def _stories(cli: Cli, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli("data", "generate", "stories", "--teacher", "mockllm/model", "--n", "2", "--out", str(out), *extra)


def test_data_generate_retry_after_a_failed_run(cli: Cli, tmp_path: Path) -> None:
    """A directory whose earlier run finished nothing (here: every item errored) is reused by the corrected command;
    one holding finished items is refused with --overwrite as the way to start over."""
    out = tmp_path / "d"
    out.mkdir()
    (out / "run.json").write_text(json.dumps({"resume_key": {"kind": "stories", "teacher": "openai/gpt-x"}}))
    (out / "items.jsonl").write_text(json.dumps({"id": "stories:0:0", "status": "error", "error": "auth"}) + "\n")
    (out / "notes.txt").write_text("mine")
    code, _, err = _stories(cli, out)
    assert code == 0, err
    card = json.loads((out / "datacard.json").read_text())
    assert card["counts"]["ok"] == 2 and card["counts"]["error"] == 0  # the old error record went with the old run

    code, _, err = _stories(cli, out, "--seed", "7")
    assert code == 2 and "holds a dataset generated with other settings (seed: was 0, now 7)" in err
    assert "fix: re-run with the old settings to resume or extend it, add --overwrite" in err

    code, _, err = _stories(cli, out, "--seed", "7", "--overwrite")
    assert code == 0, err
    rows = [json.loads(x) for x in (out / "data.jsonl").read_text().splitlines()]
    assert len(rows) == 2
    assert json.loads((out / "run.json").read_text())["resume_key"]["seed"] == 7
    assert (out / "notes.txt").read_text() == "mine"  # --overwrite removes only generate's own files


def test_shipped_transcript_example_is_classified(cli: Cli) -> None:
    """examples/transcript_blackmail.json (linked from the README) stays a valid `eval classify` input."""
    example = Path(__file__).resolve().parents[2] / "examples" / "transcript_blackmail.json"
    code, out, err = cli("eval", "classify", "--scenario", "blackmail", "--transcript", str(example))
    assert code == 0, err
    verdict = json.loads(out)
    assert (verdict["status"], verdict["harmful"], verdict["decided_by"]) == ("ok", False, "detector")


def test_own_warnings_are_one_line_even_when_library_warnings_are_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        # Python's own printing of warnings (pytest records them instead): the CLI keeps it for other warnings
        warnings.showwarning = lambda m, c, *a, **k: print(f"{c.__name__}: {m}", file=sys.stderr)
        quiet_libraries()
        warnings.warn("a library's note", UserWarning, stacklevel=1)
        warnings.warn("train.bf16 is true, but this CPU has no native bfloat16", TeachwhyWarning, stacklevel=1)
        err = capsys.readouterr().err
        assert err == "warning: train.bf16 is true, but this CPU has no native bfloat16\n"
        set_verbose()  # -v: library warnings are back, teachwhy's keep their one-line form
        warnings.warn("a library's note", UserWarning, stacklevel=1)
        warnings.warn("an ignored LoRA setting", TeachwhyWarning, stacklevel=1)
        err = capsys.readouterr().err
        assert "UserWarning: a library's note" in err and "warning: an ignored LoRA setting\n" in err
