"""The ``teachwhy`` command line: one module per command group."""

from __future__ import annotations

import os
import sys

import typer

from teachwhy import __version__
from teachwhy.cli import data, eval, experiment, models, report, train
from teachwhy.cli._common import quiet_libraries, run_guarded, set_verbose

app = typer.Typer(
    name="teachwhy",
    help="Principled alignment training: evaluate → generate data → train → compare.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(models.app, name="models")
app.add_typer(eval.app, name="eval")
app.add_typer(data.app, name="data")
app.add_typer(train.app, name="train")
app.add_typer(experiment.app, name="experiment")
app.add_typer(report.app, name="report")


@app.command("demo")
def demo(
    out: str = typer.Option("runs/demo", help="Output directory."),
) -> None:
    """Run the main job on the embedded model (offline): model organism, two interventions, held-out blackmail
    honeypots and propensity probes on every arm, then the report (experiments/demo.yaml; resumable)."""
    from teachwhy.experiments.demo import run_demo

    run_demo(out)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"teachwhy {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Also show library warnings and info logs (quiet by default)."
    ),
) -> None:
    """Principled alignment training toolkit."""
    if verbose:
        set_verbose()


def main() -> None:
    """Entry point: run the CLI quietly, turning every user error into `error:` / `fix:` and exit code 2."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    quiet_libraries()
    sys.exit(run_guarded(app))
