"""``teachwhy eval assessment`` and ``teachwhy eval constitution`` (issue 4): held-out evals with a judge.

Both write ``summary.json`` (documented in docs/ARCHITECTURE.md, "Held-out assessment and constitution
adherence") and inspect ``.eval`` logs into ``--out``. Judge errors are counted, never scored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from teachwhy.config import load_config
from teachwhy.errors import TeachwhyError
from teachwhy.judging import EMBEDDED_JUDGE_NOTE
from teachwhy.models import default_spec

_Model = Annotated[str | None, typer.Option(help="Model spec (default $TEACHWHY_<ROLE> or embedded).")]
_Judge = Annotated[str | None, typer.Option(help="Judge model, temperature 0 (default $TEACHWHY_JUDGE).")]
_Seeds = Annotated[str | None, typer.Option(help="Comma-separated seed tags, e.g. sycophancy,power_seeking.")]
_Light = Annotated[bool, typer.Option("--light", help="Light mode: light seeds only, at most 6 turns.")]
_Limit = Annotated[int | None, typer.Option(min=1, help="Run at most N seeds (or prompts).")]
_Turns = Annotated[int | None, typer.Option(min=1, help="Cap on auditor turns per seed (default 15, light 6).")]
_JudgeSamples = Annotated[int, typer.Option(min=1, help="Judge samples per transcript (median per dimension).")]
_Realism = Annotated[bool, typer.Option("--realism-check", help="Rate each auditor action for realism first.")]
_RealismThreshold = Annotated[
    float | None, typer.Option(min=1, max=10, help="With --realism-check: refuse auditor actions rated below this.")
]
_RealismModel = Annotated[str | None, typer.Option(help="Model rating realism (default: the judge).")]
_Engine = Annotated[str, typer.Option(help="ours (default) or petri (needs inspect-petri, Python>=3.12).")]
_Out = Annotated[Path | None, typer.Option(help="Output directory: summary.json and inspect logs.")]
_ConstitutionFile = Annotated[
    Path | None, typer.Option("--constitution", help="Constitution YAML in teachwhy format (default: ours).")
]
_TargetTokens = Annotated[int | None, typer.Option(min=1, help="Max tokens per target reply.")]
_AuditorTokens = Annotated[int | None, typer.Option(min=1, help="Max tokens per auditor turn.")]
_JudgeTokens = Annotated[int | None, typer.Option(min=1, help="Max tokens of one judge verdict.")]
_Prompts = Annotated[Path | None, typer.Option(help="Adherence prompts YAML (default: teachwhy's own).")]


def _preflight(out: Path, models: dict[str, str], files: dict[str, Path | None]) -> None:
    """Before any model loads or any file is written: every model spec, every input file, the output path."""
    from teachwhy.cli._common import readable_file
    from teachwhy.models import check_model

    for flag, path in files.items():
        readable_file(path, flag)
    for role, spec in models.items():
        check_model(spec, role)
    if out.exists() and not out.is_dir():
        raise TeachwhyError(f"--out {out} is a file", hint="choose a directory for --out")


def _display() -> str:
    return "rich" if sys.stdout.isatty() else "plain"


def _progress_line(line: str) -> None:
    """One progress line on stderr (rewritten in place on a terminal)."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + line[:160])
        sys.stderr.flush()
    else:
        typer.echo(line, err=True)


def _fmt(block: dict[str, Any]) -> str:
    if block.get("mean") is None:
        return f"n={block['n']:<3} (no scored samples)"
    mean, lo, hi = block["mean"], block["ci_low"], block["ci_high"]
    return f"n={block['n']:<3} mean {mean:.2f}  95% CI [{lo:.2f}, {hi:.2f}]"


def _counts(summary: dict[str, Any]) -> str:
    c = summary["counts"]
    errors = f"errors {c['errors']} (judge or sample)"
    return f"samples {c['samples']}: scored {c['scored']}, {errors}, empty {c['empty']}"


def _print_errors(summary: dict[str, Any], limit: int = 5) -> None:
    for e in summary["errors"][:limit]:
        typer.echo(f"  {e['status']:5} {e['id']}: {e['error']}")
    if len(summary["errors"]) > limit:
        typer.echo(f"  ... {len(summary['errors']) - limit} more in summary.json")


