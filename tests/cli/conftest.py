"""Run the real CLI entry point in-process: exit code, stdout and stderr as a user sees them."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
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
