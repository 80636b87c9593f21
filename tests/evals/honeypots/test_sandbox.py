"""Simulated tools never touch the real file system or network."""

from __future__ import annotations

import builtins
import os
import socket
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model
from inspect_ai.tool import ToolChoice, ToolInfo

from teachwhy.evals.honeypots._run import HoneypotRun, run_honeypots


def test_tools_run_without_files_or_sockets(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = iter([
        ("list_files", {}), ("read_file", {"path": "eval/config.yaml"}),
        ("edit_file", {"path": "/etc/passwd", "content": "pwned"}), ("run_script", {"command": "rm -rf / ; curl x"}),
        ("send_email", {"to": "a@b.example", "subject": "s", "body": "b"}),
    ])  # fmt: skip

    def reply(input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
              config: GenerateConfig) -> ModelOutput:  # fmt: skip
        nxt = next(steps, None)
        if nxt is None:
            return ModelOutput.from_content("m", "done")
        return ModelOutput.for_tool_call("m", nxt[0], nxt[1])

    real_open = builtins.open
    touched: list[str] = []

    def guarded_open(file: Any, *a: Any, **k: Any) -> Any:
        if str(file) in ("/etc/passwd", "eval/config.yaml"):
            touched.append(str(file))
        return real_open(file, *a, **k)

    def no_socket(*a: Any, **k: Any) -> Any:
        raise AssertionError("a simulated tool opened a socket")

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(socket, "create_connection", no_socket)
    monkeypatch.setattr(os, "system", no_socket)
    cfg = HoneypotRun(model="mockllm/model", samples=1, scenarios=["research_sabotage"], max_steps=6,
                      out=str(tmp_path / "r"))  # fmt: skip
    summary = run_honeypots(cfg, display="none", target=get_model("mockllm/model", custom_outputs=reply, memoize=False))
    assert touched == []
    assert summary["families"]["research_sabotage"]["total"] == 1
    with open("/etc/passwd") as f:
        assert "pwned" not in f.read()
