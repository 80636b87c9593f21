"""``teachwhy data``: generate, augment and check training datasets."""

from __future__ import annotations

import json
from typing import Any

import typer

from teachwhy.config import load_config
from teachwhy.errors import TeachwhyError

app = typer.Typer(
    help="Generate, augment and check training data (every dataset kind of the study).", no_args_is_help=True
)

_KINDS_HELP = (
    "honeypot-demos, honeypot-reasons, sysprompt-distill, difficult-advice, constitution-docs, stories, transcripts"
)


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


@app.command("generate")
def generate(
    kind: str = typer.Argument(..., help=f"Dataset kind: {_KINDS_HELP}."),
    out: str = typer.Option(..., "--out", help="Output directory (data.jsonl, datacard.json, items.jsonl ledger)."),
    teacher: str = typer.Option("embedded", help="Model that writes the data (embedded, a model dir, provider/model)."),
    target: str = typer.Option(
        "embedded", help="Model being trained: its tokenizer counts tokens; honeypot-demos: the agent that answers."
    ),
    judge: str | None = typer.Option(
        None, help="Judge for honeypot verdicts the detector cannot decide (without one they are not kept)."
    ),
    n: int | None = typer.Option(None, "--n", help="Items to generate (default 8)."),
    tokens: int | None = typer.Option(None, "--tokens", help="Generate until kept rows hold this many target tokens."),
    seed: int = typer.Option(0, help="Seed deciding the planned items and wording."),
    max_connections: int = typer.Option(4, help="Concurrent items (and inspect_ai max_connections per model)."),
    batch: bool = typer.Option(False, "--batch", help="Use the provider's batch API via inspect_ai where supported."),
    scripted: str | None = typer.Option(
        None,
        help="No model call: `ethical` (honeypot-demos, honeypot-reasons, difficult-advice, sysprompt-distill "
        "--source honeypots) or `harmful` "
        "(honeypot-demos only: misaligned demonstrations for model-organism experiments).",
    ),
    max_tokens: int = typer.Option(768, help="Maximum new tokens per model call."),
    temperature: float | None = typer.Option(0.8, help="Teacher/target sampling temperature."),
    max_steps: int = typer.Option(4, help="honeypot-demos: model turns per agent episode."),
    source: str | None = typer.Option(
        None, help="honeypot-reasons: a honeypot-demos output directory to rewrite; sysprompt-distill: `chat` "
        "(default) or `honeypots` (training honeypots answered with the constitution injected)."
    ),
    scenarios: str | None = typer.Option(
        None, help="Honeypot kinds: comma-separated families to draw training storylines from (default: all three)."
    ),
    conditions: str | None = typer.Option(
        None,
        help="Honeypot kinds: a preset (headline, controls) or parts a condition id must contain, e.g. "
        "explicit,replacement (default: every condition).",
    ),
    script_variant: int | None = typer.Option(
        None, "--script-variant", help="Honeypot kinds with --scripted: only this script variant of each storyline "
        "(0 = the first; default: one drawn per item)."
    ),
    compact: bool = typer.Option(
        False, "--compact", help="Honeypot kinds: the short rendering (as `eval honeypots --compact`): data and evals "
        "compared with each other must use the same rendering."
    ),
    principles: str | None = typer.Option(None, help="Comma-separated constitution principle ids (default: all)."),
    constitution: str | None = typer.Option(None, help="Constitution YAML file (default: teachwhy's own)."),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="--out holds a dataset made with other settings: delete it and start over."
    ),
) -> None:
    """Generate a dataset of KIND into --out (resumable: the same command again skips finished items).

    Models, keys and input files are checked before anything is written."""
    from teachwhy.data import generate as run
    from teachwhy.data._common import GenerateSettings

    if scripted is not None and scripted not in ("ethical", "harmful"):
        raise TeachwhyError(f"--scripted must be `ethical` or `harmful`, got {scripted!r}")
    if scenarios:
        from teachwhy.evals.honeypots import FAMILIES

        unknown = [f.strip() for f in scenarios.split(",") if f.strip() and f.strip() not in FAMILIES]
        if unknown:
            raise TeachwhyError(f"--scenarios: unknown famil{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}",
                                hint=f"choose from {', '.join(FAMILIES)}")  # fmt: skip
    overrides: dict[str, Any] = {
        "kind": kind, "out": out, "teacher": teacher, "target": target, "judge": judge, "n": n, "tokens": tokens,
        "seed": seed, "max_connections": max_connections, "batch": batch, "scripted": scripted,
        "max_tokens": max_tokens, "temperature": temperature, "max_steps": max_steps, "source": source,
        "principles": [p.strip() for p in principles.split(",") if p.strip()] if principles else None,
        "constitution": constitution, "conditions": conditions, "compact": compact, "script_variant": script_variant,
        "scenarios": [f.strip() for f in scenarios.split(",") if f.strip()] if scenarios else None,
    }  # fmt: skip
    settings = load_config(GenerateSettings, None, overrides, source="flags")
    if scripted == "harmful":
        _err("warning: --scripted harmful writes MISALIGNED demonstrations, for model-organism experiments only")
    card = run(settings, progress=_err, overwrite=overwrite)
    c = card["counts"]
    typer.echo(
        f"{kind}: {card['rows']} rows kept of {c['planned']} planned (rejected {c['rejected']}, empty {c['empty']}, "
        f"error {c['error']}); {card['tokens']['total']} tokens ({card['tokens']['counted_with']})"
    )
    if "rejection_sampling" in card:
        rs = card["rejection_sampling"]
        typer.echo(f"rejection sampling: keeps {rs['keeps']}; acceptance rate {rs['acceptance_rate']}")
    if card.get("note"):
        typer.echo(f"note: {card['note']}")
    typer.echo(f"wrote {out}/data.jsonl and {out}/datacard.json")


