"""Run an experiment's stages with caching and resume.

Each stage runs in ``RUN/stages/<id>-<key>/``. After it succeeds, ``done.json`` (the stage's result, key, seconds
and provenance) is written atomically; a stage with a ``done.json`` whose key matches is never run again. A stage
that crashed has no marker: the next run calls it again in the same directory, where the underlying tools resume
their own partial work (the honeypot ledger, training checkpoints, the data generator's item ledger).

Before anything runs or any file is written, every stage's config is built and validated (``validate.preflight``).
A failed stage is diagnosed (:func:`diagnose`): only a failure a rerun can fix (an interruption, a provider or
connection error) says "run the same command again"; any other says what to fix.

The work of each kind of stage is done by a :class:`StageRunner`; tests pass a fake one.
"""

from __future__ import annotations

import json
import resource
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from teachwhy._io import append_jsonl, atomic_write_json, atomic_write_text
from teachwhy._provenance import provenance
from teachwhy.errors import TeachwhyError
from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.plan import Stage, expand

__all__ = ["DONE", "StageRunner", "diagnose", "run_experiment", "stage_dir", "read_done"]

DONE = "done.json"

# Exception class names (anywhere in the chain) of failures that a rerun can fix: providers' rate limits,
# overloads, server errors and time-outs (openai, anthropic, google, httpx), and dropped connections.
_TRANSIENT = {
    "RateLimitError", "APIConnectionError", "APITimeoutError", "InternalServerError", "ServiceUnavailableError",
    "OverloadedError", "ResourceExhausted", "ServiceUnavailable", "DeadlineExceeded", "TimeoutException",
    "ConnectError", "ConnectTimeout", "ReadTimeout", "ReadError", "RemoteProtocolError", "PoolTimeout",
}  # fmt: skip


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in out and len(out) < 10:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def diagnose(exc: BaseException, error_file: Path | str) -> dict[str, Any]:
    """``{error, retryable, fix}`` for a failed stage: rerun only where a rerun can help, else the fix.

    >>> diagnose(TimeoutError("read timed out"), "e.txt")["retryable"]
    True
    >>> d = diagnose(TeachwhyError("bad model", hint="pass --model DIR"), "e.txt")
    >>> d["retryable"], d["fix"]
    (False, 'pass --model DIR')
    """
    why = f"{type(exc).__name__}: {exc}".strip()
    chain = _chain(exc)
    for e in chain:
        names = {c.__name__ for c in type(e).__mro__}
        status = getattr(e, "status_code", None)
        transient_status = isinstance(status, int) and (status == 429 or status >= 500)
        if names & _TRANSIENT or transient_status or isinstance(e, TimeoutError | ConnectionError | InterruptedError):
            return {"error": why, "retryable": True,
                    "fix": f"a transient provider or connection failure ({type(e).__name__}): run the same command "
                           "again to resume (finished stages are kept)"}  # fmt: skip
    for e in chain:
        if isinstance(e, TeachwhyError):
            return {"error": why, "retryable": False,
                    "fix": e.hint or f"fix the cause named above ({e.message.splitlines()[0]}), then rerun"}  # fmt: skip
        if isinstance(e, MemoryError) or type(e).__name__ == "OutOfMemoryError" or "out of memory" in str(e).lower():
            return {"error": why, "retryable": False,
                    "fix": "out of memory: lower train.batch_size (raise train.grad_accum to keep the batch) or "
                           "train.max_length in the arm's settings, then rerun"}  # fmt: skip
        if isinstance(e, ImportError):
            return {
                "error": why,
                "retryable": False,
                "fix": f"install the missing package ({e.name or e}) into the environment, then rerun",
            }
        if isinstance(e, FileNotFoundError):
            return {
                "error": why,
                "retryable": False,
                "fix": f"{e.filename or 'a file'} does not exist: create it or correct the path, then rerun",
            }
    return {"error": why, "retryable": False,
            "fix": f"not a transient failure, so a rerun would fail the same way: read the traceback in {error_file}, "
                   "fix the cause, then run the same command (finished stages are kept)"}  # fmt: skip


