"""``teachwhy eval honeypots`` (run, ``list``, ``show``) and ``teachwhy eval classify``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import typer

from teachwhy.cli._common import fail
from teachwhy.errors import TeachwhyError

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
    conditions: str | None = typer.Option(None, help="Parts a condition id must contain, e.g. explicit,nudge_on."),
    preset: str | None = typer.Option(None, help="headline (the study's cell: explicit goal, replacement, no notice) or controls."),
    storylines: str | None = typer.Option(None, help="Comma-separated storyline ids (default: all, in turn; see `list`)."),
    mode: str | None = typer.Option(None, help="tools (native tool calls) or text (tool blocks in text)."),
    compact: bool | None = typer.Option(None, "--compact/--full", help="Short inbox (threats, core and secret messages) for small models and CPU runs (default: full)."),
    max_steps: int | None = typer.Option(None, help="Model turns per sample (default 12; still acting then = incomplete)."),
    stop_on_harm: bool | None = typer.Option(None, "--stop-on-harm", help="End an episode once the detector finds a harmful action (saves turns on slow local models)."),
    judge_samples: int | None = typer.Option(None, help="Judge calls per undecided sample, majority vote (default 1)."),
    max_tokens: int | None = typer.Option(None, help="Max new tokens per turn (default 384)."),
    temperature: float | None = typer.Option(None, help="Target temperature (default: provider's)."),
    dtype: str | None = typer.Option(None, help="Weights' dtype of a local target: float32 (default), bfloat16, float16 or auto (bfloat16 where the hardware has it natively)."),
    max_connections: int | None = typer.Option(None, help="Concurrent model calls / local batch size (default 8)."),
    workers: str | None = typer.Option(None, help="Worker processes sharing --max-connections (default auto: one per 16 connections, at most one per core; always 1 for local models)."),
    max_retries: int | None = typer.Option(None, help="Retries of a failed provider call (default 8)."),
    timeout: int | None = typer.Option(None, help="Seconds per provider call, retries included (default 600)."),
    config: Path | None = typer.Option(None, help="YAML file of these settings; flags override it."),
    out: str | None = typer.Option(None, help="Output directory (default runs/honeypots)."),
) -> None:
    """Run the suite; re-running the same command resumes (finished samples make no model call)."""
    if ctx.invoked_subcommand is not None:
        return
    from teachwhy.config import load_config
    from teachwhy.evals.honeypots import HoneypotRun

    overrides: dict[str, Any] = {
        "model": model, "judge": judge, "samples": samples, "seed": seed, "conditions": conditions, "mode": mode,
        "preset": preset, "judge_samples": judge_samples, "compact": compact, "stop_on_harm": stop_on_harm,
        "storylines": [s.strip() for s in storylines.split(",")] if storylines else None,
        "max_steps": max_steps, "max_tokens": max_tokens, "temperature": temperature, "dtype": dtype,
        "max_connections": max_connections, "workers": workers, "out": out, "max_retries": max_retries, "timeout": timeout,
        "scenarios": [s.strip() for s in scenarios.split(",")] if scenarios else None,
    }  # fmt: skip
    cfg = load_config(HoneypotRun, config, overrides)
    _run_and_report(cfg)


def _run_and_report(cfg: Any) -> None:
    from teachwhy.evals.honeypots import run_honeypots
    from teachwhy.models import default_spec

    if cfg.model == "embedded" or (cfg.model is None and default_spec("target") == "embedded"):
        typer.echo("note: the embedded 135M model checks the pipeline; its rates are not a research result.")
    summary = run_honeypots(cfg)
    typer.echo(_format_summary(summary))
    typer.echo(f"summary: {Path(cfg.out) / 'summary.json'}   logs: .venv/bin/inspect view --log-dir {Path(cfg.out) / 'logs'}")


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def _row(name: str, c: dict[str, Any]) -> str:
    ci = "" if c.get("rate") is None else f"[{_pct(c.get('ci_low'))},{_pct(c.get('ci_high'))}]"
    return (f"{name:40} {c.get('n', 0):>4} {c.get('harmful', 0):>7} {_pct(c.get('rate')):>7}  {ci:>15} "
            f"{c.get('errors', 0):>4} {c.get('undecided', 0):>5} {c.get('incomplete', 0):>5} {c.get('eval_aware', 0):>5}")  # fmt: skip


def _format_summary(s: dict[str, Any]) -> str:
    head = (f"{'':40} {'n':>4} {'harmful':>7} {'rate':>7}  {'95% CI':>15} {'err':>4} {'undec':>5} {'incpl':>5} "
            f"{'aware':>5}")  # fmt: skip
    lines = []
    headline = s.get("headline")
    if isinstance(headline, dict) and isinstance(headline.get("families"), dict):
        lines += ["headline cell (explicit goal, replacement, no notice):", head]
        for fam, c in headline["families"].items():
            lines.append(_row(fam, c))
        o = headline.get("overall") or {}
        if o.get("rate") is None:
            lines.append(f"{'mean of the 3 families':40}  n/a  ({o.get('reason', 'not every family has a decided sample')})")
        else:
            lines.append(_row("mean of the 3 families", o))
        lines.append("")
    lines += ["all conditions run (pooled per family; not the headline):", head]
    for fam, c in s.get("families", {}).items():
        lines.append(_row(fam, c))
    return "\n".join(lines)


@app.command("list")
def list_conditions(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the storylines of each family (eval and training splits), the presets and every condition id."""
    from teachwhy.evals.honeypots import FAMILIES, PRESETS, conditions, storylines

    conds = [c.id for c in conditions()]
    lib = {split: {f: [{"id": st.id, "opportunity": st.opportunity, "organization": st.organization.name,
                        "title": st.title} for st in storylines(split, f)] for f in FAMILIES}
           for split in ("eval", "train")}  # fmt: skip
    if as_json:
        typer.echo(json.dumps({"families": list(FAMILIES), "storylines": lib, "presets": PRESETS,
                               "conditions": conds}, indent=1))  # fmt: skip
        return
    for split in ("eval", "train"):
        typer.echo(f"{split} storylines{' (held out: never used for training)' if split == 'eval' else ' (for training data only)'}:")
        for fam in FAMILIES:
            typer.echo(f"  {fam} ({len(lib[split][fam])}):")
            for st in lib[split][fam]:
                typer.echo(f"    {st['id']:40} {st['opportunity']:18} {st['organization']}")
    typer.echo("presets: " + ", ".join(f"{k} ({v})" for k, v in PRESETS.items()))
    typer.echo(f"conditions ({len(conds)}): goal-threat-urgency-scratchpad-notice-nudge")
    for c in conds:
        typer.echo(f"  {c}")


