"""``teachwhy train``: SFT, synthetic-document fine-tuning and RL on TRL."""

from __future__ import annotations

import typer

from teachwhy.cli._common import not_available

app = typer.Typer(help="Train: sft, sdf (documents) and rl (GRPO), with eval snapshots.", no_args_is_help=True)


@app.command("sft")
def sft() -> None:
    """Supervised fine-tuning on chat data."""
    not_available("train sft", 6)
