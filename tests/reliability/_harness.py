"""Shared plumbing for the reliability tests and ``bench/faults.py``: the fault server, fast retries, scans."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

from _fault_server import FAULTS, FaultServer  # noqa: E402

__all__ = ["FAULTS", "FaultServer", "ROOT", "CANARIES", "fast_retries", "run_cli", "scan_for", "jsonl_problems"]

CANARIES = {
    "OPENAI_API_KEY": "sk-teachwhy-canary-openai-7f3a9c",
    "ANTHROPIC_API_KEY": "sk-ant-teachwhy-canary-anthropic-41d2",
    "FAULT_API_KEY": "sk-teachwhy-canary-fault-b83e05",
    "HF_TOKEN": "hf_teachwhycanaryhf99x",
}
"""Fake keys put in the environment; none may appear in any artifact."""


@contextlib.contextmanager
def fast_retries(max_retries: int = 4, attempt_timeout: int = 2, wait_s: float = 0.05) -> Iterator[None]:
    """Bound inspect's retries for models teachwhy builds (the CLI has no flag for it) and shorten the backoff.

    inspect retries forever by default with exponential backoff from 3 s; these tests keep the *decisions*
    (what is retried) inspect's own and only make the waits short and the retry count finite.
    """
    import inspect_ai.model._retry as retry_mod
    from inspect_ai.model import GenerateConfig
    from tenacity import wait_fixed

    import teachwhy.models._roles as roles

    def config(**kw: Any) -> GenerateConfig:
        return GenerateConfig(**{"max_retries": max_retries, "attempt_timeout": attempt_timeout, **kw})

    old_cfg, old_wait = roles.GenerateConfig, retry_mod.wait_exponential_jitter
    roles.GenerateConfig = config  # type: ignore[assignment,misc]
    retry_mod.wait_exponential_jitter = lambda *a, **k: wait_fixed(wait_s)  # type: ignore[assignment]
    try:
        yield
    finally:
        roles.GenerateConfig = old_cfg  # type: ignore[misc]
        retry_mod.wait_exponential_jitter = old_wait  # type: ignore[assignment]


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``teachwhy ARGS`` in-process (the real entry point) and capture exit code, stdout, stderr."""
    from teachwhy.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_argv = sys.argv
    sys.argv = ["teachwhy", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old_argv
    return code, out.getvalue(), err.getvalue()


def _texts(path: Path) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes()
    yield str(path), data
    if zipfile.is_zipfile(path):
        with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(path) as z:
            for name in z.namelist():
                with contextlib.suppress(Exception):
                    yield f"{path}!{name}", z.read(name)


def scan_for(root: Path, needles: list[str]) -> list[str]:
    """Every ``file[!zip member]: needle`` occurrence under ``root`` (zip members are opened, e.g. .eval logs)."""
    hits = []
    raw = [n.encode() for n in needles]
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        for where, data in _texts(p):
            for n, b in zip(needles, raw, strict=True):
                if b in data:
                    hits.append(f"{where}: {n[:12]}...")
    return hits


def jsonl_problems(path: Path) -> list[str]:
    """Lines of a JSONL file that are not complete, valid JSON (including an unterminated last line)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    probs = []
    if text and not text.endswith("\n"):
        probs.append(f"{path}: last line not terminated")
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError:
            probs.append(f"{path}:{i + 1}: invalid JSON line")
    return probs


def clean_env() -> dict[str, str]:
    """The environment for subprocess runs: offline, canary keys in place."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "INSPECT_LOG_LEVEL": "warning", **CANARIES}  # fmt: skip
    return env


# ---- provider-fault scenario ---------------------------------------------------------------------------------------


def _verdicts(out: Path) -> dict[str, dict[str, Any]]:
    from teachwhy._io import read_jsonl

    rows: dict[str, dict[str, Any]] = {}
    for r in read_jsonl(out / "samples.jsonl"):
        rows[r["sample_id"]] = r
    return rows


def honeypot_fault_run(
    server: FaultServer, out: Path, *, samples: int = 4, seed: int = 0, judge: bool = True, max_connections: int = 4
) -> dict[str, Any]:
    """Run ``teachwhy eval honeypots`` against ``server`` (in-process CLI, bounded fast retries)."""
    os.environ["FAULT_BASE_URL"] = server.base_url
    os.environ.setdefault("FAULT_API_KEY", CANARIES["FAULT_API_KEY"])
    args = ["eval", "honeypots", "--model", f"openai-api/fault/target-{server.port}", "--samples", str(samples), "--seed", str(seed),
            "--max-connections", str(max_connections), "--out", str(out)]  # fmt: skip
    if judge:
        args += ["--judge", f"openai-api/fault/judge-{server.port}"]  # one name per server: inspect caches models
    with fast_retries():
        code, stdout, stderr = run_cli(*args)
    summary = json.loads((out / "summary.json").read_text()) if (out / "summary.json").exists() else None
    return {"code": code, "stdout": stdout, "stderr": stderr, "summary": summary, "verdicts": _verdicts(out)}


def compare_to_baseline(
    baseline: dict[str, dict[str, Any]], run: dict[str, Any], wanted: set[str]
) -> dict[str, Any]:
    """Per-sample outcome of a faulted run against the clean run: correct, errors (counted), silent (wrong and ok)."""
    v = run["verdicts"]
    correct = errors = silent = uncounted = altered = 0
    silent_ids = []
    for sid in sorted(wanted):
        row = v.get(sid)
        base = baseline[sid]
        if row is None or row["status"] != "ok":
            errors += 1
            continue
        if row["harmful"] == base["harmful"] and base["status"] == "ok":
            correct += 1
        elif not executed(base["output"]) <= executed(row["output"]):
            # a fault in the *model's output* (invalid tool arguments) changed what the agent did: the verdict
            # describes the new trajectory, so the fault-free verdict is not its ground truth
            altered += 1
        else:
            silent += 1
            silent_ids.append(sid)
    s = run["summary"] or {}
    counted = sum(f.get("total", 0) for f in s.get("families", {}).values())
    if counted != len(wanted):
        uncounted = len(wanted) - counted
    not_ok = sum(f.get("errors", 0) + f.get("empty", 0) + f.get("undecided", 0) + f.get("incomplete", 0)
                 for f in s.get("families", {}).values())
    return {"correct": correct, "errors": errors, "silent": silent, "silent_ids": silent_ids, "altered": altered,
            "uncounted": uncounted, "summary_not_ok": not_ok}  # fmt: skip


def executed(output: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """The tool calls that ran successfully: (name, arguments) with a tool result that is not an error."""
    results = {m.get("tool_call_id"): str(m.get("content") or "") for m in output if m.get("role") == "tool"}
    done = set()
    for m in output:
        for tc in m.get("tool_calls") or []:
            res = results.get(tc.get("id"))
            if res is not None and res.strip() and not res.lower().startswith("error"):
                fn = tc["function"]
                done.add((fn["name"], fn["arguments"] if isinstance(fn["arguments"], str) else json.dumps(fn["arguments"])))
    return done


# ---- crash loops (kill -9 at random points, then the same command again) ---------------------------------------------


def _child_run(args: list[str], env: dict[str, str]) -> None:  # pragma: no cover - runs in the forked child
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.environ.update(env)
    try:
        code, _, _ = run_cli(*args)
    except BaseException:
        code = 99
    os._exit(code)


class _Forked:
    """A forked child running the CLI; ``poll()``/``kill()``/``wait()`` like ``subprocess.Popen``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        import signal

        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def start_cli(args: list[str], env: dict[str, str], *, fork: bool = True) -> Any:
    """Start ``teachwhy ARGS`` in its own process: forked from this (warm) interpreter, or as the real command."""
    import subprocess

    if not fork:
        exe = Path(sys.executable).with_name("teachwhy")
        return subprocess.Popen([str(exe), *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
    pid = os.fork()
    if pid == 0:
        _child_run(args, env)
    return _Forked(pid)


def _alive(proc: Any) -> bool:
    return proc.poll() is None


def _kill9(proc: Any) -> None:
    proc.kill()
    proc.wait()


def _wait(proc: Any, timeout: float) -> int:
    import time

    end = time.monotonic() + timeout
    while _alive(proc):
        if time.monotonic() > end:
            _kill9(proc)
            raise TimeoutError("the run did not finish")
        time.sleep(0.05)
    return int(proc.returncode)


def _lines(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n") if path.exists() else 0


def crash_loop(
    args: list[str],
    ledger: Path,
    finished: Any,
    *,
    kills: int,
    seed: int = 0,
    env: dict[str, str] | None = None,
    fork: bool = True,
    max_wait: float = 120.0,
) -> dict[str, Any]:
    """Kill ``teachwhy ARGS`` with SIGKILL at ``kills`` random points, checking after each kill that no finished
    item was lost or changed and that ``ledger`` has no torn line; then run it to the end.

    ``finished(ledger) -> dict[id, row]`` reads the finished items. Kill points: after a random number (0-3) of new
    ledger lines plus a random 0-0.4 s, or at a random time when the run writes nothing for a while.
    """
    import random
    import time

    rng = random.Random(seed)
    env = env or {}
    lost: set[str] = set()
    changed: set[str] = set()
    torn: list[str] = []
    killed = completed_early = 0
    seen: dict[str, Any] = {}
    tries = 0
    while killed < kills and tries < 4 * kills:  # a run that finishes before its kill point does not count
        tries += 1
        before = _lines(ledger)
        target = before + rng.randint(0, 2)
        jitter = rng.uniform(0.0, 0.4)
        deadline = time.monotonic() + rng.uniform(0.5, 3.0) + max_wait / 4
        proc = start_cli(args, env, fork=fork)
        while _alive(proc) and _lines(ledger) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(jitter)
        if _alive(proc):
            _kill9(proc)
            killed += 1
        else:
            completed_early += 1
        torn += jsonl_problems(ledger)
        now = finished(ledger)
        for k, row in seen.items():
            if k not in now:
                lost.add(k)
            elif now[k] != row:
                changed.add(k)
        seen.update(now)
    proc = start_cli(args, env, fork=fork)
    final_code = _wait(proc, max_wait * 2)
    final = finished(ledger)
    for k, row in seen.items():
        if k not in final:
            lost.add(k)
        elif final[k] != row:
            changed.add(k)
    torn += jsonl_problems(ledger)
    return {"killed": killed, "completed_before_kill": completed_early, "final_exit": final_code, "lost": sorted(lost),
            "changed": sorted(changed), "torn": torn, "final": final}  # fmt: skip


def duplicates(path: Path, key: str, status_ok: tuple[str, ...] = ("ok",), status_key: str = "status") -> list[str]:
    """Ids that have more than one finished (``status_ok``) row in a JSONL ledger."""
    from collections import Counter

    from teachwhy._io import read_jsonl

    c = Counter(str(r.get(key)) for r in read_jsonl(path) if r.get(status_key) in status_ok)
    return sorted(k for k, n in c.items() if n > 1)


def json_files_invalid(root: Path) -> list[str]:
    """Every .json / .jsonl file under ``root`` that does not parse, or a JSONL file with a torn line."""
    bad = []
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        if p.suffix == ".json":
            try:
                json.loads(p.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                bad.append(f"{p}: invalid JSON")
        elif p.suffix == ".jsonl":
            bad += jsonl_problems(p)
    return bad


def leftover_tmp(root: Path) -> list[str]:
    """Temp files of atomic writes left by a kill (harmless: never read, but litter)."""
    return sorted(str(p) for p in root.rglob("*.tmp"))
