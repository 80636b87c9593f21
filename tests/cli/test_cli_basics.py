from __future__ import annotations

from collections.abc import Callable

import pytest

Cli = Callable[..., tuple[int, str, str]]


def test_help_everywhere(cli: Cli) -> None:
    for args in (["--help"], ["models", "--help"], ["eval", "--help"], ["eval", "honeypots", "--help"],
                 ["data", "--help"], ["train", "--help"], ["experiment", "--help"], ["report", "--help"]):  # fmt: skip
        code, out, _ = cli(*args)
        assert code == 0 and "Usage" in out, args


def test_models_lists_roles_without_keys(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-123")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    code, out, _ = cli("models", "--judge", "openai/gpt-4o-mini", "--teacher", "anthropic/claude-x")
    assert code == 0
    for role in ("target", "judge", "teacher", "auditor"):
        assert role in out
    assert "OPENAI_API_KEY set" in out and "SECRET" not in out


def test_missing_config_file_is_a_clear_error(cli: Cli) -> None:
    code, _, err = cli("experiment", "run", "x.yaml")
    assert code == 2 and "file not found: x.yaml" in err and "Traceback" not in err
