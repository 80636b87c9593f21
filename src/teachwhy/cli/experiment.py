"""``teachwhy experiment``: run an experiment grid from one YAML file."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Run experiment grids (arms × datasets × stages × evals) with resume.", no_args_is_help=True)


def _echo(msg: str) -> None:
    typer.echo(msg, err=True)


@app.command("run")
def run(
    file: Path = typer.Argument(..., help="Experiment YAML."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan (every stage, its key and inputs); run nothing."),  # noqa: E501
    out: str | None = typer.Option(None, "--out", help="Run directory (overrides the file's `out`)."),
) -> None:
    """Run every stage of the experiment in FILE (finished stages are skipped; a crashed run continues),
    then write RUN/results.parquet, RUN/ledger.json and RUN/report/report.html."""
    from teachwhy.experiments import expand, format_plan, load_experiment, run_all

    cfg = load_experiment(file, {"out": out})
    if dry_run:
        typer.echo(format_plan(cfg, expand(cfg)))
        return
    paths = run_all(cfg, progress=_echo)
    typer.echo(f"results: {paths['results']}\nreport:  {paths['report']}")
    if "unfinished" in paths:
        typer.echo(f"error: some stages failed or could not run: {paths['unfinished']}; rerun to resume", err=True)
        raise typer.Exit(1)


@app.command("plan")
def plan(file: Path = typer.Argument(..., help="Experiment YAML.")) -> None:
    """Print the plan (same as ``run --dry-run``)."""
    from teachwhy.experiments import expand, format_plan, load_experiment

    cfg = load_experiment(file)
    typer.echo(format_plan(cfg, expand(cfg)))
