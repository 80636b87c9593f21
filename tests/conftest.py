"""Shared fixtures: offline environment, the embedded model (converted once), mockllm without tiktoken."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("INSPECT_LOG_LEVEL", "warning")


@pytest.fixture(autouse=True)
def _mockllm_offline_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    """mockllm counts tokens with tiktoken, which downloads its encoding: count characters/4 instead."""
    from inspect_ai.model import ModelUsage
    from inspect_ai.model._providers.mockllm import MockLLM

    async def usage(self: MockLLM, output, input, tools) -> None:  # type: ignore[no-untyped-def]
        if output.usage is None:
            n_in = sum(len(m.text) for m in input) // 4 + 1
            n_out = len(output.completion or "") // 4
            output.usage = ModelUsage(input_tokens=n_in, output_tokens=n_out, total_tokens=n_in + n_out)

    monkeypatch.setattr(MockLLM, "_ensure_default_usage", usage)


@pytest.fixture(scope="session")
def embedded_dir() -> Path:
    """The converted embedded model directory (converted once per cache, ~20 s the first time)."""
    from teachwhy.models import ensure_embedded

    return ensure_embedded()


@pytest.fixture()
def tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty TEACHWHY_CACHE for tests that must not touch the user's cache."""
    monkeypatch.setenv("TEACHWHY_CACHE", str(tmp_path / "cache"))
    yield tmp_path / "cache"


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the real CLI entry point in-process: exit code, stdout and stderr as a user sees them."""
    import sys

    def run(*args: str) -> tuple[int, str, str]:
        from teachwhy.cli import main

        monkeypatch.setattr(sys, "argv", ["teachwhy", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
