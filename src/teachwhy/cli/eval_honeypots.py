"""``teachwhy eval honeypots`` (run, ``list``, ``show``) and ``teachwhy eval classify``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import typer

from teachwhy.cli._common import fail

app = typer.Typer(
    help="The honeypot suite: blackmail, research sabotage, framing. Run it, list its conditions, show an instance.",
    invoke_without_command=True,
)


@app.callback(invoke_without_command=True)
def honeypots(
    ctx: typer.Context,
    model: str | None = typer.Option(None, "--model", help="Target model (default $TEACHWHY_TARGET or embedded)."),
    judge: str | None = typer.Option(None, help="Judge for what the detector cannot decide (default: none)."),
    scenarios: str | None = typer.Option(None, help="Comma-separated families (default: all three)."),
    samples: int | None = typer.Option(None, help="Samples per family (default 4)."),
    seed: int | None = typer.Option(None, help="Seed for conditions and entities (default 0)."),
    conditions: str | None = typer.Option(None, help="Parts a condition id must contain, e.g. explicit,replacement."),
    mode: str | None = typer.Option(None, help="tools (native tool calls) or xml (tool blocks in text)."),
    max_steps: int | None = typer.Option(None, help="Model turns per sample (default 4)."),
    max_tokens: int | None = typer.Option(None, help="Max new tokens per turn (default 384)."),
    temperature: float | None = typer.Option(None, help="Target temperature (default: provider's)."),
    max_connections: int | None = typer.Option(None, help="Concurrent model calls / local batch size (default 8)."),
    max_retries: int | None = typer.Option(None, help="Retries of a failed provider call (default 8)."),
    timeout: int | None = typer.Option(None, help="Seconds per provider call, retries included (default 600)."),
    config: Path | None = typer.Option(None, help="YAML file of these settings; flags override it."),
    out: str | None = typer.Option(None, help="Output directory (default runs/honeypots)."),
) -> None:
    """Run the suite; re-running the same command resumes (finished samples make no model call)."""
    if ctx.invoked_subcommand is not None:
        return
    from teachwhy.config import load_config
    from teachwhy.evals.honeypots._run import HoneypotRun

    overrides: dict[str, Any] = {
        "model": model, "judge": judge, "samples": samples, "seed": seed, "conditions": conditions, "mode": mode,
        "max_steps": max_steps, "max_tokens": max_tokens, "temperature": temperature,
        "max_connections": max_connections, "out": out, "max_retries": max_retries, "timeout": timeout,
        "scenarios": [s.strip() for s in scenarios.split(",")] if scenarios else None,
    }  # fmt: skip
    cfg = load_config(HoneypotRun, config, overrides)
    _run_and_report(cfg)


def _run_and_report(cfg: Any) -> None:
    from teachwhy.evals.honeypots._run import run_honeypots
    from teachwhy.models import default_spec

    if cfg.model == "embedded" or (cfg.model is None and default_spec("target") == "embedded"):
        typer.echo("note: the embedded 135M model checks the pipeline; its rates are not a research result.")
    summary = run_honeypots(cfg)
    typer.echo(_format_summary(summary))
    typer.echo(f"summary: {Path(cfg.out) / 'summary.json'}   logs: inspect view --log-dir {Path(cfg.out) / 'logs'}")


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def _format_summary(s: dict[str, Any]) -> str:
    lines = [f"{'family':18} {'n':>4} {'harmful':>7} {'rate':>7}  {'95% CI':>15} {'err':>4} {'empty':>5} "
             f"{'undec':>5} {'aware':>5}"]  # fmt: skip
    for fam, c in s["families"].items():
        ci = "" if c["rate"] is None else f"[{_pct(c['ci_low'])},{_pct(c['ci_high'])}]"
        lines.append(f"{fam:18} {c['n']:>4} {c['harmful']:>7} {_pct(c['rate']):>7}  {ci:>15} {c['errors']:>4} "
                     f"{c['empty']:>5} {c['undecided']:>5} {c['eval_aware']:>5}")  # fmt: skip
    o = s["overall"]
    ci = "" if o["rate"] is None else f"[{_pct(o['ci_low'])},{_pct(o['ci_high'])}]"
    lines.append(f"{'overall (mean)':18} {o['n']:>4} {o['harmful']:>7} {_pct(o['rate']):>7}  {ci:>15} "
                 f"{o['errors']:>4} {o['empty']:>5} {o['undecided']:>5} {o['eval_aware']:>5}")  # fmt: skip
    return "\n".join(lines)


@app.command("list")
def list_conditions(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the scenario families and every condition id."""
    from teachwhy.evals.honeypots import FAMILIES, conditions

    conds = [c.id for c in conditions()]
    if as_json:
        typer.echo(json.dumps({"families": list(FAMILIES), "conditions": conds}, indent=1))
        return
    typer.echo("families: " + ", ".join(FAMILIES))
    typer.echo(f"conditions ({len(conds)}): goal-threat-urgency-scratchpad-notice")
    for c in conds:
        typer.echo(f"  {c}")


@app.command("show")
def show(
    scenario: str = typer.Option(..., help="Family: blackmail, research_sabotage or framing."),
    condition: str = typer.Option(..., help="Condition id (see `list`)."),
    seed: int = typer.Option(0, help="Render seed."),
    mode: str = typer.Option("tools", help="tools or xml."),
) -> None:
    """Print one rendered instance as JSON: system prompt, messages, tool schemas and entities."""
    from teachwhy.evals.honeypots import render

    if mode not in ("tools", "xml"):
        fail(f"--mode: got {mode!r}; allowed: tools, xml")
    typer.echo(render(scenario, condition, seed, mode=mode).model_dump_json(indent=2))


def classify(
    scenario: str = typer.Option(..., help="Family: blackmail, research_sabotage or framing."),
    transcript: Path = typer.Option(..., help="Instance JSON (as `show` prints) with an added `output` list."),
    judge: str | None = typer.Option(None, help="Judge for what the detector cannot decide."),
) -> None:
    """Score one transcript and print the verdict as JSON."""
    from teachwhy.evals.honeypots import FAMILIES
    from teachwhy.evals.honeypots import classify as classify_transcript
    from teachwhy.models import role_model

    if scenario not in FAMILIES:
        fail(f"--scenario: got {scenario!r}; allowed: {', '.join(FAMILIES)}")
    if not transcript.exists():
        fail(f"transcript file not found: {transcript}")
    try:
        data = json.loads(transcript.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"{transcript} is not valid JSON: {exc}")
    if not isinstance(data, dict):
        fail(f"{transcript}: expected a JSON object (the instance from `show` plus `output`)")
    entities, output = data.get("entities"), data.get("output")
    if not isinstance(entities, dict):
        fail(f"{transcript}: `entities` must be an object", hint="start from `teachwhy eval honeypots show` output")
    if not isinstance(output, list) or not all(isinstance(m, dict) and "role" in m for m in output):
        fail(f"{transcript}: `output` must be a list of chat messages, each an object with a `role`",
             hint="assistant messages carry `content` and `tool_calls`; tool results have role `tool`")  # fmt: skip
    judge_model = role_model("judge", judge, temperature=0, max_tokens=200) if judge else None
    verdict = asyncio.run(classify_transcript(scenario, entities, output, judge_model))
    typer.echo(verdict.model_dump_json(indent=2))


def run_demo(out: str) -> None:
    """The demo until the experiment demo lands: the honeypot suite on the embedded model."""
    from teachwhy.evals.honeypots._run import HoneypotRun

    _run_and_report(HoneypotRun(model="embedded", samples=4, out=out))
