"""Experiments: one YAML file -> a grid of stages (data, train, eval) run with caching and resume -> one results
table (Parquet), a cost ledger and the report.

>>> from teachwhy.experiments import ExperimentConfig, expand
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teachwhy._io import atomic_write_json
from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.plan import Stage, expand, format_plan
from teachwhy.experiments.runner import StageRunner, read_done, run_experiment, stage_dir

__all__ = [
    "ExperimentConfig",
    "Stage",
    "StageRunner",
    "expand",
    "finalize",
    "format_plan",
    "load_experiment",
    "read_done",
    "run_all",
    "run_experiment",
    "stage_dir",
]


def load_experiment(path: Path | str, overrides: dict[str, Any] | None = None) -> ExperimentConfig:
    """Load and validate an experiment YAML (dotted ``overrides`` applied on top)."""
    from teachwhy.config import load_config

    return load_config(ExperimentConfig, Path(path), overrides)


def finalize(cfg: ExperimentConfig, run_dir: Path, done: dict[str, dict[str, Any]]) -> dict[str, Path]:
    """Write the results table, the cost ledger, stage timings and the report from the finished stages."""
    from teachwhy.experiments.ledger import build_ledger
    from teachwhy.experiments.results import RESULTS, collect, write_results
    from teachwhy.report import write_report

    rows = collect(cfg, run_dir, done)
    results = write_results(rows, run_dir / RESULTS)
    atomic_write_json(run_dir / "ledger.json", build_ledger(cfg, run_dir, done))
    timings = [{"stage": s.id, "seconds": done[s.id]["seconds"], "cpu_seconds": done[s.id].get("cpu_seconds")}
               for s in expand(cfg) if s.id in done]  # fmt: skip
    timings.append({"stage": "total (sum of stages)", "seconds": round(sum(t["seconds"] for t in timings), 1),
                    "cpu_seconds": round(sum(t["cpu_seconds"] or 0 for t in timings), 1)})  # fmt: skip
    atomic_write_json(run_dir / "timings.json", timings)
    report = write_report(run_dir)
    return {"results": results, "ledger": run_dir / "ledger.json", "report": report}


def run_all(
    cfg: ExperimentConfig,
    *,
    runner: StageRunner | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, Path]:
    """Run (or resume) every stage, then write results, ledger and report (also when some stages failed: those,
    and the stages that need them, are listed in ``RUN/unfinished.json`` and returned as ``paths["unfinished"]``)."""
    run_dir = Path(cfg.out)
    failures: dict[str, str] = {}
    done = run_experiment(cfg, runner, run_dir=run_dir, progress=progress, keep_going=True, failures=failures)
    paths = finalize(cfg, run_dir, done)
    missing = [s.id for s in expand(cfg) if s.id not in done]
    if missing:
        atomic_write_json(run_dir / "unfinished.json", {"unfinished": missing, "failed": failures})
        paths["unfinished"] = run_dir / "unfinished.json"
    elif (run_dir / "unfinished.json").exists():
        (run_dir / "unfinished.json").unlink()
    progress(json.dumps({k: str(v) for k, v in paths.items()}))
    return paths
