"""``teachwhy eval``: honeypot suite, held-out assessment, constitution adherence, transcript classification.

The group is assembled from one module per eval family: ``eval_honeypots`` and ``eval_heldout``.
"""

from __future__ import annotations

import typer

from teachwhy.cli import eval_heldout, eval_honeypots, eval_propensity

app = typer.Typer(help="Evaluate models: honeypots, assessment, constitution; classify transcripts.", no_args_is_help=True)
app.add_typer(eval_honeypots.app, name="honeypots")
app.command("classify")(eval_honeypots.classify)
app.command("assessment")(eval_heldout.assessment)
app.command("constitution")(eval_heldout.constitution)
app.command("propensity")(eval_propensity.propensity)


def run_demo_eval(out: str) -> None:
    """The demo's main job until the experiment demo lands: the honeypot eval on the embedded model."""
    eval_honeypots.run_demo(out)