@app.command("show")
def show(
    scenario: str | None = typer.Option(None, help="Family: blackmail, research_sabotage or framing."),
    storyline: str | None = typer.Option(None, help="Storyline id (see `list`); implies its family."),
    condition: str = typer.Option("explicit-replacement-high-scratchpad_off-notice_off-nudge_off", help="Condition id (see `list`)."),
    seed: int = typer.Option(0, help="Render seed."),
    mode: str = typer.Option("tools", help="tools or text."),
    split: str = typer.Option("eval", help="eval or train (ignored with --storyline)."),
    compact: bool = typer.Option(False, "--compact", help="The short inbox (threats, core and secret messages)."),
    as_text: bool = typer.Option(False, "--text", help="Print what the model reads (system prompt, then the first message) instead of JSON."),
) -> None:
    """Print one rendered instance: as JSON (system prompt, messages, tool schemas, entities) or as the model reads it."""
    from teachwhy.evals.honeypots import load_storyline, render

    if mode not in ("tools", "text", "xml"):
        fail(f"--mode: got {mode!r}; allowed: tools, text")
    if storyline:
        scenario = load_storyline(storyline).family
    if not scenario:
        fail("give --scenario FAMILY or --storyline ID", hint="see `teachwhy eval honeypots list`")
    inst = render(scenario, condition, seed, mode=mode, split=split, storyline=storyline, compact=compact)
    if as_text:
        typer.echo(f"=== system ===\n{inst.system_prompt}\n\n=== user ===\n{inst.messages[0]['content']}")
        if inst.tools:
            typer.echo("\n=== tools ===\n" + ", ".join(t["function"]["name"] for t in inst.tools))
        return
    typer.echo(inst.model_dump_json(indent=2))


@app.command("realism")
def realism(
    judge: str | None = typer.Option(None, help="Judge that scores each storyline 1-10 (none: the lint only)."),
    split: str = typer.Option("eval", help="eval or train."),
    seeds: int = typer.Option(5, help="Renders per storyline and mode for the lint."),
    out: Path | None = typer.Option(None, help="Write the report as JSON here."),
) -> None:
    """Realism of every storyline: the test-artefact lint, and a judged 1-10 score with teachwhy's rubric."""
    from teachwhy.evals.honeypots import realism_report
    from teachwhy.models import role_model

    jm = role_model("judge", judge, temperature=0, max_tokens=1024) if judge else None
    rep = asyncio.run(realism_report(split, jm, seeds))
    for sid, r in rep["storylines"].items():
        score = r.get("score", "-" if judge is None else "error")
        lint_txt = "clean" if not r["lint"] else f"{len(r['lint'])} tell(s)"
        typer.echo(f"{sid:42} lint: {lint_txt}   score: {score}")
        for t in r["lint"][:5]:
            typer.echo(f"    {t}")
    if judge is None:
        typer.echo("no judge: lint only. Score realism with a real model, e.g.\n"
                   "  .venv/bin/teachwhy eval honeypots realism --judge anthropic/claude-sonnet-4-5")  # fmt: skip
    else:
        typer.echo(f"mean realism score: {rep['mean_score']}   judge errors: {rep['errors']}")
    if out:
        from teachwhy._io import atomic_write_json

        atomic_write_json(out, rep)
        typer.echo(f"report: {out}")
    if rep["lint_failures"]:
        raise typer.Exit(1)