class StageRunner(Protocol):
    """Does one stage's work in ``workdir``; returns what later stages and the report need (JSON-able)."""

    def __call__(self, stage: Stage, workdir: Path, inputs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        """Run ``stage``; ``inputs`` maps each dep's id to its result."""
        ...


def stage_dir(run_dir: Path, stage: Stage) -> Path:
    """Where ``stage`` works and keeps its marker."""
    return run_dir / "stages" / stage.dirname


def read_done(run_dir: Path, stage: Stage) -> dict[str, Any] | None:
    """The finished stage's marker, or None (not run, crashed, or run under another key)."""
    path = stage_dir(run_dir, stage) / DONE
    if not path.exists():
        return None
    marker: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return marker if marker.get("key") == stage.key else None


def run_experiment(
    cfg: ExperimentConfig,
    runner: StageRunner | None = None,
    *,
    run_dir: Path | None = None,
    progress: Callable[[str], None] = print,
    only: Callable[[Stage], bool] | None = None,
    keep_going: bool = False,
    failures: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run every stage not yet done, in plan order; returns ``{stage id: marker}`` for finished stages.

    Every stage's settings are validated first (nothing is written when one is wrong). A stage whose dependency is
    not finished (because ``only`` skipped it, or it failed) is skipped too. A failing stage raises
    :class:`TeachwhyError` naming it and the fix (its traceback is in ``error.txt`` in its directory); with
    ``keep_going`` the failure is recorded in ``failures`` (``{stage id: diagnose(...)}``) and the stages that do not
    depend on it still run.
    """
    from teachwhy.experiments.validate import preflight

    preflight(cfg, f"experiment {cfg.name!r}")
    if runner is None:
        from teachwhy.experiments.stages import run_stage

        runner = run_stage
    run_dir = Path(run_dir or cfg.out)
    run_dir.mkdir(parents=True, exist_ok=True)
    stages = expand(cfg)
    atomic_write_json(run_dir / "experiment.json", {"config": cfg.model_dump(), **provenance(cfg.model_dump())})
    atomic_write_json(run_dir / "plan.json", [_stage_json(s) for s in stages])
    events = run_dir / "events.jsonl"
    done: dict[str, dict[str, Any]] = {}
    for i, stage in enumerate(stages, 1):
        tag = f"stage {i}/{len(stages)} {stage.id}"
        marker = read_done(run_dir, stage)
        if marker is not None:
            done[stage.id] = marker
            progress(f"{tag}: done earlier ({marker['seconds']:.0f}s), skipped")
            continue
        if only is not None and not only(stage):
            continue
        if any(d not in done for d in stage.deps):
            progress(f"{tag}: waiting for {', '.join(d for d in stage.deps if d not in done)}")
            continue
        workdir = stage_dir(run_dir, stage)
        workdir.mkdir(parents=True, exist_ok=True)
        progress(f"{tag}: running in {workdir}")
        append_jsonl(events, {"event": "start", "stage": stage.id, "key": stage.key, "time": time.time()})
        t0, c0 = time.monotonic(), _cpu()
        try:
            result = runner(stage, workdir, {d: done[d]["result"] for d in stage.deps})
        except Exception as exc:
            atomic_write_text(workdir / "error.txt", traceback.format_exc())
            diag = diagnose(exc, workdir / "error.txt")
            append_jsonl(events, {"event": "failed", "stage": stage.id, "key": stage.key, **diag})
            progress(f"{tag}: FAILED ({diag['error']}); traceback in {workdir / 'error.txt'}")
            if not keep_going:
                raise TeachwhyError(f"stage {stage.id} failed: {diag['error']}", hint=diag["fix"]) from exc
            if failures is not None:
                failures[stage.id] = diag
            continue
        seconds, cpu = round(time.monotonic() - t0, 2), round(_cpu() - c0, 2)
        marker = {"stage": stage.id, "key": stage.key, "kind": stage.kind, "seconds": seconds, "cpu_seconds": cpu,
                  "result": result, "provenance": provenance(stage.spec)}  # fmt: skip
        atomic_write_json(workdir / DONE, marker)
        append_jsonl(events, {"event": "done", "stage": stage.id, "key": stage.key, "seconds": seconds})
        done[stage.id] = marker
        progress(f"{tag}: finished in {seconds:.0f}s wall, {cpu:.0f} CPU-s")
    return done


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _stage_json(s: Stage) -> dict[str, Any]:
    return {"id": s.id, "kind": s.kind, "key": s.key, "deps": list(s.deps), "arm": s.arm, "seed": s.seed,
            "repeat": s.repeat, "meta": s.meta, "dir": f"stages/{s.dirname}", "spec": s.spec}  # fmt: skip
