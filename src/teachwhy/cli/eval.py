"""``teachwhy eval``: honeypot suite, held-out assessment, constitution adherence, transcript classification."""

from __future__ import annotations

import typer

from teachwhy.cli._common import not_available

app = typer.Typer(help="Evaluate models: honeypots, assessment, constitution; classify transcripts.", no_args_is_help=True)


@app.command("assessment")
def assessment() -> None:
    """Held-out automated alignment assessment."""
    not_available("eval assessment", 4)


@app.command("constitution")
def constitution() -> None:
    """Constitution-adherence eval."""
    not_available("eval constitution", 4)


def run_demo_eval(out: str) -> None:
    """The demo's main job until the experiment demo lands."""
    not_available("demo", 3)
