"""Worker processes for a honeypot run: shards, per-shard ledgers merged by the parent, and no orphans.

One Python process runs inspect's eval loop on about one core, so at high concurrency a run is bound by CPU, not by
the provider (see docs/ARCHITECTURE.md, "Throughput"). A run with ``workers > 1`` splits its unfinished samples into
shards, one fresh interpreter each. Every shard appends its verdicts to its own ledger under ``DIR/.workers``; the
parent merges those into ``DIR/samples.jsonl`` when the workers end, and at the start of the next run (a killed run's
shard ledgers are merged before anything else, so no finished sample is lost or run twice).

The children wait for the parent's go before their eval starts (their imports and renders take seconds and differ),
ignore the terminal's Ctrl-C (the parent decides), treat SIGTERM as Ctrl-C (inspect cancels and writes its log), and
die with the parent (``PR_SET_PDEATHSIG`` on Linux, and a thread that watches the parent's pid).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from teachwhy._io import atomic_write_json, read_jsonl
from teachwhy.errors import TeachwhyError

__all__ = ["WORK_DIR", "shards", "shard_ledgers", "merge_ledgers", "run_workers"]

WORK_DIR = ".workers"
"""Folder inside a run's output directory for the workers' ledgers, skip lists and results."""

_GRACE_S = 15.0  # how long stopped children may take to write their logs before they are killed


def shards(ids: list[str], n: int) -> list[list[str]]:
    """``ids`` dealt round-robin into ``n`` shards (families and conditions spread evenly; sizes differ by <= 1).

    >>> shards(["a", "b", "c", "d", "e"], 2)
    [['a', 'c', 'e'], ['b', 'd']]
    """
    return [ids[k::n] for k in range(n)]


def shard_ledgers(out: Path) -> list[Path]:
    """The shard ledgers under ``out`` (left by workers that are done, or by a killed run)."""
    return sorted((out / WORK_DIR).glob("samples-*.jsonl"))


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def merge_ledgers(parts: list[Path], ledger: Path) -> int:
    """Append the rows of ``parts`` to ``ledger`` (one write, one fsync), then delete the parts; returns the rows added.

    Idempotent: a row already in ``ledger`` (same content) is not added again, so a merge cut short between the
    append and the deletes adds nothing twice when it is repeated. A torn last line of a part (a worker killed
    mid-write) is skipped as unfinished, like every ledger reader does.
    """
    rows = [r for p in parts for r in read_jsonl(p)]
    if rows:
        ids = {r["sample_id"] for r in rows}
        seen = {_canonical(r) for r in read_jsonl(ledger) if r.get("sample_id") in ids}
        text = ""
        for r in rows:
            c = _canonical(r)
            if c not in seen:
                seen.add(c)
                text += json.dumps(r, ensure_ascii=False, default=str) + "\n"
        if text:
            ledger.parent.mkdir(parents=True, exist_ok=True)
            with open(ledger, "a+b") as f:
                f.seek(0, os.SEEK_END)
                if f.tell() > 0:  # close a torn tail left by a crash, so the first row does not glue onto it
                    f.seek(-1, os.SEEK_END)
                    if f.read(1) != b"\n":
                        text = "\n" + text
                f.write(text.encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
    for p in parts:
        p.unlink(missing_ok=True)
    return len(rows)


def _die_with_parent(parent: int) -> None:
    """Make this (child) process end when ``parent`` does, however the parent ends."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="teachwhy-parent-watch").start()