@app.command("augment")
def augment(
    src: str = typer.Argument(..., metavar="IN", help="A dataset directory (with data.jsonl) or a .jsonl file."),
    dst: str = typer.Argument(..., metavar="OUT", help="Output directory (must differ from IN)."),
    tools: bool = typer.Option(False, "--tools", help="Add 2-5 unneeded tool definitions from the 151-tool library."),
    system_prompts: bool = typer.Option(
        False, "--system-prompts", help="Add an operator persona system prompt to rows that have none."
    ),
    seed: int = typer.Option(0, help="Seed for which tools and personas each row gets."),
) -> None:
    """Add tool definitions and system prompts to chat rows; original turns are kept byte for byte."""
    from teachwhy.data.augment import augment_path

    card = augment_path(src, dst, tools=tools, system_prompts=system_prompts, seed=seed)
    a = card["augment"]
    typer.echo(
        f"augmented {a['chat_rows']} chat rows ({a['text_rows']} text rows unchanged): {a['tools_added']} tools "
        f"added, {a['system_prompts_added']} system prompts added, {a['system_prompts_kept']} existing kept; "
        f"wrote {dst}/data.jsonl"
    )


@app.command("check")
def check(
    directory: str = typer.Argument(..., metavar="DIR", help="Dataset directory (with data.jsonl)."),
    against_evals: bool = typer.Option(
        False,
        "--against-evals",
        help="Measure n-gram overlap and nearest-neighbour similarity to every eval; fail over the thresholds.",
    ),
    judge: str | None = typer.Option(None, help="Judge model for a 1-10 quality score per item (default: not scored)."),
    quality_threshold: float = typer.Option(5.0, help="Remove items the judge scores below this."),
    near_dup_threshold: float = typer.Option(0.8, help="MinHash Jaccard (word 5-grams) for near-duplicates."),
    ngram_threshold: float = typer.Option(0.2, help="Fail when this share of an item's 8-grams is in an eval."),
    cosine_threshold: float = typer.Option(0.9, help="Fail when an item's nearest eval chunk is this similar."),
) -> None:
    """Remove duplicates (and low-quality items), measure diversity and distance to the evals; numbers go into
    datacard.json. Exits non-zero, naming the items, when the data overlaps an eval."""
    from teachwhy.data.check import CheckSettings, run_check
    from teachwhy.models import check_model

    if judge is not None:
        check_model(judge, "judge")  # before the directory is read or rewritten

    settings = load_config(CheckSettings, None, {
        "dir": directory, "against_evals": against_evals, "judge": judge, "quality_threshold": quality_threshold,
        "near_dup_threshold": near_dup_threshold, "ngram_threshold": ngram_threshold,
        "cosine_threshold": cosine_threshold}, source="flags")  # fmt: skip
    report = run_check(settings)
    q = report["quality"]
    typer.echo(f"rows: {report['rows_in']} in, {report['rows_out']} kept; exact duplicates {report['exact_duplicates']}, "
               f"near duplicates {report['near_duplicates']}")  # fmt: skip
    if q.get("judge"):
        typer.echo(f"quality: mean {q['mean_score']} over {q['scored']} scored, {q['judge_errors']} judge errors "
                   f"(not scored), {q['below_threshold']} below {q['threshold']}")  # fmt: skip
    else:
        typer.echo(f"quality: {q['note']}")
    typer.echo(f"diversity: {json.dumps(report['diversity'])}")
    if "evals" in report:
        ev = report["evals"]
        typer.echo(f"distance to evals: max 8-gram overlap {ev['max_ngram_overlap']}, max nearest-neighbour cosine "
                   f"{ev['max_nn_cosine']} (thresholds {ev['thresholds']}): passed")  # fmt: skip
        per = ev.get("per_storyline") or {}
        if per:
            typer.echo("distance to each eval honeypot storyline (max cosine / max 8-gram overlap of any item):")
            for sid, d in per.items():
                typer.echo(f"  {sid:42} {d['max_nn_cosine']:.3f} / {d['max_ngram_overlap']:.3f}")
    typer.echo(f"wrote {directory}/check.json and updated {directory}/datacard.json")
