"""``teachwhy report``: the study's figures and tables as a self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import typer

from teachwhy.errors import TeachwhyError

app = typer.Typer(help="Write the HTML report of a run directory.", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def report(run_dir: Path = typer.Argument(..., help="Run directory (of `teachwhy experiment run`).")) -> None:
    """Write RUN_DIR/report/report.html (figures embedded) and the PNGs; print the page's path.

    The results table, ledger and timings are rebuilt from the finished stages first when the experiment's
    config is there, so the report can be refreshed while a run is still going.
    """
    from teachwhy.cli._common import readable_dir
    from teachwhy.experiments import ExperimentConfig, expand, finalize, read_done
    from teachwhy.report import write_report

    readable_dir(run_dir, "RUN_DIR")
    exp = run_dir / "experiment.json"
    if exp.exists():
        import json

        from pydantic import ValidationError

        try:
            cfg = ExperimentConfig.model_validate(json.loads(exp.read_text(encoding="utf-8"))["config"])
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            raise TeachwhyError(
                f"{exp} is not an experiment record this version can read ({type(exc).__name__})",
                hint="rerun `teachwhy experiment run FILE` into this directory (finished stages are kept)",
            ) from None
        done = {s.id: m for s in expand(cfg) if (m := read_done(run_dir, s)) is not None}
        page = finalize(cfg, run_dir, done)["report"]
    else:
        page = write_report(run_dir)
    typer.echo(str(page))
