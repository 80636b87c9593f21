"""``teachwhy experiment``: run an experiment grid from one YAML file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Run experiment grids (arms × datasets × stages × evals) with resume.", no_args_is_help=True)


def _echo(msg: str) -> None:
    typer.echo(msg, err=True)


def _report_failures(unfinished: Path) -> None:
    """Print every failed stage with its fix, and the stages that could not run because of them."""
    info = json.loads(unfinished.read_text(encoding="utf-8"))
    failed: dict[str, dict[str, object]] = info.get("failed", {})
    blocked = [s for s in info.get("unfinished", []) if s not in failed]
    _echo(f"error: {len(failed)} stage(s) failed" + (f"; {len(blocked)} stage(s) that need them did not run" if
          blocked else "") + f" (listed in {unfinished})")  # fmt: skip
    for sid, diag in failed.items():
        _echo(f"  {sid}: {diag.get('error')}")
        _echo(f"    fix: {diag.get('fix')}")
    if failed and all(d.get("retryable") for d in failed.values()):
        _echo("fix: run the same command again to resume (finished stages are kept)")
    else:
        _echo("fix: apply the fix named for each failed stage, then run the same command (finished stages are kept)")


@app.command("run")
def run(
    file: Path = typer.Argument(..., help="Experiment YAML."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the study mapping, the plan and the token/cost/GPU-hour estimate; run nothing."
    ),
    out: str | None = typer.Option(None, "--out", help="Run directory (overrides the file's `out`)."),
) -> None:
    """Run every stage of the experiment in FILE (finished stages are skipped; a crashed run continues),
    then write RUN/results.parquet, RUN/ledger.json and RUN/report/report.html. Exits 1 when a stage failed."""
    from teachwhy.experiments import dry_run as dry_run_text
    from teachwhy.experiments import load_experiment, run_all

    cfg = load_experiment(file, {"out": out})
    if dry_run:
        typer.echo(dry_run_text(cfg))
        return
    paths = run_all(cfg, progress=_echo)
    typer.echo(f"results: {paths['results']}\nreport:  {paths['report']}")
    if "unfinished" in paths:
        _report_failures(paths["unfinished"])
        raise typer.Exit(1)


@app.command("plan")
def plan(file: Path = typer.Argument(..., help="Experiment YAML.")) -> None:
    """Print the study mapping, the plan and the estimate (same as ``run --dry-run``)."""
    from teachwhy.experiments import dry_run as dry_run_text
    from teachwhy.experiments import load_experiment

    typer.echo(dry_run_text(load_experiment(file)))
