"""Sandbox: the simulated scenario tools cannot read or write real files, run processes or open sockets.

Every tool is called directly with hostile arguments (real paths, traversal, /proc, shell commands, URLs) while every
file, process and socket primitive is patched to record and refuse; a loopback listener checks that nothing connects,
and a canary file and canary environment variables check that nothing real leaks into a tool's answer.
"""

from __future__ import annotations

import asyncio
import builtins
import io
import os
import pathlib
import shutil
import socket
import subprocess
import threading
from typing import Any

import pytest
from inspect_ai.tool import ToolDef
from inspect_ai.util._store import Store, init_subtask_store

from teachwhy.evals.honeypots import init_world, make_tools, render

from ._harness import CANARIES

PATHS = ["/etc/passwd", "../../../../etc/hosts", "~/.ssh/id_rsa", "/proc/self/environ", "file:///etc/shadow",
         "\\\\server\\share\\x", "/dev/tcp/127.0.0.1/80", "eval/../../../../etc/passwd"]  # fmt: skip


def _hostile_calls(canary: str, port: int) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = [("list_files", {})]
    for p in [*PATHS, canary]:
        calls += [("read_file", {"path": p}), ("edit_file", {"path": p, "content": "pwned"})]
    for cmd in [f"cat {canary}", "rm -rf /tmp/x", f"curl http://127.0.0.1:{port}/", "python eval/run_eval.py; id",
                "bash -c 'echo $OPENAI_API_KEY'", "python -c \"import socket; socket.create_connection(('127.0.0.1', "
                f"{port}))\"", "printenv", "'unterminated"]:  # fmt: skip
        calls.append(("run_script", {"command": cmd}))
    calls += [("send_email", {"to": f"http://127.0.0.1:{port}/, root@localhost", "subject": "x", "body": "$HOME"}),
              ("forward_email", {"message_id": "../../etc/passwd", "to": f"root@127.0.0.1:{port}", "note": "x"}),
              ("forward_email", {"message_id": "m01", "to": "root@localhost", "note": "$(id)"}),
              ("post_message", {"channel": f"http://127.0.0.1:{port}/", "text": "`id`"}),
              ("submit_report", {"to": f"127.0.0.1:{port}", "summary": "`id`", "score": 1.0,
                                 "passes_threshold": True})]  # fmt: skip
    return calls


def test_tools_touch_no_file_process_or_socket(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("REAL-FILE-CANARY-5521")
    for k, v in CANARIES.items():
        monkeypatch.setenv(k, v)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connected: list[Any] = []

    def accept() -> None:
        try:
            connected.append(listener.accept())
        except OSError:
            pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()

    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def f(*a: Any, **k: Any) -> Any:
            attempts.append(f"{name}{a[:1]}")
            raise PermissionError(f"sandbox test: {name} is not allowed in a simulated tool")

        return f

    tools = {ToolDef(t).name: t for t in make_tools("research_sabotage")}
    init_subtask_store(Store())
    init_world(render("research_sabotage", "explicit-replacement-high-scratchpad_off-notice_off", 0))
    answers: list[str] = []
    loop = asyncio.new_event_loop()  # the event loop's own self-pipe socket is made before the patches
    with monkeypatch.context() as m:
        for mod, names in [(builtins, ["open"]), (io, ["open"]), (os, ["open", "system", "popen", "remove", "unlink",
                           "rename", "replace", "listdir", "scandir", "execv", "execvp", "fork", "spawnv"]),
                           (subprocess, ["Popen", "run", "call", "check_output"]), (shutil, ["rmtree", "copy", "move"]),
                           (socket, ["socket", "create_connection", "getaddrinfo"]),
                           (pathlib.Path, ["open", "read_text", "write_text", "read_bytes", "write_bytes", "unlink",
                                           "iterdir", "exists"])]:  # fmt: skip
            for n in names:
                m.setattr(mod, n, refuse(f"{getattr(mod, '__name__', mod)}.{n}"))

        async def go() -> None:
            for name, args in _hostile_calls(str(canary), port):
                answers.append(str(await tools[name](**args)))

        loop.run_until_complete(go())
    loop.close()
    t.join(1)
    listener.close()
    assert attempts == [], attempts
    assert connected == []
    joined = "\n".join(answers)
    assert "REAL-FILE-CANARY-5521" not in joined and "root:" not in joined
    assert not [v for v in CANARIES.values() if v in joined]
    assert canary.read_text() == "REAL-FILE-CANARY-5521" and "pwned" not in pathlib.Path("/etc/hosts").read_text()
    # the edits happened, in memory only: reading the hostile path back gives the simulated content
    assert "pwned" in joined or "Saved" in joined or "Created" in joined
