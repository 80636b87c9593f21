"""``teachwhy data``: generate, augment and check training datasets."""

from __future__ import annotations

import typer

from teachwhy.cli._common import not_available

app = typer.Typer(help="Generate, augment and check training data (every dataset kind of the study).", no_args_is_help=True)


@app.command("generate")
def generate(kind: str = typer.Argument(..., help="Dataset kind.")) -> None:
    """Generate a dataset of KIND."""
    not_available("data generate", 5)