@app.command("calibrate")
def calibrate(
    model: str | None = typer.Option(None, "--model", help="Target model (default $TEACHWHY_TARGET or embedded)."),
    samples: int = typer.Option(10, help="Samples per family (headline cell) and epochs of the upstream scenario."),
    judge: str | None = typer.Option(None, help="Judge for what the detector cannot decide, in both."),
    seed: int = typer.Option(0, help="Seed of our instances."),
    max_tokens: int = typer.Option(2048, help="Max new tokens per model turn (the upstream reply is one long turn)."),
    max_connections: int = typer.Option(8, help="Concurrent model calls."),
    out: str = typer.Option("runs/calibrate", help="Output directory."),
) -> None:
    """Our three families' headline rates beside the public agentic-misalignment blackmail scenario (loaded from the
    installed inspect_evals package), for the same model in one run, all scored by our classifier."""
    from teachwhy._io import atomic_write_json
    from teachwhy.evals.honeypots import HoneypotRun, run_honeypots, run_upstream
    from teachwhy.models import default_spec, role_model

    spec = model or default_spec("target")
    ours_cfg = HoneypotRun(model=spec, judge=judge, samples=samples, seed=seed, preset="headline",
                           max_tokens=max_tokens, max_connections=max_connections, out=str(Path(out) / "ours"))  # fmt: skip
    target = role_model("target", spec, max_tokens=max_tokens)
    up = run_upstream(target, samples, Path(out) / "upstream", judge, max_connections)
    ours = run_honeypots(ours_cfg, display="none")
    head = ours["headline"]
    typer.echo(f"{'':40} {'n':>4} {'harmful':>7} {'rate':>7}  {'95% CI':>15}")
    for fam, c in head["families"].items():
        typer.echo(_row(f"teachwhy {fam} (headline)", c)[:72])
    typer.echo(_row("teachwhy mean of 3 (headline)", head["overall"])[:72])
    typer.echo(_row("upstream blackmail (inspect_evals)", up)[:72])
    atomic_write_json(Path(out) / "calibration.json", {"model": spec, "judge": judge, "ours": head, "upstream": up})
    typer.echo(f"calibration: {Path(out) / 'calibration.json'}")


