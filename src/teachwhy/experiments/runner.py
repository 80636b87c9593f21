"""Run an experiment's stages with caching and resume.

Each stage runs in ``RUN/stages/<id>-<key>/``. After it succeeds, ``done.json`` (the stage's result, key, seconds
and provenance) is written atomically; a stage with a ``done.json`` whose key matches is never run again. A stage
that crashed has no marker: the next run calls it again in the same directory, where the underlying tools resume
their own partial work (the honeypot ledger, training checkpoints, the data generator's item ledger).

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

__all__ = ["DONE", "StageRunner", "run_experiment", "stage_dir", "read_done"]

DONE = "done.json"


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
    failures: dict[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run every stage not yet done, in plan order; returns ``{stage id: marker}`` for finished stages.

    A stage whose dependency is not finished (because ``only`` skipped it, or it failed) is skipped too. A failing
    stage raises :class:`TeachwhyError` naming it (its traceback is in ``error.txt`` in its directory); with
    ``keep_going`` the failure is recorded in ``failures`` and the stages that do not depend on it still run.
    """
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
            why = f"{type(exc).__name__}: {exc}"
            atomic_write_text(workdir / "error.txt", traceback.format_exc())
            append_jsonl(events, {"event": "failed", "stage": stage.id, "key": stage.key, "error": why})
            progress(f"{tag}: FAILED ({why}); traceback in {workdir / 'error.txt'}")
            if not keep_going:
                raise TeachwhyError(
                    f"stage {stage.id} failed: {why}",
                    hint="fix the cause and run the same command again: finished stages are kept",
                ) from exc
            if failures is not None:
                failures[stage.id] = why
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
