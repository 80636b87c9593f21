"""``teachwhy eval honeypots`` and ``teachwhy eval classify`` (issue 3)."""

from __future__ import annotations

import typer

from teachwhy.cli._common import not_available

app = typer.Typer(help="The honeypot suite: blackmail, research sabotage, framing.", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def honeypots() -> None:
    """Run the honeypot suite."""
    not_available("eval honeypots", 3)


def classify() -> None:
    """Score one transcript and print the verdict as JSON."""
    not_available("eval classify", 3)


def run_demo(out: str) -> None:
    """Honeypot eval on the embedded model."""
    not_available("demo", 3)