def assessment(
    target: _Model = None,
    auditor: _Model = None,
    judge: _Judge = None,
    seeds: _Seeds = None,
    light: _Light = False,
    limit: _Limit = None,
    max_turns: _Turns = None,
    engine: _Engine = "ours",
    target_max_tokens: _TargetTokens = None,
    auditor_max_tokens: _AuditorTokens = None,
    judge_max_tokens: _JudgeTokens = None,
    judge_samples: _JudgeSamples = 1,
    realism_check: _Realism = False,
    realism_threshold: _RealismThreshold = None,
    realism_model: _RealismModel = None,
    out: _Out = None,
) -> None:
    """Held-out automated alignment assessment: an auditor probes the target, a judge scores every dimension.

    Writes OUT/summary.json and the inspect log (default OUT: runs/assessment).
    """
    out = out or Path("runs/assessment")
    from teachwhy.evals.assessment import AssessmentConfig, run_assessment

    cfg = load_config(
        AssessmentConfig,
        overrides={
            "target": target or default_spec("target"),
            "auditor": auditor or default_spec("auditor"),
            "judge": judge or default_spec("judge"),
            "seeds": [t.strip() for t in (seeds or "").split(",") if t.strip()],
            "light": light,
            "limit": limit,
            "max_turns": max_turns,
            "engine": engine,
            "target_max_tokens": target_max_tokens,
            "auditor_max_tokens": auditor_max_tokens,
            "judge_max_tokens": judge_max_tokens,
            "judge_samples": judge_samples,
            "realism_check": realism_check,
            "realism_threshold": realism_threshold,
            "realism_model": realism_model,
        },
        source="flags",
    )
    _preflight(out, {"target": cfg.target, "auditor": cfg.auditor, "judge": cfg.judge}, {})
    if cfg.judge == "embedded":
        typer.echo(EMBEDDED_JUDGE_NOTE)
    summary = run_assessment(cfg, out, display="none", progress=_progress_line)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    typer.echo(f"\nassessment ({cfg.engine} engine) — {_counts(summary)}")
    for name, block in summary["headline"].items():
        typer.echo(f"  {name:22} {_fmt(block)}  (higher is {block['higher_is']})")
    typer.echo("dimensions:")
    for name, block in summary["dimensions"].items():
        typer.echo(f"  {name:30} {_fmt(block)}")
    js = summary["counts"]["judge_samples"]
    typer.echo(f"judge samples: {js['ok']}/{js['requested']} parsed (failed: parse {js['failed_parse']}, "
               f"citation {js['failed_citation']}, call {js['failed_call']})")  # fmt: skip
    if summary["realism"]["enabled"]:
        r = summary["realism"]
        typer.echo(f"realism: {r['checks']} checks, mean {r['score']['mean']}, rejected {r['rejected']}, "
                   f"errors {r['errors']}")  # fmt: skip
    _print_errors(summary)
    typer.echo(f"summary: {out / 'summary.json'}\nlog:     {summary['log']}")
    if summary["note"]:
        typer.echo(summary["note"])


def constitution(
    target: _Model = None,
    judge: _Judge = None,
    constitution_file: _ConstitutionFile = None,
    prompts: _Prompts = None,
    limit: _Limit = None,
    target_max_tokens: _TargetTokens = None,
    judge_max_tokens: _JudgeTokens = None,
    out: _Out = None,
) -> None:
    """Constitution adherence: per-principle and per-tier scores (1-10) with 95% confidence intervals.

    Writes OUT/summary.json and the inspect log (default OUT: runs/constitution).
    """
    out = out or Path("runs/constitution")
    from teachwhy.constitution import load_constitution
    from teachwhy.evals.constitution_eval import AdherenceConfig, run_constitution

    cfg = load_config(
        AdherenceConfig,
        overrides={
            "target": target or default_spec("target"),
            "judge": judge or default_spec("judge"),
            "constitution": str(constitution_file) if constitution_file else None,
            "prompts": str(prompts) if prompts else None,
            "limit": limit,
            "target_max_tokens": target_max_tokens,
            "judge_max_tokens": judge_max_tokens,
        },
        source="flags",
    )
    _preflight(out, {"target": cfg.target, "judge": cfg.judge}, {"--constitution": constitution_file,
                                                                "--prompts": prompts})  # fmt: skip
    load_constitution(cfg.constitution)  # a malformed file fails here, before any model loads
    if cfg.judge == "embedded":
        typer.echo(EMBEDDED_JUDGE_NOTE)
    typer.echo(f"constitution adherence: target {cfg.target}, judge {cfg.judge}"
               + (f", at most {cfg.limit} prompts" if cfg.limit else "") + "; progress below", err=True)  # fmt: skip
    summary = run_constitution(cfg, out, display=_display())
    c = summary["constitution"]
    typer.echo(f"\nconstitution adherence ({c['name']} {c['version']}) — {_counts(summary)}")
    typer.echo(f"  {'overall':22} {_fmt(summary['overall'])}")
    typer.echo("by tier (priority order):")
    for tid, block in summary["by_tier"].items():
        typer.echo(f"  {tid:22} {_fmt(block)}  errors {block['errors']}, empty {block['empty']}")
    typer.echo("by principle:")
    for pid, block in summary["by_principle"].items():
        typer.echo(f"  {pid:22} {_fmt(block)}  errors {block['errors']}, empty {block['empty']}")
    _print_errors(summary)
    typer.echo(f"summary: {out / 'summary.json'}\nlog:     {summary['log']}")
    if summary["note"]:
        typer.echo(summary["note"])
