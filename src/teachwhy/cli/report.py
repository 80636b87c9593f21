"""``teachwhy report``: the study's figures and tables as a self-contained HTML page."""

from __future__ import annotations

import typer

from teachwhy.cli._common import not_available

app = typer.Typer(help="Write the HTML report of a run directory.", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def report(run_dir: str = typer.Argument(..., help="Run directory.")) -> None:
    """Write RUN_DIR/report.html with the study's figures."""
    not_available("report", 7)
