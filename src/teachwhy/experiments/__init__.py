"""Experiments: one YAML file -> a grid of stages (data, train, eval) run with caching and resume -> one results
table (Parquet), a cost ledger and the report.

>>> from teachwhy.experiments import ExperimentConfig, expand
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from teachwhy._io import atomic_write_json
from teachwhy.errors import ConfigError
from teachwhy.experiments.config import ExperimentConfig
from teachwhy.experiments.estimate import StageEstimate, estimate, format_estimates
from teachwhy.experiments.plan import Stage, expand, format_plan
from teachwhy.experiments.runner import StageRunner, diagnose, read_done, run_experiment, stage_dir
from teachwhy.experiments.study import format_study, study_tables
from teachwhy.experiments.validate import format_errors, preflight

__all__ = [
    "ExperimentConfig",
    "Stage",
    "StageEstimate",
    "StageRunner",
    "diagnose",
    "dry_run",
    "estimate",
    "expand",
    "finalize",
    "format_estimates",
    "format_plan",
    "format_study",
    "load_experiment",
    "preflight",
    "read_done",
    "run_all",
    "run_experiment",
    "stage_dir",
    "study_tables",
]


def load_experiment(path: Path | str, overrides: dict[str, Any] | None = None) -> ExperimentConfig:
    """Load and validate an experiment YAML (dotted ``overrides`` applied on top), including every arm/stage
    ``settings``, dataset ``options`` and eval ``settings`` against the schema of the tool they configure."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"experiment file not found: {path}", hint="pass the path of an experiment YAML")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}", hint="fix the YAML syntax at the line named") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of keys to values, got {type(data).__name__}")
    for key, value in (overrides or {}).items():
        if value is not None:
            *parents, leaf = key.split(".")
            node = data
            for p in parents:
                node = node.setdefault(p, {})
            node[leaf] = value
    try:
        cfg = ExperimentConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(format_errors(err, ExperimentConfig, data, str(path)),
                          hint="fix the keys named above (see docs/ARCHITECTURE.md, Experiments)") from None  # fmt: skip
    preflight(cfg, str(path))
    return cfg


def dry_run(cfg: ExperimentConfig) -> str:
    """What ``teachwhy experiment run --dry-run`` prints: the study mapping, the plan, and the estimate."""
    stages = expand(cfg)
    return "\n\n".join(
        [format_study(cfg, stages), format_plan(cfg, stages), format_estimates(cfg, estimate(cfg, stages))]
    )


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
    failures: dict[str, dict[str, Any]] = {}
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
