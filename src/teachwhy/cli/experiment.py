"""``teachwhy experiment``: run an experiment grid from one YAML file."""

from __future__ import annotations

import typer

from teachwhy.cli._common import not_available

app = typer.Typer(help="Run experiment grids (arms × datasets × stages × evals) with resume.", no_args_is_help=True)


@app.command("run")
def run(file: str = typer.Argument(..., help="Experiment YAML.")) -> None:
    """Run every stage of the experiment in FILE."""
    not_available("experiment run", 7)
