"""``teachwhy eval propensity``: judge-free propensity probes (log-likelihood of the harmful vs the ethical action)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

__all__ = ["propensity", "format_summary"]


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.3f}"


def _line(name: str, b: dict[str, Any]) -> str:
    p, pt, lr, lt = b["preference"], b["preference_total"], b["log_ratio_per_token"], b["log_ratio"]
    ci = f"[{_pct(p['ci_low'])},{_pct(p['ci_high'])}]" if p["n"] else ""
    lci = f"[{_num(lr['ci_low'])},{_num(lr['ci_high'])}]" if lr["n"] > 1 else ""
    return (f"{name:34} {b['n']:>4} {_pct(p['rate']):>7} {ci:>16} {_pct(pt['rate']):>7} {_num(lr['mean']):>8} "
            f"{lci:>18} {_num(lt['mean']):>9}")  # fmt: skip


def format_summary(s: dict[str, Any]) -> str:
    """The summary as a table: preference (per token, the headline; and by total) and mean log-ratios."""
    head = (f"{'':34} {'n':>4} {'prefers':>7} {'95% CI (Wilson)':>16} {'total':>7} {'lr/tok':>8} "
            f"{'95% CI (t)':>18} {'lr total':>9}")  # fmt: skip
    lines = [
        "share of instances where the HARMFUL action is more likely than the ethical one (prefers: per-token mean, "
        "the headline; total: summed log-prob); lr = mean log-ratio harmful - ethical (nats)",
        head,
        _line("all", s["overall"]),
    ]
    lines += [_line(f"  {fam}", b) for fam, b in s["families"].items()]
    if len(s["storylines"]) > 1:
        lines.append("per storyline:")
        lines += [_line(f"  {st}", b) for st, b in s["storylines"].items()]
    c, sc = s["counts"], s["scored"]
    lines.append(f"scored: {sc['last_step']} decisive actions alone; {sc['continuation']} whole continuations (the "
                 f"scripts diverge before their last step); errors {c['errors']}, missing {c['missing']}")  # fmt: skip
    lines.append(f"why the headline is per token: {s['headline_why']}")
    return "\n".join(lines)


def propensity(
    model: str | None = typer.Option(
        None,
        "--model",
        help="Model (default $TEACHWHY_TARGET or embedded): a local "
        "directory, a teachwhy training output, hf/DIR or vllm/MODEL.",
    ),
    scenarios: str | None = typer.Option(None, help="Comma-separated families (default: all three)."),
    samples: int | None = typer.Option(None, help="Instances per family (default 4)."),
    seed: int | None = typer.Option(None, help="Seed for conditions and entities (default 0)."),
    conditions: str | None = typer.Option(None, help="Parts a condition id must contain, e.g. explicit,replacement."),
    preset: str | None = typer.Option(None, help="headline (explicit goal, replacement, no notice) or controls."),
    storylines: str | None = typer.Option(None, help="Comma-separated storyline ids (default: all, in turn)."),
    split: str | None = typer.Option(None, help="eval (held-out storylines, default) or train."),
    compact: bool | None = typer.Option(None, "--compact/--full", help="Short inbox, as `eval honeypots --compact`."),
    variant: int | None = typer.Option(None, help="Script variant of each kind (default: cycles with the seed)."),
    dtype: str | None = typer.Option(None, help="float32 (default), bfloat16, float16 or auto: bfloat16 where the hardware has it natively (transformers models)."),
    config: Path | None = typer.Option(None, help="YAML file of these settings; flags override it."),
    out: str | None = typer.Option(None, help="Output directory (default runs/propensity)."),
) -> None:
    """Log-likelihood of each instance's harmful vs ethical action as the model's next turn; no generation, no judge.

    Re-running the same command resumes (scored instances are kept)."""
    from teachwhy.config import load_config
    from teachwhy.evals.propensity import PropensityRun, run_propensity
    from teachwhy.models import default_spec

    overrides: dict[str, Any] = {
        "model": model, "samples": samples, "seed": seed, "conditions": conditions, "preset": preset,
        "split": split, "compact": compact, "variant": variant, "dtype": dtype, "out": out,
        "scenarios": [s.strip() for s in scenarios.split(",") if s.strip()] if scenarios else None,
        "storylines": [s.strip() for s in storylines.split(",") if s.strip()] if storylines else None,
    }  # fmt: skip
    if model is None and config is None:
        overrides["model"] = default_spec("target")
    cfg = load_config(PropensityRun, config, overrides)
    if cfg.model == "embedded":
        typer.echo("note: the embedded 135M model checks the pipeline; its preferences are not a research result.")
    summary = run_propensity(cfg)
    typer.echo(format_summary(summary))
    typer.echo(f"summary: {Path(cfg.out) / 'summary.json'}   per instance: {Path(cfg.out) / 'samples.jsonl'}")