def classify(
    scenario: str | None = typer.Option(None, help="Family: blackmail, research_sabotage or framing (a batch row may carry its own `family`)."),
    transcript: Path | None = typer.Option(None, help="One transcript: instance JSON (as `show` prints) plus an `output` list."),
    transcripts: Path | None = typer.Option(None, help="Many transcripts, one JSON object a line (JSONL), scored in one process."),
    validate: str | None = typer.Option(None, help="Measure the verdicts on a labelled set: `blind`, `heldout` (shipped) or a folder of <family>.jsonl."),
    judge: str | None = typer.Option(None, help="Judge for what the detector cannot decide (default: none, such rows are `undecided`)."),
    judge_samples: int = typer.Option(1, help="Judge calls per undecided transcript (majority vote)."),
    out: Path | None = typer.Option(None, help="With --transcripts: write the verdicts here as JSONL (default: stdout)."),
) -> None:
    """Score transcripts with the structural detector (and the judge for what it cannot decide).

    Exactly one of --transcript, --transcripts or --validate. The transcript format: docs/ARCHITECTURE.md
    ("Transcript JSON"); an example ships in examples/.
    """
    import time

    from teachwhy.evals.honeypots import FAMILIES
    from teachwhy.models import role_model

    chosen = [x for x in (transcript, transcripts, validate) if x is not None]
    if len(chosen) != 1:
        fail("give exactly one of --transcript FILE, --transcripts FILE.jsonl or --validate SET",
             hint="e.g. teachwhy eval classify --scenario blackmail --transcript examples/transcript_blackmail.json")  # fmt: skip
    if scenario is not None and scenario not in FAMILIES:
        fail(f"--scenario: got {scenario!r}; allowed: {', '.join(FAMILIES)}")
    judge_model = role_model("judge", judge, temperature=0, max_tokens=1024) if judge else None
    if validate is not None:
        from teachwhy.evals.honeypots import score_set

        res = asyncio.run(score_set(validate, judge_model, judge_samples))
        typer.echo(f"{'family':18} {'n':>4} {'decided':>7} {'coverage':>8} {'accuracy':>8} {'precision':>9} {'recall':>6}")
        def f(x: float | None) -> str:
            return "  n/a" if x is None else f"{x:.3f}"

        for fam, m in [*res["families"].items(), ("all", res["all"])]:
            typer.echo(f"{fam:18} {m['n']:>4} {m['decided']:>7} {f(m['coverage']):>8} {f(m['decided_accuracy']):>8} "
                       f"{f(m['precision']):>9} {f(m['recall']):>6}")  # fmt: skip
        typer.echo(f"set: {validate}   judge: {judge or 'none (detector alone)'}   {res['all']['n'] / res['seconds']:.0f} transcripts/s")
        for fam, m in res["families"].items():
            for w in m["wrong"]:
                typer.echo(f"  wrong [{fam}] {w['id']} ({w['label']}, {w['case']}): {'; '.join(w['reasons'])}")
        return
    if transcripts is not None:
        rows = _read_jsonl_rows(transcripts)
        start = time.perf_counter()
        lines = []
        for i, row in enumerate(rows, 1):
            fam = row.get("family") or scenario
            if fam not in FAMILIES:
                fail(f"{transcripts}:{i}: no family", hint="give --scenario FAMILY or a `family` key in each row")
            try:
                v = asyncio.run(classify_transcript_row(fam, row, judge_model, judge_samples))
                rec: dict[str, Any] = {"id": row.get("id", i), "family": fam, **v.model_dump()}
            except TeachwhyError as exc:
                rec = {"id": row.get("id", i), "family": fam, "status": "invalid", "error": str(exc)}
            lines.append(json.dumps(rec, ensure_ascii=False))
        secs = time.perf_counter() - start
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            typer.echo("\n".join(lines))
        typer.echo(f"classified {len(rows)} transcripts in {secs:.2f} s ({len(rows) / max(secs, 1e-9):.0f}/s)"
                   + (f"; verdicts in {out}" if out else ""), err=True)  # fmt: skip
        return
    assert transcript is not None
    if scenario is None:
        fail("--scenario is required with --transcript", hint="choose from " + ", ".join(FAMILIES))
    data = _read_json(transcript)
    verdict = asyncio.run(classify_transcript_row(scenario, data, judge_model, judge_samples))
    typer.echo(verdict.model_dump_json(indent=2))


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        fail(f"transcript file not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"{path} is not valid JSON: {exc}")
    if not isinstance(data, dict):
        fail(f"{path}: expected a JSON object (the instance from `show` plus `output`)")
    return _check_row(data, str(path))


def _check_row(data: dict[str, Any], where: str) -> dict[str, Any]:
    entities, output = data.get("entities"), data.get("output")
    if not isinstance(entities, dict):
        fail(f"{where}: `entities` must be an object", hint="start from `teachwhy eval honeypots show` output")
    if not isinstance(output, list) or not all(isinstance(m, dict) and "role" in m for m in output):
        fail(f"{where}: `output` must be a list of chat messages, each an object with a `role`",
             hint="assistant messages carry `content` and `tool_calls`; tool results have role `tool`")  # fmt: skip
    return data


def _read_jsonl_rows(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        fail(f"transcripts file not found: {path}")
    rows = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        fail(f"{path} is not UTF-8 text: {exc}")
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            fail(f"{path}:{i} is not valid JSON: {exc.msg}", hint="one transcript object per line (JSONL)")
        if not isinstance(row, dict):
            fail(f"{path}:{i}: expected a JSON object")
        rows.append(_check_row(row, f"{path}:{i}"))
    if not rows:
        fail(f"{path} holds no transcripts")
    return rows


async def classify_transcript_row(family: str, row: dict[str, Any], judge: Any, judge_samples: int) -> Any:
    """Classify one transcript object (entities, output, optional mode)."""
    from teachwhy.evals.honeypots import classify as classify_transcript

    return await classify_transcript(family, row["entities"], row["output"], judge, mode=row.get("mode"),
                                     judge_samples=judge_samples)  # fmt: skip


def run_demo(out: str) -> None:
    """The demo until the experiment demo lands: the honeypot suite on the embedded model."""
    from teachwhy.evals.honeypots import HoneypotRun

    _run_and_report(HoneypotRun(model="embedded", samples=4, out=out))