def _sigterm_as_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def child_main() -> None:
    """A worker process (``python -c``, args: FUNCTION JOB RESULT READY PARENT_PID): run ``FUNCTION(job, ready)`` and
    write what it returns (or its error) to RESULT. ``ready()`` touches READY and waits for the parent's go."""
    fn_name, job, result, ready_file, parent = sys.argv[1:6]
    _die_with_parent(int(parent))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C reaches the parent, which stops us
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)  # inspect cancels the eval and writes its log

    def ready() -> None:
        Path(ready_file).touch()
        if not sys.stdin.read(1):  # the parent closed our stdin without a go: it is gone
            raise KeyboardInterrupt

    from importlib import import_module

    from teachwhy._io import atomic_write_json

    module, _, name = fn_name.partition(":")
    try:
        out: dict[str, Any] = {"ok": getattr(import_module(module), name)(json.loads(Path(job).read_text()), ready)}
    except TeachwhyError as e:
        out = {"error": e.message, "hint": e.hint}
    except KeyboardInterrupt:
        out = {"error": "stopped"}
    except Exception as e:  # reported by the parent, which names the worker
        out = {"error": f"{type(e).__name__}: {e}"}
    atomic_write_json(Path(result), out)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While inside: SIGTERM to this process raises SystemExit (so the children are stopped, not orphaned)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _go(p: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError, ValueError):
        assert p.stdin is not None
        p.stdin.write(b"g")
        p.stdin.close()


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM (a child cancels and writes its log), then SIGKILL after the grace period."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + _GRACE_S
    for p in procs:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
        if p.stdin is not None:
            with contextlib.suppress(OSError):
                p.stdin.close()


def _result(path: Path) -> dict[str, Any] | None:
    try:
        res = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return res if isinstance(res, dict) else None


def run_workers(
    fn: str,
    jobs: list[dict[str, Any]],
    work: Path,
    *,
    tick: Callable[[], None] | None = None,
    tick_s: float = 5.0,
) -> list[dict[str, Any]]:
    """Run ``fn(job, ready)`` in one process per job and return what each returned (a JSON object), in order.

    ``fn`` is ``"module:function"``; the function calls ``ready()`` just before its main work, and the workers start
    that work together once all are ready (or one has ended). Processes are fresh interpreters (not forks, and not
    ``multiprocessing``, which would import the caller's ``__main__`` again). ``tick`` is called every ``tick_s``
    seconds while they run (progress). If the parent is interrupted (Ctrl-C, SIGTERM, an exception) the children are
    stopped before it returns. A worker that fails raises :class:`TeachwhyError` naming it, after the others end.
    """
    work.mkdir(parents=True, exist_ok=True)
    files = [(work / f"job-{k}.json", work / f"result-{k}.json", work / f"ready-{k}") for k in range(len(jobs))]
    for (job_file, result, ready), job in zip(files, jobs, strict=True):
        result.unlink(missing_ok=True)
        ready.unlink(missing_ok=True)
        atomic_write_json(job_file, job)
    code = "from teachwhy.evals.honeypots._workers import child_main; child_main()"
    procs: list[subprocess.Popen[bytes]] = []
    with _sigterm_raises():
        try:
            for job_file, result, ready in files:
                procs.append(subprocess.Popen([sys.executable, "-c", code, fn, str(job_file), str(result), str(ready),
                                               str(os.getpid())], stdin=subprocess.PIPE))  # fmt: skip
            started, last_tick = False, time.monotonic()
            while any(p.poll() is None for p in procs):
                if not started and all(
                    r.exists() or p.poll() is not None for p, (_, _, r) in zip(procs, files, strict=True)
                ):
                    for p in procs:
                        _go(p)
                    started = True
                time.sleep(0.005 if not started else 0.2)
                if tick is not None and time.monotonic() - last_tick >= tick_s:
                    tick()
                    last_tick = time.monotonic()
        finally:
            _stop(procs)
            results = [_result(r) for _, r, _ in files]
            for f in (f for fs in files for f in fs):
                f.unlink(missing_ok=True)
    out: list[dict[str, Any]] = []
    failures = []
    for k, (p, res) in enumerate(zip(procs, results, strict=True)):
        res = res or {"error": f"it exited with code {p.returncode}"}
        if "error" in res:
            failures.append((k, res))
        out.append(res.get("ok") or {})
    if failures:
        k, res = failures[0]
        raise TeachwhyError(f"worker {k + 1} of {len(jobs)} failed: {res['error']}",
                            hint=res.get("hint") or "finished samples are kept; rerun the same command to finish "
                            "the rest (or use --workers 1)")  # fmt: skip
    return out
